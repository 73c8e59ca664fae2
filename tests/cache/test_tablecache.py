"""Fast table copies: exact round trips, no pickle, rebuilt when their inputs change."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from brainobs.cache import tables
from brainobs.cache.tablecache import load_table, read_table, save_table, stamp_of
from tests.settings import REAL_VC2P


def _members_load_without_pickle(path) -> None:
    with np.load(path, allow_pickle=False) as archive:
        for name in archive.files:
            assert archive[name].dtype != object


def _cells(sample_release, n: int | None = None) -> pd.DataFrame:
    path = sample_release / "visual-coding-2p" / "cell_specimens.json"
    records = json.loads(path.read_text())
    if n is not None:
        records = [
            {**records[i % len(records)], "cell_specimen_id": 500_000_000 + i} for i in range(n)
        ]
    return tables.cell_table(records)


def test_sample_tables_round_trip_exactly(sample_release, tmp_path):
    release = sample_release / "visual-coding-2p"
    containers = json.loads((release / "experiment_containers.json").read_text())
    experiments = json.loads((release / "ophys_experiments.json").read_text())
    for name, table in (
        ("containers", tables.container_table(containers)),
        ("experiments", tables.experiment_table(experiments, containers)),
        ("cells", _cells(sample_release)),
    ):
        path = tmp_path / f"{name}.npz"
        assert save_table(table, path, {"format": 1})
        _members_load_without_pickle(path)
        pd.testing.assert_frame_equal(read_table(path, {"format": 1}), table)


@pytest.mark.skipif(not (REAL_VC2P / "experiment_containers.json").is_file(), reason="no ../shared")
def test_real_container_and_experiment_tables_round_trip(tmp_path):
    records = json.loads((REAL_VC2P / "experiment_containers.json").read_text())
    for table in (tables.container_table(records), tables.experiment_table(None, records)):
        save_table(table, tmp_path / "t.npz", {"n": 1})
        back = read_table(tmp_path / "t.npz", {"n": 1})
        pd.testing.assert_frame_equal(back, table)
        assert back["transgenic_lines"].map(type).eq(list).all()


def test_a_63k_row_cell_table_loads_fast_and_exactly(sample_release, tmp_path):
    table = _cells(sample_release, n=63_251)
    path = tmp_path / "cells.npz"
    save_table(table, path, {"format": 1})
    started = time.perf_counter()
    back = read_table(path, {"format": 1})
    seconds = time.perf_counter() - started
    assert back.equals(table)  # same values (NaN where NaN), same dtypes
    assert list(back.dtypes) == list(table.dtypes) and back.index.equals(table.index)
    assert seconds < 2.0, f"warm load took {seconds:.2f} s"


def test_copies_follow_their_inputs(tmp_path):
    source = tmp_path / "cells.json"
    source.write_text(json.dumps([{"cell_specimen_id": 1, "p_dg": 0.5}]))
    copy = tmp_path / "state" / "cells.npz"
    builds = []

    def build():
        builds.append(1)
        return tables.cell_table(json.loads(source.read_text()))

    first = load_table(copy, [source], build)
    second = load_table(copy, [source], build)
    pd.testing.assert_frame_equal(first, second)
    assert len(builds) == 1
    source.write_text(json.dumps([{"cell_specimen_id": 1, "p_dg": 0.25}]))
    assert load_table(copy, [source], build).loc[1, "p_dg"] == 0.25
    assert len(builds) == 2
    assert stamp_of([source, None])["inputs"][1] is None


def test_a_damaged_copy_is_rebuilt_with_a_warning(tmp_path, caplog):
    copy = tmp_path / "cells.npz"
    copy.write_bytes(b"PK\x03\x04 not really")
    table = pd.DataFrame({"a": [1.0]})
    assert load_table(copy, [], lambda: table) is table
    assert "unreadable table copy" in caplog.text
    pd.testing.assert_frame_equal(read_table(copy, stamp_of([])), table)


def test_columns_that_cannot_be_stored_are_not_kept(tmp_path):
    table = pd.DataFrame({"when": pd.to_datetime(["2017-01-01"])})
    assert not save_table(table, tmp_path / "t.npz", {})
    assert not (tmp_path / "t.npz").exists()
    assert load_table(tmp_path / "t.npz", [], lambda: table) is table
