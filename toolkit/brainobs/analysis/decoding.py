"""Decoding the stimulus from a population: which image (or orientation) was on the screen?

Each trial is a point in "cell space": one mean response per cell. A **nearest-class-mean**
decoder learns, from training trials, the mean response vector of every class (every image)
and labels a new trial with the class whose mean is closest — by correlation across cells
(``metric="correlation"``) or by Euclidean distance (``metric="euclidean"``). Accuracy is
measured on trials the decoder never saw (stratified k-fold cross-validation) and compared
with chance, 1 / number of classes.

Everything is numpy; no fitting beyond class means, so it runs in a fraction of a second.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> labels = np.repeat(np.arange(4), 20)
>>> responses = np.eye(4)[labels] * 3 + rng.normal(size=(80, 4))
>>> result = decode_nearest_mean(responses, labels, n_folds=5, seed=1)
>>> result.accuracy > 0.8, result.chance
(True, 0.25)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ..errors import check_choice

if TYPE_CHECKING:
    from .result import StimulusResult

__all__ = ["DecodingResult", "trial_matrix", "decode_nearest_mean", "decode_by_population_size"]

logger = logging.getLogger(__name__)

METRICS = ("correlation", "euclidean")

#: The stimulus-table column that names the class of a trial, per stimulus.
LABEL_COLUMNS = {
    st.NATURAL_SCENES: "frame",
    st.STATIC_GRATINGS: "orientation",
    st.DRIFTING_GRATINGS: "orientation",
}


@dataclass(frozen=True)
class DecodingResult:
    """What a cross-validated decoder got right.

    Attributes
    ----------
    accuracy_per_fold : ndarray, shape (n_folds,)
        Fraction of the test trials of each fold labelled correctly.
    chance : float
        Accuracy of guessing: 1 / number of classes.
    predicted : ndarray, shape (n_trials,)
        The decoded class of every trial (each trial is decoded once, in its test fold).
    labels : ndarray, shape (n_trials,)
        The true classes.
    classes : ndarray
        The distinct classes, sorted.
    metric : str
        ``"correlation"`` or ``"euclidean"``.

    Examples
    --------
    >>> r = DecodingResult(np.array([1.0, 0.5]), 0.5, np.array([0, 1, 1]),
    ...                    np.array([0, 1, 0]), np.array([0, 1]), "euclidean")
    >>> round(r.accuracy, 3), r.confusion().tolist()
    (0.667, [[0.5, 0.5], [0.0, 1.0]])
    """

    accuracy_per_fold: np.ndarray
    chance: float
    predicted: np.ndarray
    labels: np.ndarray
    classes: np.ndarray
    metric: str

    @property
    def accuracy(self) -> float:
        """Fraction of all trials decoded correctly (pooled over folds)."""
        return float(np.mean(self.predicted == self.labels))

    def confusion(self) -> np.ndarray:
        """Confusion matrix: row = true class, column = decoded class, rows sum to 1.

        Examples
        --------
        >>> r = DecodingResult(np.ones(1), 0.5, np.array([1, 1]), np.array([0, 1]),
        ...                    np.array([0, 1]), "euclidean")
        >>> r.confusion().tolist()
        [[0.0, 1.0], [0.0, 1.0]]
        """
        true = np.searchsorted(self.classes, self.labels)
        decoded = np.searchsorted(self.classes, self.predicted)
        counts = np.zeros((len(self.classes), len(self.classes)))
        np.add.at(counts, (true, decoded), 1.0)
        return counts / counts.sum(axis=1, keepdims=True).clip(1.0)


def trial_matrix(
    result: StimulusResult, *, label: str | None = None, include_blank: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Mean response of every cell on every trial, and the class of each trial.

    Parameters
    ----------
    result : StimulusResult
        From ``analyze_stimulus(experiment, "natural_scenes")`` (or a grating stimulus).
    label : str, optional
        Stimulus-table column naming the class (default: ``frame`` for natural scenes,
        ``orientation`` for gratings).
    include_blank : bool
        Keep the blank (grey) trials as a class of their own (``frame == -1``; label NaN
        for gratings becomes -1).

    Returns
    -------
    responses : ndarray, shape (n_trials, n_cells)
        Mean sweep response (% dF/F) of each trial, columns in the order of
        ``result.cell_specimen_ids``. Trials with a missing value (a window running past the
        recording) are left out.
    labels : ndarray, shape (n_trials,)

    Examples
    --------
    >>> result = analyze_stimulus(experiment, "natural_scenes")  # doctest: +SKIP
    >>> responses, images = trial_matrix(result)  # doctest: +SKIP
    """
    if result.sweeps is None:
        raise ValueError(f"{result.stimulus} has no per-trial responses: decode natural scenes "
                         "or gratings (analyze_stimulus(experiment, 'natural_scenes')).")
    if label is None:
        check_choice("stimulus to decode", result.stimulus, LABEL_COLUMNS,
                     hint="Or pass label= with a column of the stimulus table.")
        label = LABEL_COLUMNS[result.stimulus]
    table = result.sweeps.table
    check_choice("label column", label, list(table.columns))
    labels = table[label].to_numpy(dtype=float)
    blank = (labels == -1) | np.isnan(labels)
    labels = np.where(np.isnan(labels), -1.0, labels)
    responses = result.sweeps.mean_sweep[:, : result.sweeps.n_cells]
    finite = np.isfinite(responses).all(axis=1)
    if not finite.all():
        logger.info("Left out %d trials with missing responses.", int((~finite).sum()))
    keep = finite & (include_blank | ~blank)
    if np.all(labels == np.round(labels)):
        labels = labels.astype(np.int64)
    return responses[keep], labels[keep]


