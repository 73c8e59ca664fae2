"""Wrappers over brainobs.analysis results draw each cell's curve as the analysis computed it."""

import numpy as np
import pytest

import brainobs
from brainobs import plotting
from brainobs.errors import InvalidChoiceError


@pytest.fixture(scope="module")
def vc(sample_release):
    return brainobs.VisualCoding2P(source=sample_release)


def _result(vc, session_type, stimulus):
    from brainobs.analysis import analyze_stimulus

    eid = vc.experiments(session_types=[session_type]).index[0]
    return analyze_stimulus(vc.experiment(eid), stimulus)


@pytest.fixture(scope="module")
def gratings(vc):
    return _result(vc, "three_session_A", "drifting_gratings")


@pytest.fixture(scope="module")
def scenes(vc):
    return _result(vc, "three_session_B", "natural_scenes")


def test_direction_curve_is_the_response_at_the_preferred_frequency(gratings):
    cell = int(gratings.cell_specimen_ids[4])
    tuning = plotting.cell_tuning(gratings, cell)
    peak = gratings.peak.loc[cell]
    tf = int(peak["tf_dg"])
    assert tuning.values.tolist() == [0, 45, 90, 135, 180, 225, 270, 315]
    assert np.array_equal(tuning.mean, gratings.response[:, tf, 4, 0])
    assert np.array_equal(tuning.sem, gratings.response[:, tf, 4, 1])
    assert tuning.preferred["direction"] == tuning.values[int(peak["ori_dg"])]
    assert tuning.preferred["temporal_frequency"] == gratings.values["tfvals"][tf]
    # the curve is the mean of the single trials it is drawn with
    assert [np.mean(t) for t in tuning.trials] == pytest.approx(tuning.mean.tolist())
    assert tuning.blank == pytest.approx(tuple(gratings.response[0, 0, 4, :2]))


def test_scene_curve_covers_every_image(scenes):
    cell = int(scenes.cell_specimen_ids[0])
    tuning = plotting.cell_tuning(scenes, cell)
    assert tuning.kind == "image" and tuning.values[0] == 0
    assert len(tuning.values) == scenes.response.shape[0] - 1
    assert [np.mean(t) for t in tuning.trials] == pytest.approx(tuning.mean.tolist())
    assert tuning.preferred["image"] == float(scenes.peak.loc[cell, "scene_ns"])


def test_direction_tuning_is_polar_by_default(gratings):
    ax = plotting.plot_result_tuning(gratings, gratings.cell_specimen_ids[0], synthetic=True)
    assert ax.name == "polar" and ax.collections  # band and trial dots


def test_population_views_have_one_row_or_count_per_cell(gratings):
    n = len(gratings.cell_specimen_ids)
    ax = plotting.plot_result_heatmap(gratings)
    assert ax.images[0].get_array().shape == (n, 8)
    ax = plotting.plot_result_preferred(gratings)
    assert sum(p.get_height() for p in ax.patches) == n


def test_unknown_cell_and_movies_are_refused(vc, gratings):
    with pytest.raises(InvalidChoiceError, match="cell_specimen_id"):
        plotting.cell_tuning(gratings, 1)
    movie = _result(vc, "three_session_A", "natural_movie_one")
    with pytest.raises(InvalidChoiceError, match="plot_trial_average"):
        plotting.plot_result_tuning(movie, movie.cell_specimen_ids[0])
