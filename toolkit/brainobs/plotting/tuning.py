"""Tuning: responses per stimulus condition (curves, cells x conditions, preferred conditions).

The helpers take plain arrays, e.g. the ``response`` array and ``values`` of a
:class:`brainobs.analysis.StimulusResult` (mean and SEM per condition) and the per-trial mean
sweep responses, so they draw any tuning table. Their only computation is the aggregation for
display (counting preferred conditions, normalising rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import check_choice
from ._base import PALETTE, describe, get_axes, mark_synthetic

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CONDITION_LABELS",
    "plot_tuning_curve",
    "plot_condition_heatmap",
    "plot_preferred_histogram",
    "signed_colormap",
]

#: Axis label of each kind of stimulus condition, with its unit.
CONDITION_LABELS: dict[str, str] = {
    "direction": "direction (°)",
    "orientation": "orientation (°)",
    "temporal_frequency": "temporal frequency (Hz)",
    "spatial_frequency": "spatial frequency (cycles/deg)",
    "phase": "phase (cycles)",
    "image": "natural scene (template index)",
    "condition": "condition",
}
_LOG_KINDS = ("temporal_frequency", "spatial_frequency")
_BAND_ABOVE = 20  # more conditions than this: a line with a shaded band instead of error bars


def _label(kind: str) -> str:
    return CONDITION_LABELS[check_choice("kind of condition", kind, CONDITION_LABELS)]


def _polar_axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(4.5, 4.5), subplot_kw={"projection": "polar"})
        return ax
    if ax.name != "polar":
        raise ValueError(
            "polar=True needs a polar Axes; make one with "
            "fig.add_subplot(projection='polar'), or pass polar=False."
        )
    return ax


def _spread(n: int) -> np.ndarray:
    return np.linspace(-1.0, 1.0, n) if n > 1 else np.zeros(n)


def _trial_positions(value: float, n: int, x: np.ndarray, mode: str) -> np.ndarray:
    """Small, deterministic horizontal offsets for ``n`` trial dots around ``value``."""
    if mode == "log":
        return value * 10 ** (0.03 * _spread(n))
    if mode == "polar":
        return value + 0.06 * _spread(n)
    finite = np.unique(x[np.isfinite(x)])
    step = float(np.min(np.diff(finite))) if finite.size > 1 else 1.0
    return value + 0.12 * step * _spread(n)


def _draw_trials(ax: Axes, x: np.ndarray, trials: Sequence[Any], color: str, mode: str) -> None:
    xs, ys = [], []
    for value, responses in zip(x, trials, strict=True):
        responses = np.asarray(responses, dtype=float).ravel()
        responses = responses[np.isfinite(responses)]
        xs.append(_trial_positions(float(value), responses.size, x, mode))
        ys.append(responses)
    if xs:
        ax.scatter(np.concatenate(xs), np.concatenate(ys), s=7, color=color, alpha=0.35, lw=0,
                   zorder=1, label="trials")


def plot_tuning_curve(
    values: Sequence[float] | np.ndarray,
    mean: Sequence[float] | np.ndarray,
    sem: Sequence[float] | np.ndarray | None = None,
    *,
    trials: Sequence[Any] | None = None,
    kind: str = "direction",
    polar: bool = False,
    blank: tuple[float, float] | None = None,
    unit: str = "% dF/F",
    color: str = PALETTE[0],
    label: str | None = None,
    synthetic: bool | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Mean response per condition with its SEM, and optionally every trial as a dot.

    Parameters
    ----------
    values : array_like, shape (n_conditions,)
        Condition values (directions in degrees, frequencies, image indices ...).
    mean, sem : array_like, shape (n_conditions,)
        Mean response and its standard error per condition.
    trials : sequence of array_like, optional
        One array of single-trial responses per condition, drawn as dots.
    kind : str
        What the values are: one of :data:`CONDITION_LABELS` (sets the axis label; frequencies
        get a log axis).
    polar : bool
        Draw on a polar Axes (directions and orientations); ``ax`` must then be polar.
    blank : (float, float), optional
        Mean and SEM of the blank (grey-screen) response, drawn as a dashed reference.
    unit : str
        Unit of the responses (``"% dF/F"`` for the Allen mean sweep responses).
    color : str
        Colour of the curve and trial dots.
    label : str, optional
        Legend label of the curve.
    synthetic : bool, optional
        Mark the figure as synthetic sample data.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise; a polar one when ``polar``).
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot` (the mean curve).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> directions = np.arange(0, 360, 45)
    >>> mean = np.array([1, 2, 8, 2, 1, 1, 3, 1.0])
    >>> ax = plot_tuning_curve(directions, mean, np.full(8, 0.5), polar=True)
    >>> ax.name
    'polar'
    """
    ax = _polar_axes(ax) if polar else get_axes(ax, figsize=(5.0, 3.5))
    x, y = np.asarray(values, dtype=float), np.asarray(mean, dtype=float)
    if x.size == 0:
        return ax
    err = np.zeros_like(y) if sem is None else np.nan_to_num(np.asarray(sem, dtype=float))
    log = kind in _LOG_KINDS and not polar
    if polar:
        _draw_polar(ax, np.deg2rad(x), y, err, color, label, kwargs)
    elif x.size > _BAND_ABOVE:
        ax.plot(x, y, color=color, lw=1.2, label=label, **kwargs)
        ax.fill_between(x, y - err, y + err, color=color, alpha=0.25, lw=0)
    else:
        ax.errorbar(x, y, yerr=err, color=color, marker="o", ms=4, capsize=3, lw=1.2,
                    label=label, **kwargs)
    if trials is not None:
        _draw_trials(ax, np.deg2rad(x) if polar else x, trials, color,
                     "polar" if polar else ("log" if log else "linear"))
    if blank is not None:
        _draw_blank(ax, blank, polar)
    _label_axes(ax, x, kind, unit, polar, log)
    if label is not None or blank is not None:
        ax.legend(fontsize=7, frameon=False, loc="best")
    best = x[int(np.nanargmax(y))] if np.isfinite(y).any() else float("nan")
    describe(ax, f"Tuning curve: mean response ({unit}) to {x.size} {kind.replace('_', ' ')} "
                 f"conditions, largest at {best:g}" + (" with single trials as dots." if
                                                       trials is not None else "."))
    return mark_synthetic(ax, synthetic)


