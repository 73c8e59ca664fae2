"""download(): every fault ends in a verified file or a clear error, never a bad file in place."""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import namedtuple

import pytest

from brainobs.errors import DownloadError, IntegrityError, InvalidChoiceError
from brainobs.sources import progress as progress_module
from brainobs.sources.download import download
from brainobs.sources.paths import lock_path, meta_path, part_path
from brainobs.sources.verify import verify_hdf5
from tests.settings import REPO

from .conftest import NWB_KEY, SIZE, random_bytes
from .faults import Fault, FaultPlan, serve_faulty
from .workers import fetch_and_hash

PATH = "/" + NWB_KEY


def md5(path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def assert_clean(target, release) -> None:
    """The target holds the right bytes and no download leftovers remain."""
    assert md5(target) == release.md5
    assert not part_path(target).exists()
    assert not meta_path(target).exists()


def assert_nothing_in_place(target) -> None:
    assert not target.exists()


# -- the plain path ---------------------------------------------------------------------------
def test_download_writes_the_file_and_no_leftovers(faulty, release, tmp_path):
    server, url = faulty
    target = tmp_path / "cache" / "501940850.nwb"
    assert download(url, target, progress=False) == target
    assert_clean(target, release)
    assert len(server.plan.body_gets(PATH)) == 1


def test_existing_verified_file_is_not_downloaded_again(faulty, release, tmp_path):
    server, url = faulty
    target = tmp_path / "x.nwb"
    download(url, target, progress=False)
    download(url, target, progress=False, expected_size=SIZE, expected_hash=f"md5:{release.md5}")
    assert len(server.plan.seen) == 1


def test_existing_damaged_file_is_replaced(faulty, release, tmp_path):
    server, url = faulty
    target = tmp_path / "x.nwb"
    target.write_bytes(release.data[:1000])
    download(url, target, progress=False, expected_size=SIZE)
    assert_clean(target, release)


def test_expected_hash_and_etag_are_checked(faulty, release, tmp_path):
    _, url = faulty
    target = download(
        url,
        tmp_path / "a.nwb",
        progress=False,
        expected_hash="sha256:" + hashlib.sha256(release.data).hexdigest(),
        etag=f'"{release.md5}"',
    )
    assert_clean(target, release)


# -- faults that are survived -----------------------------------------------------------------
def test_dropped_connection_resumes_from_the_part(faulty, release, tmp_path):
    server, url = faulty
    server.plan.add(Fault("drop", at=1_000_000))
    target = download(url, tmp_path / "x.nwb", progress=False)
    assert_clean(target, release)
    first, second = server.plan.body_gets(PATH)
    assert first.range is None and first.sent == 1_000_000
    kept = int(second.range.removeprefix("bytes=").rstrip("-"))
    assert 0 < kept <= 1_000_000
    assert second.status == 206 and second.start == kept
    assert second.sent == SIZE - kept  # only the missing bytes were sent again
    assert second.if_range == f'"{release.md5}"'


def test_truncated_body_resumes(faulty, release, tmp_path):
    server, url = faulty
    server.plan.add(Fault("truncate", at=2_000_000))
    target = download(url, tmp_path / "x.nwb", progress=False)
    assert_clean(target, release)
    gets = server.plan.body_gets(PATH)
    assert [g.range for g in gets] == [None, "bytes=2000000-"]
    assert sum(g.sent for g in gets) == SIZE


def test_server_errors_are_retried(faulty, release, tmp_path):
    server, url = faulty
    server.plan.add(Fault("status", status=503), times=2)
    target = download(url, tmp_path / "x.nwb", progress=False, retries=2)
    assert_clean(target, release)
    assert [s.status for s in server.plan.seen] == [503, 503, 200]


def test_corrupted_copy_is_discarded_and_downloaded_again(faulty, release, tmp_path):
    server, url = faulty
    server.plan.add(Fault("corrupt", at=123_456))
    target = download(url, tmp_path / "x.nwb", progress=False)
    assert_clean(target, release)
    gets = server.plan.body_gets(PATH)
    assert len(gets) == 2 and gets[1].range is None  # from zero, not resumed


def test_ignored_range_restarts_cleanly(faulty, release, tmp_path):
    server, url = faulty
    server.plan.add(Fault("drop", at=500_000)).add(Fault("ignore_range"))
    target = download(url, tmp_path / "x.nwb", progress=False)
    assert_clean(target, release)
    second = server.plan.body_gets(PATH)[1]
    assert second.range is not None  # asked to resume ...
    assert second.status == 200 and second.sent == SIZE  # ... got the whole file, kept it whole


def test_changed_remote_file_restarts_with_if_range(faulty, release, tmp_path):
    server, url = faulty
    target = tmp_path / "x.nwb"
    server.plan.add(Fault("drop", at=800_000))
    with pytest.raises(DownloadError, match="connection"):
        download(url, target, progress=False, retries=0)
    assert part_path(target).stat().st_size > 0
    release.rewrite(random_bytes(SIZE, seed=1))  # same size, new content, new ETag
    download(url, target, progress=False)
    assert_clean(target, release)
    last = server.plan.body_gets(PATH)[-1]
    assert last.range is not None and last.if_range is not None
    assert last.status == 200 and last.sent == SIZE


def test_complete_part_is_finished_without_new_bytes(faulty, release, tmp_path):
    server, url = faulty
    target = tmp_path / "x.nwb"
    part_path(target).write_bytes(release.data)  # killed between last byte and rename
    download(url, target, progress=False)
    assert_clean(target, release)
    assert [(s.range, s.status) for s in server.plan.seen] == [(f"bytes={SIZE}-", 416)]


def test_part_longer_than_the_file_starts_over(faulty, release, tmp_path):
    server, url = faulty
    target = tmp_path / "x.nwb"
    part_path(target).write_bytes(release.data + b"extra bytes")
    download(url, target, progress=False)
    assert_clean(target, release)


def test_random_faults_never_leave_a_bad_file(release, tmp_path):
    plan = FaultPlan(seed=7, rate=0.6)
    server, base = serve_faulty(release.root, plan)
    outcomes = []
    with server:
        for i in range(8):
            target = tmp_path / f"copy{i}.nwb"
            try:
                download(f"{base}/{release.key}", target, progress=False, retries=6, timeout=(2, 2))
            except (DownloadError, IntegrityError):
                outcomes.append("error")
                assert_nothing_in_place(target)
            else:
                outcomes.append("ok")
                assert md5(target) == release.md5
    assert outcomes.count("ok") >= 4
    assert {s.fault for s in plan.seen} >= {"drop", "corrupt", "status", None}


# -- faults that end in a clear error ---------------------------------------------------------
def test_persistent_server_errors_raise_a_clear_error(faulty, tmp_path):
    server, url = faulty
    server.plan.add(Fault("status", status=503), times=3)
    target = tmp_path / "x.nwb"
    with pytest.raises(DownloadError) as info:
        download(url, target, progress=False, retries=2)
    message = str(info.value)
    assert url in message and "after 3 tries" in message
    assert message.count("HTTP 503") == 3
    assert "call again" in message
    assert_nothing_in_place(target)
    assert isinstance(info.value, OSError)


def test_always_corrupted_ends_in_integrity_error_and_no_file(faulty, tmp_path):
    server, url = faulty
    server.plan.add(Fault("corrupt", at=10), times=5)
    target = tmp_path / "x.nwb"
    with pytest.raises(IntegrityError, match="md5 mismatch") as info:
        download(url, target, progress=False, retries=4)
    assert "nothing was kept" in str(info.value)
    assert len(server.plan.body_gets(PATH)) == 2  # a second full copy, then give up
    assert_nothing_in_place(target)
    assert not part_path(target).exists()


def test_wrong_expected_size_is_refused_before_the_body(faulty, tmp_path):
    server, url = faulty
    target = tmp_path / "x.nwb"
    with pytest.raises(IntegrityError, match=r"size 3,000,000 != 2,000 \(expected\)"):
        download(url, target, progress=False, expected_size=2000)
    assert_nothing_in_place(target)
    assert not part_path(target).exists()
    assert len(server.plan.seen) == 2


def test_wrong_etag_is_an_integrity_error(faulty, tmp_path):
    _, url = faulty
    target = tmp_path / "x.nwb"
    with pytest.raises(IntegrityError, match="md5 mismatch"):
        download(url, target, progress=False, etag='"' + "0" * 32 + '"')
    assert_nothing_in_place(target)


def test_slow_server_times_out_then_raises(faulty, tmp_path):
    server, url = faulty
    server.plan.add(Fault("slow", delay=0.6), times=3)
    target = tmp_path / "x.nwb"
    started = time.monotonic()
    with pytest.raises(DownloadError) as info:
        download(url, target, progress=False, retries=2, timeout=(1.0, 0.2))
    assert time.monotonic() - started < 5
    assert str(info.value).count("read timed out") == 3
    assert_nothing_in_place(target)


def test_missing_file_fails_at_once(faulty, tmp_path):
    server, url = faulty
    with pytest.raises(DownloadError, match="HTTP 404.*no file at this address"):
        download(url.replace("501940850", "1"), tmp_path / "x.nwb", progress=False)
    assert len(server.plan.seen) == 1


def test_unreachable_server_says_so(release, tmp_path):
    server, base = serve_faulty(release.root)
    server.close()
    with pytest.raises(DownloadError, match="connection refused"):
        download(f"{base}/{release.key}", tmp_path / "x.nwb", progress=False, retries=1)


def test_not_enough_disk_space_is_refused_with_numbers(faulty, tmp_path, monkeypatch):
    _, url = faulty
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _: usage(10**9, 10**9 - 1000, 1000))
    target = tmp_path / "x.nwb"
    with pytest.raises(DownloadError, match=r"needs 3\.0 MB more in .* has 1\.0 kB free"):
        download(url, target, progress=False)
    assert_nothing_in_place(target)
    assert not part_path(target).exists() or part_path(target).stat().st_size == 0


