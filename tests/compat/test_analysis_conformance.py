"""The compat analysis classes give AllenSDK 2.16.2's attributes: values, types, shapes.

Synthetic experiments with the real stimulus structure and a few cells (AllenSDK's loops are
slow: sparse noise takes seconds per cell) are written as NWB 1 files; AllenSDK's
DriftingGratings / StaticGratings / NaturalScenes / NaturalMovie / LocallySparseNoise run on
them in their own interpreter (``tests/allensdk/sdk_analysis_dump.py``) and the compat classes
on the same files. Every attribute AllenSDK has must match (tables: columns, dtypes, index and
the kind of value in object columns; arrays: dtype and values); every attribute it lacks must
be missing here too, and what fails there raises ``NotSupportedError`` here. Needs
``BRAINOBS_ALLENSDK_PYTHON``; skipped otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from brainobs.compat import BrainObservatoryNwbDataSet, NotSupportedError
from brainobs.compat.analysis import analysis_for
from brainobs.sample.nwb1_writer import write_nwb1
from tests.analysis.synthetic import make_analysis_session

pytestmark = pytest.mark.allensdk

SCRIPT = Path(__file__).resolve().parents[1] / "allensdk" / "sdk_analysis_dump.py"
#: Session -> (cells, stimuli AllenSDK analyses; empty = all). Two or four cells: AllenSDK's
#: NaturalMovie unpacks its sweep table into three names, which goes wrong with three cells.
SESSIONS = {
    "three_session_A": (4, ()),
    "three_session_B": (2, ()),
    "three_session_C2": (2, ("locally_sparse_noise_8deg", "natural_movie_two")),
}
KINDS = {"int": "int", "int64": "int", "float": "float", "float64": "float"}


class Dump:
    """AllenSDK's results for one file."""

    def __init__(self, record: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
        self.record, self.arrays = record, arrays

    def keys(self, section: str, stimulus: str) -> list[str]:
        return [k.split("/", 1)[1] for k in self.record[section] if k.startswith(stimulus + "/")]


@pytest.fixture(scope="module")
def sdk_results(sdk_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Session type -> (NWB path, AllenSDK dump); the AllenSDK runs go in parallel."""
    root = tmp_path_factory.mktemp("compat-analysis")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    runs = {}
    for session, (cells, only) in SESSIONS.items():
        path = write_nwb1(make_analysis_session(session, n_cells=cells), root / f"{session}.nwb")
        command = [sdk_python, "-W", "ignore", str(SCRIPT),
                   *([f"--only={','.join(only)}"] if only else []), str(root), str(path)]
        runs[session] = (path, subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                                                env=env))
    results = {}
    for session, (path, process) in runs.items():
        _, err = process.communicate(timeout=1800)
        assert process.returncode == 0, err[-4000:]
        record = json.loads(path.with_suffix(".json").read_text())
        with np.load(path.with_suffix(".npz")) as arrays:
            results[session] = (path, Dump(record, dict(arrays)))
    return results


def same_values(ours: Any, theirs: np.ndarray, what: str) -> None:
    ours = np.asarray(ours)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} vs AllenSDK {theirs.shape}"
    if theirs.dtype.kind in "fc":
        np.testing.assert_allclose(ours.astype(float), theirs, rtol=1e-6, atol=1e-9,
                                   equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(ours, theirs, err_msg=what)


def check_table(frame: Any, dump: Dump, key: str) -> None:
    meta = dump.record["tables"][key]
    assert [str(c) for c in frame.columns] == meta["columns"], f"{key}: columns"
    assert [str(t) for t in frame.dtypes] == meta["dtypes"], f"{key}: dtypes"
    assert str(frame.index.dtype) == meta["index_dtype"], f"{key}: index dtype"
    same_values(frame.index.to_numpy(), dump.arrays[f"{key}/index"], f"{key}: index")
    for column, kinds in meta["kinds"].items():
        mine = {type(v).__name__ for v in frame[column]}
        if kinds == ["ndarray"]:
            assert mine == {"ndarray"}, f"{key}: {column} holds {mine}"
        else:
            assert {KINDS.get(k, k) for k in mine} == {KINDS[k] for k in kinds}, f"{key}.{column}"
    for column in meta["columns"]:
        stored = dump.arrays.get(f"{key}/column/{column}")
        if stored is not None:
            values = frame[column].to_numpy()
            if values.dtype == object and isinstance(values[0], np.ndarray):
                values = np.stack(values)
            same_values(np.asarray(values, dtype=float), stored, f"{key}: {column}")


def check_errors(analysis: Any, dump: Dump, stimulus: str) -> None:
    for name in dump.keys("errors", stimulus):
        if "/" in name:
            continue
        error = dump.record["errors"][f"{stimulus}/{name}"]
        if error == "AttributeError":
            assert not hasattr(analysis, name), f"{stimulus}: AllenSDK has no {name}"
        else:
            with pytest.raises(NotSupportedError):
                getattr(analysis, name)


def check_correlations(analysis: Any, dump: Dump, stimulus: str) -> None:
    calls = {"signal": analysis.get_signal_correlation,
             "representational": analysis.get_representational_similarity,
             "noise": analysis.get_noise_correlation}
    for name, call in calls.items():
        ours = call()
        key = f"{stimulus}/correlation/{name}"
        assert len(ours) == len([k for k in dump.arrays if k.startswith(key + "/")]), key
        for position, value in enumerate(ours):
            theirs = dump.arrays[f"{key}/{position}"]
            if position % 2:  # p values: AllenSDK fills some only above the diagonal
                upper = np.triu(np.ones(theirs.shape[:2], dtype=bool))
                value, theirs = np.asarray(value)[upper], theirs[upper]
            same_values(value, theirs, f"{key}/{position}")


def check_stimulus(ds: BrainObservatoryNwbDataSet, dump: Dump, stimulus: str) -> None:
    analysis = analysis_for(ds, stimulus)
    for name in dump.keys("tables", stimulus):
        check_table(getattr(analysis, name), dump, f"{stimulus}/{name}")
    for name in dump.keys("arrays", stimulus):
        if "/" not in name:
            ours = np.asarray(getattr(analysis, name))
            theirs = dump.arrays[f"{stimulus}/{name}"]
            assert ours.dtype == theirs.dtype, f"{stimulus}.{name}: {ours.dtype} vs {theirs.dtype}"
            same_values(ours, theirs, f"{stimulus}.{name}")
    for name in dump.keys("scalars", stimulus):
        theirs = dump.record["scalars"][f"{stimulus}/{name}"]
        ours = getattr(analysis, name)
        assert type(ours).__name__ == theirs["type"], f"{stimulus}.{name}: {type(ours)}"
        if isinstance(ours, str):
            assert ours == theirs["value"], f"{stimulus}.{name}"
        else:
            assert ours == pytest.approx(theirs["value"], rel=1e-12), f"{stimulus}.{name}"
    check_errors(analysis, dump, stimulus)
    if any(k.startswith(f"{stimulus}/correlation/") for k in dump.arrays):
        check_correlations(analysis, dump, stimulus)


@pytest.mark.parametrize("session", list(SESSIONS))
def test_analysis_classes_match_allensdk(session: str, sdk_results: dict[str, Any]) -> None:
    path, dump = sdk_results[session]
    stimuli = sorted({k.split("/")[0] for k in dump.record["tables"]})
    assert stimuli
    failures = []
    with BrainObservatoryNwbDataSet(path) as ds:
        for stimulus in stimuli:
            try:
                check_stimulus(ds, dump, stimulus)
            except AssertionError as err:
                failures.append(f"{stimulus}: {err}")
    assert not failures, "\n".join(failures)
