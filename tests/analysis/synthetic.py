"""Realistic synthetic experiments for the analysis tests: real-structured stimulus tables
(block structure, trial counts and timing of Visual Coding 2P) and cells with planted tuning.

``make_analysis_session(session_type, n_cells)`` returns a :class:`SessionContent` that
``write_nwb1`` can write; ``content.extra["truth"]`` holds the planted preferences per cell.
"""

from __future__ import annotations

import numpy as np

from brainobs import stimuli as st
from brainobs.sample.session import ExperimentMetadata, SessionContent, StimulusPresentation

PERIOD = 0.03317  # s per 2-photon frame
GAP = 60  # grey frames between blocks
MOVIE_FRAMES = {st.NATURAL_MOVIE_ONE: 900, st.NATURAL_MOVIE_TWO: 900, st.NATURAL_MOVIE_THREE: 3600}
LSN_TRIALS = {st.LOCALLY_SPARSE_NOISE: 8880, st.LOCALLY_SPARSE_NOISE_4DEG: 3000,
              st.LOCALLY_SPARSE_NOISE_8DEG: 3000}

# (stimulus, fraction of its trials or repeats) in presentation order.
BLOCKS = {
    "three_session_A": [(st.DRIFTING_GRATINGS, 1 / 3), (st.NATURAL_MOVIE_THREE, 0.5),
                        (st.NATURAL_MOVIE_ONE, 1.0), (st.DRIFTING_GRATINGS, 1 / 3),
                        (st.SPONTANEOUS, 1.0), (st.NATURAL_MOVIE_THREE, 0.5),
                        (st.DRIFTING_GRATINGS, 1 / 3)],
    "three_session_B": [(st.STATIC_GRATINGS, 1 / 3), (st.NATURAL_SCENES, 1 / 3),
                        (st.SPONTANEOUS, 1.0), (st.NATURAL_SCENES, 1 / 3),
                        (st.STATIC_GRATINGS, 1 / 3), (st.NATURAL_MOVIE_ONE, 1.0),
                        (st.NATURAL_SCENES, 1 / 3), (st.STATIC_GRATINGS, 1 / 3)],
    "three_session_C": [(st.LOCALLY_SPARSE_NOISE, 1 / 3), (st.SPONTANEOUS, 0.5),
                        (st.NATURAL_MOVIE_ONE, 1.0), (st.LOCALLY_SPARSE_NOISE, 1 / 3),
                        (st.NATURAL_MOVIE_TWO, 1.0), (st.SPONTANEOUS, 0.5),
                        (st.LOCALLY_SPARSE_NOISE, 1 / 3)],
    "three_session_C2": [(st.LOCALLY_SPARSE_NOISE_4DEG, 1 / 2),
                         (st.LOCALLY_SPARSE_NOISE_8DEG, 1 / 2), (st.SPONTANEOUS, 1.0),
                         (st.NATURAL_MOVIE_ONE, 1.0), (st.LOCALLY_SPARSE_NOISE_4DEG, 1 / 2),
                         (st.NATURAL_MOVIE_TWO, 1.0), (st.LOCALLY_SPARSE_NOISE_8DEG, 1 / 2)],
}


def _grating_conditions(name: str, rng: np.random.Generator) -> list[list[float]]:
    """All trials of a grating stimulus in random order (NaN rows are blank sweeps)."""
    if name == st.DRIFTING_GRATINGS:
        grid = [[tf, o, 0.0] for tf in st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES
                for o in st.DRIFTING_GRATINGS_DIRECTIONS] * 15
        blanks = [[np.nan, np.nan, 1.0]] * 28
    else:
        grid = [[o, sf, ph] for o in st.STATIC_GRATINGS_ORIENTATIONS
                for sf in st.STATIC_GRATINGS_SPATIAL_FREQUENCIES
                for ph in st.STATIC_GRATINGS_PHASES] * 48
        blanks = [[np.nan] * 3] * 240
    rows = [list(map(float, r)) for r in grid + blanks]
    return [rows[i] for i in rng.permutation(len(rows))]


