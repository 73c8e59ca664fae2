"""Sweep windows, % dF/F sweeps and per-trial statistics, against direct per-trial arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from brainobs.analysis import sweeps
from brainobs.analysis.sweeps import (
    SweepWindow,
    compute_sweep_statistics,
    cut_sweeps,
    stimulus_locked_responses,
    sweep_window,
)
from brainobs.errors import InvalidChoiceError

RNG = np.random.default_rng(3)


def _table(starts: np.ndarray, length: int = 7, labels: np.ndarray | None = None) -> pd.DataFrame:
    return pd.DataFrame({"start": starts, "end": starts + length}, index=labels)


def test_windows_follow_the_allen_rules():
    table = _table(np.array([100, 108, 116]), length=8, labels=np.array([2, 0, 1]))
    assert sweep_window("drifting_gratings", table) == SweepWindow(60, 30, 0)
    assert sweep_window("static_gratings", table) == SweepWindow(8, 32, 8)
    # sparse noise reads the row *labelled* 1, not the second row
    table.loc[1, "end"] = table.loc[1, "start"] + 6
    assert sweep_window("locally_sparse_noise", table) == SweepWindow(6, 24, 6)
    assert sweep_window("natural_scenes", table).sweep == 8
    with pytest.raises(ValueError, match="natural movies"):
        sweep_window("natural_movie_one", table)


def test_cut_sweeps_is_percent_change_from_the_pre_onset_mean():
    traces = RNG.uniform(50, 150, (3, 400))
    starts = np.array([40, 100, 333])
    window = SweepWindow(7, 28, 7)
    got = cut_sweeps(traces, starts, window)
    assert got.shape == (3, 3, 63)
    for c in range(3):
        for t, s in enumerate(starts):
            x = traces[c, s - 28 : s + 35]
            np.testing.assert_array_equal(got[c, t], 100 * (x / x[:28].mean() - 1))


def test_windows_outside_the_recording_are_nan():
    got = cut_sweeps(np.ones((1, 50)), np.array([45]), SweepWindow(7, 28, 7))
    assert np.isnan(got[0, 0, -13:]).all() and not np.isnan(got[0, 0, :50 - 17]).any()


def test_statistics_equal_per_trial_mean_and_anova(monkeypatch):
    traces = RNG.uniform(80, 120, (5, 3000))
    speed = RNG.uniform(0, 5, 3000)
    speed[:40] = np.nan
    table = _table(np.arange(30, 2900, 7)[:300])
    monkeypatch.setattr(sweeps, "_BLOCK_BYTES", 200_000)  # several blocks of cells
    s = compute_sweep_statistics("natural_scenes", table, traces, speed, 30.0, np.arange(5))
    assert s.mean_sweep.shape == (300, 6)
    for t in (0, 17, 299):
        start = table.start.iloc[t]
        for c in (0, 4):
            x = traces[c, start - 28 : start + 35]
            x = 100 * (x / x[:28].mean() - 1)
            assert s.mean_sweep[t, c] == pytest.approx(x[28:42].mean(), rel=1e-12)
            assert s.pval[t, c] == pytest.approx(stats.f_oneway(x[:28], x[28:42]).pvalue, rel=1e-9)
        want = speed[start - 28 : start + 35][28:42].mean()
        assert s.speed[t] == pytest.approx(want, nan_ok=True)
    assert np.isnan(s.speed[0]) and np.isfinite(s.speed[17])  # first trial: unknown speed


def test_frame_and_tidy_views_are_labelled():
    traces = RNG.uniform(80, 120, (2, 500))
    table = _table(np.array([100, 200]), labels=np.array([7, 3]))
    s = compute_sweep_statistics("natural_scenes", table, traces, np.zeros(500), 30.0,
                                 np.array([11, 22]))
    frame = s.frame("pval")
    assert frame.index.tolist() == [7, 3] and frame.columns.tolist() == [11, 22, "dx"]
    r = stimulus_locked_responses(traces, table, s.window, 30.0, np.array([11, 22]), cells=[22])
    assert r.data.shape == (1, 2, 63) and r.presentation.tolist() == [7, 3]
    assert r.time[28] == 0.0 and r.time[0] == pytest.approx(-28 / 30)
    tidy = r.to_frame()
    assert len(tidy) == 2 * 63 and set(tidy.cell_specimen_id) == {22}
    with pytest.raises(InvalidChoiceError, match="Unknown cell_specimen_id 99"):
        stimulus_locked_responses(traces, table, s.window, 30.0, np.array([11, 22]), cells=[99])
