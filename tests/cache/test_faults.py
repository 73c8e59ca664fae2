"""Fault injection through ``VisualCoding2P``: a misbehaving mirror of the sample release.

In every case the cache ends with a verified file (md5 equal to the served one) or the call
raises a clear error and leaves nothing at the file's path.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brainobs import VisualCoding2P
from brainobs.cache.ledger import Ledger
from brainobs.errors import DownloadError, IntegrityError
from brainobs.sources.paths import part_path
from tests.settings import REPO
from tests.sources.faults import Fault

from .conftest import md5_of
from .workers import open_experiment


def _open(url: str, cache: Path, **options) -> VisualCoding2P:
    options.setdefault("retries", 5)
    return VisualCoding2P(url, cache_dir=cache, progress=False, **options)


def _first_experiment(vc: VisualCoding2P) -> int:
    return int(vc.experiments(stimuli="natural_scenes").index[0])


def _key(eid: int) -> str:
    return f"visual-coding-2p/ophys_experiment_data/{eid}.nwb"


def _key_path(eid: int) -> str:
    return "/" + _key(eid)


def _cached(vc: VisualCoding2P, eid: int) -> Path:
    return vc.source.release / "ophys_experiment_data" / f"{eid}.nwb"


def _served(sample_release: Path, eid: int) -> Path:
    return sample_release / "visual-coding-2p" / "ophys_experiment_data" / f"{eid}.nwb"


def assert_verified(vc: VisualCoding2P, eid: int, sample_release: Path) -> Path:
    """The experiment's file is in the cache, byte-identical to the served one, and opens."""
    path = vc.experiment_path(eid)
    assert md5_of(path) == md5_of(_served(sample_release, eid))
    assert not part_path(path).exists()
    assert vc.experiment(eid).number_of_cells > 0
    return path


@pytest.fixture
def vc_and_id(faulty, cache):
    server, url = faulty
    vc = _open(url, cache)
    return server, vc, _first_experiment(vc)


# -- faults the cache recovers from ---------------------------------------------------------------
def test_dropped_connections_at_random_offsets_resume(vc_and_id, sample_release):
    server, vc, eid = vc_and_id
    server.plan.add(Fault("drop", path=_key_path(eid)), times=3)
    assert_verified(vc, eid, sample_release)
    gets = server.plan.body_gets(_key_path(eid))
    assert [g.fault for g in gets] == ["drop", "drop", "drop", None]
    size = _served(sample_release, eid).stat().st_size
    for get in gets[1:]:
        assert get.range == f"bytes={get.start}-" and get.start > 0  # resumed, not restarted
    assert sum(g.sent for g in gets) < 1.5 * size


def test_server_errors_are_retried(vc_and_id, sample_release):
    server, vc, eid = vc_and_id
    server.plan.add(Fault("status", status=503, path=_key_path(eid)), times=2)
    server.plan.add(Fault("status", status=500, path=_key_path(eid)))
    assert_verified(vc, eid, sample_release)
    statuses = [s.status for s in server.plan.seen if s.path == _key_path(eid)]
    assert statuses == [503, 503, 500, 200]


def test_truncated_bodies_resume(vc_and_id, sample_release):
    server, vc, eid = vc_and_id
    server.plan.add(Fault("truncate", path=_key_path(eid)), times=2)
    assert_verified(vc, eid, sample_release)
    gets = server.plan.body_gets(_key_path(eid))
    assert len(gets) == 3 and gets[-1].range is not None


def test_corrupted_body_is_discarded_and_fetched_again(vc_and_id, sample_release):
    server, vc, eid = vc_and_id
    server.plan.add(Fault("corrupt", path=_key_path(eid)))
    path = assert_verified(vc, eid, sample_release)
    gets = server.plan.body_gets(_key_path(eid))
    assert [g.fault for g in gets] == ["corrupt", None] and gets[1].range is None
    assert Ledger(vc.source.state).get(_key(eid))["md5"] == md5_of(path)


