"""compute_cell_metrics: API column names and values, container merge, helpful errors."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from brainobs.analysis import compute_cell_metrics, merge_container_metrics
from brainobs.analysis.inputs import SessionData
from brainobs.analysis.metrics import analyze_session, analyze_stimulus, metrics_from_results
from brainobs.errors import MissingStimulusError
from brainobs.nwb import open_nwb

SESSION_A = {"osi_dg", "dsi_dg", "pref_dir_dg", "pref_tf_dg", "p_dg", "g_osi_dg", "g_dsi_dg",
             "reliability_dg", "tfdi_dg", "run_mod_dg", "p_run_mod_dg", "peak_dff_dg",
             "reliability_nm1_a", "reliability_nm3"}
SESSION_B = {"osi_sg", "pref_ori_sg", "pref_sf_sg", "pref_phase_sg", "p_sg", "time_to_peak_sg",
             "run_mod_sg", "p_run_mod_sg", "g_osi_sg", "sfdi_sg", "peak_dff_sg",
             "reliability_sg", "pref_image_ns", "p_ns", "time_to_peak_ns", "image_sel_ns",
             "reliability_ns", "run_mod_ns", "p_run_mod_ns", "peak_dff_ns", "reliability_nm1_b"}
RF = {"rf_chi2_lsn", "rf_area_on_lsn", "rf_center_on_x_lsn", "rf_center_on_y_lsn",
      "rf_area_off_lsn", "rf_center_off_x_lsn", "rf_center_off_y_lsn", "rf_distance_lsn",
      "rf_overlap_index_lsn"}


@pytest.fixture(scope="module")
def tables(synthetic_session):
    out = {}
    for session_type in ("three_session_A", "three_session_B"):
        content, path, _ = synthetic_session(session_type)
        out[session_type] = (content, compute_cell_metrics(path))
    return out


def test_session_tables_have_the_api_columns_and_values(tables):
    content, a = tables["three_session_A"]
    assert set(a.columns) == SESSION_A and a.index.name == "cell_specimen_id"
    np.testing.assert_array_equal(a.index, content.cell_specimen_ids)
    assert a.attrs["session_type"] == "three_session_A" and a.attrs["mean_running_speed"] > 0
    responsive = content.extra["truth"]["amp"] > 0
    np.testing.assert_array_equal(a["pref_dir_dg"][responsive],
                                  content.extra["truth"]["pref_dir"][responsive])
    content_b, b = tables["three_session_B"]
    truth_b = content_b.extra["truth"]
    assert set(b.columns) == SESSION_B
    on = truth_b["amp"] > 0
    np.testing.assert_allclose(b["pref_sf_sg"][on], truth_b["pref_sf"][on])
    np.testing.assert_array_equal(b["pref_image_ns"][on], truth_b["pref_image"][on])


def test_api_values_are_the_peak_values_renamed(synthetic_session, tables):
    _, _, data = synthetic_session("three_session_A")
    result = analyze_stimulus(data, "drifting_gratings")
    _, a = tables["three_session_A"]
    np.testing.assert_array_equal(a["osi_dg"], result.peak["osi_dg"])
    np.testing.assert_array_equal(a["g_dsi_dg"], result.peak["cv_ds_dg"])
    np.testing.assert_array_equal(a["pref_tf_dg"],
                                  result.values["tfvals"][result.peak["tf_dg"].astype(int)])


def test_c2_takes_receptive_fields_from_the_block_that_suits_the_area(synthetic_session):
    _, _, data = synthetic_session("three_session_C2")
    results = analyze_session(data, ["locally_sparse_noise_4deg", "locally_sparse_noise_8deg"],
                              n_shuffles=200)
    visp = metrics_from_results(results, "three_session_C2", {"targeted_structure": "VISp"})
    visl = metrics_from_results(results, "three_session_C2", {"targeted_structure": "VISl"})
    assert set(visp.columns) == set(visl.columns) == RF
    np.testing.assert_array_equal(visp["rf_chi2_lsn"],
                                  results["locally_sparse_noise_4deg"].peak["rf_chi2_lsn"])
    np.testing.assert_array_equal(visl["rf_chi2_lsn"],
                                  results["locally_sparse_noise_8deg"].peak["rf_chi2_lsn"])


def test_container_merge_joins_sessions_on_cells(tables):
    _, a = tables["three_session_A"]
    _, b = tables["three_session_B"]
    b = b.rename(index={b.index[0]: 1})  # one cell only in session B
    merged = merge_container_metrics([a, b])
    assert set(merged.columns) == SESSION_A | SESSION_B
    assert len(merged) == len(a) + 1
    assert merged.loc[1, list(SESSION_A)].isna().all()
    with pytest.raises(ValueError, match="more than one session"):
        merge_container_metrics([a, a])


def test_a_stimulus_the_session_did_not_show_names_the_right_session(synthetic_session):
    _, path, data = synthetic_session("three_session_A")
    with pytest.raises(MissingStimulusError, match="three_session_B"):
        analyze_stimulus(data, "natural_scenes")
    with open_nwb(path) as experiment, pytest.raises(MissingStimulusError, match="session_C"):
        compute_cell_metrics(experiment, ["locally_sparse_noise"])


def test_session_data_checks_shapes():
    stamps = np.arange(10) / 30
    with pytest.raises(ValueError, match="one id per trace row"):
        SessionData("three_session_A", [1, 2], stamps, np.ones((3, 10)), np.ones((3, 10)),
                    np.zeros(10), {})
    with pytest.raises(ValueError, match="timestamps"):
        SessionData("three_session_A", [1], stamps[:5], np.ones((1, 10)), np.ones((1, 10)),
                    np.zeros(10), {})
    short = SessionData("three_session_A", [1], stamps, np.ones((1, 10)), np.ones((1, 10)),
                        np.zeros(7), {"drifting_gratings": pd.DataFrame()})
    assert np.isnan(short.running_speed[7:]).all() and len(short.running_speed) == 10


def test_importing_the_analysis_package_loads_no_heavy_library():
    heavy = "('pandas', 'scipy', 'matplotlib', 'h5py')"
    code = ("import sys, brainobs.analysis as a; a.__dir__(); "
            f"print(sorted(m for m in {heavy} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_c2_table_analyses_only_the_block_it_reports(synthetic_session, monkeypatch):
    from brainobs.analysis import metrics

    _, _, data = synthetic_session("three_session_C2")
    seen: list[str] = []
    original = metrics.analyze_stimulus

    def spy(source, stimulus, **kwargs):
        seen.append(stimulus)
        return original(source, stimulus, **kwargs)

    monkeypatch.setattr(metrics, "analyze_stimulus", spy)
    table = compute_cell_metrics(data, n_shuffles=300)
    assert "locally_sparse_noise_8deg" not in seen and "locally_sparse_noise_4deg" in seen
    assert RF <= set(table.columns)
    assert {"reliability_nm1_c", "reliability_nm2"} <= set(table.columns)
