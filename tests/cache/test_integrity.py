"""vc.verify(): every cached file checked in full; damaged ones found and fetched again."""

from __future__ import annotations

import os
import shutil

from brainobs import VisualCoding2P
from brainobs.sources.paths import part_path

from .conftest import md5_of


def _flip_keeping_time(path) -> None:
    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # only a full check can tell


def _warm(url, cache, n=2):
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    ids = [int(i) for i in vc.experiments().index[:n]]
    for eid in ids:
        vc.experiment_path(eid)
        vc.events_path(eid)
    vc.cells()
    return vc, ids


def test_verify_reports_every_file_and_finds_silent_damage(mirror, cache, sample_release):
    _, url = mirror
    vc, ids = _warm(url, cache)
    report = vc.verify()
    assert (report["status"] == "ok").all() and report.attrs["brainobs"]["ok"]
    assert sorted(report["kind"].unique()) == ["events", "metadata", "nwb"]
    assert len(report) == 3 + 2 * len(ids)
    nwb = vc.source.release / "ophys_experiment_data" / f"{ids[0]}.nwb"
    _flip_keeping_time(nwb)
    assert vc.experiment_path(ids[0]) == nwb  # a warm start only checks the size ...
    report = vc.verify().set_index("key")  # ... the full check finds it
    row = report.loc[f"visual-coding-2p/ophys_experiment_data/{ids[0]}.nwb"]
    assert row["status"] == "damaged" and "md5" in row["problem"]
    assert (report.drop(index=row.name)["status"] == "ok").all()
    assert not report.attrs["brainobs"]["ok"]
    fixed = vc.verify(refetch=True).set_index("key").loc[row.name]
    assert fixed["status"] == "refetched"
    served = sample_release / "visual-coding-2p" / "ophys_experiment_data" / nwb.name
    assert md5_of(nwb) == md5_of(served)
    assert (vc.verify()["status"] == "ok").all()


def test_damaged_events_and_metadata_are_found_and_fixed(mirror, cache):
    _, url = mirror
    vc, ids = _warm(url, cache, n=1)
    events = vc.events_path(ids[0])
    events.write_bytes(events.read_bytes()[:-50])
    cells = vc.source.release / "cell_specimens.json"
    _flip_keeping_time(cells)
    report = vc.verify(refetch=True).set_index("key")
    for key in (
        f"visual-coding-2p/ophys_experiment_events/{ids[0]}_events.npz",
        "visual-coding-2p/cell_specimens.json",
    ):
        assert report.loc[key, "status"] == "refetched", report.loc[key, "problem"]
    assert (
        "size"
        in report.loc[f"visual-coding-2p/ophys_experiment_events/{ids[0]}_events.npz", "problem"]
    )
    assert len(VisualCoding2P(url, cache_dir=cache, progress=False).cells()) > 0


def test_interrupted_downloads_are_listed(mirror, cache):
    _, url = mirror
    vc, ids = _warm(url, cache, n=1)
    other = int(vc.experiments().index[1])
    target = vc.source.release / "ophys_experiment_data" / f"{other}.nwb"
    part_path(target).write_bytes(b"\0" * 1000)
    row = vc.verify().set_index("key").loc[f"visual-coding-2p/ophys_experiment_data/{other}.nwb"]
    assert row["status"] == "partial" and row["size"] == 1000 and "resumes" in row["problem"]


def test_a_folder_source_cannot_refetch_and_says_so(sample_release, tmp_path):
    root = tmp_path / "copy"
    release = root / "visual-coding-2p"
    (release / "ophys_experiment_data").mkdir(parents=True)
    shutil.copy(sample_release / "visual-coding-2p" / "experiment_containers.json", release)
    nwb = next((sample_release / "visual-coding-2p" / "ophys_experiment_data").iterdir())
    (release / "ophys_experiment_data" / nwb.name).write_bytes(nwb.read_bytes()[:4096])
    report = VisualCoding2P(root, cache_dir=tmp_path / "cache").verify(refetch=True)
    row = report.set_index("kind").loc["nwb"]
    assert row["status"] == "damaged" and "does not open as HDF5" in row["problem"]
    assert "copy this file again" in row["problem"]


def test_a_damaged_sample_release_is_written_again(sample_release, tmp_path):
    cache = tmp_path / "cache"
    shutil.copytree(sample_release, cache / "sample")
    vc = VisualCoding2P("sample", cache_dir=cache)
    events = next((vc.source.release / "ophys_experiment_events").iterdir())
    events.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    report = vc.verify(refetch=True).set_index("key")
    key = f"visual-coding-2p/ophys_experiment_events/{events.name}"
    assert report.loc[key, "status"] == "refetched"
    original = sample_release / "visual-coding-2p" / "ophys_experiment_events" / events.name
    assert md5_of(events) == md5_of(original)
