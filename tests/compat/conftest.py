"""Fixtures of the compat tests: the sample release's manifest folder, the AllenSDK peer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def release_json(sample_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the sample release's JSON files and an AllenSDK manifest path."""
    folder = tmp_path_factory.mktemp("boc_json")
    for path in (sample_release / "visual-coding-2p").glob("*.json"):
        if path.name != "manifest.json":
            shutil.copy(path, folder / path.name)
    return folder / "manifest.json"


@pytest.fixture(scope="module")
def sdk_python() -> str:
    """AllenSDK 2.16.2's interpreter (``BRAINOBS_ALLENSDK_PYTHON``); skips when unset."""
    value = os.environ.get("BRAINOBS_ALLENSDK_PYTHON")
    if not value:
        pytest.skip("BRAINOBS_ALLENSDK_PYTHON is not set (see tests/allensdk/setup_peer.sh)")
    if not Path(value).exists():
        pytest.skip(f"BRAINOBS_ALLENSDK_PYTHON={value} does not exist")
    return value
