"""``brainobs doctor``: versions, cache folder and source, then the check of every cached file."""

from __future__ import annotations

import io
import os

import pytest

from brainobs import VisualCoding2P
from brainobs.doctor import PACKAGES, environment, run_doctor
from brainobs.sources import transport
from brainobs.sources.mirror import serve


@pytest.fixture
def warm(sample_release, tmp_path, monkeypatch):
    """``(url, cache, server)``: a mirror of the sample release and a cache with one experiment."""
    monkeypatch.setattr(transport, "BACKOFF_BASE", 0.001)
    monkeypatch.setattr(transport, "BACKOFF_CAP", 0.005)
    server, url = serve(sample_release)
    cache = tmp_path / "cache"
    with server:
        vc = VisualCoding2P(url, cache_dir=cache, progress=False)
        eid = int(vc.experiments().index[0])
        path = vc.experiment_path(eid)
        yield url, cache, server, path


def _doctor(**options) -> tuple[int, str]:
    out = io.StringIO()
    code = run_doctor(stream=out, **options)
    return code, out.getvalue()


def test_environment_names_versions_cache_and_source(tmp_path):
    lines = dict(environment("sample", tmp_path))
    assert set(PACKAGES) <= set(lines)
    import numpy

    assert lines["numpy"] == numpy.__version__
    assert lines["cache folder"] == str(tmp_path)
    assert lines["free space"].endswith("B")
    assert lines["source"].startswith("sample: synthetic sample release")


def test_a_sound_cache_passes(warm):
    url, cache, _, _ = warm
    code, text = _doctor(source=url, cache_dir=cache)
    assert code == 0
    assert "pandas" in text and "h5py" in text and str(cache) in text
    assert f"mirror: the mirror at {url}" in text
    assert "3 files checked" in text and "3 ok" in text


def test_a_damaged_file_fails_and_refetch_repairs_it(warm):
    url, cache, _, path = warm
    data = bytearray(path.read_bytes())
    data[1000] ^= 1
    stat = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    code, text = _doctor(source=url, cache_dir=cache)
    assert code == 1 and "damaged" in text and "md5" in text and "--refetch" in text
    code, text = _doctor(source=url, cache_dir=cache, refetch=True)
    assert code == 0 and "1 refetched" in text
    assert _doctor(source=url, cache_dir=cache)[0] == 0


def test_doctor_needs_no_network(warm):
    url, cache, server, _ = warm
    server.close()
    code, text = _doctor(source=url, cache_dir=cache)
    assert code == 0 and "3 ok" in text


def test_a_bad_source_is_reported_not_raised(tmp_path):
    code, text = _doctor(source=str(tmp_path / "nowhere"), cache_dir=tmp_path)
    assert code == 1 and "Unknown data source" in text