def _sparse_frames(name: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """Sparse-noise frames: white/black spots at least 5 patches apart (Chebyshev)."""
    rows, cols = st.SPARSE_NOISE_DIMENSIONS[name]
    target = 11 if rows == 16 else 4
    stack = np.full((n, rows, cols), st.LSN_GREY, dtype=np.uint8)
    for f in range(n):
        placed: list[tuple[int, int]] = []
        for r, c in zip(rng.integers(0, rows, 60), rng.integers(0, cols, 60), strict=True):
            if all(max(abs(r - a), abs(c - b)) >= 5 for a, b in placed):
                placed.append((r, c))
                stack[f, r, c] = st.LSN_ON if rng.random() < 0.5 else st.LSN_OFF
            if len(placed) == target:
                break
    return stack


def _schedule(session_type: str, rng: np.random.Generator) -> tuple[dict, int]:
    """Table rows (data, start, end) per stimulus, and the number of frames."""
    pending = {st.DRIFTING_GRATINGS: _grating_conditions(st.DRIFTING_GRATINGS, rng),
               st.STATIC_GRATINGS: _grating_conditions(st.STATIC_GRATINGS, rng),
               st.NATURAL_SCENES: rng.permutation(np.repeat(np.arange(-1, 118), 50)).tolist()}
    rows: dict[str, list] = {}
    frame = GAP
    for name, share in BLOCKS[session_type]:
        out = rows.setdefault(name, [])
        if name in (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS, st.NATURAL_SCENES):
            total = {st.DRIFTING_GRATINGS: 628, st.STATIC_GRATINGS: 6000, st.NATURAL_SCENES: 5950}
            count = int(round(total[name] * share))
            take, pending[name] = pending[name][:count], pending[name][count:]
            on, step = (60, 90) if name == st.DRIFTING_GRATINGS else (7, 7)
            for data in take:
                out.append((data, frame, frame + on))
                frame += step
            frame += 30 if name == st.DRIFTING_GRATINGS else 0
        elif name in st.NATURAL_MOVIES:
            repeats = int(round(10 * share))
            for _ in range(repeats):
                for k in range(MOVIE_FRAMES[name]):
                    out.append((k, frame, frame + 1))
                    frame += 1
        elif name == st.SPONTANEOUS:
            length = int(9000 * share)
            out.extend([(1, frame, frame), (-1, frame + length, frame + length)])
            frame += length
        else:
            count = int(round(LSN_TRIALS[name] * share))
            for k in range(len(out), len(out) + count):
                out.append((k, frame, frame + 7))
                frame += 7
        frame += GAP
    return rows, frame + GAP


def _kernel(drive: np.ndarray, tau: float = 12.0) -> np.ndarray:
    """Calcium-like low-pass (exponential decay, ``tau`` frames) along the last axis."""
    from scipy.signal import lfilter

    a = np.exp(-1.0 / tau)
    return lfilter([1 - a], [1, -a], drive, axis=-1)


def _add_trials(drive: np.ndarray, rows: list, amplitude: np.ndarray, frames: int) -> None:
    """Add each trial's per-cell amplitude (cells × trials) for ``frames`` frames after onset."""
    starts = np.array([r[1] for r in rows])
    idx = starts[:, None] + np.arange(frames)
    np.add.at(drive, (slice(None), idx), amplitude[:, :, None])


def _responses(name: str, rows: list, cells: dict, running: np.ndarray) -> np.ndarray:
    """Planted amplitude of every cell on every trial (cells × trials)."""
    data = [r[0] for r in rows]
    gain = 1 + cells["run_gain"][:, None] * running[[r[1] for r in rows]][None, :]
    if name == st.DRIFTING_GRATINGS:
        tf, ori = (np.array([d[k] for d in data]) for k in (0, 1))
        dth = np.deg2rad(ori[None, :] - cells["pref_dir"][:, None])
        tuning = np.exp(3 * (np.cos(dth) - 1)) + 0.4 * np.exp(3 * (np.cos(dth - np.pi) - 1))
        tfw = np.exp(-np.log2(tf[None, :] / cells["pref_tf"][:, None]) ** 2 / 2)
        amp = np.nan_to_num(tuning * tfw) * cells["amp"][:, None]
    elif name == st.STATIC_GRATINGS:
        ori, sf, ph = (np.array([d[k] for d in data]) for k in (0, 1, 2))
        dth = np.deg2rad(2 * (ori[None, :] - cells["pref_ori"][:, None]))
        sfw = np.exp(-np.log2(sf[None, :] / cells["pref_sf"][:, None]) ** 2)
        phw = 1 + 0.3 * np.cos(2 * np.pi * (ph[None, :] - cells["pref_phase"][:, None]))
        amp = np.nan_to_num(np.exp(2 * (np.cos(dth) - 1)) * sfw * phw) * cells["amp"][:, None]
    elif name == st.NATURAL_SCENES:
        frames = np.array(data)
        amp = cells["scene_gain"][:, np.clip(frames + 1, 0, None)] * cells["amp"][:, None]
    else:  # sparse noise: linear RF, rectified
        shown = cells["templates"][name][np.array(data)].astype(float)
        on = (shown == st.LSN_ON).reshape(len(data), -1)
        off = (shown == st.LSN_OFF).reshape(len(data), -1)
        w_on, w_off = cells["rf"][name]
        amp = np.maximum(on @ w_on.T + off @ w_off.T, 0).T * cells["amp"][:, None] * 2
    return amp * gain


def _blob(rows: int, cols: int, cy: float, cx: float) -> np.ndarray:
    yy, xx = np.mgrid[:rows, :cols]
    return np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 2.0).ravel()


