"""Drifting and static gratings: planted preferences recovered; metrics follow their formulas."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.analysis.gratings import analyze_drifting_gratings, analyze_static_gratings


def _run(data, stimulus, analyze):
    return analyze(data.table(stimulus), data.corrected, data.running_speed,
                   data.acquisition_rate, data.cell_specimen_ids)


@pytest.fixture(scope="module")
def dg(synthetic_session):
    content, _, data = synthetic_session("three_session_A")
    return content.extra["truth"], _run(data, "drifting_gratings", analyze_drifting_gratings)


@pytest.fixture(scope="module")
def sg(synthetic_session):
    content, _, data = synthetic_session("three_session_B")
    return content.extra["truth"], _run(data, "static_gratings", analyze_static_gratings)


def test_drifting_gratings_recovers_planted_direction_and_frequency(dg):
    truth, result = dg
    peak, values = result.peak, result.values
    responsive = truth["amp"] > 0
    assert values["orivals"].tolist() == [0, 45, 90, 135, 180, 225, 270, 315]
    assert values["tfvals"].tolist() == [0, 1, 2, 4, 8, 15]
    got_dir = values["orivals"][peak["ori_dg"].to_numpy(int)]
    got_tf = values["tfvals"][peak["tf_dg"].to_numpy(int)]
    np.testing.assert_array_equal(got_dir[responsive], truth["pref_dir"][responsive])
    np.testing.assert_array_equal(got_tf[responsive], truth["pref_tf"][responsive])
    assert (peak["ptest_dg"][responsive] < 1e-20).all()
    assert (peak["ptest_dg"][~responsive] > 1e-3).all()
    assert (peak["reliability_dg"][responsive] > 0.3).all()


def test_drifting_gratings_indices_follow_their_definitions(dg):
    _, result = dg
    r = result.response
    assert r.shape == (8, 6, result.peak.shape[0] + 1, 3)
    assert np.isnan(r[1:, 0, :, 0]).all() and np.isfinite(r[0, 0, :, 0]).all()  # blank = [0, 0]
    for c, (_, row) in enumerate(result.peak.iterrows()):
        o, t = int(row.ori_dg), int(row.tf_dg)
        curve = r[:, t, c, 0]
        pref, null = curve[o], curve[(o + 4) % 8]
        orth = (curve[(o + 2) % 8] + curve[(o - 2) % 8]) / 2
        assert row.peak_dff_dg == pref == np.nanmax(r[:, 1:, c, 0])
        assert row.osi_dg == pytest.approx((pref - orth) / (pref + orth))
        assert row.dsi_dg == pytest.approx((pref - null) / (pref + null))
        rect = np.clip(curve, 0, None)
        theta = np.deg2rad(np.arange(0, 360, 45))
        assert row.cv_os_dg == pytest.approx(abs((rect * np.exp(2j * theta)).sum()) / rect.sum())


def test_run_modulation_has_the_planted_sign(dg):
    truth, result = dg
    mod = result.peak["run_modulation_dg"].to_numpy()
    p = result.peak["p_run_dg"].to_numpy()
    strong = (truth["amp"] > 0.3) & (truth["run_gain"] != 0) & np.isfinite(mod)
    assert strong.any()
    np.testing.assert_array_equal(np.sign(mod[strong]), np.sign(truth["run_gain"][strong]))
    assert (p[strong] < 0.05).all()


def test_static_gratings_recover_orientation_frequency_and_phase(sg):
    truth, result = sg
    peak, values = result.peak, result.values
    responsive = truth["amp"] > 0
    assert result.response.shape == (6, 6, 4, peak.shape[0] + 1, 3)
    for column, key, planted in (("ori_sg", "orivals", "pref_ori"), ("sf_sg", "sfvals", "pref_sf"),
                                 ("phase_sg", "phasevals", "pref_phase")):
        got = values[key][peak[column].to_numpy(int)]
        np.testing.assert_allclose(got[responsive], truth[planted][responsive])
    # time to peak: the response builds over the 7 stimulus frames, then decays
    ttp = peak["time_to_peak_sg"][responsive]
    assert ((ttp > 0) & (ttp < 0.5)).all()
    assert (peak["ptest_sg"][responsive] < 1e-20).all()


def test_blank_sweeps_are_their_own_condition(sg):
    _, result = sg
    table = result.sweeps.table
    blanks = table["spatial_frequency"] == 0
    assert blanks.sum() == 240 and (table.loc[blanks, "orientation"] == 0).all()
    counts = result.response[0, 0, 0, :, :]
    assert np.isfinite(counts[:, 0]).all()  # the blank condition exists
    assert np.isnan(result.response[1:, 0, :, 0, 0]).all()


def test_response_frame_is_the_response_array_in_long_form(dg):
    _, result = dg
    frame = result.response_frame()
    n_cells = len(result.peak)
    assert len(frame) == 8 * 6 * n_cells
    row = frame[(frame.orientation == 90) & (frame.temporal_frequency == 4)
                & (frame.cell_specimen_id == result.peak.index[2])]
    np.testing.assert_array_equal(row[["mean", "sem", "n_significant"]].to_numpy()[0],
                                  result.response[2, 3, 2])
