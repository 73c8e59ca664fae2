"""The file store: trusted while unchanged, damaged copies never handed out, keys kept inside."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

from brainobs import VisualCoding2P
from brainobs.cache.files import FileStore
from brainobs.cache.kinds import FileSpec, experiment_spec
from brainobs.cache.ledger import Ledger
from brainobs.config import resolve_source
from brainobs.errors import DownloadError, UnsafeKeyError
from brainobs.sources.mirror import serve

from .conftest import md5_of


def _warm(url, cache):
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    eid = int(vc.experiments().index[0])
    return vc, eid, vc.experiment_path(eid)


def _served(sample_release, eid):
    return sample_release / "visual-coding-2p" / "ophys_experiment_data" / f"{eid}.nwb"


def test_a_warm_start_reads_no_file_and_writes_no_record(mirror, cache):
    server, url = mirror
    _, eid, path = _warm(url, cache)
    ledger = Ledger(resolve_source(url, cache).state).path
    stamp = ledger.stat().st_mtime_ns
    before = len(server.requests)
    again = VisualCoding2P(url, cache_dir=cache, progress=False)
    assert again.experiment_path(eid) == path
    assert len(server.requests) == before
    assert ledger.stat().st_mtime_ns == stamp  # nothing re-checked


def test_a_truncated_cached_file_is_fetched_again(mirror, cache, sample_release, caplog):
    _, url = mirror
    _, eid, path = _warm(url, cache)
    path.write_bytes(path.read_bytes()[:100_000])
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    with caplog.at_level(logging.WARNING, logger="brainobs"):
        again = vc.experiment_path(eid)
    assert "is damaged (size 100,000 != " in caplog.text
    assert md5_of(again) == md5_of(_served(sample_release, eid))


def test_a_truncated_cached_file_is_never_used_offline(sample_release, cache):
    server, url = serve(sample_release)
    with server:
        _, eid, path = _warm(url, cache)
    path.write_bytes(path.read_bytes()[:-10])
    vc = VisualCoding2P(url, cache_dir=cache, progress=False, retries=1)
    with pytest.raises(DownloadError, match="is not in the cache"):
        vc.experiment(eid)
    assert not path.exists()


def test_a_changed_file_of_the_same_size_is_hashed_and_replaced(mirror, cache, sample_release):
    _, url = mirror
    _, eid, path = _warm(url, cache)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))  # same size, new modification time
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    assert md5_of(vc.experiment_path(eid)) == md5_of(_served(sample_release, eid))


def test_a_file_put_in_the_cache_by_hand_is_checked_once_without_network(sample_release, cache):
    server, url = serve(sample_release)
    with server:
        vc, eid, _ = _warm(url, cache)
    other = int(vc.experiments().index[1])
    target = vc.source.release / "ophys_experiment_data" / f"{other}.nwb"
    shutil.copy(_served(sample_release, other), target)  # e.g. copied from a USB stick
    fresh = VisualCoding2P(url, cache_dir=cache, progress=False, retries=0)
    assert fresh.experiment(other).number_of_cells > 0
    entry = Ledger(fresh.source.state).get(f"visual-coding-2p/ophys_experiment_data/{other}.nwb")
    assert entry["md5"] == md5_of(target) and entry["size"] == target.stat().st_size


def test_a_broken_file_put_in_by_hand_is_refused(sample_release, cache):
    server, url = serve(sample_release)
    with server:
        vc, _, _ = _warm(url, cache)
    other = int(vc.experiments().index[1])
    target = vc.source.release / "ophys_experiment_data" / f"{other}.nwb"
    target.write_bytes(_served(sample_release, other).read_bytes()[:50_000])
    fresh = VisualCoding2P(url, cache_dir=cache, progress=False, retries=0)
    with pytest.raises(DownloadError, match="is not in the cache"):
        fresh.experiment_path(other)
    assert not target.exists()


def test_keys_never_leave_the_release_folder(cache):
    store = FileStore(resolve_source("http://127.0.0.1:9", cache), None)
    for key in ("visual-coding-2p/../../../etc/passwd", "/etc/passwd", "visual-coding-2p\\x"):
        with pytest.raises(UnsafeKeyError):
            store.path_of(FileSpec(key, "nwb"))
    inside = store.path_of(experiment_spec(7, "nwb"))
    assert inside.is_relative_to(cache) and inside.name == "7.nwb"


def test_folder_sources_are_used_in_place(sample_release, cache):
    vc = VisualCoding2P(sample_release, cache_dir=cache)
    eid = int(vc.experiments().index[0])
    assert vc.experiment_path(eid) == _served(sample_release, eid)
    assert not any(cache.rglob("*.nwb"))
    stamp = os.stat(vc.experiment_path(eid)).st_mtime_ns
    vc.experiment(eid)
    assert os.stat(vc.experiment_path(eid)).st_mtime_ns == stamp


def test_an_address_that_is_no_release_says_so(tmp_path, cache):
    empty = tmp_path / "empty"
    empty.mkdir()
    server, url = serve(empty)
    with server, pytest.raises(FileNotFoundError, match="Is this address a Visual Coding 2P"):
        VisualCoding2P(url, cache_dir=cache, progress=False)
    assert Ledger(resolve_source(url, cache).state).entries() == {}  # asked again next time
