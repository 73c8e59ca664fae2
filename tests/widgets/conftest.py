"""Widget tests: the sample release and Agg drawing (modules skip when ipywidgets is absent)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import brainobs


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def vc(sample_release):
    return brainobs.VisualCoding2P(source=sample_release)


@pytest.fixture(scope="session")
def experiments(vc):
    """The sample experiments, indexed by ophys_experiment_id (not failed)."""
    return vc.experiments()


def experiment_of(vc, session_type: str):
    """The first sample experiment of a session type, opened."""
    table = vc.experiments(session_types=[session_type])
    return vc.experiment(table.index[0])
