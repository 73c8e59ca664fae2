"""Signal / noise correlations and representational similarity: definitions and AllenSDK parity."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from brainobs import stimuli as st
from brainobs.analysis.correlations import (
    correlate_rows,
    noise_correlation,
    representational_similarity,
    signal_correlation,
)
from brainobs.analysis.metrics import analyze_stimulus
from brainobs.analysis.result import StimulusResult
from brainobs.errors import InvalidChoiceError

SDK_PYTHON = os.environ.get("BRAINOBS_ALLENSDK_PYTHON")
SCRIPT = Path(__file__).with_name("sdk_extras.py")


@pytest.fixture(scope="module")
def results(synthetic_session):
    """Drifting gratings (session A), static gratings and natural scenes (session B)."""
    _, _, a = synthetic_session("three_session_A")
    _, _, b = synthetic_session("three_session_B")
    return {st.DRIFTING_GRATINGS: analyze_stimulus(a, st.DRIFTING_GRATINGS),
            st.STATIC_GRATINGS: analyze_stimulus(b, st.STATIC_GRATINGS),
            st.NATURAL_SCENES: analyze_stimulus(b, st.NATURAL_SCENES)}


def test_correlate_rows_matches_scipy_with_ties_nan_and_constant_rows():
    x = np.array([[1.0, 2, 2, 5, 3], [4, 1, 3, 3, 0], [2, 2, 2, 2, 2], [1, np.nan, 3, 4, 5]])
    spearman, pearson = correlate_rows(x), correlate_rows(x, "pearson")
    assert spearman[0, 1] == pytest.approx(stats.spearmanr(x[0], x[1])[0], abs=1e-12)
    assert pearson[0, 1] == pytest.approx(stats.pearsonr(x[0], x[1])[0], abs=1e-12)
    assert np.isnan(spearman[2]).all() and np.isnan(spearman[:, 3]).all()
    np.testing.assert_allclose(np.diag(spearman)[:2], 1.0)


def test_bad_method_and_stimulus_say_what_is_valid(results):
    with pytest.raises(InvalidChoiceError, match="spearman"):
        signal_correlation(results[st.DRIFTING_GRATINGS], "kendall")
    lonely = StimulusResult(st.NATURAL_MOVIE_ONE, results[st.NATURAL_SCENES].peak)
    with pytest.raises(InvalidChoiceError, match="drifting_gratings"):
        noise_correlation(lonely)


@pytest.mark.parametrize("stimulus, n_conditions, noise_shape", [
    (st.DRIFTING_GRATINGS, 40, (8, 5)), (st.STATIC_GRATINGS, 120, (6, 5, 4)),
    (st.NATURAL_SCENES, 119, (119,))])
def test_shapes_symmetry_and_definition(results, stimulus, n_conditions, noise_shape):
    result = results[stimulus]
    n = len(result.cell_specimen_ids)
    signal = signal_correlation(result)
    similarity = representational_similarity(result, "pearson")
    noise = noise_correlation(result)
    assert signal.shape == (n, n) and similarity.shape == (n_conditions, n_conditions)
    assert noise.shape == (n, n, *noise_shape)
    np.testing.assert_allclose(signal, signal.T)
    np.testing.assert_allclose(noise, np.swapaxes(noise, 0, 1))
    # cell 0 vs cell 1 by hand: Spearman over the non-blank condition means
    means = result.response[..., :n, 0]
    if stimulus != st.NATURAL_SCENES:
        means = means[:, 1:]
    flat = means.reshape(-1, n)
    assert signal[0, 1] == pytest.approx(stats.spearmanr(flat[:, 0], flat[:, 1])[0], abs=1e-12)
    assert similarity[2, 5] == pytest.approx(stats.pearsonr(flat[2], flat[5])[0], abs=1e-12)


def test_noise_correlation_uses_the_trials_of_each_condition(results):
    result = results[st.DRIFTING_GRATINGS]
    table = result.sweeps.table
    rows = np.flatnonzero((table["orientation"] == 90) & (table["temporal_frequency"] == 4))
    trials = result.sweeps.mean_sweep[rows]
    expected = stats.spearmanr(trials[:, 0], trials[:, 2])[0]
    k_ori, k_tf = list(result.values["orivals"]).index(90), list(result.values["tfvals"]).index(4)
    assert noise_correlation(result)[0, 2, k_ori, k_tf - 1] == pytest.approx(expected, abs=1e-12)
    blank = result.sweeps.mean_sweep[table["temporal_frequency"].to_numpy() == 0]
    assert noise_correlation(result, blank=True)[0, 2] == pytest.approx(
        stats.spearmanr(blank[:, 0], blank[:, 2])[0], abs=1e-12)


@pytest.fixture(scope="module")
def sdk_correlations(synthetic_session, tmp_path_factory):
    """AllenSDK's correlations of the synthetic A and B sessions (both run at once)."""
    if not SDK_PYTHON:
        pytest.skip("set BRAINOBS_ALLENSDK_PYTHON to an AllenSDK 2.16.2 interpreter "
                    "(tests/allensdk/setup_peer.sh builds one)")
    folder = tmp_path_factory.mktemp("sdk-correlations")
    runs = {}
    for session_type in ("three_session_A", "three_session_B"):
        path, out = synthetic_session(session_type)[1], folder / f"{session_type}.npz"
        command = [SDK_PYTHON, "-W", "ignore", str(SCRIPT), "correlations", str(path), str(out)]
        runs[session_type] = (subprocess.Popen(command, stderr=subprocess.PIPE, text=True), out)

    def get(session_type: str) -> dict[str, np.ndarray]:
        process, out = runs[session_type]
        _, err = process.communicate(timeout=1800)
        assert process.returncode == 0, err[-3000:]
        return dict(np.load(out))

    yield get
    for process, _ in runs.values():
        if process.poll() is None:
            process.kill()


def _ours(result, method: str) -> dict[str, np.ndarray]:
    out = {"signal_corr": signal_correlation(result, method),
           "rep_similarity": representational_similarity(result, method)}
    if method == "spearman":
        out["noise_corr"] = noise_correlation(result, method)
        if result.stimulus != st.NATURAL_SCENES:
            out["noise_corr_blank"] = noise_correlation(result, method, blank=True)
    return out


@pytest.mark.allensdk
@pytest.mark.parametrize("session_type", ["three_session_A", "three_session_B"])
def test_correlations_match_allensdk(session_type, synthetic_session, sdk_correlations):
    _, _, data = synthetic_session(session_type)
    sdk = sdk_correlations(session_type)
    compared = 0
    for stimulus in data.stimuli:
        if stimulus not in (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS, st.NATURAL_SCENES):
            continue
        key, result = st.SHORT_NAMES[stimulus], analyze_stimulus(data, stimulus)
        for method in ("spearman", "pearson"):
            for name, value in _ours(result, method).items():
                theirs = sdk[f"{key}/{name}_{method}"]
                assert value.shape == theirs.shape, name
                np.testing.assert_array_equal(np.isnan(value), np.isnan(theirs), name)
                np.testing.assert_allclose(value, theirs, rtol=0, atol=1e-12, err_msg=name)
                compared += 1
    assert compared == (6 if session_type == "three_session_A" else 11)
