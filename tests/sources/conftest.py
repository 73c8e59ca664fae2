"""Fixtures for the byte-layer tests: a small release folder and a faulty mirror of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from brainobs.sources import transport

from .faults import FaultPlan, serve_faulty

NWB_KEY = "visual-coding-2p/ophys_experiment_data/501940850.nwb"
SIZE = 3_000_000


@dataclass
class Release:
    """A folder in the bucket layout holding one random 'NWB' file."""

    root: Path
    key: str
    data: bytes

    @property
    def path(self) -> Path:
        return self.root / self.key

    @property
    def md5(self) -> str:
        return hashlib.md5(self.data).hexdigest()

    def rewrite(self, data: bytes) -> None:
        self.data = data
        self.path.write_bytes(data)


def random_bytes(n: int, seed: int = 0) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    """Retries wait milliseconds, not seconds."""
    monkeypatch.setattr(transport, "BACKOFF_BASE", 0.001)
    monkeypatch.setattr(transport, "BACKOFF_CAP", 0.005)


@pytest.fixture
def release(tmp_path) -> Release:
    root = tmp_path / "bucket"
    path = root / NWB_KEY
    path.parent.mkdir(parents=True)
    data = random_bytes(SIZE)
    path.write_bytes(data)
    return Release(root, NWB_KEY, data)


@pytest.fixture
def faulty(release):
    """``(server, url of the NWB object)``; queue faults on ``server.plan``."""
    server, base = serve_faulty(release.root, FaultPlan())
    with server:
        yield server, f"{base}/{release.key}"
