"""Population decoding: separable classes are decoded, shuffled labels sit at chance, bad input
is refused with a message that says what to do, and the trial matrix follows the stimulus table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from brainobs.analysis.decoding import (
    _stratified_folds,
    decode_by_population_size,
    decode_nearest_mean,
    trial_matrix,
)
from brainobs.analysis.result import StimulusResult
from brainobs.analysis.scenes import analyze_natural_scenes
from brainobs.analysis.sweeps import SweepStatistics, SweepWindow
from brainobs.errors import InvalidChoiceError


def _population(n_classes: int, n_trials: int, n_cells: int, signal: float, seed: int = 0):
    """Trials of ``n_classes`` classes: class-specific mean pattern + unit Gaussian noise."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(n_classes), n_trials)
    patterns = rng.normal(size=(n_classes, n_cells)) * signal
    return patterns[labels] + rng.normal(size=(len(labels), n_cells)), labels


@pytest.mark.parametrize("metric", ["correlation", "euclidean"])
def test_separable_classes_are_decoded(metric):
    responses, labels = _population(8, 30, 40, signal=1.5)
    result = decode_nearest_mean(responses, labels, n_folds=5, metric=metric, seed=3)
    assert result.chance == pytest.approx(1 / 8)
    assert result.accuracy > 0.95
    assert result.accuracy_per_fold.shape == (5,)
    assert (result.accuracy_per_fold > 0.85).all()
    # every trial is decoded exactly once, in its test fold
    assert result.predicted.shape == labels.shape
    assert set(np.unique(result.predicted)) <= set(labels)


def test_shuffled_labels_sit_at_chance():
    responses, labels = _population(10, 40, 30, signal=1.5)
    shuffled = np.random.default_rng(7).permutation(labels)
    result = decode_nearest_mean(responses, shuffled, n_folds=5, seed=1)
    # 400 trials, chance 0.1: the binomial SD is 0.015
    assert abs(result.accuracy - result.chance) < 0.06
    assert decode_nearest_mean(responses, labels, seed=1).accuracy > 0.9


def test_weak_signal_lies_between_chance_and_perfect_and_grows_with_cells():
    responses, labels = _population(6, 40, 60, signal=0.3, seed=4)
    accuracy = decode_by_population_size(responses, labels, [1, 10, 60], n_draws=4, seed=2,
                                         metric="euclidean")
    assert accuracy.shape == (3, 4)
    means = accuracy.mean(axis=1)
    assert means[0] < means[1] < means[2]
    assert 1 / 6 < means[0] < 0.4 and means[2] > 0.6


def test_metrics_differ_as_defined():
    # Two classes whose mean patterns differ only in scale: perfectly correlated across cells,
    # so correlation cannot tell them apart, Euclidean distance can.
    rng = np.random.default_rng(5)
    base = np.linspace(1.0, 3.0, 12)
    labels = np.repeat([0, 1], 50)
    responses = np.where(labels[:, None] == 0, 1.0, 10.0) * base + rng.normal(0, 0.05, (100, 12))
    euclid = decode_nearest_mean(responses, labels, metric="euclidean", standardize=False)
    corr = decode_nearest_mean(responses, labels, metric="correlation", standardize=False)
    assert euclid.accuracy == 1.0
    assert corr.accuracy < 0.75


def test_confusion_matrix_matches_predictions():
    responses, labels = _population(4, 25, 6, signal=0.6, seed=8)
    result = decode_nearest_mean(responses, labels * 10, seed=0)  # non-consecutive labels
    confusion = result.confusion()
    assert result.classes.tolist() == [0, 10, 20, 30]
    np.testing.assert_allclose(confusion.sum(axis=1), 1.0)
    per_class = [np.mean(result.predicted[result.labels == c] == c) for c in result.classes]
    np.testing.assert_allclose(np.diag(confusion), per_class)
    assert np.mean(np.diag(confusion)) == pytest.approx(result.accuracy)  # balanced classes


def test_folds_spread_every_class_evenly():
    labels = np.repeat(np.arange(5), [10, 7, 12, 3, 9])
    folds = _stratified_folds(labels, 4, np.random.default_rng(0))
    for c in range(5):
        counts = np.bincount(folds[labels == c], minlength=4)
        assert counts.max() - counts.min() <= 1
    sizes = np.bincount(folds, minlength=4)
    assert sizes.max() - sizes.min() <= 1


def test_same_seed_same_result_other_seed_other_folds():
    responses, labels = _population(5, 20, 8, signal=0.4, seed=2)
    a = decode_nearest_mean(responses, labels, seed=11)
    b = decode_nearest_mean(responses, labels, seed=11)
    np.testing.assert_array_equal(a.predicted, b.predicted)
    c = decode_nearest_mean(responses, labels, seed=12)
    assert not np.array_equal(a.accuracy_per_fold, c.accuracy_per_fold)


