"""AllenSDK's ``stimulus_info`` constants and helpers, from :mod:`brainobs.stimuli`.

Examples
--------
>>> from brainobs.compat import stimulus_info as si
>>> si.SESSION_STIMULUS_MAP[si.THREE_SESSION_B][:2]
['static_gratings', 'natural_scenes']
"""

from __future__ import annotations

from .. import stimuli as _st

DRIFTING_GRATINGS = _st.DRIFTING_GRATINGS
STATIC_GRATINGS = _st.STATIC_GRATINGS
NATURAL_SCENES = _st.NATURAL_SCENES
NATURAL_MOVIE_ONE = _st.NATURAL_MOVIE_ONE
NATURAL_MOVIE_TWO = _st.NATURAL_MOVIE_TWO
NATURAL_MOVIE_THREE = _st.NATURAL_MOVIE_THREE
LOCALLY_SPARSE_NOISE = _st.LOCALLY_SPARSE_NOISE
LOCALLY_SPARSE_NOISE_4DEG = _st.LOCALLY_SPARSE_NOISE_4DEG
LOCALLY_SPARSE_NOISE_8DEG = _st.LOCALLY_SPARSE_NOISE_8DEG
SPONTANEOUS_ACTIVITY = _st.SPONTANEOUS

THREE_SESSION_A, THREE_SESSION_B, THREE_SESSION_C, THREE_SESSION_C2 = _st.SESSION_TYPES
SESSION_LIST = list(_st.SESSION_TYPES)
SESSION_STIMULUS_MAP = {session: list(names) for session, names in _st.SESSION_STIMULI.items()}

LOCALLY_SPARSE_NOISE_STIMULUS_TYPES = list(_st.SPARSE_NOISE)
NATURAL_MOVIE_STIMULUS_TYPES = list(_st.NATURAL_MOVIES)
LOCALLY_SPARSE_NOISE_DIMENSIONS = {k: list(v) for k, v in _st.SPARSE_NOISE_DIMENSIONS.items()}
LOCALLY_SPARSE_NOISE_PIXELS = {
    _st.LOCALLY_SPARSE_NOISE: 45,
    _st.LOCALLY_SPARSE_NOISE_4DEG: 45,
    _st.LOCALLY_SPARSE_NOISE_8DEG: 90,
}
LOCALLY_SPARSE_NOISE_PIXEL_SIZE = dict(_st.SPARSE_NOISE_PIXEL_SIZE_DEG)
NATURAL_SCENES_PIXELS = _st.NATURAL_SCENES_PIXELS
NATURAL_MOVIE_PIXELS = (1080, 1920)
NATURAL_MOVIE_DIMENSIONS = _st.NATURAL_MOVIE_PIXELS
MONITOR_DIMENSIONS = _st.MONITOR_PIXELS
MONITOR_DISTANCE = 15
STIMULUS_GRAY = _st.LSN_GREY
STIMULUS_BITDEPTH = 8
RADIANS_TO_DEGREES = 57.2958


def all_stimuli() -> set[str]:
    """The ten stimulus names, as a set.

    Examples
    --------
    >>> len(all_stimuli())
    10
    """
    return set(_st.ALL_STIMULI)


def sessions_with_stimulus(stimulus: str) -> list[str]:
    """Session types that showed ``stimulus`` (sorted).

    Examples
    --------
    >>> sessions_with_stimulus("natural_movie_two")
    ['three_session_C', 'three_session_C2']
    """
    return sorted(_st.sessions_with_stimulus(stimulus))


def stimuli_in_session(session: str, allow_unknown: bool = True) -> list[str]:
    """Stimuli of a session type; an unknown one gives ``[]`` (or raises if not allowed).

    Examples
    --------
    >>> stimuli_in_session("three_session_A")[0]
    'drifting_gratings'
    >>> stimuli_in_session("no_such_session")
    []
    """
    if allow_unknown and session not in _st.SESSION_STIMULI:
        return []
    return list(_st.stimuli_in_session(session))