def _cells(n: int, rng: np.random.Generator, templates: dict) -> dict:
    """Planted preferences; the last quarter of the cells are unresponsive."""
    responsive = np.arange(n) < max(1, n - n // 4)
    cells = {
        "amp": np.where(responsive, rng.uniform(0.15, 0.6, n), 0.0),
        "run_gain": rng.choice([-0.4, 0.0, 0.6], n),
        "pref_dir": rng.choice(st.DRIFTING_GRATINGS_DIRECTIONS, n).astype(float),
        "pref_tf": rng.choice(st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES, n).astype(float),
        "pref_ori": rng.choice(st.STATIC_GRATINGS_ORIENTATIONS, n).astype(float),
        "pref_sf": rng.choice(st.STATIC_GRATINGS_SPATIAL_FREQUENCIES, n).astype(float),
        "pref_phase": rng.choice(st.STATIC_GRATINGS_PHASES, n).astype(float),
        "scene_gain": np.where(rng.random((n, 119)) < 0.06, rng.uniform(0.5, 1.5, (n, 119)), 0.0),
        "templates": templates, "rf": {}, "rf_centre": {},
    }
    cells["scene_gain"][:, 0] = 0.0
    best = rng.integers(1, 119, n)
    cells["scene_gain"][np.arange(n), best] = 2.0
    cells["pref_image"] = best - 1
    for name in st.SPARSE_NOISE:
        rows, cols = st.SPARSE_NOISE_DIMENSIONS[name]
        centre = np.stack([rng.uniform(3, rows - 3, n), rng.uniform(4, cols - 4, n)], axis=1)
        w_on = np.array([_blob(rows, cols, cy, cx) for cy, cx in centre])
        w_off = np.array([0.8 * _blob(rows, cols, cy + 1.5, cx + 1.0) for cy, cx in centre])
        cells["rf"][name], cells["rf_centre"][name] = (w_on, w_off), centre
    return cells


def make_analysis_session(session_type: str = "three_session_A", n_cells: int = 12,
                          seed: int = 0) -> SessionContent:
    """A synthetic experiment with Visual Coding stimulus structure and planted tuning.

    Examples
    --------
    >>> c = make_analysis_session("three_session_B", n_cells=2)
    >>> len(c.stimuli["natural_scenes"].data)
    5950
    """
    rng = np.random.default_rng(seed)
    rows, n_frames = _schedule(session_type, rng)
    stamps = 11.0 + PERIOD * np.arange(n_frames)
    templates = {name: _sparse_frames(name, len(rows[name]) + 120, rng)
                 for name in rows if name in st.SPARSE_NOISE}
    cells = _cells(n_cells, rng, templates)
    speed = np.abs(rng.normal(0, 0.3, n_frames))
    for begin in rng.integers(0, n_frames - 600, n_frames // 1500):
        speed[begin : begin + rng.integers(100, 600)] += rng.uniform(3, 25)
    drive = np.zeros((n_cells, n_frames))
    for name, trial_rows in rows.items():
        if name in st.NATURAL_MOVIES:
            pattern = _kernel(np.where(rng.random((n_cells, MOVIE_FRAMES[name])) < 0.02, 1.0, 0))
            starts = np.array([r[1] for r in trial_rows if r[0] == 0])
            for s in starts:
                drive[:, s : s + MOVIE_FRAMES[name]] += pattern * cells["amp"][:, None] * 3
        elif name != st.SPONTANEOUS:
            amp = _responses(name, trial_rows, cells, speed >= 1)
            _add_trials(drive, trial_rows, amp, 60 if name == st.DRIFTING_GRATINGS else 7)
    signal = _kernel(drive) + rng.normal(0, 0.03, (n_cells, n_frames))
    f0 = rng.uniform(150, 500, n_cells)[:, None]
    corrected = (f0 * (1 + signal)).astype(np.float32)
    neuropil = (100 + 20 * rng.standard_normal((n_cells, n_frames))).astype(np.float32)
    r = np.round(rng.uniform(0.6, 0.8, n_cells), 3)
    demixed = (corrected + r[:, None] * neuropil).astype(np.float32)
    presentations = {}
    for name, trial_rows in rows.items():
        n_rows = len(trial_rows)
        order = np.arange(n_rows) if name == st.SPONTANEOUS else rng.permutation(n_rows)
        trial_rows = [trial_rows[i] for i in order]
        data = np.array([t[0] for t in trial_rows])
        frames = np.array([[t[1], t[2]] for t in trial_rows], dtype=np.int64)
        features = {st.DRIFTING_GRATINGS: ("temporal_frequency", "orientation", "blank_sweep"),
                    st.STATIC_GRATINGS: ("orientation", "spatial_frequency", "phase")}.get(name)
        data = data.astype(float) if features else data.astype(np.int64)
        presentations[name] = StimulusPresentation(name, data, frames, stamps[frames[:, 0]],
                                                   features)
    for name in rows:
        if name == st.NATURAL_SCENES:
            templates[name] = rng.integers(0, 256, (118, 27, 34)).astype(np.float32)
        elif name in st.NATURAL_MOVIES:
            templates[name] = rng.integers(0, 256, (MOVIE_FRAMES[name], 8, 16), dtype=np.uint8)
    meta = ExperimentMetadata(
        ophys_experiment_id=880000000 + seed, experiment_container_id=870000000,
        session_type=session_type, targeted_structure="VISp", imaging_depth_um=175,
        genotype="Cux2-CreERT2/wt;Camk2a-tTA/wt;Ai93(TITL-GCaMP6f)/wt", sex="female",
        age_days=104, specimen_name="Cux2-CreERT2;Camk2a-tTA;Ai93-900001",
        session_start_time="Thu Feb 16 16:00:07 2017",
    )
    yy, xx = np.mgrid[:512, :512]
    masks = np.array([(yy - 20 - 30 * (i % 16)) ** 2 + (xx - 20 - 30 * (i // 16)) ** 2 < 40
                      for i in range(n_cells)])
    content = SessionContent(
        metadata=meta, timestamps=stamps,
        cell_specimen_ids=(860000000 + np.arange(n_cells) * 11).astype(np.int64),
        roi_ids=(850000000 + np.arange(n_cells)).astype(np.int64),
        raw=demixed.copy(), neuropil=neuropil, demixed=demixed, r=r, rmse=np.ones(n_cells),
        dff=((corrected - f0) / f0).astype(np.float32), dff_timestamps=stamps.copy(),
        masks=masks, max_projection=np.zeros((512, 512), np.uint8),
        motion=np.zeros((n_frames, 2)), running_speed=np.round(speed[5:-3], 3),
        running_timestamps=stamps[5:-3].copy(), stimuli=presentations, templates=templates,
        events=np.zeros((n_cells, n_frames)),
    )
    reduced = {m: st.NATURAL_MOVIE_PIXELS for m in st.NATURAL_MOVIES}
    content.extra["template_reduction"] = {st.NATURAL_SCENES: st.NATURAL_SCENES_PIXELS, **reduced}
    content.extra["truth"] = {k: v for k, v in cells.items() if k != "templates"}
    return content