def _check_inputs(responses: np.ndarray, labels: np.ndarray, n_folds: int) -> None:
    if responses.ndim != 2:
        raise ValueError(f"responses has shape {responses.shape}; it must be 2-D, "
                         "(n_trials, n_cells): one row per trial.")
    if labels.shape != (responses.shape[0],):
        raise ValueError(f"responses has {responses.shape[0]} trials (rows) but labels has shape "
                         f"{labels.shape}; pass one label per row of responses.")
    bad = int((~np.isfinite(responses).all(axis=1)).sum())
    if bad:
        raise ValueError(f"{bad} trials have NaN or infinite responses; leave them out first "
                         "(trial_matrix does so).")
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"labels hold a single class ({classes.tolist()}); decoding needs at "
                         "least two classes of trials.")
    if counts.min() < 2:
        lonely = classes[counts < 2].tolist()
        raise ValueError(f"classes {lonely[:10]} have a single trial; every class needs at least "
                         "2 trials (one to learn from, one to test). Leave those trials out.")
    if not 2 <= n_folds <= len(labels):
        raise ValueError(f"n_folds={n_folds} is not possible with {len(labels)} trials; "
                         f"use 2 to {len(labels)} (5 or 10 is usual).")


def _stratified_folds(labels: np.ndarray, n_folds: int, rng: np.random.Generator) -> np.ndarray:
    """Fold number of every trial: each class spread evenly over the folds, at random."""
    folds = np.empty(len(labels), dtype=np.int64)
    order = np.concatenate([rng.permutation(np.flatnonzero(labels == c))
                            for c in np.unique(labels)])
    folds[order] = (np.arange(len(order)) + rng.integers(n_folds)) % n_folds
    return folds


