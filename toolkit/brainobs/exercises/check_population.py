"""Checks of the mapping and population exercises: a receptive-field map from sparse noise,
and decoding natural scenes from the population.

The per-trial responses are the Allen mean sweep responses
(:func:`brainobs.analysis.compute_sweep_statistics`); the ON map is the Allen
``mean_response`` of sparse noise (:func:`~brainobs.analysis.receptive_fields.patch_mean_response`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._data import observatory, read_experiment, remember, stimulus_result
from .convert import as_array, as_number
from .feedback import Feedback, Hints, Mistake, grade

if TYPE_CHECKING:
    from ..cache.observatory import VisualCoding2P

__all__ = ["check_receptive_field", "check_decoding", "decoding_accuracy", "split_trials"]


def _noise_maps(vc: VisualCoding2P, experiment_id: int, stimulus: str) -> dict[str, Any]:
    """ON/OFF mean responses per patch of every cell, and the shown frames and responses."""
    from ..analysis import SessionData, compute_sweep_statistics
    from ..analysis.receptive_fields import patch_mean_response

    def compute() -> dict[str, Any]:
        data = read_experiment(vc, experiment_id,
                               lambda exp: SessionData.from_experiment(exp, [stimulus]))
        table = data.table(stimulus)
        stats = compute_sweep_statistics(stimulus, table, data.corrected, data.running_speed,
                                         data.acquisition_rate, data.cell_specimen_ids)
        shown = data.templates[stimulus][table["frame"].to_numpy(dtype=np.int64)]
        return {"maps": patch_mean_response(stats.mean_sweep, shown), "shown": shown,
                "responses": stats.mean_sweep, "ids": data.cell_specimen_ids}

    return remember(vc, ("noise", int(experiment_id), stimulus), compute)


def check_receptive_field(answer: Any, experiment_id: int, cell_specimen_id: int,
                          stimulus: str, *, vc: VisualCoding2P | None = None) -> Feedback:
    """Check a cell's ON map: its mean response over the trials in which each patch was white.

    Parameters
    ----------
    answer : array, shape (rows, cols) of the sparse-noise grid
    experiment_id : int
        A ``three_session_C`` or ``C2`` experiment.
    cell_specimen_id : int
    stimulus : str
        The sparse-noise stimulus used (``locally_sparse_noise``, ``..._4deg``, ``..._8deg``).
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_receptive_field(..., 920010002, 940010010, "locally_sparse_noise_4deg").status
    'not attempted'
    """
    def parts() -> tuple[dict[str, Any], int]:
        d = _noise_maps(observatory(vc), experiment_id, stimulus)
        return d, int(np.flatnonzero(d["ids"] == int(cell_specimen_id))[0])

    def mistakes() -> list[Mistake]:
        d, i = parts()
        on = d["maps"][..., i, 0]
        hit = d["shown"] == st.LSN_ON
        total = np.tensordot(np.nan_to_num(d["responses"][:, i]), hit, axes=(0, 0))
        return [
            Mistake("wrong_axis", on.T, "Rows and columns are swapped: the map has the shape "
                    "of one template frame (rows × columns)."),
            Mistake("off", d["maps"][..., i, 1], "This is the OFF map (black patches, value "
                    f"{st.LSN_OFF}); the question asks for ON (white, {st.LSN_ON})."),
            Mistake("sum", total, "You summed the responses: divide by the number of trials "
                    "in which each patch was ON, to get the mean."),
        ]

    hints = Hints(
        "For each patch, which trials showed it white? Average the cell's responses over "
        "those trials.",
        "template[table.frame] gives the frame shown on each trial (trials × rows × cols); "
        "== 255 makes a boolean mask. A weighted sum over the trial axis divided by the count "
        "is the mean.",
        "on = shown == 255; on_map = (on * responses[:, None, None]).sum(axis=0) / "
        "on.sum(axis=0)",
    )
    return grade("Receptive field (ON map)", answer,
                 convert=lambda a: as_array(a, "a 2-D array (rows × columns of the grid)"),
                 expected=lambda: parts()[0]["maps"][..., parts()[1], 0],
                 mistakes=mistakes, hints=hints)


def split_trials(images: np.ndarray) -> np.ndarray:
    """Training trials of the decoding exercise: the even-numbered presentations of each image.

    Parameters
    ----------
    images : int ndarray
        Image shown on each trial, in table order.

    Returns
    -------
    bool ndarray
        True for training trials (0th, 2nd, ... presentation of each image), False for test.

    Examples
    --------
    >>> split_trials(np.array([5, 5, 7, 5, 7])).tolist()
    [True, False, True, True, False]
    """
    images = np.asarray(images)
    rank = np.zeros(len(images), dtype=np.int64)
    for image in np.unique(images):
        where = np.flatnonzero(images == image)
        rank[where] = np.arange(len(where))
    return rank % 2 == 0


def decoding_accuracy(x: np.ndarray, y: np.ndarray, train: np.ndarray,
                      test: np.ndarray | None = None) -> float:
    """Nearest-centroid decoding: fraction of test trials given their own image.

    Parameters
    ----------
    x : ndarray, shape (n_trials, n_cells)
        Population response of each trial.
    y : ndarray, shape (n_trials,)
        Image of each trial.
    train : bool ndarray
        Trials that make the centroids (mean response per image).
    test : bool ndarray, optional
        Trials to decode (default: the others). Each goes to the image whose centroid is
        closest (Euclidean distance).

    Examples
    --------
    >>> x = np.array([[0.0], [0.2], [5.0], [5.2]]); y = np.array([1, 1, 2, 2])
    >>> decoding_accuracy(x, y, np.array([True, False, True, False]))
    1.0
    """
    test = ~train if test is None else test
    labels = np.unique(y[train])
    centroids = np.stack([x[train & (y == k)].mean(axis=0) for k in labels])
    distance = ((x[test][:, None, :] - centroids[None]) ** 2).sum(axis=2)
    return float(np.mean(labels[np.argmin(distance, axis=1)] == y[test]))


def check_decoding(answer: Any, experiment_id: int, *,
                   vc: VisualCoding2P | None = None) -> Feedback:
    """Check the accuracy of decoding natural scenes with a nearest-centroid decoder.

    Trials: non-blank natural-scene presentations; features: every cell's mean sweep
    response (NaN as 0); training trials: :func:`split_trials`; the rest are decoded.

    Parameters
    ----------
    answer : float
        Fraction of test trials decoded right (0 to 1).
    experiment_id : int
        A ``three_session_B`` experiment.
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_decoding(..., 920010001).status
    'not attempted'
    """
    def inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        result = stimulus_result(observatory(vc), experiment_id, st.NATURAL_SCENES)
        images = result.sweeps.table["frame"].to_numpy(dtype=np.int64)
        shown = images >= 0
        x = np.nan_to_num(result.sweeps.mean_sweep[shown, : result.sweeps.n_cells])
        return x, images[shown], split_trials(images[shown])

    def mistakes() -> list[Mistake]:
        x, y, train = inputs()
        right = decoding_accuracy(x, y, train)
        return [
            Mistake("percent", 100 * right, "Give the accuracy as a fraction between 0 and 1, "
                    "not a percentage."),
            Mistake("tested_on_training", decoding_accuracy(x, y, train, train), "You decoded "
                    "the training trials: a decoder must be tested on trials it has not seen "
                    "(the test trials, ~train)."),
            Mistake("tested_on_all", decoding_accuracy(x, y, train, np.ones_like(train)),
                    "You decoded every trial, training ones included: decode only the test "
                    "trials (~train)."),
            Mistake("error_rate", 1 - right, "That is the error rate: give the fraction of "
                    "test trials decoded right."),
        ]

    hints = Hints(
        "Build one average population response per image from the training trials, then "
        "give each test trial the image of the closest average.",
        "Centroid of image k: x[train & (y == k)].mean(axis=0). Distance of a trial to every "
        "centroid: broadcast (trials × 1 × cells) against (1 × images × cells) and sum the "
        "squares over cells.",
        "labels = np.unique(y[train]); centroids = np.stack([x[train & (y == k)].mean(0) for "
        "k in labels]); d = ((x[~train][:, None] - centroids[None]) ** 2).sum(2); "
        "accuracy = np.mean(labels[d.argmin(1)] == y[~train])",
    )
    return grade("Decoding accuracy", answer, convert=as_number,
                 expected=lambda: decoding_accuracy(*inputs()), mistakes=mistakes,
                 hints=hints, praise="Chance would be about 1 in 118.")
