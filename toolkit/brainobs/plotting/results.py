"""Draw what :mod:`brainobs.analysis` computed: tuning of a cell, cells x conditions, preferences.

Thin wrappers: they pick the curve of a cell out of a
:class:`~brainobs.analysis.StimulusResult` (drifting gratings: directions at the preferred
temporal frequency; static gratings: orientations at the preferred spatial frequency and
phase; natural scenes: every image) and hand it to :mod:`.tuning`.

Examples
--------
>>> from brainobs.analysis import analyze_stimulus  # doctest: +SKIP
>>> result = analyze_stimulus(experiment, "drifting_gratings")  # doctest: +SKIP
>>> plot_result_tuning(result, result.cell_specimen_ids[0], polar=True)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ..errors import InvalidChoiceError, check_choice
from .tuning import plot_condition_heatmap, plot_preferred_histogram, plot_tuning_curve

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..analysis import StimulusResult

__all__ = ["CellTuning", "cell_tuning", "plot_result_tuning", "plot_result_heatmap",
           "plot_result_preferred"]

_SUPPORTED = (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS, st.NATURAL_SCENES)
_KIND = {st.DRIFTING_GRATINGS: "direction", st.STATIC_GRATINGS: "orientation",
         st.NATURAL_SCENES: "image"}


@dataclass
class CellTuning:
    """One cell's tuning curve, ready to draw: condition values, mean, SEM, trials, blank.

    Examples
    --------
    >>> t = CellTuning("direction", np.array([0.0, 90.0]), np.array([1.0, 3.0]),
    ...                np.array([0.2, 0.4]), [], (0.5, 0.1), {"direction": 90.0})
    >>> t.preferred["direction"]
    90.0
    """

    kind: str
    values: np.ndarray
    mean: np.ndarray
    sem: np.ndarray
    trials: list[np.ndarray]
    blank: tuple[float, float]
    preferred: dict[str, float]


def _check_result(result: StimulusResult) -> None:
    if result.stimulus not in _SUPPORTED or result.response is None:
        raise InvalidChoiceError(
            f"No tuning curve for {result.stimulus!r}: these wrappers draw "
            f"{list(_SUPPORTED)}. For natural movies use plot_trial_average, for sparse "
            "noise plot_receptive_field."
        )


def _cell_index(result: StimulusResult, cell_specimen_id: int) -> int:
    ids = [int(c) for c in result.cell_specimen_ids]
    check_choice("cell_specimen_id", int(cell_specimen_id), ids,
                 hint="Use an id of the cells this result was computed for.")
    return ids.index(int(cell_specimen_id))


def _index(value: Any) -> int:
    return 0 if not np.isfinite(value) else int(value)


def _trials(result: StimulusResult, cell: int, match: dict[str, float], column: str,
            values: np.ndarray) -> list[np.ndarray]:
    table, responses = result.sweeps.table, result.sweeps.mean_sweep[:, cell]
    keep = np.ones(len(table), dtype=bool)
    for name, value in match.items():
        keep &= np.isclose(table[name].to_numpy(dtype=float), value)
    at = table[column].to_numpy(dtype=float)
    return [responses[keep & np.isclose(at, v)] for v in values]


def _curve(result: StimulusResult, cell: int) -> tuple[CellTuning, dict[str, float], str]:
    """A cell's curve without trials, plus the table match and column that select its trials."""
    peak, values, r = result.peak.iloc[cell], result.values, result.response
    if result.stimulus == st.DRIFTING_GRATINGS:
        tf = max(1, _index(peak["tf_dg"]))
        x = values["orivals"].astype(float)
        curve, blank, column = r[:, tf, cell, :2], r[0, 0, cell, :2], "orientation"
        match = {"temporal_frequency": float(values["tfvals"][tf])}
        preferred = {"direction": x[_index(peak["ori_dg"])], **match}
    elif result.stimulus == st.STATIC_GRATINGS:
        sf, phase = max(1, _index(peak["sf_sg"])), _index(peak["phase_sg"])
        x = values["orivals"].astype(float)
        curve, blank, column = r[:, sf, phase, cell, :2], r[0, 0, 0, cell, :2], "orientation"
        match = {"spatial_frequency": float(values["sfvals"][sf]),
                 "phase": float(values["phasevals"][phase])}
        preferred = {"orientation": x[_index(peak["ori_sg"])], **match}
    else:
        x = values["frames"][1:].astype(float)
        curve, blank, column, match = r[1:, cell, :2], r[0, cell, :2], "frame", {}
        preferred = {"image": float(_index(peak["scene_ns"]))}
    tuning = CellTuning(_KIND[result.stimulus], x, curve[:, 0], curve[:, 1], [],
                        (float(blank[0]), float(blank[1])), preferred)
    return tuning, match, column


