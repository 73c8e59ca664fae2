"""Small, layout-complete experiments for the file-layer tests (not meant to look like cells)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from brainobs import stimuli as st
from brainobs.sample.session import ExperimentMetadata, SessionContent, StimulusPresentation

FRAME_PERIOD = 0.03317
BLOCK_GAP = 120  # frames between blocks: more than every AllenSDK epoch threshold
LEAD = 45  # frames before the first and after the last block
MOVIE_FRAMES = {st.NATURAL_MOVIE_ONE: 10, st.NATURAL_MOVIE_TWO: 10, st.NATURAL_MOVIE_THREE: 12}
N_SCENES = 6

BLOCK_ORDER: dict[str, tuple[str, ...]] = {
    "three_session_A": (
        st.DRIFTING_GRATINGS,
        st.NATURAL_MOVIE_THREE,
        st.NATURAL_MOVIE_ONE,
        st.DRIFTING_GRATINGS,
        st.SPONTANEOUS,
        st.NATURAL_MOVIE_THREE,
        st.DRIFTING_GRATINGS,
    ),
    "three_session_B": (
        st.STATIC_GRATINGS,
        st.NATURAL_SCENES,
        st.SPONTANEOUS,
        st.NATURAL_SCENES,
        st.STATIC_GRATINGS,
        st.NATURAL_MOVIE_ONE,
        st.NATURAL_SCENES,
        st.STATIC_GRATINGS,
    ),
    "three_session_C": (
        st.LOCALLY_SPARSE_NOISE,
        st.SPONTANEOUS,
        st.NATURAL_MOVIE_ONE,
        st.LOCALLY_SPARSE_NOISE,
        st.NATURAL_MOVIE_TWO,
        st.SPONTANEOUS,
        st.LOCALLY_SPARSE_NOISE,
    ),
    "three_session_C2": (
        st.LOCALLY_SPARSE_NOISE_4DEG,
        st.LOCALLY_SPARSE_NOISE_8DEG,
        st.SPONTANEOUS,
        st.NATURAL_MOVIE_ONE,
        st.LOCALLY_SPARSE_NOISE_4DEG,
        st.LOCALLY_SPARSE_NOISE_8DEG,
        st.NATURAL_MOVIE_TWO,
        st.SPONTANEOUS,
        st.LOCALLY_SPARSE_NOISE_4DEG,
        st.LOCALLY_SPARSE_NOISE_8DEG,
    ),
}

Rows = list[tuple[object, int, int]]  # (data row, start frame, end frame)


def _grating_rows(name: str, start: int, n: int, rng: np.random.Generator) -> tuple[Rows, int]:
    """Drifting (60 on + 30 grey frames) or static (7 frames back to back) grating trials."""
    rows: Rows = []
    for i in range(n):
        blank = i % 7 == 3
        if name == st.DRIFTING_GRATINGS:
            tf = rng.choice(st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES)
            ori = rng.choice(st.DRIFTING_GRATINGS_DIRECTIONS)
            row = [np.nan, np.nan, 1.0] if blank else [float(tf), float(ori), 0.0]
            rows.append((row, start, start + 60))
            start += 90
        else:
            row = [
                rng.choice(st.STATIC_GRATINGS_ORIENTATIONS),
                rng.choice(st.STATIC_GRATINGS_SPATIAL_FREQUENCIES),
                rng.choice(st.STATIC_GRATINGS_PHASES),
            ]
            rows.append(([np.nan] * 3 if blank else [float(v) for v in row], start, start + 7))
            start += 7
    return rows, start


def _indexed_rows(
    name: str, start: int, n: int, rng: np.random.Generator, shown: int
) -> tuple[Rows, int]:
    """Natural scenes (random image, -1 = blank) or sparse noise (next template frame)."""
    rows: Rows = []
    for i in range(n):
        if name == st.NATURAL_SCENES:
            frame = -1 if i % 9 == 4 else int(rng.integers(0, N_SCENES))
        else:
            frame = shown + i
        rows.append((frame, start, start + 7))
        start += 7
    return rows, start


def _movie_rows(name: str, start: int, repeats: int) -> tuple[Rows, int]:
    """Whole repeats of a movie, one movie frame per 2-photon frame."""
    rows: Rows = []
    for _ in range(repeats):
        for frame in range(MOVIE_FRAMES[name]):
            rows.append((frame, start, start + 1))
            start += 1
    return rows, start


def _schedule(
    session_type: str, n_trials: int, rng: np.random.Generator
) -> tuple[dict[str, Rows], int]:
    """Rows per stimulus for the session's block order; returns them and the frame count."""
    rows: dict[str, Rows] = {}
    frame = LEAD
    for name in BLOCK_ORDER[session_type]:
        done = rows.setdefault(name, [])
        if name in (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS):
            block, frame = _grating_rows(name, frame, n_trials, rng)
        elif name in st.NATURAL_MOVIES:
            block, frame = _movie_rows(name, frame, repeats=2)
        elif name == st.SPONTANEOUS:
            block, frame = [(1, frame, frame), (-1, frame + 90, frame + 90)], frame + 90
        else:
            block, frame = _indexed_rows(name, frame, n_trials, rng, shown=len(done))
        done.extend(block)
        frame += BLOCK_GAP
    return rows, frame - BLOCK_GAP + LEAD


