"""The ledger of verified files: trusted while size and time hold; shared safely by processes."""

from __future__ import annotations

import multiprocessing
import os

from brainobs.cache.ledger import Ledger


def _write(path, data: bytes = b"[1, 2, 3]"):
    path.write_bytes(data)
    return path


def test_a_recorded_file_is_trusted_until_it_changes(tmp_path):
    data = _write(tmp_path / "x.json")
    ledger = Ledger(tmp_path / "state")
    ledger.record("visual-coding-2p/x.json", data, md5="abc", etag='"abc"', url="http://h/x")
    again = Ledger(tmp_path / "state")  # read back from disk
    assert again.trusted("visual-coding-2p/x.json", data)
    assert again.get("visual-coding-2p/x.json")["md5"] == "abc"
    stat = data.stat()
    _write(data, b"[1, 2, 4]")  # same size, other bytes, new time
    assert not Ledger(tmp_path / "state").trusted("visual-coding-2p/x.json", data)
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Ledger(tmp_path / "state").trusted("visual-coding-2p/x.json", data)  # size + time only
    _write(data, b"[1, 2]")
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert not Ledger(tmp_path / "state").trusted("visual-coding-2p/x.json", data)


def test_absent_keys_and_forgetting(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.record_absent("visual-coding-2p/cell_specimens.json", "http://h/c")
    assert Ledger(tmp_path).is_absent("visual-coding-2p/cell_specimens.json")
    assert not Ledger(tmp_path).trusted("visual-coding-2p/cell_specimens.json", tmp_path)
    ledger.forget("visual-coding-2p/cell_specimens.json")
    assert Ledger(tmp_path).get("visual-coding-2p/cell_specimens.json") is None


def test_an_unreadable_ledger_means_check_again(tmp_path, caplog):
    (tmp_path / "files.json").write_text('{"version": 1, "files": {"a": ')
    assert Ledger(tmp_path).entries() == {}
    assert "unreadable ledger" in caplog.text
    data = _write(tmp_path / "x.json")
    Ledger(tmp_path).record("k", data)
    assert Ledger(tmp_path).trusted("k", data)


def record_many(folder: str, worker: int) -> None:
    ledger = Ledger(folder)
    data = _write(ledger.folder / f"data-{worker}.json")
    for number in range(15):
        ledger.record(f"k{worker}-{number}", data)


def test_processes_recording_at_once_lose_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.starmap(record_many, [(str(tmp_path), worker) for worker in range(4)])
    entries = Ledger(tmp_path).entries()
    assert len(entries) == 60
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
