"""The Allen-layout analysis file: layout, h5py round trip, and AllenSDK's readers on it."""

from __future__ import annotations

import os
import pickle
import subprocess
from dataclasses import replace
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from brainobs import stimuli as st
from brainobs.analysis._hdf_frames import dumps_compatible, read_frame, write_frame
from brainobs.analysis.analysis_file import (
    analysis_file_name,
    read_analysis_arrays,
    write_analysis_file,
)
from brainobs.analysis.correlations import noise_correlation, signal_correlation
from brainobs.analysis.metrics import analyze_session
from brainobs.analysis.speed_tuning import analyze_speed_tuning

SDK_PYTHON = os.environ.get("BRAINOBS_ALLENSDK_PYTHON")
SCRIPT = Path(__file__).with_name("sdk_extras.py")
SESSIONS = ("three_session_A", "three_session_B", "three_session_C", "three_session_C2")
FRAMES = {
    "three_session_A": {"stim_table_dg", "sweep_response_dg", "mean_sweep_response_dg", "peak",
                        "sweep_response_nm1", "stim_table_nm1", "sweep_response_nm3"},
    "three_session_B": {"stim_table_sg", "sweep_response_sg", "mean_sweep_response_sg",
                        "sweep_response_nm1", "stim_table_nm1", "sweep_response_ns",
                        "stim_table_ns", "mean_sweep_response_ns", "peak"},
    "three_session_C": {"stim_table_lsn", "sweep_response_nm1", "peak", "sweep_response_nm2",
                        "sweep_response_lsn", "mean_sweep_response_lsn"},
    "three_session_C2": {"stim_table_lsn4", "stim_table_lsn8", "sweep_response_nm1", "peak",
                         "sweep_response_nm2", "sweep_response_lsn4", "sweep_response_lsn8",
                         "mean_sweep_response_lsn4", "mean_sweep_response_lsn8"},
}
BINNED = {"binned_cells_sp", "binned_cells_vis", "binned_dx_sp", "binned_dx_vis"}
ARRAYS = {
    "three_session_A": {"response_dg", "noise_corr_dg", "signal_corr_dg", "rep_similarity_dg"},
    "three_session_B": {"response_sg", "response_ns", "noise_corr_sg", "signal_corr_sg",
                        "rep_similarity_sg", "noise_corr_ns", "signal_corr_ns",
                        "rep_similarity_ns"},
    "three_session_C": {"receptive_field_lsn", "mean_response_lsn"},
    "three_session_C2": {"mean_response_lsn4", "mean_response_lsn8", "receptive_field_lsn4",
                         "receptive_field_lsn8", "merge_mean_response"},
}


@pytest.fixture(scope="module")
def written(synthetic_session, tmp_path_factory):
    """``get(session_type) -> (SessionData, results, analysis file)``, made once each."""
    folder = tmp_path_factory.mktemp("analysis-files")
    cache: dict[str, tuple] = {}

    def get(session_type: str):
        if session_type not in cache:
            content, path, data = synthetic_session(session_type)
            results = analyze_session(data, n_shuffles=300)
            name = analysis_file_name(content.metadata.ophys_experiment_id, session_type)
            target = write_analysis_file(path, folder / name, results=results)
            cache[session_type] = (data, results, target)
        return cache[session_type]

    return get


def test_frames_round_trip_through_h5py(tmp_path):
    frame = pd.DataFrame({"a": [1.5, np.nan], "n": [3, 4], "b": [True, False],
                          "t": pd.to_datetime(["2017-02-14 10:02:41"] * 2), "s": ["x", "yz"]},
                         index=pd.Index([7, 9], name="cell"))
    with h5py.File(tmp_path / "f.h5", "w") as f:
        write_frame(f, "analysis/t", frame)
        group = f["analysis/t"]
        assert group.attrs["pandas_type"] == b"frame" and group.attrs["nblocks"] == 5
        assert group["block4_values"].attrs["CLASS"] == b"VLARRAY"
        back = read_frame(f, "analysis/t")
    assert back.columns.tolist() == ["a", "n", "b", "t"]  # the pickled text column is skipped
    pd.testing.assert_frame_equal(back, frame[["a", "n", "b", "t"]], check_dtype=False)
    assert back["b"].dtype == bool and back.index.name == "cell"


def test_pickles_load_without_numpy_2_module_paths():
    values = np.empty((1, 2), dtype=object)
    values[0, 0], values[0, 1] = np.arange(3.0), "text"
    data = dumps_compatible(values)
    assert b"numpy.core.multiarray" in data and b"numpy._core" not in data
    back = pickle.loads(data)
    np.testing.assert_array_equal(back[0, 0], np.arange(3.0))
    with pytest.raises(ValueError, match="numpy scalars"):
        dumps_compatible(np.float64(1.0))


