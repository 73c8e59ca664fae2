"""Traces over time: stacked dF/F with stimulus epochs shaded, running speed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..stimuli import STIMULUS_COLORS
from ._base import LINE_PALETTE, PALETTE, describe, get_axes, mark_synthetic

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["plot_traces", "plot_running_speed", "shade_epochs"]


def shade_epochs(
    ax: Axes,
    epochs: pd.DataFrame,
    timestamps: np.ndarray,
    *,
    first_frame: int = 0,
    legend: bool = True,
) -> Axes:
    """Shade stimulus epochs (a table with ``stimulus, start, end`` frame columns) on ``ax``.

    ``timestamps`` are the times of the frames shown, the first being frame ``first_frame`` of
    the session; epochs outside the window are skipped, those across its edges are clipped.

    Examples
    --------
    >>> import pandas as pd
    >>> t = np.arange(100) / 30.0
    >>> epochs = pd.DataFrame({"stimulus": ["natural_scenes"], "start": [10], "end": [60]})
    >>> ax = shade_epochs(get_axes(None), epochs, t)
    """
    last = len(timestamps) - 1
    seen: set[str] = set()
    for row in epochs.itertuples(index=False):
        start, end = int(row.start) - first_frame, int(row.end) - first_frame
        if end < 0 or start > last:
            continue
        start, end = max(start, 0), min(end, last)
        label = row.stimulus if row.stimulus not in seen else None
        seen.add(row.stimulus)
        color = STIMULUS_COLORS.get(row.stimulus, "0.85")
        ax.axvspan(timestamps[start], timestamps[end], color=color, alpha=0.3, lw=0, label=label)
    if legend and seen:
        ax.legend(loc="upper right", fontsize=7, frameon=False, ncols=min(len(seen), 4))
    return ax


def plot_traces(
    timestamps: np.ndarray,
    traces: np.ndarray,
    *,
    labels: Sequence[object] | None = None,
    epochs: pd.DataFrame | None = None,
    first_frame: int = 0,
    spacing: float | None = None,
    ylabel: str = "dF/F",
    color: str | None = None,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot traces stacked one above the other, optionally over shaded stimulus epochs.

    Parameters
    ----------
    timestamps : ndarray, shape (n_frames,)
        Times in seconds.
    traces : ndarray, shape (n_cells, n_frames)
        One row per cell (dF/F as a fraction, or any trace).
    labels : sequence, optional
        One label per row (e.g. cell specimen ids), shown on the y axis.
    epochs : DataFrame, optional
        Stimulus epochs with columns ``stimulus, start, end`` (frame indices).
    first_frame : int
        Session frame index of ``timestamps[0]`` (when the traces are a window).
    spacing : float, optional
        Vertical offset between rows (default: the 99th percentile of the traces' range).
    ylabel : str
        Label of the y axis (the unit of the traces).
    color : str, optional
        One colour for every trace (default: the colour-blind-safe palette in turn).
    synthetic : bool, optional
        Mark the figure as synthetic sample data.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = np.arange(300) / 30.0
    >>> ax = plot_traces(t, np.random.default_rng(0).random((3, 300)), labels=[1, 2, 3])
    """
    ax = get_axes(ax, figsize=(9.0, 4.5))
    traces = np.atleast_2d(traces)
    if spacing is None:
        finite = traces[np.isfinite(traces)]
        spacing = float(np.ptp(np.percentile(finite, [1, 99]))) if finite.size else 1.0
        spacing = spacing or 1.0
    if epochs is not None:
        shade_epochs(ax, epochs, timestamps, first_frame=first_frame)
    for row, trace in enumerate(traces):
        line_color = color or LINE_PALETTE[row % len(LINE_PALETTE)]
        ax.plot(timestamps, trace + row * spacing, lw=0.7, color=line_color)
    if labels is not None:
        ax.set_yticks(np.arange(len(traces)) * spacing, [str(label) for label in labels])
        ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("time (s)")
    ax.set_ylabel(f"{ylabel} (rows offset by {spacing:.2g})")
    ax.margins(x=0)
    describe(
        ax,
        f"{len(traces)} {ylabel} traces stacked over {timestamps[-1] - timestamps[0]:.0f} s"
        + (" with stimulus epochs shaded." if epochs is not None else "."),
    )
    return mark_synthetic(ax, synthetic)


def plot_running_speed(
    timestamps: np.ndarray,
    speed: np.ndarray,
    *,
    color: str = PALETTE[0],
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot running speed (cm/s) over time.

    Examples
    --------
    >>> t = np.arange(300) / 30.0
    >>> ax = plot_running_speed(t, np.abs(np.sin(t)) * 20)
    """
    ax = get_axes(ax, figsize=(9.0, 2.0))
    ax.plot(timestamps, speed, lw=0.7, color=color)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("running speed (cm/s)")
    ax.margins(x=0)
    describe(ax, f"Running speed over {timestamps[-1] - timestamps[0]:.0f} s.")
    return mark_synthetic(ax, synthetic)
