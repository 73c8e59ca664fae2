"""Exercise tests: the sample release, fresh attempt counts, and the sample's experiments."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest

import brainobs
from brainobs.exercises.feedback import reset_attempts


@pytest.fixture(autouse=True)
def fresh_attempts():
    reset_attempts()
    yield
    reset_attempts()


@pytest.fixture(scope="session")
def vc(sample_release):
    return brainobs.VisualCoding2P(source="sample")


def first_experiment(vc, *session_types: str) -> int:
    """The id of the first sample experiment of the given session types."""
    return int(vc.experiments(session_types=list(session_types)).index[0])
