"""Fixtures of the compat tests: the sample release's manifest folder."""

from __future__ import annotations

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