def _draw_polar(ax: Axes, theta: np.ndarray, y: np.ndarray, err: np.ndarray, color: str,
                label: str | None, kwargs: dict[str, Any]) -> None:
    loop = np.r_[theta, theta[:1]]
    ax.plot(loop, np.r_[y, y[:1]], color=color, marker="o", ms=4, lw=1.2, label=label, **kwargs)
    ax.fill_between(loop, np.r_[y - err, (y - err)[:1]], np.r_[y + err, (y + err)[:1]],
                    color=color, alpha=0.25, lw=0)


def _draw_blank(ax: Axes, blank: tuple[float, float], polar: bool) -> None:
    level, spread = float(blank[0]), float(np.nan_to_num(blank[1]))
    if polar:
        ring = np.linspace(0, 2 * np.pi, 120)
        ax.plot(ring, np.full_like(ring, level), ls="--", color="0.4", lw=1, label="blank")
    else:
        ax.axhline(level, ls="--", color="0.4", lw=1, label="blank")
        ax.axhspan(level - spread, level + spread, color="0.5", alpha=0.15, lw=0)


def _label_axes(ax: Axes, x: np.ndarray, kind: str, unit: str, polar: bool, log: bool) -> None:
    if polar:
        ax.set_xlabel(f"{_label(kind)}; radius: mean response ({unit})", fontsize=8)
        return
    if log:
        ax.set_xscale("log")
        ax.set_xticks(x[x > 0], [f"{v:g}" for v in x[x > 0]])
        ax.minorticks_off()
    elif x.size <= 12:
        ax.set_xticks(x, [f"{v:g}" for v in x])
    ax.set_xlabel(_label(kind))
    ax.set_ylabel(f"mean response ({unit})")


