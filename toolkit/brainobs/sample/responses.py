"""Firing rates of a session's cells: planted tuning x stimulus timeline x running.

``rate = (base + drive) * (1 + run_mod * running) * state`` in Hz at every 2-photon frame.
``drive`` is the sum over stimuli of each presentation's evoked rate (tuning value x a
per-trial gain), starting ``LATENCY`` frames after onset: drifting gratings for the 2 s of the
grating (with an onset transient), flashed stimuli (static gratings, scenes, sparse noise) for
0.25 s at twice the sustained rate, movies frame by frame. ``state`` is a slow shared gain
(arousal-like fluctuations that correlate the cells).
"""

from __future__ import annotations

import numpy as np

from .. import stimuli as st
from .behaviour import running_state
from .schedule import N_DG, N_SG, Schedule, StimTable
from .tuning import Tuning, direction_curve

__all__ = ["LATENCY", "FLASH_GAIN", "condition_responses", "movie_drives", "firing_rates"]

LATENCY = 2  # frames from stimulus onset to the first evoked spikes
FLASH_GAIN = 2.0  # flashed stimuli evoke a brief transient at twice the sustained rate
FLASH_FRAMES = 8


def _log2_gauss(values: np.ndarray, pref: np.ndarray, width: np.ndarray) -> np.ndarray:
    d = np.log2(values[None, :]) - np.log2(pref[:, None])
    return np.exp(-(d**2) / (2 * width[:, None] ** 2))


def _dg_matrix(t: Tuning) -> np.ndarray:
    dirs = np.asarray(st.DRIFTING_GRATINGS_DIRECTIONS, float)
    tfs = np.asarray(st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES, float)
    d = direction_curve(t, dirs)
    f = _log2_gauss(tfs, t.dg_tf, t.dg_tf_width)
    out = np.zeros((t.n_cells, N_DG + 1))
    out[:, :N_DG] = (d[:, :, None] * f[:, None, :]).reshape(t.n_cells, -1)
    return out * t.amp[:, None]


def _sg_matrix(t: Tuning) -> np.ndarray:
    oris = np.deg2rad(np.asarray(st.STATIC_GRATINGS_ORIENTATIONS, float))
    sfs = np.asarray(st.STATIC_GRATINGS_SPATIAL_FREQUENCIES, float)
    phases = np.asarray(st.STATIC_GRATINGS_PHASES, float)
    kappa = t.sg_kappa[:, None]
    o = np.exp(kappa * (np.cos(2 * (oris[None, :] - np.deg2rad(t.sg_ori)[:, None])) - 1))
    s = _log2_gauss(sfs, t.sg_sf, t.sg_sf_width)
    p = 1 - t.sg_phase_mod[:, None] * 0.5 * (
        1 - np.cos(2 * np.pi * (phases[None, :] - t.sg_phase[:, None]))
    )
    out = np.zeros((t.n_cells, N_SG + 1))
    out[:, :N_SG] = (o[:, :, None, None] * s[:, None, :, None] * p[:, None, None, :]).reshape(
        t.n_cells, -1
    )
    return out * t.amp[:, None] * FLASH_GAIN


def _rf_weights(t: Tuning, name: str) -> np.ndarray:
    """(n_cells, 2 * patches) weights of ON and OFF patches of a sparse-noise grid."""
    rows, cols = st.SPARSE_NOISE_DIMENSIONS[name]
    scale = 16 // rows  # fine-grid patches per patch edge
    sub = (np.arange(scale) + 0.5) / scale - 0.5
    r = (np.arange(rows)[:, None] + 0.5 + sub[None, :]) * scale - 0.5  # fine-grid coordinates
    c = (np.arange(cols)[:, None] + 0.5 + sub[None, :]) * scale - 0.5
    out = []
    for cr, cc, sg in ((t.rf_on_row, t.rf_on_col, t.rf_on_sigma),
                       (t.rf_off_row, t.rf_off_col, t.rf_off_sigma)):
        gy = np.exp(-((r[None] - np.nan_to_num(cr)[:, None, None]) ** 2)
                    / (2 * np.nan_to_num(sg, nan=1.0)[:, None, None] ** 2))
        gx = np.exp(-((c[None] - np.nan_to_num(cc)[:, None, None]) ** 2)
                    / (2 * np.nan_to_num(sg, nan=1.0)[:, None, None] ** 2))
        g = np.einsum("nra,ncb->nrc", gy, gx) * np.isfinite(cr)[:, None, None]
        out.append(g.reshape(t.n_cells, -1))
    return np.concatenate(out, axis=1)


def condition_responses(t: Tuning, name: str, template: np.ndarray | None = None) -> np.ndarray:
    """Evoked rate (Hz) of every cell to every condition of a stimulus.

    Returns (n_cells, n_conditions): drifting gratings 41 (40 = blank), static gratings 121
    (120 = blank), natural scenes 119 (column ``k`` is image ``k``, the last is the blank),
    sparse noise one column per template frame (needs ``template``).

    Examples
    --------
    >>> from brainobs.sample.tuning import plant_tuning
    >>> t = plant_tuning(np.arange(4), np.random.default_rng(0))
    >>> condition_responses(t, "drifting_gratings").shape
    (4, 41)
    """
    if name == st.DRIFTING_GRATINGS:
        return _dg_matrix(t)
    if name == st.STATIC_GRATINGS:
        return _sg_matrix(t)
    if name == st.NATURAL_SCENES:
        blank = np.zeros((t.n_cells, 1))
        return np.hstack([t.ns_weights, blank]) * t.amp[:, None] * FLASH_GAIN
    if name in st.SPARSE_NOISE:
        assert template is not None
        frames = template.reshape(len(template), -1)
        pattern = np.hstack([frames == st.LSN_ON, frames == st.LSN_OFF]).astype(float)
        drive = _rf_weights(t, name) @ pattern.T
        return np.minimum(drive, 1.5) * t.amp[:, None] * FLASH_GAIN
    raise ValueError(f"no condition responses for stimulus {name!r}")


