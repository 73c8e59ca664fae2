"""Long traces drawn fast: a min/max envelope per pixel column, filled as one band per trace.

A screen cannot show more than one value range per pixel column, so a trace of 100,000 frames
on an Axes 700 pixels wide is reduced to the minimum and maximum of each column's frames. The
reduced trace looks the same as the full one (every peak and trough is kept) and draws in a
fraction of the time. Stacked traces are drawn as filled bands (one polygon per trace, at least
one pixel thick), which matplotlib fills much faster than it strokes zig-zag lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.collections import PolyCollection

__all__ = ["pixel_columns", "minmax_envelope", "interleave", "fill_bands"]

#: Below this many pixel columns the Axes is treated as this wide (tiny or undrawn Axes).
MIN_COLUMNS = 200


def pixel_columns(ax: Axes) -> int:
    """Width of ``ax`` in display pixels (at least ``MIN_COLUMNS``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(8, 3), dpi=100)
    >>> 500 < pixel_columns(ax) < 800
    True
    """
    return max(MIN_COLUMNS, int(np.ceil(ax.get_window_extent().width)))


def minmax_envelope(
    timestamps: np.ndarray, traces: np.ndarray, n_columns: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Minimum and maximum of each trace over ``n_columns`` equal runs of frames.

    Parameters
    ----------
    timestamps : ndarray, shape (n_frames,)
    traces : ndarray, shape (n_traces, n_frames)
    n_columns : int
        Pixel columns available.

    Returns
    -------
    (times, low, high) or None
        Start time of each run, and (n_traces, n_runs) minima and maxima (NaN ignored; NaN
        where a run holds only NaN). None when the traces are short enough to draw whole.

    Examples
    --------
    >>> t = np.arange(10.0)
    >>> times, low, high = minmax_envelope(t, np.arange(10.0)[None], 2)
    >>> times.tolist(), low.tolist(), high.tolist()
    ([0.0, 5.0], [[0.0, 5.0]], [[4.0, 9.0]])
    """
    n_frames = traces.shape[-1]
    if n_frames <= 2 * n_columns:
        return None
    step = int(np.ceil(n_frames / n_columns))
    whole = n_frames // step * step
    runs = traces[:, :whole].reshape(len(traces), -1, step)
    low, high = np.fmin.reduce(runs, axis=-1), np.fmax.reduce(runs, axis=-1)
    if whole < n_frames:
        rest = traces[:, whole:]
        low = np.concatenate([low, np.fmin.reduce(rest, axis=-1)[:, None]], axis=1)
        high = np.concatenate([high, np.fmax.reduce(rest, axis=-1)[:, None]], axis=1)
    return np.asarray(timestamps)[::step], low, high


def interleave(
    times: np.ndarray, low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A drawable zig-zag through an envelope: each run's minimum then maximum.

    Examples
    --------
    >>> x, y = interleave(np.array([0.0, 1.0]), np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    >>> x.tolist(), y.tolist()
    ([0.0, 0.0, 1.0, 1.0], [1.0, 3.0, 2.0, 4.0])
    """
    x = np.repeat(times, 2)
    y = np.empty(low.shape[:-1] + (2 * low.shape[-1],), dtype=float)
    y[..., 0::2], y[..., 1::2] = low, high
    return x, y


def _join_columns(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stretch each run to reach its neighbour's range, so steep rises stay visible."""
    low2, high2 = low.copy(), high.copy()
    low2[:, 1:] = np.fmin(low[:, 1:], high[:, :-1])
    high2[:, 1:] = np.fmax(high[:, 1:], low[:, :-1])
    return low2, high2


def fill_bands(
    ax: Axes,
    times: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    offsets: np.ndarray,
    colors: Sequence[str],
    *,
    min_height: float,
) -> PolyCollection:
    """Fill one band per trace between its minima and maxima (plus ``offsets``) on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    times : ndarray, shape (n_runs,)
    low, high : ndarray, shape (n_traces, n_runs)
        Envelope of each trace (finite values; draw traces with gaps as lines instead).
    offsets : ndarray, shape (n_traces,)
        Vertical offset of each trace.
    colors : sequence of str
        Fill colour of each trace (cycled).
    min_height : float
        Smallest band height in data units (about one pixel), so flat stretches show.

    Returns
    -------
    matplotlib.collections.PolyCollection

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _, ax = plt.subplots()
    >>> bands = fill_bands(ax, np.arange(3.0), np.zeros((2, 3)), np.ones((2, 3)),
    ...                    np.array([0.0, 2.0]), ["#0072B2"], min_height=0.01)
    >>> len(bands.get_paths())
    2
    """
    from matplotlib.collections import PolyCollection

    low, high = _join_columns(low, high)
    offsets = np.asarray(offsets, dtype=float)[:, None]
    low = low + offsets - min_height / 2
    high = high + offsets + min_height / 2
    xs = np.concatenate([times, times[::-1]])
    ys = np.concatenate([high, low[:, ::-1]], axis=1)
    verts = np.stack([np.broadcast_to(xs, ys.shape), ys], axis=-1)
    palette = [colors[i % len(colors)] for i in range(len(verts))]
    bands = PolyCollection(verts, facecolors=palette, edgecolors="none", linewidths=0)
    ax.add_collection(bands)
    return bands
