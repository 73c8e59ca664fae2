"""Bad input to the analysis gives errors that name the problem and the way out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from brainobs.analysis import analyze_stimulus, compute_cell_metrics
from brainobs.analysis.inputs import SessionData, check_array
from brainobs.analysis.movies import analyze_natural_movie
from brainobs.analysis.receptive_fields import analyze_locally_sparse_noise
from brainobs.analysis.sweeps import SweepWindow, compute_sweep_statistics
from brainobs.analysis.sweeps import stimulus_locked_responses as locked
from brainobs.errors import InvalidChoiceError, MissingStimulusError
from brainobs.nwb import open_nwb

STAMPS = np.arange(10) / 30


def _session(**changes) -> SessionData:
    args = {"session_type": "three_session_A", "cell_specimen_ids": [1, 2, 3],
            "timestamps": STAMPS, "corrected": np.ones((3, 10)), "dff": np.ones((3, 10)),
            "running_speed": np.zeros(10), "tables": {}}
    args.update(changes)
    return SessionData(**args)


def test_a_stimulus_of_another_session_names_the_session_that_showed_it(synthetic_session):
    _, path, data = synthetic_session("three_session_A")
    for source in (path, data):
        with pytest.raises(MissingStimulusError) as err:
            analyze_stimulus(source, "natural_scenes")
        assert "three_session_B" in str(err.value) and "three_session_A" in str(err.value)
    with open_nwb(path) as experiment, pytest.raises(MissingStimulusError, match="three_session_B"):
        analyze_stimulus(experiment, "static_gratings")
    with pytest.raises(MissingStimulusError, match="three_session_C, three_session_C2"):
        analyze_stimulus(data, "natural_movie_two")


@pytest.mark.parametrize("name", ["natural_scene", "Drifting_Gratings", "lsn"])
def test_a_misspelled_stimulus_lists_the_valid_names(synthetic_session, name):
    _, path, data = synthetic_session("three_session_A")
    for source in (path, data):
        with pytest.raises(InvalidChoiceError) as err:
            analyze_stimulus(source, name)
        assert repr(name) in str(err.value)
        assert "'drifting_gratings'" in str(err.value) and "'natural_scenes'" in str(err.value)
    with pytest.raises(InvalidChoiceError, match=repr(name)):
        compute_cell_metrics(path, [name])


def test_a_close_misspelling_gets_a_suggestion(synthetic_session):
    _, _, data = synthetic_session("three_session_A")
    with pytest.raises(InvalidChoiceError, match="Did you mean 'natural_scenes'"):
        analyze_stimulus(data, "natural_scene")


def test_spontaneous_activity_is_not_analysed_and_says_why(synthetic_session):
    _, _, data = synthetic_session("three_session_A")
    with pytest.raises(InvalidChoiceError, match="no stimulus-locked analysis"):
        analyze_stimulus(data, "spontaneous")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"corrected": np.ones(10)}, r"corrected must have shape \(n_cells, n_frames\), not \(10,\)"),
    ({"corrected": np.ones((3, 10, 1))}, r"corrected must have shape \(n_cells, n_frames\)"),
    ({"dff": np.ones(10)}, r"dff must have shape \(n_cells, n_dff_frames\) with n_cells = 3"),
    ({"dff": np.ones((2, 10))}, r"with n_cells = 3, not \(2, 10\)"),
    ({"timestamps": STAMPS[:, None]}, r"timestamps must have shape \(n_frames,\)"),
    ({"running_speed": np.zeros((2, 10))}, r"running_speed must be 1-D"),
    ({"cell_specimen_ids": [1, 2]}, "one id per trace row"),
    ({"timestamps": STAMPS[:9]}, "timestamps has 9"),
])
def test_session_data_names_the_expected_shape(changes, expected):
    with pytest.raises(ValueError, match=expected):
        _session(**changes)


def test_array_functions_name_the_expected_shape():
    table = pd.DataFrame({"start": [3, 5], "end": [4, 6], "frame": [0, 0]})
    ids = np.array([7, 8])
    with pytest.raises(ValueError, match=r"traces must have shape \(n_cells, n_frames\)"):
        compute_sweep_statistics("natural_scenes", table, np.ones(10), np.zeros(10), 30.0, ids)
    with pytest.raises(ValueError, match=r"with n_cells = 2, not \(3, 10\)"):
        compute_sweep_statistics("natural_scenes", table, np.ones((3, 10)), np.zeros(10), 30.0,
                                 ids)
    with pytest.raises(ValueError, match=r"running_speed must have shape \(n_frames,\)"):
        compute_sweep_statistics("natural_scenes", table, np.ones((2, 10)),
                                 np.zeros((1, 10)), 30.0, ids)
    with pytest.raises(ValueError, match=r"dff must have shape \(n_cells, n_frames\)"):
        analyze_natural_movie("natural_movie_one", table, np.ones(10), ids)
    with pytest.raises(ValueError, match=r"traces must have shape"):
        locked(np.ones(10), table, SweepWindow(1, 2), 30.0, ids)
    with pytest.raises(ValueError, match=r"template must have shape \(n_template_frames, rows"):
        analyze_locally_sparse_noise("locally_sparse_noise", table, np.zeros((16, 28)),
                                     np.ones((2, 10)), np.ones((2, 10)), np.zeros(10), 30.0, ids)


def test_check_array_passes_good_arrays_through():
    out = check_array("dff", [[1.0, 2.0]], ("n_cells", "n_frames"), n_cells=1)
    assert isinstance(out, np.ndarray) and out.shape == (1, 2)
