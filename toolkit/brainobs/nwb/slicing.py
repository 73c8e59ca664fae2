"""Read only the part of an HDF5 dataset that was asked for: some rows, a window of columns.

Helpers for the trace readers: turn a time window (seconds) or a frame slice into a column
slice, and read a set of rows in any order (h5py needs increasing, unique row indices).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["frame_window", "read_rows"]


def frame_window(
    timestamps: np.ndarray,
    start: float | None = None,
    stop: float | None = None,
    frames: slice | None = None,
) -> slice:
    """The frame slice for a time window ``[start, stop)`` in seconds, or for ``frames``.

    Parameters
    ----------
    timestamps : ndarray
        Sample times (seconds), increasing.
    start, stop : float, optional
        Window in seconds; samples with ``start <= t < stop`` are kept.
    frames : slice, optional
        Frame indices instead of times (step 1); cannot be combined with start/stop.

    Returns
    -------
    slice
        With non-negative ``start`` and ``stop`` and no step.

    Examples
    --------
    >>> frame_window(np.arange(10) * 0.5, start=1.0, stop=2.0)
    slice(2, 4, None)
    >>> frame_window(np.arange(10) * 0.5, frames=slice(-3, None))
    slice(7, 10, None)
    """
    n = len(timestamps)
    if frames is not None:
        if start is not None or stop is not None:
            raise ValueError("Give either a time window (start/stop, seconds) or frames, not both.")
        if not isinstance(frames, slice):
            raise TypeError(f"frames must be a slice, e.g. slice(0, 300); got {frames!r}.")
        first, last, step = frames.indices(n)
        if step != 1:
            raise ValueError(f"frames must be contiguous (step 1); got step {step}.")
        return slice(first, max(first, last))
    first = 0 if start is None else int(np.searchsorted(timestamps, start, side="left"))
    last = n if stop is None else int(np.searchsorted(timestamps, stop, side="left"))
    return slice(first, max(first, last))


def read_rows(dataset: Any, rows: np.ndarray | None, columns: slice = slice(None)) -> np.ndarray:
    """Read ``dataset[rows, columns]`` touching only the chunks needed.

    Parameters
    ----------
    dataset : h5py.Dataset or ndarray
        A 1-D or 2-D array on disk.
    rows : ndarray of int or None
        Row indices in the wanted order (repeats allowed); None = all rows.
    columns : slice
        Column window (ignored for 1-D datasets).

    Examples
    --------
    >>> read_rows(np.arange(12).reshape(3, 4), np.array([2, 0]), slice(1, 3)).tolist()
    [[9, 10], [1, 2]]
    """
    index: tuple[Any, ...] = (columns,) if len(dataset.shape) == 2 else ()
    if rows is None:
        return np.asarray(dataset[(slice(None), *index)])
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        width = len(range(*columns.indices(dataset.shape[1]))) if index else None
        shape = (0,) if width is None else (0, width)
        return np.empty(shape, dtype=dataset.dtype)
    wanted = np.unique(rows)
    if wanted.size == dataset.shape[0]:
        block = np.asarray(dataset[(slice(None), *index)])
    elif wanted.size == wanted[-1] - wanted[0] + 1:
        block = np.asarray(dataset[(slice(int(wanted[0]), int(wanted[-1]) + 1), *index)])
    else:
        block = np.asarray(dataset[(wanted.tolist(), *index)])
    return block[np.searchsorted(wanted, rows)]
