"""Stimulus blocks and presentation tables of one session, on the 2-photon frame clock.

Block orders follow the real sessions (A: 7 epochs, B: 8, C: 7, C2: 10). Inside a block:
drifting gratings are 2 s on + 1 s grey (60 + 30 frames at ~30.1 Hz); static gratings, natural
scenes and sparse noise are 0.25 s sweeps back to back (7 or 8 frames, 7 in the second row as
AllenSDK expects); movies show one template frame per 2-photon frame. Blocks are separated by
``gap_frames`` of grey, longer than every AllenSDK epoch threshold (A 39, B 15, C/C2 7 frames).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import stimuli as st
from .design import ReleaseSize
from .session import StimulusPresentation

__all__ = [
    "FRAME_PERIOD",
    "BLOCK_ORDER",
    "DG_FEATURES",
    "SG_FEATURES",
    "StimTable",
    "Schedule",
    "make_schedule",
    "lsn_frames_shown",
]

#: Seconds between 2-photon frames (~30.1 Hz, as in the real recordings).
FRAME_PERIOD = 0.03322

BLOCK_ORDER: dict[str, tuple[str, ...]] = {
    "three_session_A": (
        st.DRIFTING_GRATINGS, st.NATURAL_MOVIE_THREE, st.NATURAL_MOVIE_ONE, st.DRIFTING_GRATINGS,
        st.SPONTANEOUS, st.NATURAL_MOVIE_THREE, st.DRIFTING_GRATINGS,
    ),
    "three_session_B": (
        st.STATIC_GRATINGS, st.NATURAL_SCENES, st.SPONTANEOUS, st.NATURAL_SCENES,
        st.STATIC_GRATINGS, st.NATURAL_MOVIE_ONE, st.NATURAL_SCENES, st.STATIC_GRATINGS,
    ),
    "three_session_C": (
        st.LOCALLY_SPARSE_NOISE, st.SPONTANEOUS, st.NATURAL_MOVIE_ONE, st.LOCALLY_SPARSE_NOISE,
        st.NATURAL_MOVIE_TWO, st.SPONTANEOUS, st.LOCALLY_SPARSE_NOISE,
    ),
    "three_session_C2": (
        st.LOCALLY_SPARSE_NOISE_4DEG, st.LOCALLY_SPARSE_NOISE_8DEG, st.SPONTANEOUS,
        st.NATURAL_MOVIE_ONE, st.LOCALLY_SPARSE_NOISE_4DEG, st.LOCALLY_SPARSE_NOISE_8DEG,
        st.NATURAL_MOVIE_TWO, st.SPONTANEOUS, st.LOCALLY_SPARSE_NOISE_4DEG,
        st.LOCALLY_SPARSE_NOISE_8DEG,
    ),
}

DG_FEATURES = ("temporal_frequency", "orientation", "blank_sweep")
SG_FEATURES = ("orientation", "spatial_frequency", "phase")
N_DG = len(st.DRIFTING_GRATINGS_DIRECTIONS) * len(st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES)
N_SG = (
    len(st.STATIC_GRATINGS_ORIENTATIONS)
    * len(st.STATIC_GRATINGS_SPATIAL_FREQUENCIES)
    * len(st.STATIC_GRATINGS_PHASES)
)


@dataclass
class StimTable:
    """All presentations of one stimulus, in time order.

    ``cond`` is the condition of each row: for drifting gratings ``direction_index * 5 +
    tf_index`` (40 = blank), for static gratings ``orientation_index * 20 + sf_index * 4 +
    phase_index`` (120 = blank), for indexed stimuli the template frame (-1 = blank scene),
    for spontaneous activity 0.

    Examples
    --------
    >>> t = StimTable("natural_scenes", np.array([30, 38]), np.array([38, 45]), np.array([4, -1]))
    >>> t.presentation(np.arange(60) * FRAME_PERIOD).data.tolist()
    [4, -1]
    """

    name: str
    start: np.ndarray  # (N,) int64 2-photon frame of onset
    end: np.ndarray  # (N,) int64
    cond: np.ndarray  # (N,) int64

    def presentation(self, timestamps: np.ndarray) -> StimulusPresentation:
        """The ``/stimulus/presentation`` content of this table (times from ``timestamps``).

        Gratings get their feature columns, indexed stimuli their template frames, and
        spontaneous activity one +1 (start) and one -1 (end) row per block.

        Parameters
        ----------
        timestamps : numpy.ndarray
            Time in seconds of every 2-photon frame.

        Returns
        -------
        StimulusPresentation

        Examples
        --------
        >>> t = StimTable("spontaneous", np.array([10]), np.array([40]), np.array([0]))
        >>> p = t.presentation(np.arange(60) * 0.5)
        >>> p.data.tolist(), p.timestamps.tolist()
        ([1, -1], [5.0, 20.0])
        """
        if self.name == st.SPONTANEOUS:
            data = np.ravel(np.column_stack([np.ones_like(self.start), -np.ones_like(self.end)]))
            frames = np.ravel(np.column_stack([self.start, self.end]))
            duration = np.column_stack([frames, frames])
            return StimulusPresentation(self.name, data, duration, timestamps[frames])
        duration = np.column_stack([self.start, self.end]).astype(np.int64)
        stamps = timestamps[self.start]
        if self.name == st.DRIFTING_GRATINGS:
            data = _dg_data(self.cond)
            return StimulusPresentation(self.name, data, duration, stamps, DG_FEATURES)
        if self.name == st.STATIC_GRATINGS:
            data = _sg_data(self.cond)
            return StimulusPresentation(self.name, data, duration, stamps, SG_FEATURES)
        return StimulusPresentation(self.name, self.cond.astype(np.int64), duration, stamps)


@dataclass
class Schedule:
    """One session's stimulus timeline.

    Examples
    --------
    >>> from brainobs.sample.design import SIZES
    >>> s = make_schedule("three_session_C", SIZES["small"], np.random.default_rng(0))
    >>> s.n_frames == len(s.timestamps), sorted(s.presentations())[0]
    (True, 'locally_sparse_noise')
    """

    session_type: str
    timestamps: np.ndarray  # (n_frames,) seconds
    blocks: list[tuple[str, int, int]]  # (stimulus, first frame, frame after the block)
    tables: dict[str, StimTable]

    @property
    def n_frames(self) -> int:
        """Number of 2-photon frames in the session."""
        return int(len(self.timestamps))

    def presentations(self) -> dict[str, StimulusPresentation]:
        """Every stimulus table as a :class:`StimulusPresentation`.

        Returns
        -------
        dict
            ``{stimulus name: StimulusPresentation}``.

        Examples
        --------
        >>> from brainobs.sample.design import SIZES
        >>> s = make_schedule("three_session_B", SIZES["small"], np.random.default_rng(0))
        >>> sorted(s.presentations())
        ['natural_movie_one', 'natural_scenes', 'spontaneous', 'static_gratings']
        >>> s.presentations()["static_gratings"].features
        ('orientation', 'spatial_frequency', 'phase')
        """
        return {name: t.presentation(self.timestamps) for name, t in self.tables.items()}


def _dg_data(cond: np.ndarray) -> np.ndarray:
    tfs = np.asarray(st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES, dtype=float)
    dirs = np.asarray(st.DRIFTING_GRATINGS_DIRECTIONS, dtype=float)
    blank = cond >= N_DG
    c = np.where(blank, 0, cond)
    data = np.column_stack([tfs[c % len(tfs)], dirs[c // len(tfs)], blank.astype(float)])
    data[blank, :2] = np.nan
    return data


def _sg_data(cond: np.ndarray) -> np.ndarray:
    oris = np.asarray(st.STATIC_GRATINGS_ORIENTATIONS, dtype=float)
    sfs = np.asarray(st.STATIC_GRATINGS_SPATIAL_FREQUENCIES, dtype=float)
    phases = np.asarray(st.STATIC_GRATINGS_PHASES, dtype=float)
    blank = cond >= N_SG
    c = np.where(blank, 0, cond)
    data = np.column_stack([oris[c // 20], sfs[(c // 4) % 5], phases[c % 4]])
    data[blank] = np.nan
    return data


def _split(values: np.ndarray, n_blocks: int) -> list[np.ndarray]:
    return np.array_split(values, n_blocks)


def _trial_orders(session_type: str, size: ReleaseSize, rng: np.random.Generator) -> dict:
    """Condition sequence of every block, per stimulus (lists in block order)."""
    orders: dict[str, list[np.ndarray]] = {}
    counts = {name: BLOCK_ORDER[session_type].count(name) for name in BLOCK_ORDER[session_type]}
    if st.DRIFTING_GRATINGS in counts:
        n_blank = max(counts[st.DRIFTING_GRATINGS], round(0.05 * N_DG * size.dg_repeats))
        seq = np.r_[np.repeat(np.arange(N_DG), size.dg_repeats), np.full(n_blank, N_DG)]
        orders[st.DRIFTING_GRATINGS] = _split(rng.permutation(seq), counts[st.DRIFTING_GRATINGS])
    if st.STATIC_GRATINGS in counts:
        n_blank = max(counts[st.STATIC_GRATINGS], round(0.04 * N_SG * size.sg_repeats))
        seq = np.r_[np.repeat(np.arange(N_SG), size.sg_repeats), np.full(n_blank, N_SG)]
        orders[st.STATIC_GRATINGS] = _split(rng.permutation(seq), counts[st.STATIC_GRATINGS])
    if st.NATURAL_SCENES in counts:
        seq = np.repeat(np.arange(-1, st.N_NATURAL_SCENES), size.ns_repeats)
        orders[st.NATURAL_SCENES] = _split(rng.permutation(seq), counts[st.NATURAL_SCENES])
    for name in st.SPARSE_NOISE:
        if name in counts:
            per_block = lsn_frames_shown(name, size) // counts[name]
            frames = np.arange(per_block * counts[name])
            orders[name] = _split(frames, counts[name])
    for name in st.NATURAL_MOVIES:
        if name in counts:
            n = size.movie_frames[name]
            repeats = _split(np.arange(size.movie_repeats), counts[name])
            orders[name] = [np.tile(np.arange(n), len(r)) for r in repeats]
    return orders


def lsn_frames_shown(name: str, size: ReleaseSize) -> int:
    """Sparse-noise template frames shown in a session (all blocks).

    Examples
    --------
    >>> from brainobs.sample.design import SIZES
    >>> lsn_frames_shown("locally_sparse_noise", SIZES["large"])
    8880
    """
    per_block = {
        st.LOCALLY_SPARSE_NOISE: size.lsn_frames,
        st.LOCALLY_SPARSE_NOISE_4DEG: size.lsn4_frames,
        st.LOCALLY_SPARSE_NOISE_8DEG: size.lsn8_frames,
    }[name]
    return 3 * per_block


def _block_rows(name: str, conds: np.ndarray, first: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Onset and end frames of a block's rows; returns them and the frame after the block."""
    k = np.arange(len(conds) + 1)
    if name == st.DRIFTING_GRATINGS:
        onsets = first + np.round(k * 3.0 / FRAME_PERIOD).astype(np.int64)
        return onsets[:-1], onsets[:-1] + round(2.0 / FRAME_PERIOD), int(onsets[-1])
    if name in st.NATURAL_MOVIES:
        onsets = first + k
        return onsets[:-1], onsets[1:], int(onsets[-1])
    onsets = first + np.round(k * 0.25 / FRAME_PERIOD).astype(np.int64)
    return onsets[:-1], onsets[1:], int(onsets[-1])


