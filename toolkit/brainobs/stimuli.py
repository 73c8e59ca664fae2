"""Stimulus names, session types and display geometry of Visual Coding 2P (no I/O, no pandas).

The values follow AllenSDK's ``stimulus_info`` and the Allen stimulus whitepaper.
"""

from __future__ import annotations

from .errors import MissingStimulusError, check_choice

__all__ = [
    "DRIFTING_GRATINGS",
    "STATIC_GRATINGS",
    "NATURAL_SCENES",
    "NATURAL_MOVIE_ONE",
    "NATURAL_MOVIE_TWO",
    "NATURAL_MOVIE_THREE",
    "LOCALLY_SPARSE_NOISE",
    "LOCALLY_SPARSE_NOISE_4DEG",
    "LOCALLY_SPARSE_NOISE_8DEG",
    "SPONTANEOUS",
    "ALL_STIMULI",
    "SESSION_TYPES",
    "SESSION_STIMULI",
    "SHORT_NAMES",
    "STIMULUS_COLORS",
    "NATURAL_MOVIES",
    "SPARSE_NOISE",
    "SPARSE_NOISE_DIMENSIONS",
    "SPARSE_NOISE_PIXEL_SIZE_DEG",
    "NATURAL_SCENES_PIXELS",
    "NATURAL_MOVIE_PIXELS",
    "MONITOR_PIXELS",
    "DRIFTING_GRATINGS_DIRECTIONS",
    "DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES",
    "DRIFTING_GRATINGS_SPATIAL_FREQUENCY",
    "STATIC_GRATINGS_ORIENTATIONS",
    "STATIC_GRATINGS_SPATIAL_FREQUENCIES",
    "STATIC_GRATINGS_PHASES",
    "N_NATURAL_SCENES",
    "LSN_ON",
    "LSN_OFF",
    "LSN_GREY",
    "check_stimulus",
    "check_session_type",
    "stimuli_in_session",
    "sessions_with_stimulus",
    "check_stimulus_in_session",
]

DRIFTING_GRATINGS = "drifting_gratings"
STATIC_GRATINGS = "static_gratings"
NATURAL_SCENES = "natural_scenes"
NATURAL_MOVIE_ONE = "natural_movie_one"
NATURAL_MOVIE_TWO = "natural_movie_two"
NATURAL_MOVIE_THREE = "natural_movie_three"
LOCALLY_SPARSE_NOISE = "locally_sparse_noise"
LOCALLY_SPARSE_NOISE_4DEG = "locally_sparse_noise_4deg"
LOCALLY_SPARSE_NOISE_8DEG = "locally_sparse_noise_8deg"
SPONTANEOUS = "spontaneous"

ALL_STIMULI: tuple[str, ...] = (
    DRIFTING_GRATINGS,
    STATIC_GRATINGS,
    NATURAL_SCENES,
    NATURAL_MOVIE_ONE,
    NATURAL_MOVIE_TWO,
    NATURAL_MOVIE_THREE,
    LOCALLY_SPARSE_NOISE,
    LOCALLY_SPARSE_NOISE_4DEG,
    LOCALLY_SPARSE_NOISE_8DEG,
    SPONTANEOUS,
)

SESSION_TYPES: tuple[str, ...] = (
    "three_session_A",
    "three_session_B",
    "three_session_C",
    "three_session_C2",
)

SESSION_STIMULI: dict[str, tuple[str, ...]] = {
    "three_session_A": (DRIFTING_GRATINGS, NATURAL_MOVIE_ONE, NATURAL_MOVIE_THREE, SPONTANEOUS),
    "three_session_B": (STATIC_GRATINGS, NATURAL_SCENES, NATURAL_MOVIE_ONE, SPONTANEOUS),
    "three_session_C": (LOCALLY_SPARSE_NOISE, NATURAL_MOVIE_ONE, NATURAL_MOVIE_TWO, SPONTANEOUS),
    "three_session_C2": (
        LOCALLY_SPARSE_NOISE_4DEG,
        LOCALLY_SPARSE_NOISE_8DEG,
        NATURAL_MOVIE_ONE,
        NATURAL_MOVIE_TWO,
        SPONTANEOUS,
    ),
}

SHORT_NAMES: dict[str, str] = {
    DRIFTING_GRATINGS: "dg",
    STATIC_GRATINGS: "sg",
    NATURAL_SCENES: "ns",
    NATURAL_MOVIE_ONE: "nm1",
    NATURAL_MOVIE_TWO: "nm2",
    NATURAL_MOVIE_THREE: "nm3",
    LOCALLY_SPARSE_NOISE: "lsn",
    LOCALLY_SPARSE_NOISE_4DEG: "lsn4",
    LOCALLY_SPARSE_NOISE_8DEG: "lsn8",
    SPONTANEOUS: "sp",
}

