"""Checks of the tuning exercises: a direction-tuning curve, the DSI and the global DSI by
hand, and each cell's preferred natural image.

The right answers are the Allen metrics as :func:`brainobs.analysis.analyze_stimulus`
computes them on the data in use (``dsi_dg``, ``cv_ds_dg``, ``scene_ns``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._data import observatory, stimulus_result
from .convert import as_array, as_number, as_per_cell
from .feedback import Feedback, Hints, Mistake, grade

if TYPE_CHECKING:
    from ..analysis.result import StimulusResult
    from ..cache.observatory import VisualCoding2P

__all__ = ["check_tuning_curve", "check_dsi", "check_global_dsi", "check_preferred_images"]


def _gratings(vc: VisualCoding2P | None, experiment_id: int) -> StimulusResult:
    return stimulus_result(observatory(vc), experiment_id, st.DRIFTING_GRATINGS)


def _curves(vc: VisualCoding2P | None, experiment_id: int, cell: int) -> dict[str, Any]:
    """The cell's tuning at its preferred temporal frequency, and what the mistakes give."""
    result = _gratings(vc, experiment_id)
    i = int(np.flatnonzero(result.cell_specimen_ids == int(cell))[0])
    peak = result.peak.loc[int(cell)]
    tf, ori = int(peak["tf_dg"]), int(peak["ori_dg"])
    responses = result.response[:, :, i, 0]  # (direction, temporal frequency incl. blank)
    return {"tuning": responses[:, tf], "all_tf": np.nanmean(responses[:, 1:], axis=1),
            "tf_curve": responses[ori, 1:], "angles": result.values["orivals"].astype(float),
            "peak": peak}


def check_tuning_curve(answer: Any, experiment_id: int, cell_specimen_id: int, *,
                       vc: VisualCoding2P | None = None) -> Feedback:
    """Check a cell's mean response to each of the 8 directions at its preferred frequency.

    Parameters
    ----------
    answer : array or Series, 8 values
        Mean % dF/F response per direction (0°, 45°, ... 315°, in that order).
    experiment_id : int
        A ``three_session_A`` experiment.
    cell_specimen_id : int
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_tuning_curve(..., 920010003, 940010010).status
    'not attempted'
    """
    def mistakes() -> list[Mistake]:
        c = _curves(vc, experiment_id, cell_specimen_id)
        return [
            Mistake("all_frequencies", c["all_tf"], "You averaged the trials of every temporal "
                    "frequency: keep only the trials at the cell's preferred frequency."),
            Mistake("wrong_axis", c["tf_curve"], "This is the tuning over temporal frequency "
                    "(the wrong axis): group the trials by direction (orientation column)."),
        ]

    hints = Hints(
        "Keep the trials at the preferred temporal frequency, then average the responses of "
        "each direction.",
        "A tuning curve is the mean response per stimulus value: pandas groupby(...).mean() "
        "does it in one line.",
        "at_tf = table.temporal_frequency == pref_tf; "
        "tuning = responses[at_tf].groupby(table.orientation[at_tf]).mean()",
    )
    return grade("Tuning curve", answer,
                 convert=lambda a: as_array(a, "8 numbers (one mean response per direction)"),
                 expected=lambda: _curves(vc, experiment_id, cell_specimen_id)["tuning"],
                 mistakes=mistakes, hints=hints)


def _rectified(tuning: np.ndarray) -> np.ndarray:
    return np.where(tuning > 0, tuning, 0.0)


def _vector_sum(tuning: np.ndarray, angles: np.ndarray) -> float:
    return float(np.abs((tuning * np.exp(1j * angles)).sum()) / tuning.sum())


def check_dsi(answer: Any, experiment_id: int, cell_specimen_id: int, *,
              vc: VisualCoding2P | None = None) -> Feedback:
    """Check a cell's direction selectivity index, ``(pref - null) / (pref + null)``.

    Parameters
    ----------
    answer : float
    experiment_id : int
    cell_specimen_id : int
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_dsi(..., 920010003, 940010010).status
    'not attempted'
    """
    def mistakes() -> list[Mistake]:
        c = _curves(vc, experiment_id, cell_specimen_id)
        t = c["tuning"]
        pref = np.nanmax(t)
        return [
            Mistake("orthogonal", c["peak"]["osi_dg"], "You compared the preferred direction "
                    "with the orthogonal ones (90° away): that is the OSI. The DSI uses the "
                    "null direction, 180° away."),
            Mistake("weakest", (pref - np.nanmin(t)) / (pref + np.nanmin(t)), "You used the "
                    "weakest response; the null direction is the one opposite the preferred "
                    "direction (180° away), whatever its response."),
        ]

    hints = Hints(
        "Find the preferred direction (largest response) and the opposite direction.",
        "DSI = (pref - null) / (pref + null), where null is the response to the direction "
        "180° from the preferred one.",
        "pref_dir = tuning.idxmax(); pref = tuning[pref_dir]; null = tuning[(pref_dir + 180) % "
        "360]; dsi = (pref - null) / (pref + null)",
    )
    return grade("DSI", answer, convert=as_number,
                 expected=lambda: float(_curves(vc, experiment_id, cell_specimen_id)["peak"]
                                        ["dsi_dg"]),
                 mistakes=mistakes, hints=hints)


