"""Traces over time: stacked dF/F with stimulus epochs shaded, running speed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..stimuli import STIMULUS_COLORS
from ._base import LINE_PALETTE, PALETTE, describe, get_axes, mark_synthetic
from ._envelope import fill_bands, interleave, minmax_envelope, pixel_columns

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

    Long traces are drawn as their minimum/maximum envelope per pixel column (every peak
    kept), so 100 cells x 100,000 frames draw in a few tens of milliseconds.

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
        Vertical offset between rows (default: the range between the 1st and 99th
        percentiles of the traces).
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
    timestamps, traces = np.asarray(timestamps), np.atleast_2d(traces)
    if traces.size == 0 or len(timestamps) == 0:
        return ax
    spacing = _default_spacing(traces) if spacing is None else spacing
    if epochs is not None:
        shade_epochs(ax, epochs, timestamps, first_frame=first_frame)
    offsets = np.arange(len(traces)) * spacing
    colors = [color] if color else list(LINE_PALETTE)
    envelope = minmax_envelope(timestamps, traces, pixel_columns(ax))
    if envelope is None:
        for row, trace in enumerate(traces):
            ax.plot(timestamps, trace + offsets[row], lw=0.7, color=colors[row % len(colors)])
    else:
        _draw_envelope(ax, envelope, offsets, colors)
    if labels is not None:
        ax.set_yticks(offsets, [str(label) for label in labels])
        ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("time (s)")
    ax.set_ylabel(f"{ylabel} (rows offset by {spacing:.2g})")
    if timestamps[-1] > timestamps[0]:
        ax.set_xlim(timestamps[0], timestamps[-1])
    describe(
        ax,
        f"{len(traces)} {ylabel} traces stacked over {timestamps[-1] - timestamps[0]:.0f} s"
        + (" with stimulus epochs shaded." if epochs is not None else "."),
    )
    return mark_synthetic(ax, synthetic)


def _default_spacing(traces: np.ndarray, max_values: int = 200_000) -> float:
    """The 1st-99th percentile range of the traces (from a strided subsample if long)."""
    stride = max(1, int(np.ceil(traces.size / max_values)))
    sample = traces[:, ::stride]
    finite = sample[np.isfinite(sample)]
    spacing = float(np.ptp(np.percentile(finite, [1, 99]))) if finite.size else 1.0
    return spacing or 1.0


def _draw_envelope(
    ax: Axes,
    envelope: tuple[np.ndarray, np.ndarray, np.ndarray],
    offsets: np.ndarray,
    colors: list[str],
) -> None:
    """Filled min/max bands for gap-free traces; zig-zag lines (with gaps) for the others."""
    times, low, high = envelope
    gaps = np.isnan(low).any(axis=1)
    bottom = np.nanmin(low + offsets[:, None]) if np.isfinite(low).any() else 0.0
    top = np.nanmax(high + offsets[:, None]) if np.isfinite(high).any() else 1.0
    pixel = (top - bottom or 1.0) / max(ax.get_window_extent().height, 1.0)
    solid = np.flatnonzero(~gaps)
    if solid.size:
        palette = [colors[row % len(colors)] for row in solid]
        fill_bands(ax, times, low[solid], high[solid], offsets[solid], palette,
                   min_height=pixel)
    for row in np.flatnonzero(gaps):
        x, y = interleave(times, low[row], high[row])
        ax.plot(x, y + offsets[row], lw=0.7, color=colors[row % len(colors)])
    ax.set_ylim(bottom - 0.05 * (top - bottom), top + 0.05 * (top - bottom))


def plot_running_speed(
    timestamps: np.ndarray,
    speed: np.ndarray,
    *,
    color: str = PALETTE[0],
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Plot running speed (cm/s) over time (its min/max envelope per pixel column if long).

    Examples
    --------
    >>> t = np.arange(300) / 30.0
    >>> ax = plot_running_speed(t, np.abs(np.sin(t)) * 20)
    """
    ax = get_axes(ax, figsize=(9.0, 2.0))
    timestamps, speed = np.asarray(timestamps), np.asarray(speed, dtype=float)
    if len(timestamps) == 0:
        return ax
    envelope = minmax_envelope(timestamps, speed[None], pixel_columns(ax))
    x, y = (timestamps, speed) if envelope is None else interleave(*envelope)
    ax.plot(x, np.ravel(y), lw=0.7, color=color)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("running speed (cm/s)")
    if timestamps[-1] > timestamps[0]:
        ax.set_xlim(timestamps[0], timestamps[-1])
    describe(ax, f"Running speed over {timestamps[-1] - timestamps[0]:.0f} s.")
    return mark_synthetic(ax, synthetic)