def _standardise(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, std = train.mean(axis=0), train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (train - mean) / std, (test - mean) / std


def _unit_rows(x: np.ndarray) -> np.ndarray:
    centred = x - x.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(centred, axis=1, keepdims=True)
    return centred / np.where(norm > 0, norm, 1.0)


def _nearest(means: np.ndarray, test: np.ndarray, metric: str) -> np.ndarray:
    """Index of the closest class mean for every test row."""
    if metric == "correlation":
        return np.argmax(_unit_rows(test) @ _unit_rows(means).T, axis=1)
    distance = (means**2).sum(axis=1)[None, :] - 2 * test @ means.T
    return np.argmin(distance, axis=1)


def decode_nearest_mean(
    responses: np.ndarray,
    labels: np.ndarray | Sequence[float],
    *,
    n_folds: int = 5,
    metric: str = "correlation",
    standardize: bool = True,
    seed: int = 0,
) -> DecodingResult:
    """Cross-validated nearest-class-mean decoding of trial labels from population responses.

    Parameters
    ----------
    responses : ndarray, shape (n_trials, n_cells)
        One response per trial and cell (e.g. from :func:`trial_matrix`).
    labels : array-like, shape (n_trials,)
        The class of each trial (image number, orientation ...); at least two classes,
        each with at least two trials.
    n_folds : int
        Folds of the cross-validation; every class is spread evenly over the folds.
    metric : {"correlation", "euclidean"}
        Closest mean = highest Pearson correlation across cells (at least 3 cells), or smallest
        Euclidean distance.
    standardize : bool
        z-score each cell with the training trials' mean and SD first, so that cells with large
        dF/F do not dominate.
    seed : int
        Seed of the random fold assignment.

    Returns
    -------
    DecodingResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat(np.arange(3), 30)
    >>> result = decode_nearest_mean(rng.normal(size=(90, 10)), labels, seed=2)
    >>> result.chance, bool(result.accuracy < 0.6)  # nothing to decode: near chance
    (0.3333333333333333, True)
    """
    check_choice("metric", metric, METRICS)
    responses = np.asarray(responses, dtype=float)
    labels = np.asarray(labels)
    _check_inputs(responses, labels, n_folds)
    if metric == "correlation" and responses.shape[1] < 3:
        raise ValueError(f"metric='correlation' compares response patterns across cells and needs "
                         f"at least 3 cells (got {responses.shape[1]}); use metric='euclidean'.")
    classes = np.unique(labels)
    codes = np.searchsorted(classes, labels)
    folds = _stratified_folds(codes, n_folds, np.random.default_rng(seed))
    predicted = np.empty(len(labels), dtype=np.int64)
    accuracy = np.empty(n_folds)
    for k in range(n_folds):
        test = folds == k
        train_x, test_x = responses[~test], responses[test]
        if standardize:
            train_x, test_x = _standardise(train_x, test_x)
        sums = np.zeros((len(classes), responses.shape[1]))
        np.add.at(sums, codes[~test], train_x)
        means = sums / np.bincount(codes[~test], minlength=len(classes))[:, None]
        predicted[test] = _nearest(means, test_x, metric)
        accuracy[k] = np.mean(predicted[test] == codes[test])
    return DecodingResult(accuracy, 1.0 / len(classes), classes[predicted], labels, classes,
                          metric)


def decode_by_population_size(
    responses: np.ndarray,
    labels: np.ndarray | Sequence[float],
    sizes: Sequence[int],
    *,
    n_draws: int = 10,
    seed: int = 0,
    **options: Any,
) -> np.ndarray:
    """Decoding accuracy with random subsets of cells: how does it grow with population size?

    Parameters
    ----------
    responses : ndarray, shape (n_trials, n_cells)
    labels : array-like, shape (n_trials,)
    sizes : sequence of int
        Numbers of cells to draw (each 1 to n_cells).
    n_draws : int
        Random subsets per size (with all cells there is only one subset, but the folds differ).
    seed : int
        Seed of the subsets and of the folds.
    **options
        Passed to :func:`decode_nearest_mean` (``n_folds``, ``metric``, ``standardize``).

    Returns
    -------
    ndarray, shape (len(sizes), n_draws)
        Pooled accuracy of each draw.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat(np.arange(4), 25)
    >>> responses = np.eye(4)[labels] @ rng.normal(size=(4, 40)) + rng.normal(size=(100, 40))
    >>> acc = decode_by_population_size(responses, labels, [1, 40], n_draws=3, metric="euclidean")
    >>> acc.shape, bool(acc[1].mean() > acc[0].mean())
    ((2, 3), True)
    """
    responses = np.asarray(responses, dtype=float)
    n_cells = responses.shape[1] if responses.ndim == 2 else 0
    for size in sizes:
        if not 1 <= int(size) <= n_cells:
            raise ValueError(f"Population size {size} is not possible with {n_cells} cells; "
                             f"use sizes from 1 to {n_cells}.")
    rng = np.random.default_rng(seed)
    out = np.empty((len(sizes), n_draws))
    for i, size in enumerate(sizes):
        for j in range(n_draws):
            cells = rng.choice(n_cells, int(size), replace=False)
            result = decode_nearest_mean(responses[:, cells], labels,
                                         seed=int(rng.integers(2**31)), **options)
            out[i, j] = result.accuracy
    return out
