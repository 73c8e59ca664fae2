"""One cell's responses to one stimulus of its session, with :mod:`brainobs.analysis`.

Gratings and natural scenes: the Allen analysis of that one cell (mean ± SEM per condition,
single-trial responses) and the trials of its preferred condition, cut around onset. Natural
movies: every repeat of the movie. Sparse noise: mean response per patch ON and OFF, and the
trials in which the best ON patch was shown. :class:`KeptExperiment` keeps what every cell of
an experiment shares (stimulus tables, running speed, noise templates) between cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import stimuli as st
from ..analysis import (
    analyze_drifting_gratings,
    analyze_natural_scenes,
    analyze_static_gratings,
    compute_sweep_statistics,
    stimulus_locked_responses,
)
from ..analysis.movies import movie_repeats
from ..analysis.receptive_fields import patch_mean_response
from ..plotting.results import CellTuning, cell_tuning

__all__ = ["CellResponses", "cell_responses", "KeptExperiment", "TUNING_STIMULI"]

_ANALYSES = {
    st.DRIFTING_GRATINGS: analyze_drifting_gratings,
    st.STATIC_GRATINGS: analyze_static_gratings,
    st.NATURAL_SCENES: analyze_natural_scenes,
}
#: Stimuli the tuning explorer can show (spontaneous activity has no trials).
TUNING_STIMULI = (*_ANALYSES, *st.SPARSE_NOISE, *st.NATURAL_MOVIES)


@dataclass
class CellResponses:
    """What the tuning explorer draws for one cell and one stimulus.

    Attributes
    ----------
    stimulus : str
    tuning : CellTuning or None
        Mean ± SEM per condition and single trials (gratings, natural scenes).
    time : ndarray
        Raster time axis (s from onset).
    raster : ndarray, shape (n_trials, n_time)
        Trials of the preferred condition (% dF/F), or movie repeats (dF/F).
    raster_label : str
        Which trials the raster holds.
    offset : float or None
        Stimulus offset (s after onset) to mark, if any.
    fields : (ndarray, ndarray) or None
        ON and OFF mean-response maps (sparse noise).
    shown : dict
        The stimulus to draw beside: ``{"kind": "grating", ...parameters}``, or
        ``{"kind": "template", "index": i}``.

    Examples
    --------
    >>> r = CellResponses("natural_movie_one", None, np.arange(3) / 30, np.zeros((10, 3)),
    ...                   "10 repeats")
    >>> r.raster.shape
    (10, 3)
    """

    stimulus: str
    tuning: CellTuning | None
    time: np.ndarray
    raster: np.ndarray
    raster_label: str
    offset: float | None = None
    fields: tuple[np.ndarray, np.ndarray] | None = None
    shown: dict[str, Any] = field(default_factory=dict)


class KeptExperiment:
    """An opened experiment whose stimulus tables, running speed and whole stimulus
    templates are read once and kept (everything else is the experiment's own).

    Examples
    --------
    >>> kept = KeptExperiment(experiment)  # doctest: +SKIP
    >>> kept.get_stimulus_table("natural_scenes") is kept.get_stimulus_table("natural_scenes")
    ... # doctest: +SKIP
    True
    """

    def __init__(self, experiment: Any) -> None:
        self.experiment = experiment
        self._kept: dict[tuple[str, Any], Any] = {}

    def _keep(self, key: tuple[str, Any], read: Any) -> Any:
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]

    def get_stimulus_table(self, stimulus: str) -> Any:
        """The experiment's stimulus table (read once).

        Examples
        --------
        >>> class Experiment:
        ...     reads = 0
        ...     def get_stimulus_table(self, stimulus):
        ...         self.reads += 1
        ...         return f"table of {stimulus}"
        >>> kept = KeptExperiment(Experiment())
        >>> kept.get_stimulus_table("natural_scenes")
        'table of natural_scenes'
        >>> _ = kept.get_stimulus_table("natural_scenes")
        >>> kept.experiment.reads
        1
        """
        return self._keep(("table", stimulus),
                          lambda: self.experiment.get_stimulus_table(stimulus))

    def get_running_speed(self) -> Any:
        """The experiment's running speed (read once).

        Examples
        --------
        >>> class Experiment:
        ...     reads = 0
        ...     def get_running_speed(self):
        ...         self.reads += 1
        ...         return np.zeros(3)
        >>> kept = KeptExperiment(Experiment())
        >>> kept.get_running_speed() is kept.get_running_speed(), kept.experiment.reads
        (True, 1)
        """
        return self._keep(("speed", None), self.experiment.get_running_speed)

    def get_stimulus_template(self, stimulus: str, frames: Any = None) -> Any:
        """A stimulus template: whole ones are read once, single frames are read each time.

        Parameters
        ----------
        stimulus : str
            The stimulus name.
        frames : optional
            Frames wanted (passed on to the experiment); None for the whole template.

        Examples
        --------
        >>> class Experiment:
        ...     reads = 0
        ...     def get_stimulus_template(self, stimulus, frames=None):
        ...         self.reads += 1
        ...         return np.zeros((4, 2, 2)) if frames is None else np.zeros((1, 2, 2))
        >>> kept = KeptExperiment(Experiment())
        >>> _ = kept.get_stimulus_template("natural_scenes")
        >>> _ = kept.get_stimulus_template("natural_scenes")
        >>> _ = kept.get_stimulus_template("natural_scenes", frames=[2])
        >>> kept.experiment.reads
        2
        """
        if frames is not None:
            return self.experiment.get_stimulus_template(stimulus, frames=frames)
        return self._keep(("template", stimulus),
                          lambda: self.experiment.get_stimulus_template(stimulus))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.experiment, name)


def _rate(timestamps: np.ndarray) -> float:
    return float(1 / (timestamps[1] - timestamps[0]))


def _preferred_rows(table: Any, tuning: CellTuning) -> np.ndarray:
    column = {"direction": "orientation", "orientation": "orientation", "image": "frame"}
    keep = np.ones(len(table), dtype=bool)
    for name, value in tuning.preferred.items():
        keep &= np.isclose(table[column.get(name, name)].to_numpy(dtype=float), value)
    return np.flatnonzero(keep)


def _describe(preferred: dict[str, float]) -> str:
    units = {"direction": "°", "orientation": "°", "temporal_frequency": " Hz",
             "spatial_frequency": " cycles/deg", "phase": " cycle", "image": ""}
    return ", ".join(f"{k.replace('_', ' ')} {v:g}{units.get(k, '')}"
                     for k, v in preferred.items())


def _tuned(experiment: Any, cell: int, stimulus: str) -> CellResponses:
    timestamps, corrected = experiment.get_corrected([cell])
    table = experiment.get_stimulus_table(stimulus)
    speed = experiment.get_running_speed().data
    rate = _rate(timestamps)
    result = _ANALYSES[stimulus](table, corrected, speed, rate, np.array([cell]))
    tuning = cell_tuning(result, cell)
    window = result.sweeps.window
    chosen = result.sweeps.table.iloc[_preferred_rows(result.sweeps.table, tuning)]
    cut = stimulus_locked_responses(corrected, chosen, window, rate, np.array([cell]))
    if stimulus == st.NATURAL_SCENES:
        shown = {"kind": "template", "index": int(tuning.preferred["image"])}
    else:
        shown = {"kind": "grating", **tuning.preferred}
    return CellResponses(stimulus, tuning, cut.time, cut.data[0],
                         f"{len(chosen)} trials of the preferred {_describe(tuning.preferred)}",
                         offset=window.sweep / rate, shown=shown)


def _movie(experiment: Any, cell: int, stimulus: str) -> CellResponses:
    timestamps, dff = experiment.get_dff([cell])
    table = experiment.get_stimulus_table(stimulus)
    starts, length = movie_repeats(table)
    frames = starts[:, None] + np.arange(length)
    inside = frames < dff.shape[1]
    raster = np.where(inside, dff[0][np.clip(frames, 0, dff.shape[1] - 1)], np.nan)
    peak = int(np.nanargmax(np.nanmean(raster, axis=0)))
    first = table[table["start"] <= starts[0] + peak]
    return CellResponses(stimulus, None, np.arange(length) / _rate(timestamps), raster,
                         f"{len(starts)} repeats of {stimulus.replace('_', ' ')}",
                         shown={"kind": "template", "index": int(first["frame"].iloc[-1])})


def _sparse_noise(experiment: Any, cell: int, stimulus: str) -> CellResponses:
    timestamps, corrected = experiment.get_corrected([cell])
    table = experiment.get_stimulus_table(stimulus)
    speed = experiment.get_running_speed().data
    rate = _rate(timestamps)
    stats = compute_sweep_statistics(stimulus, table, corrected, speed, rate, np.array([cell]))
    template = np.asarray(experiment.get_stimulus_template(stimulus))
    shown = template[table["frame"].to_numpy(dtype=np.int64)]
    maps = patch_mean_response(stats.mean_sweep[:, :1], shown)[:, :, 0, :]
    on, off = maps[..., 0], maps[..., 1]
    row, col = np.unravel_index(np.nanargmax(on), on.shape) if np.isfinite(on).any() else (0, 0)
    trials = np.flatnonzero(shown[:, row, col] == st.LSN_ON)
    cut = stimulus_locked_responses(corrected, table.iloc[trials], stats.window, rate,
                                    np.array([cell]))
    example = int(table["frame"].iloc[trials[0]]) if trials.size else 0
    return CellResponses(stimulus, None, cut.time, cut.data[0],
                         f"{trials.size} trials with the best ON patch (row {row}, col {col})",
                         offset=stats.window.sweep / rate, fields=(on, off),
                         shown={"kind": "template", "index": example})


def cell_responses(experiment: Any, cell_specimen_id: int, stimulus: str) -> CellResponses:
    """Compute what the tuning explorer shows for one cell and one stimulus.

    Parameters
    ----------
    experiment : Ophys1Experiment
        An opened experiment that showed ``stimulus``.
    cell_specimen_id : int
    stimulus : str
        One of :data:`TUNING_STIMULI`.

    Returns
    -------
    CellResponses

    Examples
    --------
    >>> r = cell_responses(experiment, experiment.cell_specimen_ids[0], "natural_scenes")
    ... # doctest: +SKIP
    >>> r.tuning.preferred  # doctest: +SKIP
    """
    cell = int(cell_specimen_id)
    if stimulus in _ANALYSES:
        return _tuned(experiment, cell, stimulus)
    if stimulus in st.NATURAL_MOVIES:
        return _movie(experiment, cell, stimulus)
    return _sparse_noise(experiment, cell, stimulus)
