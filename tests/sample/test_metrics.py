"""The published cell metrics are the analysis of the release's own NWB files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from brainobs.analysis import analyze_stimulus, compute_cell_metrics
from brainobs.sample.design import design_release
from brainobs.sample.metrics import (
    METRIC_COLUMNS,
    MetricJobs,
    cell_metric_records,
    session_letter,
)

SESSION_TYPES = ("three_session_A", "three_session_B", "three_session_C", "three_session_C2")


def _load(root: Path, name: str) -> list[dict]:
    return json.loads((root / "visual-coding-2p" / name).read_text())


def _nwb(root: Path, eid: int) -> Path:
    return root / "visual-coding-2p" / "ophys_experiment_data" / f"{eid}.nwb"


@pytest.fixture(scope="module")
def published(small_release) -> dict[int, dict]:
    return {c["cell_specimen_id"]: c for c in _load(small_release, "cell_specimens.json")}


@pytest.fixture(scope="module")
def one_of_each(small_release) -> dict[str, dict]:
    """The first experiment of each session type, from a container that did not fail."""
    failed = {c["id"] for c in _load(small_release, "experiment_containers.json") if c["failed"]}
    out: dict[str, dict] = {}
    for e in _load(small_release, "ophys_experiments.json"):
        if e["experiment_container_id"] not in failed:
            out.setdefault(e["stimulus_name"], e)
    assert set(out) == set(SESSION_TYPES)
    return out


@pytest.mark.parametrize("session_type", SESSION_TYPES)
def test_published_metrics_equal_the_analysis_of_the_file(small_release, published, one_of_each,
                                                          session_type):
    table = compute_cell_metrics(_nwb(small_release, one_of_each[session_type]["id"]))
    letter = session_letter(session_type)
    columns = [name for name, where in METRIC_COLUMNS.items() if where == letter]
    assert sorted(table.columns) == sorted(columns)
    nulls = values = 0
    for cid, row in table.iterrows():
        for name in columns:
            mine, theirs = published[cid][name], row[name]
            if math.isnan(theirs):
                assert mine is None, (cid, name, mine)
                nulls += 1
            else:
                assert mine == theirs, (cid, name, mine, theirs)  # exact: no rounding
                values += 1
    assert values >= 3 * len(table)
    if letter == "C":
        assert nulls > 0  # cells without a significant ON or OFF field have null centres


def test_cells_not_in_a_session_have_null_metrics_of_that_session(small_release, published):
    in_file: dict[str, set[int]] = {"A": set(), "B": set(), "C": set()}
    for e in _load(small_release, "ophys_experiments.json"):
        with h5py.File(_nwb(small_release, e["id"]), "r") as f:
            ids = f["processing/brain_observatory_pipeline/ImageSegmentation/cell_specimen_ids"]
            in_file[session_letter(e["stimulus_name"])].update(int(i) for i in ids[()])
    missing = 0
    for cid, record in published.items():
        for name, letter in METRIC_COLUMNS.items():
            if cid not in in_file[letter]:
                assert record[name] is None, (cid, name)
                missing += 1
        assert record["all_stim"] == all(cid in in_file[x] for x in "ABC")
    assert missing > 0


def test_movie_one_reliability_comes_from_each_session(small_release, published):
    container = _load(small_release, "experiment_containers.json")[1]
    reliability = {}
    for e in container["ophys_experiments"]:
        peak = analyze_stimulus(_nwb(small_release, e["id"]), "natural_movie_one").peak
        reliability[session_letter(e["stimulus_name"])] = peak["response_reliability_nm1"]
    common = set.intersection(*(set(r.index) for r in reliability.values()))
    assert common
    for cid in common:
        got = [published[cid][f"reliability_nm1_{x.lower()}"] for x in "ABC"]
        assert got == [reliability[x][cid] for x in "ABC"]
        assert len(set(got)) == 3  # three sessions, three different values


def test_json_has_no_nan_and_nulls_where_the_analysis_gives_nan(small_release, published):
    text = (small_release / "visual-coding-2p" / "cell_specimens.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert any(c["run_mod_dg"] is None for c in published.values())
    assert any(c["rf_center_on_x_lsn"] is None and c["rf_chi2_lsn"] is not None
               for c in published.values())


def test_release_json_says_how_the_metrics_were_made(small_release):
    summary = json.loads((small_release / "ground_truth" / "release.json").read_text())
    assert summary["cell_metrics"] == (
        "brainobs.analysis.compute_cell_metrics (n_shuffles=10000)")


def test_records_take_each_column_from_its_session_and_null_nan():
    design = design_release(0, "small")[0]
    ids = design.cell_specimen_ids
    a = pd.DataFrame({"p_dg": np.arange(len(ids), dtype=float), "reliability_nm1_a": 0.5},
                     index=ids)
    a.loc[ids[1], "p_dg"] = np.nan
    b = pd.DataFrame({"p_sg": 0.25, "reliability_nm1_b": 0.125}, index=ids[2:])
    records = cell_metric_records(design, {"A": a, "B": b}, 0)
    assert [r["cell_specimen_id"] for r in records] == [int(i) for i in ids]
    assert records[0]["p_dg"] == 0.0 and records[1]["p_dg"] is None
    assert records[2]["p_dg"] == 2.0
    assert records[0]["p_sg"] is None and records[2]["p_sg"] == 0.25
    assert records[2]["reliability_nm1_a"] == 0.5 and records[2]["reliability_nm1_b"] == 0.125
    assert all(r["reliability_nm1_c"] is None and r["rf_chi2_lsn"] is None for r in records)
    assert set(METRIC_COLUMNS) <= set(records[0])
    present = design.present.all(axis=1)
    assert [r["all_stim"] for r in records] == present.tolist()


def test_jobs_in_this_process_and_in_workers_agree(small_release, one_of_each):
    path = _nwb(small_release, one_of_each["three_session_B"]["id"])
    with MetricJobs(workers=1) as here:
        here.submit(1, path)
        first = here.results()[1]
    with MetricJobs(workers=2) as pool:
        pool.submit(1, path)
        pool.submit(2, path)
        assert pool.in_workers
        second = pool.results()
    assert list(second) == [1, 2]
    pd.testing.assert_frame_equal(first, second[1])
    pd.testing.assert_frame_equal(first, second[2])
