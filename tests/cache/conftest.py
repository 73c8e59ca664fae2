"""Fixtures for the cache tests: an isolated cache folder, mirrors of the sample release."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from brainobs.sources import transport
from brainobs.sources.mirror import serve, warm_etags
from tests.settings import REAL_VC2P
from tests.sources.faults import FaultPlan, serve_faulty


def md5_of(path: Path) -> str:
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No test reads the user's settings or cache; retries wait milliseconds."""
    monkeypatch.delenv("BRAINOBS_SOURCE", raising=False)
    monkeypatch.setenv("BRAINOBS_CACHE_DIR", str(tmp_path / "default-cache"))
    monkeypatch.setattr(transport, "BACKOFF_BASE", 0.001)
    monkeypatch.setattr(transport, "BACKOFF_CAP", 0.005)


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def mirror(sample_release):
    """``(server, url)``: a well-behaved mirror of the sample release for the whole session."""
    server, url = serve(sample_release)
    warm_etags(server)
    with server:
        yield server, url


@pytest.fixture
def faulty(sample_release):
    """``(server, url)``: a mirror of the sample release; queue faults on ``server.plan``."""
    server, url = serve_faulty(sample_release, FaultPlan())
    with server:
        yield server, url


@pytest.fixture(scope="session")
def real_release(tmp_path_factory) -> Path:
    """The real 2017 records in the S3 layout (a copy), or skip when ../shared is absent."""
    if not (REAL_VC2P / "experiment_containers.json").is_file():
        pytest.skip(f"real Allen records not found at {REAL_VC2P} (../shared is absent)")
    root = tmp_path_factory.mktemp("real")
    shutil.copytree(REAL_VC2P, root / "visual-coding-2p")
    return root
