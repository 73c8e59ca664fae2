"""Fixtures of the sample-release tests: small releases generated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from brainobs.sample.release import write_sample_release


@pytest.fixture(scope="session")
def small_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small sample release (seed 0); returns its root."""
    return write_sample_release(tmp_path_factory.mktemp("small") / "release", size="small")


@pytest.fixture(scope="session")
def small_release_again(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same small release written a second time, elsewhere, its metrics in this process."""
    return write_sample_release(tmp_path_factory.mktemp("again") / "release", size="small",
                                workers=1)
