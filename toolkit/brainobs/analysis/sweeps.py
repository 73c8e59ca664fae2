"""Stimulus-locked responses: sweep windows, % dF/F sweeps, mean responses, per-trial p values.

A *sweep* is one row of a stimulus table (one grating, one image, one sparse-noise frame).
Following the Allen analysis, the response to a sweep is cut from the **corrected
fluorescence** around its onset frame ``s``: frames ``s - inter .. s + sweep + inter`` (the
*sweep window*), and expressed as % dF/F relative to the mean of the ``inter`` frames before
onset::

    sweep = 100 * (F[s - inter : s + sweep + inter] / mean(F[s - inter : s]) - 1)

The *mean sweep response* averages that trace over the response frames
``[inter, inter + sweep + extra)``; the per-trial p value is a one-way ANOVA of the baseline
frames against the response frames. Running speed gets the same window, giving one mean speed
per trial (column ``"dx"``). Everything is computed with numpy fancy indexing on frame
windows, in blocks of cells so memory stays bounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .. import stimuli as st
from ..errors import check_choice
from ._stats import two_group_anova_p
from .inputs import check_array

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SweepWindow",
    "SweepStatistics",
    "SweepResponses",
    "sweep_window",
    "sweep_frames",
    "cut_sweeps",
    "compute_sweep_statistics",
    "stimulus_locked_responses",
]

#: Bytes of float64 sweep data held at once while computing mean sweep responses.
_BLOCK_BYTES = 64 * 2**20


@dataclass(frozen=True)
class SweepWindow:
    """Frames of a sweep window: ``inter`` before onset, ``sweep`` of stimulus, ``inter`` after.

    Examples
    --------
    >>> w = SweepWindow(sweep=7, inter=28, extra=7)
    >>> w.length, w.response
    (63, slice(28, 42, None))
    """

    sweep: int
    inter: int
    extra: int = 0

    @property
    def length(self) -> int:
        """Frames in the whole window (``2 * inter + sweep``)."""
        return 2 * self.inter + self.sweep

    @property
    def response(self) -> slice:
        """Window positions averaged into the mean sweep response."""
        return slice(self.inter, self.inter + self.sweep + self.extra)

    def offsets(self) -> np.ndarray:
        """Frame offsets of the window relative to the onset frame.

        Examples
        --------
        >>> SweepWindow(sweep=2, inter=1).offsets().tolist()
        [-1, 0, 1, 2]
        """
        return np.arange(-self.inter, self.sweep + self.inter)


def sweep_window(stimulus: str, table: pd.DataFrame) -> SweepWindow:
    """The sweep window the Allen analysis uses for a stimulus.

    Drifting gratings: 60 frames of grating, 30 before and after. Static gratings, natural
    scenes and sparse noise: ``sweep`` = ``end - start`` of the second table row (for sparse
    noise, the row *labelled* 1), ``inter`` = 4 sweeps, ``extra`` = one sweep.

    Parameters
    ----------
    stimulus : str
        A stimulus name (``"static_gratings"``, ...).
    table : DataFrame
        The stimulus table (columns ``start``, ``end``; index = original row labels).

    Returns
    -------
    SweepWindow

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"start": [100, 107, 114], "end": [107, 114, 121]})
    >>> sweep_window("natural_scenes", table)
    SweepWindow(sweep=7, inter=28, extra=7)
    """
    st.check_stimulus(stimulus)
    if stimulus == st.DRIFTING_GRATINGS:
        return SweepWindow(sweep=60, inter=30, extra=0)
    if stimulus in (st.STATIC_GRATINGS, st.NATURAL_SCENES) + st.SPARSE_NOISE:
        if len(table) < 2:
            raise ValueError(f"The {stimulus} table needs at least 2 rows to set the sweep length.")
        if stimulus in st.SPARSE_NOISE and 1 in table.index:
            row = table.loc[1]
        else:
            row = table.iloc[1]
        sweep = int(row["end"] - row["start"])
        return SweepWindow(sweep=sweep, inter=4 * sweep, extra=sweep)
    raise ValueError(
        f"{stimulus!r} has no sweep window: natural movies are cut per repeat "
        "(brainobs.analysis.movies) and spontaneous activity has no trials."
    )


def sweep_frames(starts: np.ndarray, window: SweepWindow) -> np.ndarray:
    """Frame index of every window position of every sweep, shape (*starts.shape, window.length).

    Examples
    --------
    >>> sweep_frames(np.array([10, 20]), SweepWindow(sweep=1, inter=1)).tolist()
    [[9, 10, 11], [19, 20, 21]]
    """
    return np.asarray(starts, dtype=np.int64)[..., None] + window.offsets()


def _take(trace_rows: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """``rows[..., frames]`` with NaN where a window reaches outside the recording.

    With 1-D ``trace_rows`` or 1-D-per-sweep ``frames`` this is plain fancy indexing; when
    ``frames`` has one leading entry per row (``frames.ndim == 3``), row ``i`` takes
    ``frames[i]``.
    """
    n_frames = trace_rows.shape[-1]
    inside = (frames >= 0) & (frames < n_frames)
    safe = np.clip(frames, 0, n_frames - 1)
    if trace_rows.ndim == 2 and frames.ndim == 3:
        out = trace_rows[np.arange(len(trace_rows))[:, None, None], safe]
    else:
        out = trace_rows[..., safe]
    if not inside.all():
        out = out.astype(float, copy=False)
        out[..., ~inside] = np.nan
    return out


def _row_mean(x: np.ndarray) -> np.ndarray:
    """Mean over the last axis, summed as numpy sums one contiguous row (as the SDK does)."""
    return np.ascontiguousarray(x).mean(axis=-1, keepdims=True)


def cut_sweeps(traces: np.ndarray, starts: np.ndarray, window: SweepWindow) -> np.ndarray:
    """% dF/F sweeps of some cells: shape (n_cells, n_sweeps, window.length).

    Parameters
    ----------
    traces : ndarray, shape (n_cells, n_frames)
        Corrected fluorescence of the cells wanted (pass a few rows to keep memory small).
    starts : int ndarray, shape (n_sweeps,) or (n_cells, n_sweeps)
        Onset frame of each sweep (a 2-D array gives each cell its own sweeps).
    window : SweepWindow

    Returns
    -------
    ndarray
        ``100 * (F / mean(F[:inter]) - 1)`` per sweep; NaN where the window leaves the recording.

    Examples
    --------
    >>> f = np.array([[10.0, 10, 12, 10, 10, 10]])
    >>> cut_sweeps(f, np.array([2]), SweepWindow(sweep=1, inter=2))[0, 0].round(9).tolist()
    [0.0, 0.0, 20.0, 0.0, 0.0]
    """
    raw = _take(np.asarray(traces), sweep_frames(starts, window)).astype(float, copy=False)
    baseline = _row_mean(raw[..., : window.inter])
    with np.errstate(divide="ignore", invalid="ignore"):
        return 100 * ((raw / baseline) - 1)


@dataclass
class SweepStatistics:
    """Per-trial summaries of one stimulus for every cell, plus what produced them.

    ``mean_sweep`` and ``pval`` have one row per stimulus-table row (in table order) and one
    column per cell, plus a last column for running speed (``dx``): its mean over the response
    frames, and the ANOVA p value of speed.

    Made by :func:`compute_sweep_statistics`; ``traces`` is the corrected fluorescence used.

    Examples
    --------
    >>> import pandas as pd
    >>> s = SweepStatistics("natural_scenes", pd.DataFrame(index=[4]), SweepWindow(7, 28, 7),
    ...     np.array([[1.0, 0.5]]), np.array([[0.01, 0.2]]), np.array([11]), 30.0, np.zeros(1))
    >>> s.n_cells, s.speed.tolist()
    (1, [0.5])
    """

    stimulus: str
    table: pd.DataFrame
    window: SweepWindow
    mean_sweep: np.ndarray
    pval: np.ndarray
    cell_specimen_ids: np.ndarray
    acquisition_rate: float
    traces: np.ndarray

    @property
    def n_cells(self) -> int:
        """Number of cells (columns of ``mean_sweep`` without ``dx``)."""
        return len(self.cell_specimen_ids)

    @property
    def speed(self) -> np.ndarray:
        """Mean running speed of each trial (the ``dx`` column)."""
        return self.mean_sweep[:, -1]

    def frame(self, what: str = "mean_sweep") -> pd.DataFrame:
        """``mean_sweep`` or ``pval`` as a DataFrame: table index × cell_specimen_id, plus ``dx``.

        Examples
        --------
        >>> import pandas as pd
        >>> s = SweepStatistics("natural_scenes", pd.DataFrame(index=[4]), SweepWindow(7, 28, 7),
        ...     np.array([[1.0, 0.5]]), np.array([[0.01, 0.2]]), np.array([11]), 30.0, np.zeros(1))
        >>> s.frame().columns.tolist()
        [11, 'dx']
        """
        import pandas as pd

        values = {"mean_sweep": self.mean_sweep, "pval": self.pval}[what]
        columns = [*(int(c) for c in self.cell_specimen_ids), "dx"]
        return pd.DataFrame(values, index=self.table.index, columns=columns)


def _block_size(n_sweeps: int, window: SweepWindow) -> int:
    return max(1, _BLOCK_BYTES // max(1, n_sweeps * window.length * 8 * 3))


def compute_sweep_statistics(
    stimulus: str,
    table: pd.DataFrame,
    traces: np.ndarray,
    running_speed: np.ndarray,
    acquisition_rate: float,
    cell_specimen_ids: np.ndarray,
    window: SweepWindow | None = None,
) -> SweepStatistics:
    """Mean sweep response and per-trial p value of every cell (and of running speed).

    Parameters
    ----------
    stimulus : str
        Stimulus name (sets the window unless ``window`` is given).
    table : DataFrame
        Stimulus table with a ``start`` column, sorted by start.
    traces : ndarray, shape (n_cells, n_frames)
        Corrected fluorescence.
    running_speed : ndarray, shape (n_frames,)
        Running speed aligned to the frames, NaN where unknown.
    acquisition_rate : float
        Frames per second.
    cell_specimen_ids : ndarray, shape (n_cells,)
    window : SweepWindow, optional

    Returns
    -------
    SweepStatistics

    Examples
    --------
    >>> import pandas as pd
    >>> f = np.full((1, 200), 100.0); f[0, 100:114] = 150.0
    >>> table = pd.DataFrame({"start": [93, 100], "end": [100, 107]})
    >>> s = compute_sweep_statistics("natural_scenes", table, f, np.zeros(200), 30.0, np.array([7]))
    >>> float(s.mean_sweep[1, 0])
    50.0
    """
    traces = check_array("traces", traces, ("n_cells", "n_frames"),
                         n_cells=len(cell_specimen_ids))
    running_speed = check_array("running_speed", running_speed, ("n_frames",))
    window = window or sweep_window(stimulus, table)
    starts = table["start"].to_numpy(dtype=np.int64)
    frames = sweep_frames(starts, window)
    n_cells = traces.shape[0]
    mean_sweep = np.empty((len(starts), n_cells + 1))
    pval = np.empty_like(mean_sweep)
    stop = window.response.stop
    step = _block_size(len(starts), window)
    for first in range(0, n_cells, step):
        block = slice(first, min(first + step, n_cells))
        sweeps = cut_sweeps(traces[block], starts, window)
        mean_sweep[:, block] = _row_mean(sweeps[..., window.response])[..., 0].T
        pval[:, block] = two_group_anova_p(sweeps[..., :stop], window.inter).T
    speed = _take(np.asarray(running_speed), frames)
    mean_sweep[:, -1] = _row_mean(speed[:, window.response])[:, 0]
    pval[:, -1] = two_group_anova_p(speed[:, :stop].astype(float), window.inter)
    return SweepStatistics(
        stimulus, table, window, mean_sweep, pval, np.asarray(cell_specimen_ids),
        float(acquisition_rate), traces,
    )


@dataclass
class SweepResponses:
    """Stimulus-locked % dF/F traces with labelled axes: cells × presentations × time.

    ``data[i, j, k]`` is cell ``cell_specimen_ids[i]`` in presentation ``presentation[j]`` (the
    stimulus-table label) at ``time[k]`` seconds from onset.

    Made by :func:`stimulus_locked_responses`.

    Examples
    --------
    >>> import pandas as pd
    >>> f = np.full((1, 50), 10.0); f[0, 20:22] = 15.0
    >>> r = stimulus_locked_responses(f, pd.DataFrame({"start": [20]}), SweepWindow(2, 4),
    ...                               30.0, np.array([7]))
    >>> r.data[0, 0].round(6).tolist()
    [0.0, 0.0, 0.0, 0.0, 50.0, 50.0, 0.0, 0.0, 0.0, 0.0]
    >>> float(r.time[4])
    0.0
    """

    data: np.ndarray
    cell_specimen_ids: np.ndarray
    presentation: np.ndarray
    time: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """Tidy (long) table: one row per cell, presentation and time point.

        Examples
        --------
        >>> r = SweepResponses(np.zeros((1, 2, 3)), np.array([5]), np.array([0, 1]),
        ...                    np.array([-0.1, 0.0, 0.1]))
        >>> r.to_frame().shape
        (6, 4)
        """
        import pandas as pd

        cells, trials, times = np.meshgrid(
            self.cell_specimen_ids, self.presentation, self.time, indexing="ij"
        )
        return pd.DataFrame({
            "cell_specimen_id": cells.ravel(),
            "presentation": trials.ravel(),
            "time": times.ravel(),
            "dff_percent": self.data.ravel(),
        })


def stimulus_locked_responses(
    traces: np.ndarray,
    table: pd.DataFrame,
    window: SweepWindow,
    acquisition_rate: float,
    cell_specimen_ids: np.ndarray,
    cells: np.ndarray | list[int] | None = None,
) -> SweepResponses:
    """Cut % dF/F sweeps of some cells for every row of a stimulus table.

    Parameters
    ----------
    traces : ndarray, shape (n_cells, n_frames)
        Corrected fluorescence of all cells.
    table : DataFrame
        Stimulus table (``start`` column); may be a subset of rows.
    window : SweepWindow
    acquisition_rate : float
        Frames per second (to label the time axis).
    cell_specimen_ids : ndarray
        Ids of the rows of ``traces``.
    cells : sequence of int, optional
        cell_specimen_ids wanted (default: all; pass a few to keep memory small).

    Returns
    -------
    SweepResponses

    Examples
    --------
    >>> import pandas as pd
    >>> f = np.full((2, 50), 10.0)
    >>> r = stimulus_locked_responses(f, pd.DataFrame({"start": [20]}), SweepWindow(2, 4),
    ...                               30.0, np.array([7, 8]), cells=[8])
    >>> r.data.shape, r.cell_specimen_ids.tolist()
    ((1, 1, 10), [8])
    """
    ids = np.asarray(cell_specimen_ids)
    traces = check_array("traces", traces, ("n_cells", "n_frames"), n_cells=len(ids))
    rows = np.arange(len(ids)) if cells is None else _cell_rows(ids, cells)
    data = cut_sweeps(traces[rows], table["start"].to_numpy(dtype=np.int64), window)
    time = window.offsets() / float(acquisition_rate)
    return SweepResponses(data, ids[rows], table.index.to_numpy(), time)


def _cell_rows(ids: np.ndarray, cells: np.ndarray | list[int]) -> np.ndarray:
    position = {int(c): i for i, c in enumerate(ids)}
    for c in cells:
        check_choice("cell_specimen_id", int(c), position, hint="Use ids of this experiment.")
    return np.array([position[int(c)] for c in cells], dtype=np.int64)