# Colour per stimulus, as on the Brain Observatory portal (ColorBrewer "Paired").
STIMULUS_COLORS: dict[str, str] = {
    DRIFTING_GRATINGS: "#a6cee3",
    STATIC_GRATINGS: "#1f78b4",
    NATURAL_MOVIE_ONE: "#b2df8a",
    NATURAL_MOVIE_TWO: "#33a02c",
    NATURAL_MOVIE_THREE: "#fb9a99",
    NATURAL_SCENES: "#e31a1c",
    LOCALLY_SPARSE_NOISE: "#fdbf6f",
    LOCALLY_SPARSE_NOISE_4DEG: "#fdbf6f",
    LOCALLY_SPARSE_NOISE_8DEG: "#ff7f00",
    SPONTANEOUS: "#cab2d6",
}

NATURAL_MOVIES: tuple[str, ...] = (NATURAL_MOVIE_ONE, NATURAL_MOVIE_TWO, NATURAL_MOVIE_THREE)
SPARSE_NOISE: tuple[str, ...] = (
    LOCALLY_SPARSE_NOISE,
    LOCALLY_SPARSE_NOISE_4DEG,
    LOCALLY_SPARSE_NOISE_8DEG,
)

#: (rows, columns) of the sparse-noise grid.
SPARSE_NOISE_DIMENSIONS: dict[str, tuple[int, int]] = {
    LOCALLY_SPARSE_NOISE: (16, 28),
    LOCALLY_SPARSE_NOISE_4DEG: (16, 28),
    LOCALLY_SPARSE_NOISE_8DEG: (8, 14),
}
#: Edge of one sparse-noise patch in visual degrees (the "4deg"/"8deg" names round these).
SPARSE_NOISE_PIXEL_SIZE_DEG: dict[str, float] = {
    LOCALLY_SPARSE_NOISE: 4.65,
    LOCALLY_SPARSE_NOISE_4DEG: 4.65,
    LOCALLY_SPARSE_NOISE_8DEG: 9.3,
}
NATURAL_SCENES_PIXELS: tuple[int, int] = (918, 1174)
NATURAL_MOVIE_PIXELS: tuple[int, int] = (304, 608)
MONITOR_PIXELS: tuple[int, int] = (1200, 1920)

DRIFTING_GRATINGS_DIRECTIONS: tuple[float, ...] = (0, 45, 90, 135, 180, 225, 270, 315)
DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES: tuple[float, ...] = (1, 2, 4, 8, 15)
DRIFTING_GRATINGS_SPATIAL_FREQUENCY = 0.04
STATIC_GRATINGS_ORIENTATIONS: tuple[float, ...] = (0, 30, 60, 90, 120, 150)
STATIC_GRATINGS_SPATIAL_FREQUENCIES: tuple[float, ...] = (0.02, 0.04, 0.08, 0.16, 0.32)
STATIC_GRATINGS_PHASES: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75)
N_NATURAL_SCENES = 118

LSN_ON = 255
LSN_OFF = 0
LSN_GREY = 127


def check_stimulus(name: str) -> str:
    """Return ``name`` if it is a Visual Coding stimulus, else raise with the valid names.

    Examples
    --------
    >>> check_stimulus("natural_scenes")
    'natural_scenes'
    """
    return check_choice("stimulus", name, ALL_STIMULI)


def check_session_type(session_type: str) -> str:
    """Return ``session_type`` if it is a Visual Coding session type, else raise.

    Examples
    --------
    >>> check_session_type("three_session_B")
    'three_session_B'
    """
    return check_choice("session type", session_type, SESSION_TYPES)


def stimuli_in_session(session_type: str) -> tuple[str, ...]:
    """Stimuli shown in a session type.

    Examples
    --------
    >>> stimuli_in_session("three_session_A")
    ('drifting_gratings', 'natural_movie_one', 'natural_movie_three', 'spontaneous')
    """
    return SESSION_STIMULI[check_session_type(session_type)]


def sessions_with_stimulus(stimulus: str) -> tuple[str, ...]:
    """Session types that showed a stimulus.

    Examples
    --------
    >>> sessions_with_stimulus("natural_movie_two")
    ('three_session_C', 'three_session_C2')
    """
    check_stimulus(stimulus)
    return tuple(s for s in SESSION_TYPES if stimulus in SESSION_STIMULI[s])


def check_stimulus_in_session(stimulus: str, session_type: str) -> str:
    """Return ``stimulus`` if ``session_type`` showed it, else say which sessions did.

    Raises
    ------
    MissingStimulusError
        Naming the session types that do show the stimulus.

    Examples
    --------
    >>> check_stimulus_in_session("natural_scenes", "three_session_B")
    'natural_scenes'
    """
    check_stimulus(stimulus)
    shown = stimuli_in_session(session_type)
    if stimulus not in shown:
        where = ", ".join(sessions_with_stimulus(stimulus))
        msg = (
            f"Stimulus {stimulus!r} was not shown in {session_type} (it showed {list(shown)}). "
            f"{stimulus!r} is in session type(s): {where}; open that session of the container."
        )
        raise MissingStimulusError(msg)
    return stimulus
