"""Stimulus-locked responses: trials x time rasters and trial averages, aligned to onset.

Input is a (n_trials, n_time) array cut around stimulus onsets, such as one cell of
:func:`brainobs.analysis.stimulus_locked_responses` (``data[i]``, time axis ``time``), or the
repeats of a natural movie.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._base import PALETTE, describe, get_axes, mark_synthetic
from .tuning import signed_colormap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_response_raster", "plot_trial_average"]


def _mark_stimulus(ax: Axes, onset: float | None, offset: float | None) -> None:
    if onset is not None:
        ax.axvline(onset, color="black", lw=1.0, label="onset")
    if offset is not None:
        ax.axvline(offset, color="black", lw=1.0, ls="--", label="offset")


def _edges(time: np.ndarray) -> tuple[float, float]:
    step = float(np.median(np.diff(time))) if time.size > 1 else 1.0
    return float(time[0]) - step / 2, float(time[-1]) + step / 2


def plot_response_raster(
    time: np.ndarray,
    trials: np.ndarray,
    *,
    onset: float | None = 0.0,
    offset: float | None = None,
    unit: str = "% dF/F",
    xlabel: str = "time from stimulus onset (s)",
    colorbar: bool = True,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Image of every trial's response over time (one row per trial), with the onset marked.

    Parameters
    ----------
    time : ndarray, shape (n_time,)
        Time of each column relative to stimulus onset (s).
    trials : ndarray, shape (n_trials, n_time)
        Response of each trial.
    onset, offset : float, optional
        Times of stimulus onset (solid line) and offset (dashed line); None draws none.
    unit : str
        Unit of the responses (colour bar label).
    xlabel : str
        Label of the time axis.
    colorbar : bool
        Add a colour bar.
    synthetic : bool, optional
        Mark the figure as synthetic sample data.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> time = np.arange(-30, 90) / 30.0
    >>> trials = np.random.default_rng(0).normal(size=(15, 120))
    >>> ax = plot_response_raster(time, trials, offset=2.0)
    >>> ax.get_ylabel()
    'trial'
    """
    ax = get_axes(ax, figsize=(5.0, 3.5))
    time, data = np.asarray(time, dtype=float), np.atleast_2d(np.asarray(trials, dtype=float))
    if data.size == 0 or time.size == 0:
        return ax
    left, right = _edges(time)
    image = ax.imshow(data, aspect="auto", interpolation="nearest",
                      extent=(left, right, len(data) + 0.5, 0.5), **signed_colormap(data))
    _mark_stimulus(ax, onset, offset)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("trial")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=unit, shrink=0.85)
    describe(ax, f"Raster of {len(data)} trials over {right - left:.1f} s ({unit}), aligned "
                 "to stimulus onset" + (" (marked)." if onset is not None else "."))
    return mark_synthetic(ax, synthetic)


def _mean_and_sem(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NaN-skipping mean and standard error over trials (axis 0), without warnings."""
    counts = np.isfinite(data).sum(axis=0)
    total = np.where(np.isfinite(data), data, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / counts
        squares = np.where(np.isfinite(data), (data - mean) ** 2, 0.0).sum(axis=0)
        sem = np.sqrt(squares / (counts - 1)) / np.sqrt(counts)
    return mean, np.where(counts > 1, sem, 0.0)


def plot_trial_average(
    time: np.ndarray,
    trials: np.ndarray,
    *,
    onset: float | None = 0.0,
    offset: float | None = None,
    unit: str = "% dF/F",
    xlabel: str = "time from stimulus onset (s)",
    show_trials: bool = True,
    color: str = PALETTE[0],
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Mean response over trials (± SEM band), with the single trials faint behind it.

    Parameters
    ----------
    time : ndarray, shape (n_time,)
        Time of each sample relative to stimulus onset (s).
    trials : ndarray, shape (n_trials, n_time)
    onset, offset : float, optional
        Times of stimulus onset and offset to mark (None for none).
    unit : str
        Unit of the responses (y label).
    xlabel : str
        Label of the time axis.
    show_trials : bool
        Draw each trial as a thin grey line.
    color : str
        Colour of the mean and its band.
    synthetic : bool, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> time = np.arange(90) / 30.0
    >>> ax = plot_trial_average(time, np.ones((10, 90)))
    >>> ax.get_ylabel()
    'response (% dF/F)'
    """
    ax = get_axes(ax, figsize=(5.0, 3.0))
    time, data = np.asarray(time, dtype=float), np.atleast_2d(np.asarray(trials, dtype=float))
    if data.size == 0 or time.size == 0:
        return ax
    mean, sem = _mean_and_sem(data)
    if show_trials:
        ax.plot(time, data.T, color="0.75", lw=0.5, zorder=1)
    ax.fill_between(time, mean - sem, mean + sem, color=color, alpha=0.3, lw=0, zorder=2)
    ax.plot(time, mean, color=color, lw=1.5, zorder=3, label=f"mean of {len(data)} trials")
    _mark_stimulus(ax, onset, offset)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"response ({unit})")
    if time[-1] > time[0]:
        ax.set_xlim(time[0], time[-1])
    describe(ax, f"Mean response ({unit}) of {len(data)} trials ± SEM over "
                 f"{time[-1] - time[0]:.1f} s.")
    return mark_synthetic(ax, synthetic)
