"""Tiny NWB 1 files for the reader and writer tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from brainobs.sample.nwb1_writer import write_nwb1
from brainobs.sample.session import SessionContent
from tests.helpers import make_tiny_session


@pytest.fixture(scope="session")
def write_tiny(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., tuple[SessionContent, Path]]:
    """Factory: ``write_tiny(**make_tiny_session_kwargs) -> (content, path)`` (cached)."""
    folder = tmp_path_factory.mktemp("tiny")
    made: dict[str, tuple[SessionContent, Path]] = {}

    def make(**kwargs: Any) -> tuple[SessionContent, Path]:
        key = repr(sorted(kwargs.items()))
        if key not in made:
            content = make_tiny_session(**kwargs)
            made[key] = (content, write_nwb1(content, folder / f"tiny_{len(made)}.nwb"))
        return made[key]

    return make


@pytest.fixture(scope="session")
def tiny_b(write_tiny: Callable[..., tuple[SessionContent, Path]]) -> tuple[SessionContent, Path]:
    """A three_session_B experiment with rows stored out of time order and dF/F 1 shorter."""
    return write_tiny(session_type="three_session_B", shuffled_rows=True, dff_length_offset=1)
