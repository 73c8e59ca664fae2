"""brainobs.analysis equals AllenSDK 2.16.2's stimulus analyses on the same NWB files.

For one synthetic file per session type (real stimulus structure, planted tuning) and one
experiment per session type of the sample release, AllenSDK's
DriftingGratings / StaticGratings / NaturalScenes / NaturalMovie / LocallySparseNoise run in
their own interpreter (``sdk_metrics.py``; set ``BRAINOBS_ALLENSDK_PYTHON``) and brainobs
on the same file; every peak-table metric must agree (rtol 1e-6; p values 1e-6 absolute;
NaN where the SDK has NaN), as must responses, mean sweep responses, per-trial p values and
the receptive-field intermediates. Shuffle p values of the sparse-noise test are compared
up to ties: the SDK's value must lie between ours with ties counted as below and as above
(see ``_check_sparse_noise``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from brainobs import stimuli as st
from brainobs.analysis._rf_design import blurred_design_matrix, holm_sidak, shuffle_pvalues
from brainobs.analysis.metrics import analyze_stimulus

pytestmark = pytest.mark.allensdk

SDK_PYTHON = os.environ.get("BRAINOBS_ALLENSDK_PYTHON")
SCRIPT = Path(__file__).with_name("sdk_metrics.py")
SESSIONS = ("three_session_A", "three_session_B", "three_session_C", "three_session_C2")
P_COLUMNS = ("ptest", "p_run", "rf_chi2")


def _launch(files: dict[str, Path], out_dir: Path) -> dict[str, tuple]:
    """Start AllenSDK on every file at once (separate processes)."""
    runs = {}
    for name, path in files.items():
        target = out_dir / f"{name}.npz"
        command = [SDK_PYTHON, "-W", "ignore", str(SCRIPT), str(path), str(target)]
        runs[name] = (subprocess.Popen(command, stderr=subprocess.PIPE, text=True), target)
    return runs


def _waiter(runs: dict[str, tuple]):
    def get(name: str) -> dict[str, np.ndarray]:
        process, target = runs[name]
        _, err = process.communicate(timeout=3600)
        assert process.returncode == 0, err[-3000:]
        return dict(np.load(target))

    return get


def _require_sdk() -> None:
    if not SDK_PYTHON:
        pytest.skip("set BRAINOBS_ALLENSDK_PYTHON to an AllenSDK 2.16.2 interpreter "
                    "(tests/allensdk/setup_peer.sh builds one)")


@pytest.fixture(scope="module")
def sdk_output(synthetic_session, tmp_path_factory):
    """AllenSDK results of the synthetic sessions: ``get(session_type)``."""
    _require_sdk()
    files = {s: synthetic_session(s)[1] for s in SESSIONS}
    runs = _launch(files, tmp_path_factory.mktemp("allensdk-synthetic"))
    yield _waiter(runs)
    for process, _ in runs.values():
        if process.poll() is None:
            process.kill()


@pytest.fixture(scope="module")
def release_output(request, tmp_path_factory):
    """One experiment per session type of the sample release, and AllenSDK's results on the
    A and B ones: ``(files, get(session_type))``."""
    _require_sdk()
    from brainobs.nwb import open_nwb

    files: dict[str, Path] = {}
    for path in sorted(Path(request.getfixturevalue("sample_release")).rglob("*.nwb")):
        with open_nwb(path) as experiment:
            files.setdefault(str(experiment.metadata["session_type"]), path)
    chosen = {s: p for s, p in files.items() if s in ("three_session_A", "three_session_B")}
    runs = _launch(chosen, tmp_path_factory.mktemp("allensdk-release"))
    yield files, _waiter(runs)
    for process, _ in runs.values():
        if process.poll() is None:
            process.kill()


def _assert_same(ours: np.ndarray, theirs: np.ndarray, what: str, p_values: bool = False):
    ours = np.asarray(ours, dtype=float)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != {theirs.shape}"
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=f"{what}: NaN")
    if p_values:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6, err_msg=what)
    else:
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-12, err_msg=what)


def _tie_bands(result, data) -> tuple[np.ndarray, np.ndarray]:
    """Our shuffle p values with exact ties counted as below (low) and as not below (high)."""
    table = data.table(result.stimulus)
    a_blur = blurred_design_matrix(data.templates[result.stimulus][table["frame"].to_numpy()])
    low = shuffle_pvalues(a_blur, result.extra["events"], margin=1e-9)
    high = shuffle_pvalues(a_blur, result.extra["events"], margin=-1e-9)
    return low, high


def _check_sparse_noise(result, sdk: dict, key: str, data) -> np.ndarray:
    """Compare the receptive-field analysis; return the cells whose metrics do not hang on ties.

    A shuffle mean that equals the observed mean mathematically is decided by floating-point
    rounding (in AllenSDK as here). The SDK's p values must lie in our tie band, and its FDR
    mask between ours with ties counted either way; cells whose mask changes with the ties
    (a handful of events, coarse 9.3° grid) are left out of the exact metric comparison.
    """
    extra = result.extra
    _assert_same(result.response, sdk[f"{key}/mean_response"], f"{key} mean_response")
    for part in ("events", "rts", "rts_convolution"):
        _assert_same(extra[part], sdk[f"{key}/rf/{part}"], f"{key} {part}")
    _assert_same(extra["chi2_pvalues"], sdk[f"{key}/rf/chi2_pvalues"], f"{key} chi2", True)
    low, high = _tie_bands(result, data)
    theirs = sdk[f"{key}/rf/pvalues"].reshape(low.shape)
    assert ((theirs >= low - 1e-12) & (theirs <= high + 1e-12)).all(), f"{key} shuffle p"
    widest, narrowest = holm_sidak(low) < 0.05, holm_sidak(high) < 0.05
    sdk_mask = sdk[f"{key}/rf/fdr_corrected"].reshape(low.shape) < 0.05
    assert (narrowest <= sdk_mask).all() and (sdk_mask <= widest).all(), f"{key} FDR masks"
    robust = (widest == narrowest).all(axis=1)
    ours = (extra["fdr_corrected"].reshape(low.shape) < 0.05)
    np.testing.assert_array_equal(ours[robust], sdk_mask[robust])
    field = sdk[f"{key}/receptive_field"]
    _assert_same(extra["receptive_field"][:, :, robust], field[:, :, robust], f"{key} field")
    return robust


def _compare_session(data, sdk: dict[str, np.ndarray]) -> None:
    for stimulus in data.stimuli:
        key = st.SHORT_NAMES[stimulus]
        result = analyze_stimulus(data, stimulus)
        columns = [k.split("/")[-1] for k in sdk if k.startswith(f"{key}/peak/")]
        assert set(result.peak.columns) == set(columns) - {"cell_specimen_id"}
        np.testing.assert_array_equal(sdk[f"{key}/peak/cell_specimen_id"], result.peak.index)
        cells = np.ones(len(result.peak), dtype=bool)
        if stimulus in st.SPARSE_NOISE:
            cells = _check_sparse_noise(result, sdk, key, data)
            assert np.isfinite(result.peak["rf_area_on_lsn"][cells]).any(), "no field compared"
        for column in result.peak.columns:
            rows = slice(None) if column == "rf_chi2_lsn" else cells
            is_p = column.startswith(P_COLUMNS)
            _assert_same(result.peak[column].to_numpy()[rows], sdk[f"{key}/peak/{column}"][rows],
                         column, is_p)
        if stimulus in st.NATURAL_MOVIES:
            continue
        _assert_same(result.sweeps.mean_sweep, sdk[f"{key}/mean_sweep_response"], "mean sweep")
        _assert_same(result.sweeps.pval, sdk[f"{key}/pval"], "per-trial p", p_values=True)
        if stimulus not in st.SPARSE_NOISE:
            _assert_same(result.response, sdk[f"{key}/response"], f"{key} response")


@pytest.mark.parametrize("session_type", SESSIONS)
def test_synthetic_sessions_match_allensdk(session_type, synthetic_session, sdk_output):
    _, _, data = synthetic_session(session_type)
    _compare_session(data, sdk_output(session_type))


# Sample-release sparse-noise sessions (~35 cells) take AllenSDK several minutes each; the
# sparse-noise code paths are covered by the synthetic C and C2 sessions above.
@pytest.mark.parametrize("session_type", ["three_session_A", "three_session_B"])
def test_sample_release_matches_allensdk(session_type, release_output):
    from brainobs.analysis.inputs import SessionData
    from brainobs.nwb import open_nwb

    files, get = release_output
    if session_type not in files:
        pytest.skip(f"the sample release has no {session_type} experiment")
    with open_nwb(files[session_type]) as experiment:
        data = SessionData.from_experiment(experiment)
    _compare_session(data, get(session_type))
