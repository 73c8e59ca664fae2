"""Synthetic experiments (written as NWB 1 files once per test session) for the analysis tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from brainobs.analysis.inputs import SessionData
from brainobs.nwb import open_nwb
from brainobs.sample.nwb1_writer import write_nwb1
from brainobs.sample.session import SessionContent

from .synthetic import make_analysis_session

#: Cells per session type: few for sparse noise, whose AllenSDK run takes seconds per cell.
N_CELLS = {"three_session_A": 12, "three_session_B": 6, "three_session_C": 4,
           "three_session_C2": 4}

Session = tuple[SessionContent, Path, SessionData]


@pytest.fixture(scope="session")
def synthetic_session(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Session]:
    """``get(session_type) -> (content with truth, NWB path, SessionData read back)``."""
    root = tmp_path_factory.mktemp("analysis-sessions")
    cache: dict[str, Session] = {}

    def get(session_type: str) -> Session:
        if session_type not in cache:
            content = make_analysis_session(session_type, n_cells=N_CELLS[session_type])
            path = write_nwb1(content, root / f"{session_type}.nwb")
            with open_nwb(path) as experiment:
                data = SessionData.from_experiment(experiment)
            cache[session_type] = (content, path, data)
        return cache[session_type]

    return get
