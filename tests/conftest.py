"""Fixtures and settings shared across test folders.

For the whole test session (and the notebook kernels nbval starts, which inherit the
environment): the data source defaults to the sample release, the cache folder to a fresh
temporary folder, and the AllenSDK peer interpreter to ``.venv-allensdk`` when it exists.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.settings import REPO

_MADE_CACHE: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("BRAINOBS_CACHE_DIR"):
        folder = tempfile.mkdtemp(prefix="brainobs-test-cache-")
        _MADE_CACHE.append(folder)
        os.environ["BRAINOBS_CACHE_DIR"] = folder
    os.environ.setdefault("BRAINOBS_SOURCE", "sample")
    peer = REPO / ".venv-allensdk" / "bin" / "python"
    if not os.environ.get("BRAINOBS_ALLENSDK_PYTHON") and peer.is_file():
        os.environ["BRAINOBS_ALLENSDK_PYTHON"] = str(peer)


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _MADE_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_release() -> Path:
    """The default sample release in the session's cache folder (made once); returns its root.

    It is the same folder ``VisualCoding2P(source="sample")`` uses, so the tutorials run by
    nbval in this session find it ready.
    """
    from brainobs.config import cache_dir
    from brainobs.sample.release import sample_is_current, write_sample_release

    root = cache_dir() / "sample"
    if not sample_is_current(root):
        write_sample_release(root, overwrite=True)
    return root