def cell_tuning(result: StimulusResult, cell_specimen_id: int) -> CellTuning:
    """The tuning curve of one cell from a grating or natural-scene result, with its trials.

    Examples
    --------
    >>> tuning = cell_tuning(result, result.cell_specimen_ids[0])  # doctest: +SKIP
    >>> tuning.kind, tuning.values.tolist()  # doctest: +SKIP
    ('direction', [0.0, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0])
    """
    _check_result(result)
    cell = _cell_index(result, cell_specimen_id)
    tuning, match, column = _curve(result, cell)
    tuning.trials = _trials(result, cell, match, column, tuning.values)
    return tuning


def plot_result_tuning(
    result: StimulusResult,
    cell_specimen_id: int,
    *,
    polar: bool | None = None,
    trials: bool = True,
    synthetic: bool | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Tuning curve of one cell (mean ± SEM in % dF/F, trials as dots, blank as reference).

    Parameters
    ----------
    result : StimulusResult
        Drifting gratings, static gratings or natural scenes (``brainobs.analysis``).
    cell_specimen_id : int
    polar : bool, optional
        Polar axes (default: True for drifting-grating directions).
    trials : bool
        Draw single-trial responses as dots.
    synthetic : bool, optional
    ax : matplotlib.axes.Axes, optional
    **kwargs
        Passed to :func:`~brainobs.plotting.tuning.plot_tuning_curve`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> plot_result_tuning(result, result.cell_specimen_ids[0])  # doctest: +SKIP
    """
    tuning = cell_tuning(result, cell_specimen_id)
    polar = tuning.kind == "direction" if polar is None else polar
    return plot_tuning_curve(
        tuning.values, tuning.mean, tuning.sem, trials=tuning.trials if trials else None,
        kind=tuning.kind, polar=polar, blank=tuning.blank, synthetic=synthetic, ax=ax, **kwargs,
    )


def _population(result: StimulusResult) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's curve at its own preferred other parameters: (values, cells x values)."""
    curves = [_curve(result, cell)[0] for cell in range(len(result.cell_specimen_ids))]
    return curves[0].values, np.array([c.mean for c in curves])


def plot_result_heatmap(
    result: StimulusResult,
    *,
    normalize: bool = True,
    sort: bool = True,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Cells x conditions heatmap of a result (each cell at its preferred TF, or SF and phase).

    Examples
    --------
    >>> plot_result_heatmap(result)  # doctest: +SKIP
    """
    _check_result(result)
    values, responses = _population(result)
    return plot_condition_heatmap(
        responses, conditions=values, cells=result.cell_specimen_ids,
        kind=_KIND[result.stimulus], normalize=normalize, sort=sort, synthetic=synthetic, ax=ax,
    )


def plot_result_preferred(
    result: StimulusResult,
    *,
    synthetic: bool | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Histogram of the cells' preferred direction, orientation or image in a result.

    Examples
    --------
    >>> plot_result_preferred(result)  # doctest: +SKIP
    """
    _check_result(result)
    kind = _KIND[result.stimulus]
    curves = [_curve(result, cell)[0] for cell in range(len(result.cell_specimen_ids))]
    preferred = [c.preferred[kind] for c in curves]
    values = curves[0].values if curves else np.array([])
    return plot_preferred_histogram(preferred, values=values, kind=kind, synthetic=synthetic,
                                    ax=ax, **kwargs)