def movie_drives(t: Tuning, n_frames: int, repeats: int, rng: np.random.Generator) -> np.ndarray:
    """Evoked rate (Hz) along a movie, per repeat: (n_cells, repeats, n_frames).

    Reliable cells respond at the same movie frames in every repeat; unreliable cells at
    different frames each repeat; cells of class ``none`` do not respond. ``rng`` must be the
    same for a movie in every session of a container (the cell's movie responses are fixed).

    Examples
    --------
    >>> from brainobs.sample.tuning import plant_tuning
    >>> t = plant_tuning(np.arange(3), np.random.default_rng(0))
    >>> movie_drives(t, 90, 10, np.random.default_rng(1)).shape
    (3, 10, 90)
    """
    frames = np.arange(n_frames)
    n_bumps = max(1, n_frames // 120)
    out = np.zeros((t.n_cells, repeats, n_frames))
    for i in range(t.n_cells):
        if t.movie_class[i] == "none":
            continue
        fixed = t.movie_class[i] == "reliable"
        width = rng.uniform(3, 8, n_bumps)
        height = rng.uniform(0.4, 1.0, n_bumps)
        out[i] = _bumps(frames, rng.uniform(0, n_frames, (1, n_bumps)), width, height)
        if not fixed:  # a faint repeatable part, the rest at new frames each repeat
            moving = rng.uniform(0, n_frames, (repeats, n_bumps))
            out[i] = 0.25 * out[i] + 0.6 * _bumps(frames, moving, width, height)
    return out * (t.amp * FLASH_GAIN)[:, None, None]


def _bumps(frames: np.ndarray, where: np.ndarray, width: np.ndarray, height: np.ndarray) -> (
    np.ndarray
):
    """Sum of Gaussian bumps per row of ``where`` (rows, n_bumps) -> (rows, n_frames)."""
    shape = -((frames[None, None, :] - where[:, :, None]) ** 2) / (2 * width[None, :, None] ** 2)
    return (height[None, :, None] * np.exp(shape)).sum(axis=1)


def _add_table(
    drive: np.ndarray, table: StimTable, matrix: np.ndarray, t: Tuning, rng: np.random.Generator
) -> None:
    """Add one stimulus's evoked rates to ``drive`` (in place)."""
    n_rows = len(table.start)
    gains = rng.lognormal(0.0, t.trial_cv[:, None], (t.n_cells, n_rows))
    if table.name == st.DRIFTING_GRATINGS:
        length = int((table.end - table.start).max())
        profile = 1.0 + 0.8 * np.exp(-np.arange(length) / 6.0)
    else:
        length = FLASH_FRAMES
        profile = np.ones(length)
    offsets = np.arange(length)
    frames = (table.start[:, None] + LATENCY + offsets[None, :]).ravel()
    rows = np.repeat(np.arange(n_rows), length)
    keep = frames < drive.shape[1]
    frames, rows = frames[keep], rows[keep]
    cols = table.cond[rows] if table.name != st.NATURAL_SCENES else np.where(
        table.cond[rows] < 0, matrix.shape[1] - 1, table.cond[rows]
    )
    drive[:, frames] += matrix[:, cols] * gains[:, rows] * np.tile(profile, n_rows)[keep]


def firing_rates(
    t: Tuning,
    schedule: Schedule,
    matrices: dict[str, np.ndarray],
    movies: dict[str, np.ndarray],
    speed: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Firing rate (Hz) of every cell at every frame of a session: (n_cells, n_frames).

    ``matrices`` are :func:`condition_responses` per stimulus and ``movies`` are
    :func:`movie_drives` per movie, both for the rows of ``t``.

    Examples
    --------
    >>> from brainobs.sample.design import SIZES
    >>> from brainobs.sample.schedule import make_schedule
    >>> from brainobs.sample.tuning import plant_tuning
    >>> rng = np.random.default_rng(0)
    >>> t = plant_tuning(np.arange(3), rng)
    >>> s = make_schedule("three_session_A", SIZES["small"], rng)
    >>> m = {"drifting_gratings": condition_responses(t, "drifting_gratings")}
    >>> firing_rates(t, s, m, {}, np.zeros(s.n_frames), rng).shape == (3, s.n_frames)
    True
    """
    from .behaviour import _ou

    n = schedule.n_frames
    drive = np.zeros((t.n_cells, n))
    for name, table in schedule.tables.items():
        if name in matrices:
            _add_table(drive, table, matrices[name], t, rng)
        elif name in movies:
            repeat = np.arange(len(table.start)) // movies[name].shape[2]
            frames = table.start + LATENCY
            keep = frames < n
            drive[:, frames[keep]] += movies[name][:, repeat[keep], table.cond[keep]]
    running = running_state(speed)[None, :]
    state = np.exp(0.2 * _ou(n, 5.0 / 0.0332, rng))[None, :]
    rate = (t.base_rate[:, None] + drive) * (1 + t.run_mod[:, None] * running) * state
    return np.clip(rate, 0.0, None)