def check_global_dsi(answer: Any, experiment_id: int, cell_specimen_id: int, *,
                     vc: VisualCoding2P | None = None) -> Feedback:
    """Check a cell's global (vector-sum) DSI: ``|sum r_k exp(i theta_k)| / sum r_k``.

    ``r_k`` is the tuning curve with negative values set to 0, ``theta_k`` the directions in
    radians.

    Parameters
    ----------
    answer : float
    experiment_id : int
    cell_specimen_id : int
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_global_dsi(..., 920010003, 940010010).status
    'not attempted'
    """
    def mistakes() -> list[Mistake]:
        c = _curves(vc, experiment_id, cell_specimen_id)
        r, theta = _rectified(c["tuning"]), np.deg2rad(c["angles"])
        return [
            Mistake("radians", _vector_sum(r, c["angles"]), "Degrees vs radians: np.exp, np.cos "
                    "and np.sin take radians; convert the directions with np.deg2rad first."),
            Mistake("not_rectified", _vector_sum(c["tuning"], theta), "Set negative responses "
                    "to 0 first (np.clip(tuning, 0, None)): a negative response would point "
                    "the wrong way."),
            Mistake("orientation", c["peak"]["cv_os_dg"], "That is the global OSI (angles "
                    "doubled, 2θ); for direction use the angles themselves (θ)."),
        ]

    hints = Hints(
        "Each direction is a vector of length r (its response) pointing at its angle; add "
        "the vectors.",
        "With complex numbers the vector of angle θ is exp(1jθ); the gDSI is the length of "
        "the sum divided by the sum of the lengths. Angles must be in radians.",
        "r = np.clip(tuning.to_numpy(), 0, None); theta = np.deg2rad(tuning.index.to_numpy()); "
        "gdsi = abs((r * np.exp(1j * theta)).sum()) / r.sum()",
    )
    return grade("Global DSI", answer, convert=as_number,
                 expected=lambda: float(_curves(vc, experiment_id, cell_specimen_id)["peak"]
                                        ["cv_ds_dg"]),
                 mistakes=mistakes, hints=hints)


def check_preferred_images(answer: Any, experiment_id: int, *,
                           vc: VisualCoding2P | None = None) -> Feedback:
    """Check each cell's preferred natural image (largest mean response; blank excluded).

    Parameters
    ----------
    answer : Series indexed by cell_specimen_id, or array in the experiment's cell order
        The image index (0-117, the ``frame`` column) of each cell.
    experiment_id : int
        A ``three_session_B`` experiment.
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_preferred_images(..., 920010001).status
    'not attempted'
    """
    def result() -> StimulusResult:
        return stimulus_result(observatory(vc), experiment_id, st.NATURAL_SCENES)

    def mistakes() -> list[Mistake]:
        r = result()
        n = len(r.cell_specimen_ids)
        means = r.response[:, :n, 0]  # (blank + images, cells)
        ids = r.cell_specimen_ids
        return [
            Mistake("off_by_one", np.argmax(means, axis=0), "Off by one: row 0 of your table "
                    "is the blank (frame -1), so positions are image + 1. Drop the blank, or "
                    "use the frame labels (idxmax) rather than positions."),
            Mistake("off_by_one", np.argmax(means[1:], axis=0) + 1, "Off by one: image "
                    "indices start at 0 (the frame column); do not add 1."),
            Mistake("wrong_axis", ids[np.argmax(means[1:], axis=1)], "Wrong axis: you found "
                    "the best cell of each image; the question asks for the best image of "
                    "each cell (one value per cell)."),
            Mistake("wrong_axis", ids[np.argmax(means, axis=1)], "Wrong axis: you found the "
                    "best cell of each image; the question asks for the best image of each "
                    "cell."),
            Mistake("smallest", np.argmin(means[1:], axis=0), "You found the image with the "
                    "smallest mean response; take the largest."),
        ]

    hints = Hints(
        "Average each cell's responses over the presentations of each image, then find the "
        "largest average.",
        "Group the trials by the 'frame' column of the table (leave out the blank, frame -1) "
        "and take, for each cell (column), the image with the largest mean.",
        "means = responses.groupby(table.frame).mean().drop(index=-1); "
        "preferred = means.idxmax()",
    )
    return grade("Preferred images", answer,
                 convert=lambda a: as_per_cell(a, result().cell_specimen_ids,
                                               "one image index per cell"),
                 expected=lambda: result().peak["scene_ns"].to_numpy(dtype=float),
                 mistakes=mistakes, hints=hints)