def _presentation(
    name: str, rows: Rows, stamps: np.ndarray, order: np.ndarray
) -> StimulusPresentation:
    rows = [rows[i] for i in order]
    data = np.array([r[0] for r in rows])
    frames = np.array([[r[1], r[2]] for r in rows], dtype=np.int64)
    features = None
    if name == st.DRIFTING_GRATINGS:
        features = ("temporal_frequency", "orientation", "blank_sweep")
    elif name == st.STATIC_GRATINGS:
        features = ("orientation", "spatial_frequency", "phase")
    data = data.astype(np.float64) if features else data.astype(np.int64)
    return StimulusPresentation(name, data, frames, stamps[frames[:, 0]], features)


def _templates(
    session_type: str, rows: dict[str, Rows], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name in st.SESSION_STIMULI[session_type]:
        if name == st.NATURAL_SCENES:
            out[name] = rng.integers(0, 256, (N_SCENES, 27, 34)).astype(np.float32)
        elif name in st.NATURAL_MOVIES:
            out[name] = rng.integers(0, 256, (MOVIE_FRAMES[name], 8, 16), dtype=np.uint8)
        elif name in st.SPARSE_NOISE:
            n = len(rows[name]) + 5
            stack = np.full((n, *st.SPARSE_NOISE_DIMENSIONS[name]), st.LSN_GREY, dtype=np.uint8)
            spots = rng.random(stack.shape)
            stack[spots < 0.03] = st.LSN_ON
            stack[spots > 0.97] = st.LSN_OFF
            out[name] = stack
    return out


def _masks(n_cells: int, rng: np.random.Generator) -> np.ndarray:
    yy, xx = np.mgrid[:512, :512]
    masks = np.zeros((n_cells, 512, 512), dtype=bool)
    for i in range(n_cells):
        cy, cx = rng.integers(20, 492, 2)
        masks[i] = (yy - cy) ** 2 + ((xx - cx) / 1.3) ** 2 < rng.integers(25, 60)
    return masks


def _traces(shape: tuple[int, int], rng: np.random.Generator, base: float) -> np.ndarray:
    return np.round(base + 30 * rng.standard_normal(shape), 2).astype(np.float32)


def make_tiny_session(
    seed: int = 0,
    session_type: str = "three_session_B",
    *,
    n_cells: int = 5,
    n_trials: int = 24,
    eye_tracking: bool = True,
    shuffled_rows: bool = False,
    dff_length_offset: int = 0,
    metadata_changes: dict[str, object] | None = None,
) -> SessionContent:
    """Build a small but layout-complete experiment.

    Parameters
    ----------
    seed : int
        Seed of every random choice.
    session_type : str
        ``three_session_A``, ``B``, ``C`` or ``C2``: sets the stimuli and their block order.
    n_cells : int
        Number of ROIs.
    n_trials : int
        Trials per grating / scene / sparse-noise block.
    eye_tracking : bool
        Whether the experiment has pupil data.
    shuffled_rows : bool
        Store presentation rows out of time order (tables must sort them, keeping labels).
    dff_length_offset : int
        dF/F gets this many fewer samples than the fluorescence (real files can differ by 1).
    metadata_changes : dict, optional
        Field overrides for :class:`ExperimentMetadata`.

    Returns
    -------
    SessionContent

    Examples
    --------
    >>> content = make_tiny_session(session_type="three_session_A")
    >>> content.n_cells, sorted(content.stimuli)[0]
    (5, 'drifting_gratings')
    """
    rng = np.random.default_rng(seed)
    rows, n_frames = _schedule(session_type, n_trials, rng)
    stamps = 9.3 + FRAME_PERIOD * np.arange(n_frames)
    reorder: Callable[[int], np.ndarray] = (
        (lambda n: rng.permutation(n)) if shuffled_rows else (lambda n: np.arange(n))
    )
    presentations = {
        name: _presentation(
            name, r, stamps, np.arange(len(r)) if name == st.SPONTANEOUS else reorder(len(r))
        )
        for name, r in rows.items()
    }
    meta = dict(
        ophys_experiment_id=990000000 + seed,
        experiment_container_id=980000000 + seed,
        session_type=session_type,
        targeted_structure="VISp",
        imaging_depth_um=175,
        genotype="Cux2-CreERT2/wt;Camk2a-tTA/wt;Ai93(TITL-GCaMP6f)/wt",
        sex="female",
        age_days=104,
        specimen_name="Cux2-CreERT2;Camk2a-tTA;Ai93-900001",
        session_start_time="Thu Feb 16 16:00:07 2017",
    )
    meta.update(metadata_changes or {})
    shape = (n_cells, n_frames)
    raw, neuropil = _traces(shape, rng, 400.0), _traces(shape, rng, 300.0)
    n_dff = n_frames - dff_length_offset
    n_eye = n_frames - 10
    content = SessionContent(
        metadata=ExperimentMetadata(**meta),  # type: ignore[arg-type]
        timestamps=stamps,
        cell_specimen_ids=970000000 + rng.permutation(1000)[:n_cells].astype(np.int64),
        roi_ids=960000000 + np.arange(n_cells, dtype=np.int64) * 7,
        raw=raw,
        neuropil=neuropil,
        demixed=_traces(shape, rng, 390.0),
        r=np.round(rng.uniform(0.5, 0.9, n_cells), 3),
        rmse=np.round(rng.uniform(1, 5, n_cells), 3),
        dff=np.round(rng.standard_normal((n_cells, n_dff)) * 0.1, 3).astype(np.float32),
        dff_timestamps=stamps[:n_dff].copy(),
        masks=_masks(n_cells, rng),
        max_projection=rng.integers(0, 256, (512, 512), dtype=np.uint8),
        motion=np.round(rng.standard_normal((n_frames, 2)), 1),
        running_speed=np.round(np.abs(rng.standard_normal(n_frames - 7)) * 10, 2),
        running_timestamps=stamps[3:-4].copy(),
        stimuli=presentations,
        templates=_templates(session_type, rows, rng),
        events=np.where(rng.random(shape) > 0.98, rng.random(shape), 0.0),
        pupil_location=rng.standard_normal((n_eye, 2)) if eye_tracking else None,
        pupil_location_spherical=rng.standard_normal((n_eye, 2)) * 5 if eye_tracking else None,
        pupil_size=rng.uniform(500, 2000, n_eye) if eye_tracking else None,
        eye_timestamps=stamps[5 : 5 + n_eye].copy() if eye_tracking else None,
    )
    content.extra["template_reduction"] = {
        st.NATURAL_SCENES: st.NATURAL_SCENES_PIXELS,
        **{name: st.NATURAL_MOVIE_PIXELS for name in st.NATURAL_MOVIES},
    }
    content.extra["template_original_frames"] = {
        name: 3600 if name == st.NATURAL_MOVIE_THREE else 900
        for name in st.NATURAL_MOVIES
        if name in content.templates
    }
    content.extra["file_create_date"] = "Mon Mar  6 10:00:00 2017"
    return content