# -- verifying content ------------------------------------------------------------------------
def _write_h5(path) -> bytes:
    import h5py
    import numpy as np

    with h5py.File(path, "w") as handle:
        handle["traces"] = np.random.default_rng(3).normal(size=(20, 5000))
    return path.read_bytes()


def test_hdf5_verifier_accepts_real_hdf5_and_rejects_a_truncated_one(tmp_path):
    root = tmp_path / "bucket"
    (root / "f").mkdir(parents=True)
    data = _write_h5(root / "f" / "good.nwb")
    (root / "f" / "short.nwb").write_bytes(data[: len(data) // 2])
    server, base = serve_faulty(root)
    with server:
        good = download(
            f"{base}/f/good.nwb", tmp_path / "good.nwb", verify=verify_hdf5, progress=False
        )
        assert good.read_bytes() == data
        target = tmp_path / "short.nwb"
        with pytest.raises(IntegrityError, match="does not open as HDF5"):
            download(f"{base}/f/short.nwb", target, verify=verify_hdf5, progress=False)
    assert_nothing_in_place(target)
    assert not part_path(target).exists()


# -- interruptions ----------------------------------------------------------------------------
class InterruptAfter:
    """A progress object that presses Ctrl-C after ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.n, self.total = limit, 0, None

    def update(self, n: int) -> None:
        self.n += n
        if self.n >= self.limit:
            raise KeyboardInterrupt


def test_keyboard_interrupt_leaves_only_the_part_which_resumes(faulty, release, tmp_path):
    server, url = faulty
    target = tmp_path / "cache" / "x.nwb"
    with pytest.raises(KeyboardInterrupt):
        download(url, target, progress=InterruptAfter(1_500_000))
    kept = part_path(target).stat().st_size
    assert kept >= 1_500_000 and not target.exists()
    leftovers = {p.name for p in target.parent.iterdir()}
    assert leftovers <= {part_path(target).name, meta_path(target).name, lock_path(target).name}
    download(url, target, progress=False)
    assert_clean(target, release)
    last = server.plan.body_gets(PATH)[-1]
    assert last.range == f"bytes={kept}-" and last.sent == SIZE - kept


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_process_leaves_a_part_that_resumes(faulty, release, tmp_path):
    server, url = faulty
    server.plan.add(Fault("slow", delay=0.05))  # the whole file would take 2.4 s
    target = tmp_path / "x.nwb"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sources.workers", url, str(target)], env=env, cwd=REPO
    )
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and _size(part_path(target)) < 256 * 1024:
            time.sleep(0.01)
        assert _size(part_path(target)) >= 256 * 1024, "the child never started writing"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=5)
    kept = part_path(target).stat().st_size
    assert 0 < kept < SIZE and not target.exists()
    download(url, target, progress=False)
    assert_clean(target, release)
    last = server.plan.body_gets(PATH)[-1]
    assert last.range == f"bytes={kept}-" and last.sent == SIZE - kept


def _size(path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def test_four_processes_download_once(faulty, release, tmp_path):
    server, url = faulty
    server.plan.add(Fault("slow", delay=0.01))  # the first GET takes about half a second
    target = str(tmp_path / "shared" / "x.nwb")
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(fetch_and_hash, [(url, target)] * 4, chunksize=1)
    assert results == [(target, release.md5)] * 4
    assert len(server.plan.body_gets(PATH)) == 1


# -- progress and arguments -------------------------------------------------------------------
class Bar:
    """The smallest progress object: update(n), plus the optional total/reset/close."""

    def __init__(self) -> None:
        self.total, self.n, self.resets, self.closed = None, 0, 0, False

    def update(self, n: int) -> None:
        self.n += n

    def reset(self) -> None:
        self.n, self.resets = 0, self.resets + 1

    def close(self) -> None:
        self.closed = True


def test_progress_object_sees_every_byte_across_a_resume(faulty, tmp_path):
    server, url = faulty
    server.plan.add(Fault("truncate", at=1_000_000))
    bar = Bar()
    download(url, tmp_path / "x.nwb", progress=bar)
    assert (bar.total, bar.n, bar.resets, bar.closed) == (SIZE, SIZE, 2, True)


def test_without_a_live_bar_progress_goes_to_log_lines(faulty, tmp_path, monkeypatch, caplog):
    _, url = faulty
    monkeypatch.setattr(progress_module, "has_front_end", lambda: False)
    with caplog.at_level(logging.INFO, logger="brainobs.sources"):
        download(url, tmp_path / "x.nwb", progress=True)
    steps = [r.getMessage() for r in caplog.records if "%" in r.getMessage()]
    assert [s.split(": ")[1].split(" %")[0] for s in steps] == ["25", "50", "75", "100"]
    assert steps[-1].endswith("(3.0 MB of 3.0 MB)")


def test_silent_progress_logs_no_steps(faulty, tmp_path, caplog):
    _, url = faulty
    with caplog.at_level(logging.INFO, logger="brainobs.sources"):
        download(url, tmp_path / "x.nwb", progress=False)
    assert not [r for r in caplog.records if " %" in r.getMessage()]


def test_tqdm_bar_is_used_when_a_front_end_exists(faulty, release, tmp_path, monkeypatch):
    pytest.importorskip("tqdm")
    _, url = faulty
    monkeypatch.setattr(progress_module, "has_front_end", lambda: True)
    assert progress_module.Progress(True, "x").mode == "bar"
    assert_clean(download(url, tmp_path / "x.nwb", progress=True), release)


def test_without_tqdm_progress_true_falls_back_to_logging(monkeypatch):
    monkeypatch.setattr(progress_module, "_load_tqdm", lambda: None)
    monkeypatch.setattr(progress_module, "has_front_end", lambda: True)
    assert progress_module.Progress(True, "x").mode == "log"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"progress": "yes"}, "progress='yes' is not valid"),
        ({"expected_hash": "abc123"}, "no algorithm prefix"),
        ({"expected_hash": "crc32:abc"}, "Unknown hash algorithm 'crc32'"),
        ({"expected_hash": "md5:abc"}, "a md5 digest is 32 hex digits"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(kwargs, match, tmp_path):
    with pytest.raises(InvalidChoiceError, match=match):
        download("http://127.0.0.1:9/x", tmp_path / "x", **kwargs)


def test_only_http_urls_are_downloaded(tmp_path):
    with pytest.raises(InvalidChoiceError, match="only http:// and https://"):
        download("file:///etc/passwd", tmp_path / "x")


def test_two_threads_download_once(faulty, release, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    server, url = faulty
    server.plan.add(Fault("slow", delay=0.005))
    target = tmp_path / "x.nwb"
    with ThreadPoolExecutor(2) as pool:
        paths = list(pool.map(lambda _: download(url, target, progress=False), range(2)))
    assert paths == [target, target]
    assert_clean(target, release)
    assert len(server.plan.body_gets(PATH)) == 1