def make_schedule(
    session_type: str, size: ReleaseSize, rng: np.random.Generator
) -> Schedule:
    """Lay out a session: blocks in the real order, trials in random order inside them.

    Parameters
    ----------
    session_type : str
        ``three_session_A``, ``B``, ``C`` or ``C2``.
    size : ReleaseSize
        Repeat counts, movie lengths and gaps.
    rng : numpy.random.Generator
        Source of the trial orders and of the first timestamp.

    Returns
    -------
    Schedule

    Examples
    --------
    >>> import numpy as np
    >>> from brainobs.sample.design import SIZES
    >>> s = make_schedule("three_session_A", SIZES["small"], np.random.default_rng(0))
    >>> [b[0] for b in s.blocks][:3]
    ['drifting_gratings', 'natural_movie_three', 'natural_movie_one']
    """
    st.check_session_type(session_type)
    orders = _trial_orders(session_type, size, rng)
    used = {name: 0 for name in orders}
    rows: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    blocks: list[tuple[str, int, int]] = []
    frame = size.lead_frames
    for name in BLOCK_ORDER[session_type]:
        if name == st.SPONTANEOUS:
            start, end, cond = np.array([frame]), np.array([frame + size.spont_frames]), [0]
            after = frame + size.spont_frames
        else:
            cond = orders[name][used[name]]
            used[name] += 1
            start, end, after = _block_rows(name, cond, frame)
        rows.setdefault(name, []).append((start, end, np.asarray(cond, dtype=np.int64)))
        blocks.append((name, frame, after))
        frame = after + size.gap_frames
    n_frames = frame - size.gap_frames + size.lead_frames
    t0 = 8.5 + float(rng.uniform(0.0, 1.0))
    timestamps = t0 + FRAME_PERIOD * np.arange(n_frames)
    tables = {
        name: StimTable(name, *(np.concatenate(parts) for parts in zip(*blocks_of, strict=True)))
        for name, blocks_of in rows.items()
    }
    return Schedule(session_type, timestamps, blocks, tables)