@pytest.mark.parametrize(
    ("responses", "labels", "options", "message"),
    [
        (np.zeros((10, 3)), np.zeros(9), {}, "10 trials (rows) but labels has shape (9,)"),
        (np.zeros(10), np.zeros(10), {}, "must be 2-D"),
        (np.ones((10, 3)), np.full(10, 4), {}, "a single class ([4])"),
        (np.ones((5, 3)), np.array([0, 0, 1, 1, 2]), {}, "classes [2] have a single trial"),
        (np.ones((6, 3)), np.repeat([0, 1], 3), {"n_folds": 1}, "use 2 to 6"),
        (np.ones((6, 3)), np.repeat([0, 1], 3), {"n_folds": 7}, "n_folds=7 is not possible"),
        (np.ones((6, 2)), np.repeat([0, 1], 3), {}, "needs at least 3 cells (got 2)"),
    ],
)
def test_bad_input_is_refused_with_the_next_step(responses, labels, options, message):
    with pytest.raises(ValueError) as err:
        decode_nearest_mean(responses, labels, **options)
    assert message in str(err.value)


def test_missing_values_and_unknown_metric_are_refused():
    responses, labels = _population(2, 5, 3, signal=1.0)
    responses[3, 1] = np.nan
    with pytest.raises(ValueError, match="1 trials have NaN"):
        decode_nearest_mean(responses, labels)
    with pytest.raises(InvalidChoiceError, match="Did you mean 'euclidean'"):
        decode_nearest_mean(np.nan_to_num(responses), labels, metric="euclidian")
    with pytest.raises(ValueError, match="use sizes from 1 to 3"):
        decode_by_population_size(np.nan_to_num(responses), labels, [4])


def _result(stimulus: str, table: pd.DataFrame, mean_sweep: np.ndarray) -> StimulusResult:
    ids = np.arange(100, 100 + mean_sweep.shape[1] - 1)
    sweeps = SweepStatistics(stimulus, table, SweepWindow(7, 28, 7), mean_sweep,
                             np.zeros_like(mean_sweep), ids, 30.0, np.zeros((len(ids), 1)))
    return StimulusResult(stimulus, pd.DataFrame(index=pd.Index(ids)), None, sweeps)


def test_trial_matrix_drops_blanks_and_missing_trials_and_running_speed():
    table = pd.DataFrame({"frame": [3, -1, 5, 3, 7], "start": [0, 7, 14, 21, 28]})
    mean_sweep = np.arange(15, dtype=float).reshape(5, 3)  # 2 cells + running speed
    mean_sweep[4, 0] = np.nan
    responses, labels = trial_matrix(_result("natural_scenes", table, mean_sweep))
    assert labels.tolist() == [3, 5, 3] and labels.dtype.kind == "i"
    np.testing.assert_array_equal(responses, mean_sweep[[0, 2, 3], :2])
    _, with_blank = trial_matrix(_result("natural_scenes", table, mean_sweep), include_blank=True)
    assert with_blank.tolist() == [3, -1, 5, 3]


def test_trial_matrix_of_gratings_and_its_errors():
    table = pd.DataFrame({"orientation": [0.0, np.nan, 90.0],
                          "spatial_frequency": [0.02, np.nan, 0.04], "start": [0, 7, 14]})
    result = _result("static_gratings", table, np.ones((3, 2)))
    assert trial_matrix(result)[1].tolist() == [0, 90]
    assert trial_matrix(result, include_blank=True)[1].tolist() == [0, -1, 90]
    assert trial_matrix(result, label="spatial_frequency")[1].tolist() == [0.02, 0.04]
    with pytest.raises(InvalidChoiceError, match="Unknown label column 'orientations'"):
        trial_matrix(result, label="orientations")
    movie = StimulusResult("natural_movie_one", pd.DataFrame())
    with pytest.raises(ValueError, match="no per-trial responses"):
        trial_matrix(movie)


def test_planted_preferred_images_are_decoded_from_a_session(synthetic_session):
    content, _, data = synthetic_session("three_session_B")
    truth = content.extra["truth"]
    result = analyze_natural_scenes(data.table("natural_scenes"), data.corrected,
                                    data.running_speed, data.acquisition_rate,
                                    data.cell_specimen_ids)
    responses, labels = trial_matrix(result)
    table = data.table("natural_scenes")
    assert responses.shape == ((table["frame"] >= 0).sum(), len(data.cell_specimen_ids))
    # the images that the responsive cells prefer are told apart far above chance
    preferred = np.unique(truth["pref_image"][truth["amp"] > 0])
    chosen = np.isin(labels, preferred)
    decoded = decode_nearest_mean(responses[chosen], labels[chosen], seed=0)
    assert decoded.accuracy > 0.8 > 3 * decoded.chance
    # images no cell prefers carry (almost) no information
    others = np.isin(labels, np.setdiff1d(np.arange(118), preferred)[:len(preferred)])
    assert decode_nearest_mean(responses[others], labels[others], seed=0).accuracy < 0.5
