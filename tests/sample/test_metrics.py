"""Cell metrics stated from the truth follow the AllenSDK definitions and the planted tuning."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.sample.design import design_release
from brainobs.sample.metrics import (
    METRIC_COLUMNS,
    _image_selectivity,
    cell_metric_records,
    metrics_from_truth,
)
from brainobs.sample.tuning import plant_tuning


@pytest.fixture(scope="module")
def tuning():
    return plant_tuning(np.arange(200), np.random.default_rng(3))


@pytest.fixture(scope="module")
def metrics(tuning):
    return metrics_from_truth(tuning, 0, 1)


def test_every_metric_column_is_stated(metrics, tuning):
    assert set(metrics) == set(METRIC_COLUMNS)
    assert all(len(v) == tuning.n_cells for v in metrics.values())


def test_preferences_are_the_planted_ones(metrics, tuning):
    assert np.array_equal(metrics["pref_dir_dg"], tuning.dg_dir)
    assert np.array_equal(metrics["pref_sf_sg"], tuning.sg_sf)
    assert np.array_equal(metrics["pref_image_ns"], tuning.ns_pref)


def test_p_values_and_reliability_follow_the_response_class(metrics, tuning):
    strong, none = tuning.cls == "strong", tuning.cls == "unresponsive"
    assert metrics["p_dg"][strong].max() < 1e-5 < metrics["p_dg"][none].min()
    assert metrics["reliability_sg"][strong].min() > metrics["reliability_sg"][none].max()
    reliable = tuning.movie_class == "reliable"
    assert metrics["reliability_nm3"][reliable].min() > metrics["reliability_nm3"][~reliable].max()


def test_direction_selectivity_follows_the_null_response(metrics, tuning):
    order = np.argsort(tuning.dg_null)
    dsi = metrics["dsi_dg"][order]
    assert np.corrcoef(tuning.dg_null[order], dsi)[0, 1] < -0.9
    assert ((metrics["dsi_dg"] >= 0) & (metrics["dsi_dg"] <= 1)).all()
    assert ((metrics["g_osi_dg"] >= 0) & (metrics["g_osi_dg"] <= 1)).all()


def test_run_modulation_has_the_sign_of_the_planted_gain(metrics, tuning):
    big = np.abs(tuning.run_mod) > 0.3
    assert (np.sign(metrics["run_mod_dg"][big]) == np.sign(tuning.run_mod[big])).all()


def test_receptive_field_columns_are_in_degrees_from_the_top_left_patch(metrics, tuning):
    has_on = np.isfinite(tuning.rf_on_row)
    assert np.allclose(metrics["rf_center_on_y_lsn"][has_on], tuning.rf_on_row[has_on] * 4.65)
    assert np.isnan(metrics["rf_center_on_x_lsn"][~has_on]).all()
    both = has_on & np.isfinite(tuning.rf_off_row)
    overlap = metrics["rf_overlap_index_lsn"][both]
    assert ((overlap > 0) & (overlap <= 1)).all()
    assert np.isnan(metrics["rf_distance_lsn"][~both]).all()


def test_image_selectivity_is_one_for_a_single_image_and_zero_for_all():
    one = np.zeros((1, 118))
    one[0, 5] = 1.0
    flat = np.ones((1, 118)) + np.linspace(0, 1e-9, 118)
    assert _image_selectivity(one)[0] == pytest.approx(1 - 2 / 118)
    assert abs(_image_selectivity(flat)[0]) < 0.01


def test_records_null_the_sessions_a_cell_missed():
    design = design_release(0, "small")[0]
    tuning = plant_tuning(design.cell_specimen_ids, np.random.default_rng(0))
    records = cell_metric_records(design, tuning, 0)
    column = {e.session_type: e.index - 1 for e in design.experiments}
    for k, record in enumerate(records):
        assert (record["pref_dir_dg"] is None) == (not design.present[k, column["three_session_A"]])
        assert (record["osi_sg"] is None) == (not design.present[k, column["three_session_B"]])
        assert record["drifting_grating_small"] is None
