import pytest

from brainobs import stimuli
from brainobs.errors import InvalidChoiceError, MissingStimulusError


def test_session_map_matches_allen_definitions():
    assert stimuli.stimuli_in_session("three_session_B") == (
        "static_gratings",
        "natural_scenes",
        "natural_movie_one",
        "spontaneous",
    )
    assert stimuli.sessions_with_stimulus("natural_movie_one") == stimuli.SESSION_TYPES
    assert stimuli.sessions_with_stimulus("locally_sparse_noise_8deg") == ("three_session_C2",)
    assert len(stimuli.ALL_STIMULI) == 10


def test_unknown_stimulus_names_the_closest():
    with pytest.raises(InvalidChoiceError, match="Did you mean 'natural_scenes'"):
        stimuli.check_stimulus("natural_scene")


def test_stimulus_missing_from_session_says_where_it_is():
    with pytest.raises(MissingStimulusError) as info:
        stimuli.check_stimulus_in_session("drifting_gratings", "three_session_B")
    assert "three_session_A" in str(info.value)


def test_grating_parameters():
    assert (
        len(stimuli.DRIFTING_GRATINGS_DIRECTIONS)
        * len(stimuli.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES)
        == 40
    )
    conditions = (
        len(stimuli.STATIC_GRATINGS_ORIENTATIONS)
        * len(stimuli.STATIC_GRATINGS_SPATIAL_FREQUENCIES)
        * len(stimuli.STATIC_GRATINGS_PHASES)
    )
    assert conditions == 120
    assert stimuli.SPARSE_NOISE_DIMENSIONS["locally_sparse_noise_8deg"] == (8, 14)