def signed_colormap(data: np.ndarray) -> dict[str, Any]:
    """imshow keywords for data that may be negative: a diverging map centred on 0.

    Returns ``cmap``/``vmin``/``vmax``: ``"PuOr_r"`` symmetric about zero when the data
    have negative values, ``"cividis"`` from 0 otherwise (both colour-blind safe).

    Examples
    --------
    >>> signed_colormap(np.array([-1.0, 3.0]))
    {'cmap': 'PuOr_r', 'vmin': -3.0, 'vmax': 3.0}
    """
    finite = np.asarray(data, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return {"cmap": "cividis", "vmin": 0.0, "vmax": 1.0}
    top = float(np.max(np.abs(finite))) or 1.0
    if finite.min() < 0:
        return {"cmap": "PuOr_r", "vmin": -top, "vmax": top}
    return {"cmap": "cividis", "vmin": 0.0, "vmax": top}


def plot_condition_heatmap(
    responses: np.ndarray,
    *,
    conditions: Sequence[Any] | None = None,
    cells: Sequence[Any] | None = None,
    kind: str = "condition",
    unit: str = "% dF/F",
    normalize: bool = False,
    sort: bool = False,
    colorbar: bool = True,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Cells x conditions image of mean responses.

    Parameters
    ----------
    responses : ndarray, shape (n_cells, n_conditions)
        Mean response of each cell to each condition.
    conditions : sequence, optional
        Condition values (column labels); default 0, 1, ...
    cells : sequence, optional
        Cell labels (e.g. cell_specimen_ids), shown when there are 30 or fewer.
    kind : str
        What the conditions are (one of :data:`CONDITION_LABELS`).
    unit : str
        Unit of the responses.
    normalize : bool
        Divide each row by its largest absolute value (shape of tuning, not strength).
    sort : bool
        Order the rows by preferred condition (then by peak response).
    colorbar : bool
        Add a colour bar with the unit.
    synthetic : bool, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> r = np.random.default_rng(0).random((5, 8))
    >>> ax = plot_condition_heatmap(r, conditions=np.arange(0, 360, 45), kind="direction")
    >>> ax.get_xlabel()
    'direction (°)'
    """
    ax = get_axes(ax, figsize=(6.0, 4.0))
    data = np.atleast_2d(np.asarray(responses, dtype=float))
    if data.size == 0:
        return ax
    labels = list(range(data.shape[1])) if conditions is None else list(conditions)
    rows = np.arange(len(data))
    if normalize:
        scale = np.nanmax(np.abs(data), axis=1, keepdims=True)
        data = data / np.where(scale > 0, scale, 1.0)
        unit = "fraction of the cell's peak"
    if sort:
        filled = np.where(np.isfinite(data), data, -np.inf)
        rows = np.lexsort((-filled.max(axis=1), filled.argmax(axis=1)))
        data = data[rows]
    image = ax.imshow(data, aspect="auto", interpolation="nearest", **signed_colormap(data))
    if len(labels) <= 24:
        ax.set_xticks(np.arange(len(labels)), [f"{v:g}" if isinstance(v, float | int | np.number)
                                               else str(v) for v in labels], fontsize=7)
    if cells is not None and len(data) <= 30:
        ax.set_yticks(np.arange(len(data)), [str(cells[i]) for i in rows], fontsize=7)
    ax.set_xlabel(_label(kind))
    ax.set_ylabel("cell" + (" (sorted by preferred condition)" if sort else ""))
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=f"mean response ({unit})", shrink=0.85)
    describe(ax, f"Heatmap of mean responses ({unit}) of {len(data)} cells to "
                 f"{data.shape[1]} {kind.replace('_', ' ')} conditions.")
    return mark_synthetic(ax, synthetic)


def plot_preferred_histogram(
    preferred: Sequence[float] | np.ndarray,
    *,
    values: Sequence[float] | np.ndarray | None = None,
    kind: str = "direction",
    color: str = PALETTE[0],
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """How many cells prefer each condition (one bar per possible condition).

    Parameters
    ----------
    preferred : array_like, shape (n_cells,)
        Each cell's preferred condition value (NaN for cells without one, left out).
    values : array_like, optional
        Every possible condition, so that conditions no cell prefers show as empty bars.
    kind : str
        What the conditions are (one of :data:`CONDITION_LABELS`).
    color : str
    synthetic : bool, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_preferred_histogram([0, 90, 90, 270], values=np.arange(0, 360, 45))
    >>> [int(p.get_height()) for p in ax.patches][:3]
    [1, 0, 2]
    """
    ax = get_axes(ax, figsize=(5.0, 3.0))
    chosen = np.asarray(preferred, dtype=float)
    chosen = chosen[np.isfinite(chosen)]
    options = np.unique(chosen) if values is None else np.asarray(values, dtype=float)
    if options.size == 0:
        return ax
    counts = np.array([np.count_nonzero(np.isclose(chosen, v)) for v in options])
    positions = np.arange(options.size)
    ax.bar(positions, counts, color=color, width=0.8)
    step = max(1, options.size // 20)
    ax.set_xticks(positions[::step], [f"{v:g}" for v in options[::step]], fontsize=7)
    ax.set_xlabel(f"preferred {_label(kind)}")
    ax.set_ylabel("cells")
    top = options[int(np.argmax(counts))]
    describe(ax, f"Histogram of preferred {kind.replace('_', ' ')} over {chosen.size} cells; "
                 f"most prefer {top:g}.")
    return mark_synthetic(ax, synthetic)