@pytest.mark.parametrize("session_type", SESSIONS)
def test_layout_and_round_trip(written, synthetic_session, session_type):
    data, results, path = written(session_type)
    nwb_path = synthetic_session(session_type)[1]
    arrays = read_analysis_arrays(path)
    with h5py.File(path, "r") as f:
        names = set(f["analysis"])
        frames = {k for k in names if "pandas_type" in f["analysis"][k].attrs}
        assert f.attrs["PYTABLES_FORMAT_VERSION"] == b"2.1"
    groups = {st.LOCALLY_SPARSE_NOISE} if session_type == "three_session_C" else \
        {st.LOCALLY_SPARSE_NOISE_4DEG, st.LOCALLY_SPARSE_NOISE_8DEG} \
        if session_type == "three_session_C2" else set()
    assert frames == FRAMES[session_type]
    assert names == FRAMES[session_type] | ARRAYS[session_type] | BINNED | groups
    n = len(data.cell_specimen_ids)
    peak = arrays["peak"]
    assert peak.index.tolist() == list(range(n))
    np.testing.assert_array_equal(peak["cell_specimen_id"], data.cell_specimen_ids)
    for name, result in results.items():
        for column in result.peak.columns:
            if column in peak and name != st.LOCALLY_SPARSE_NOISE_8DEG:  # C2 VISp: 4.65° block
                np.testing.assert_allclose(peak[column], result.peak[column], rtol=0,
                                           err_msg=column)
        if name in st.NATURAL_MOVIES:
            continue
        short = st.SHORT_NAMES[name]
        np.testing.assert_array_equal(arrays[f"mean_sweep_response_{short}"].to_numpy(),
                                      result.sweeps.mean_sweep)
    if session_type == "three_session_A":
        dg = results[st.DRIFTING_GRATINGS]
        np.testing.assert_array_equal(arrays["response_dg"], dg.response)
        np.testing.assert_array_equal(arrays["signal_corr_dg"], signal_correlation(dg))
        np.testing.assert_array_equal(arrays["noise_corr_dg"], noise_correlation(dg))
        assert {"mod_sp", "mod_vis"} <= set(peak.columns) and peak["mod_vis"].dtype == bool
        assert peak["ori_dg"].dtype == np.int64 and "sex" not in peak  # text: pickled
        tuning = analyze_speed_tuning(nwb_path)
        for name in ("binned_dx_sp", "binned_cells_sp", "binned_dx_vis", "binned_cells_vis"):
            np.testing.assert_array_equal(arrays[name], getattr(tuning, name))
        np.testing.assert_array_equal(peak["ptest_vis"], tuning.peak_run["ptest_vis"])
    if session_type == "three_session_C2":
        lsn8 = results[st.LOCALLY_SPARSE_NOISE_8DEG].response
        merged = arrays["merge_mean_response"]
        np.testing.assert_allclose(merged[::2, ::2], arrays["mean_response_lsn4"][::2, ::2]
                                   + lsn8)


def test_atomic_write_leaves_no_partial_file(written, synthetic_session, tmp_path):
    data, results, _ = written("three_session_A")
    target = tmp_path / "x_analysis.h5"
    assert st.SPONTANEOUS not in data.tables
    with pytest.raises(ValueError, match="spontaneous"):
        write_analysis_file(data, target, results=results)
    broken = dict(results)
    broken[st.DRIFTING_GRATINGS] = replace(results[st.DRIFTING_GRATINGS], response=None)
    with pytest.raises(ValueError, match="no response"):  # fails half-way through writing
        write_analysis_file(synthetic_session("three_session_A")[1], target, results=broken)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def sdk_reads(written, synthetic_session, tmp_path_factory):
    """AllenSDK's ``from_analysis_file`` on our files, all sessions at once."""
    if not SDK_PYTHON:
        pytest.skip("set BRAINOBS_ALLENSDK_PYTHON to an AllenSDK 2.16.2 interpreter "
                    "(tests/allensdk/setup_peer.sh builds one)")
    folder = tmp_path_factory.mktemp("sdk-reads")
    runs = {}
    for session_type in SESSIONS:
        nwb, analysis = synthetic_session(session_type)[1], written(session_type)[2]
        out = folder / f"{session_type}.npz"
        command = [SDK_PYTHON, "-W", "ignore", str(SCRIPT), "read", str(nwb), str(out),
                   str(analysis)]
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


def _check_sdk_peak(sdk: dict, key: str, result, n: int) -> None:
    columns = list(sdk[f"file/{key}/peak/columns"])
    np.testing.assert_array_equal(sdk[f"file/{key}/peak/index"], np.arange(n))
    for column in result.peak.columns:
        assert column in columns, column
        np.testing.assert_allclose(sdk[f"file/{key}/peak/col/{column}"], result.peak[column],
                                   rtol=1e-12, err_msg=column)


@pytest.mark.allensdk
@pytest.mark.parametrize("session_type", SESSIONS)
def test_allensdk_reads_the_file(session_type, written, sdk_reads):
    data, results, _ = written(session_type)
    sdk = sdk_reads(session_type)
    n = len(data.cell_specimen_ids)
    for stimulus, result in results.items():
        key = st.SHORT_NAMES[stimulus]
        _check_sdk_peak(sdk, key, result, n)
        sweeps = sdk[f"file/{key}/sweep_response"]
        if stimulus in st.NATURAL_MOVIES:
            starts, length = result.extra["repeat_starts"], result.extra["repeat_length"]
            assert sweeps.shape == (len(starts), n, length)
            np.testing.assert_array_equal(sweeps[3, 1], data.dff[1, starts[3]:starts[3] + length])
            continue
        assert sweeps.shape[:2] == (len(result.sweeps.table), n + 1)
        # the mean over the response frames of each stored sweep is the mean sweep response
        means = np.nanmean(sweeps[:, :, result.sweeps.window.response], axis=2)
        np.testing.assert_allclose(means, result.sweeps.mean_sweep, rtol=1e-9, atol=1e-9)
        np.testing.assert_array_equal(sdk[f"file/{key}/mean_sweep_response"],
                                      result.sweeps.mean_sweep)
        if stimulus in st.SPARSE_NOISE:
            np.testing.assert_array_equal(sdk[f"file/{key}/mean_response"], result.response)
            np.testing.assert_array_equal(sdk[f"file/{key}/rf/events"], result.extra["events"])
            continue
        np.testing.assert_array_equal(sdk[f"file/{key}/response"], result.response)
        np.testing.assert_array_equal(sdk[f"file/{key}/signal_correlation"],
                                      signal_correlation(result))
