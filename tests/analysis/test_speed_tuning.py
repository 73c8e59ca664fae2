"""Running-speed tuning: binning rules, shuffle test, parity with AllenSDK's get_speed_tuning."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from brainobs.analysis.speed_tuning import (
    PEAK_RUN_COLUMNS,
    analyze_speed_tuning,
    compute_speed_tuning,
)

SDK_PYTHON = os.environ.get("BRAINOBS_ALLENSDK_PYTHON")
SCRIPT = Path(__file__).with_name("sdk_extras.py")


def _toy(n: int = 6000, seed: int = 3):
    """Speeds 0..~30 cm/s; cell 0 grows with speed, cell 1 is noise; spontaneous = last 2000."""
    rng = np.random.default_rng(seed)
    speed = np.where(rng.random(n) < 0.5, rng.uniform(0, 0.9, n), rng.uniform(1, 30, n))
    dff = np.stack([0.02 * speed + rng.normal(0, 0.1, n), rng.normal(0, 0.1, n)])
    return dff, speed, pd.DataFrame({"start": [n - 2000], "end": [n]})


def test_bins_follow_the_allen_rule():
    dff, speed, spont = _toy()
    tuning = compute_speed_tuning(dff, speed, spont, np.array([5, 9]), binsize=300)
    vis = speed[:-2000]
    running = np.sort(vis[vis >= 1])
    n_bins = 1 + len(running) // 300
    assert tuning.binned_dx_vis.shape == (n_bins, 2)
    assert tuning.binned_cells_vis.shape == (2, n_bins, 2)
    slow = vis[vis < 1]
    assert tuning.binned_dx_vis[0, 0] == pytest.approx(slow.mean())
    assert tuning.binned_dx_vis[0, 1] == pytest.approx(slow.std() / np.sqrt(len(slow)))
    assert tuning.binned_dx_vis[2, 0] == pytest.approx(running[300:600].mean())
    order = np.argsort(vis)
    assert tuning.binned_cells_vis[1, 1, 0] == pytest.approx(
        dff[1, :-2000][order][len(slow):len(slow) + 300].mean())
    assert tuning.peak_run.index.tolist() == [5, 9]
    assert tuple(tuning.peak_run.columns) == PEAK_RUN_COLUMNS


def test_shuffle_test_finds_the_speed_tuned_cell_only():
    dff, speed, spont = _toy()
    run = compute_speed_tuning(dff, speed, spont, binsize=300).peak_run
    assert run["mod_vis"].tolist() == [True, False]
    assert run["speed_max_vis"][0] > 20 and run["speed_min_vis"][0] < 1
    # ptest: the max bin (the SDK takes sorted positions [k * binsize, (k + 1) * binsize))
    vis_order = np.argsort(speed[:-2000])  # no equal speeds here
    trace = dff[0, :-2000][vis_order]
    k = int(np.argmax(compute_speed_tuning(dff, speed, spont, binsize=300)
                      .binned_cells_vis[0, :, 0]))
    expected = stats.ks_2samp(trace[k * 300:(k + 1) * 300],
                              np.r_[trace[:k * 300], trace[(k + 1) * 300:]]).pvalue
    assert run["ptest_vis"][0] == pytest.approx(expected)


def test_speed_never_above_one_gives_a_single_bin_and_all_nan_speed_raises():
    dff, speed, spont = _toy()
    tuning = compute_speed_tuning(dff, speed * 0.01, spont, binsize=300, n_shuffles=10)
    assert tuning.binned_dx_sp.shape == (1, 2)
    with pytest.raises(ValueError, match="running speed"):
        compute_speed_tuning(dff, np.full_like(speed, np.nan), spont)


@pytest.mark.allensdk
def test_speed_tuning_matches_allensdk(synthetic_session, tmp_path):
    """Session C: two spontaneous blocks, and running speeds with many exact ties."""
    if not SDK_PYTHON:
        pytest.skip("set BRAINOBS_ALLENSDK_PYTHON to an AllenSDK 2.16.2 interpreter "
                    "(tests/allensdk/setup_peer.sh builds one)")
    path = synthetic_session("three_session_C")[1]
    out = tmp_path / "sdk.npz"
    done = subprocess.run([SDK_PYTHON, "-W", "ignore", str(SCRIPT), "speed", str(path),
                           str(out)], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    sdk = dict(np.load(out))
    tuning = analyze_speed_tuning(path)
    for name in ("binned_dx_sp", "binned_cells_sp", "binned_dx_vis", "binned_cells_vis"):
        ours, theirs = getattr(tuning, name), sdk["speed/" + name]
        assert ours.shape == theirs.shape, name
        np.testing.assert_allclose(ours[..., 0], theirs[..., 0], rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(ours[..., 1], theirs[..., 1], rtol=1e-6, err_msg=name)
    run = tuning.peak_run
    for column in ("speed_max_sp", "speed_min_sp", "speed_max_vis", "speed_min_vis"):
        np.testing.assert_allclose(run[column].to_numpy(), sdk["speed/peak_run/" + column],
                                   rtol=1e-12, err_msg=column)
    for column in ("ptest_sp", "ptest_vis"):
        np.testing.assert_allclose(run[column].to_numpy(), sdk["speed/peak_run/" + column],
                                   rtol=0, atol=1e-6, err_msg=column)
    # The SDK's shuffles are unseeded: compare the cells whose verdict no seed changes.
    verdicts = [analyze_speed_tuning(path, seed=s).peak_run for s in range(4)]
    for column in ("mod_sp", "mod_vis"):
        votes = np.array([v[column].to_numpy(dtype=bool) for v in verdicts])
        robust = votes.all(axis=0) | ~votes.any(axis=0)
        assert robust.sum() >= 3, column
        np.testing.assert_array_equal(votes[0][robust],
                                      sdk["speed/peak_run/" + column][robust].astype(bool))
