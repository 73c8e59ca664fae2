"""The default sample release fits its budget on this machine kind: <= 60 s and <= 150 MB."""

from __future__ import annotations

import time

from brainobs.sample.release import write_sample_release

MAX_SECONDS = 60.0
MAX_MEGABYTES = 150.0


def test_default_release_is_written_within_time_and_size_budget(tmp_path, record_property):
    started = time.perf_counter()
    root = write_sample_release(tmp_path / "release")
    seconds = time.perf_counter() - started
    megabytes = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
    record_property("seconds", round(seconds, 1))
    record_property("megabytes", round(megabytes, 1))
    assert seconds <= MAX_SECONDS, f"default release took {seconds:.1f} s"
    assert megabytes <= MAX_MEGABYTES, f"default release is {megabytes:.1f} MB"
    assert megabytes > 20  # a release that small would have lost its traces