def test_slow_server_still_delivers(vc_and_id, sample_release):
    server, vc, eid = vc_and_id
    server.plan.add(Fault("slow", delay=0.002, path=_key_path(eid)))
    assert_verified(vc, eid, sample_release)


def test_random_faults_never_hand_out_a_bad_file(faulty, cache, sample_release):
    server, url = faulty
    server.plan.rate, server.plan.rng = 0.5, random.Random(3)
    vc = _open(url, cache, retries=8)  # metadata requests meet faults too
    outcomes = []
    for eid in vc.experiments(include_failed=True).index[:6]:
        try:
            path = vc.experiment_path(eid)
        except (DownloadError, IntegrityError) as exc:
            outcomes.append("error")
            assert "is not in the cache" in str(exc) or "failed verification" in str(exc)
            assert not _cached(vc, eid).exists()
        else:
            outcomes.append("ok")
            assert md5_of(path) == md5_of(_served(sample_release, eid))
    assert outcomes.count("ok") >= 4
    assert {s.fault for s in server.plan.seen} >= {"drop", "corrupt", "status", None}


# -- faults that end in a clear error -------------------------------------------------------------
def test_always_corrupted_ends_in_integrity_error_and_nothing_cached(vc_and_id, sample_release):
    server, vc, eid = vc_and_id
    server.plan.add(Fault("corrupt", path=_key_path(eid)), times=10)
    target = _cached(vc, eid)
    with pytest.raises(IntegrityError, match="md5 mismatch"):
        vc.experiment_path(eid)
    assert not target.exists() and not part_path(target).exists()
    assert Ledger(vc.source.state).get(_key(eid)) is None
    server.plan.queue.clear()
    assert_verified(vc, eid, sample_release)  # the next call, on a sound server, works


def test_too_slow_server_gives_a_clear_error(faulty, cache):
    server, url = faulty
    vc = _open(url, cache, retries=1, timeout=(1.0, 0.2))
    eid = _first_experiment(vc)
    server.plan.add(Fault("slow", delay=0.6, path=_key_path(eid)), times=2)
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        vc.experiment_path(eid)
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert "is not in the cache" in message and "read timed out" in message
    assert url in message and "brainobs mirror" in message
    assert not _cached(vc, eid).exists()


# -- processes ------------------------------------------------------------------------------------
def test_four_processes_fetch_one_experiment_once(faulty, cache, sample_release):
    server, url = faulty
    eid = _first_experiment(_open(url, cache / "lookup"))
    server.plan.add(Fault("slow", delay=0.01, path=_key_path(eid)))  # the first GET is slow
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(open_experiment, [(url, str(cache), eid)] * 4, chunksize=1)
    expected = md5_of(_served(sample_release, eid))
    assert len({path for path, _ in results}) == 1
    assert [digest for _, digest in results] == [expected] * 4
    assert len(server.plan.body_gets(_key_path(eid))) == 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_process_resumes_on_the_next_run(faulty, cache, sample_release):
    server, url = faulty
    eid = _first_experiment(_open(url, cache))
    server.plan.add(Fault("slow", delay=0.05, path=_key_path(eid)))  # about 7 s for the file
    target = _cached(_open(url, cache), eid)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.cache.workers", url, str(cache), str(eid)],
        env=env,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _size(part_path(target)) < 512 * 1024:
            time.sleep(0.01)
        assert _size(part_path(target)) >= 512 * 1024, "the child never started writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=5)
    kept = part_path(target).stat().st_size
    size = _served(sample_release, eid).stat().st_size
    assert 0 < kept < size and not target.exists()
    vc = _open(url, cache)
    assert_verified(vc, eid, sample_release)
    last = server.plan.body_gets(_key_path(eid))[-1]
    assert last.range == f"bytes={kept}-" and last.sent == size - kept
