"""Cell-metric records (``cell_specimens.json``) of the sample release, derived from the truth.

Until brainobs computes the metrics from the files, :func:`metrics_from_truth` states them
from the planted tuning: preferences are the planted ones; selectivity indices follow the
AllenSDK formulas applied to the planted tuning curves; p values, reliabilities and peak
responses are drawn to match each cell's response class (small p values for strongly tuned
cells, large for unresponsive ones). Metrics of a session the cell is missing from are null.
Swap :func:`metrics_from_truth` for a computing function to publish measured metrics.
"""

from __future__ import annotations

import numpy as np

from .. import stimuli as st
from .catalog import STIMULUS_MAPPING_ITEMS, TRANSGENIC_LINES
from .design import SYNTHETIC_KEY, ContainerDesign, rng_for, synthetic_note
from .responses import FLASH_FRAMES, FLASH_GAIN, LATENCY
from .schedule import FRAME_PERIOD
from .traces import RISE_TAU
from .tuning import Tuning, direction_curve

__all__ = ["METRIC_COLUMNS", "THUMBNAIL_COLUMNS", "metrics_from_truth", "cell_metric_records"]

_SESSION_A = ("dsi_dg", "g_dsi_dg", "g_osi_dg", "osi_dg", "p_dg", "p_run_mod_dg", "peak_dff_dg",
              "pref_dir_dg", "pref_tf_dg", "reliability_dg", "reliability_nm3", "run_mod_dg",
              "tfdi_dg")
_SESSION_B = ("g_osi_sg", "image_sel_ns", "osi_sg", "p_ns", "p_run_mod_ns", "p_run_mod_sg",
              "p_sg", "peak_dff_ns", "peak_dff_sg", "pref_image_ns", "pref_ori_sg",
              "pref_phase_sg", "pref_sf_sg", "reliability_ns", "reliability_sg", "run_mod_ns",
              "run_mod_sg", "sfdi_sg", "time_to_peak_ns", "time_to_peak_sg")
_SESSION_C = ("reliability_nm2", "rf_area_off_lsn", "rf_area_on_lsn", "rf_center_off_x_lsn",
              "rf_center_off_y_lsn", "rf_center_on_x_lsn", "rf_center_on_y_lsn", "rf_chi2_lsn",
              "rf_distance_lsn", "rf_overlap_index_lsn")
#: Every metric column with the session letter whose experiment it comes from.
METRIC_COLUMNS: dict[str, str] = {
    **{name: "A" for name in _SESSION_A},
    **{name: "B" for name in _SESSION_B},
    **{name: "C" for name in _SESSION_C},
    "reliability_nm1_a": "A",
    "reliability_nm1_b": "B",
    "reliability_nm1_c": "C",
}
THUMBNAIL_COLUMNS = tuple(i[1] for i in STIMULUS_MAPPING_ITEMS if i[4] == "T" and i[2] == "R")
PATCH_DEG = 4.65


def _p_values(cls: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.select(
        [cls == "strong", cls == "weak"],
        [10 ** rng.uniform(-20, -6, len(cls)), 10 ** rng.uniform(-5, -1.5, len(cls))],
        rng.uniform(0.05, 1.0, len(cls)),
    )


def _draw(cls: np.ndarray, rng: np.random.Generator, ranges: dict[str, tuple]) -> np.ndarray:
    out = np.empty(len(cls))
    for name, (low, high) in ranges.items():
        hit = cls == name
        out[hit] = rng.uniform(low, high, int(hit.sum()))
    return out


def _steady_dff(rate: np.ndarray, t: Tuning, seconds: float) -> np.ndarray:
    """Mean dF/F (%) over a response of ``seconds`` at ``rate`` extra Hz (calcium build-up)."""
    a = np.exp(-FRAME_PERIOD / t.tau_decay)
    n = seconds / FRAME_PERIOD
    level = rate * FRAME_PERIOD / (1 - a) * (1 - (1 - a**n) / (n * (1 - a)))
    return 100 * t.dff_per_spike * level / 0.6


def _time_to_peak(t: Tuning) -> np.ndarray:
    """Seconds from a flash onset to the peak of the mean calcium response."""
    k = np.arange(60)
    drive = ((k >= LATENCY) & (k < LATENCY + FLASH_FRAMES)).astype(float)
    out = np.empty(t.n_cells)
    for i, tau in enumerate(t.tau_decay):
        kernel = np.exp(-(k + 1) * FRAME_PERIOD / tau) - np.exp(-(k + 1) * FRAME_PERIOD / RISE_TAU)
        out[i] = np.argmax(np.convolve(drive, kernel)[:60]) * FRAME_PERIOD
    return np.round(out, 5)


def _selectivity(curve: np.ndarray, angles_deg: np.ndarray, harmonic: int) -> np.ndarray:
    """Global (vector-sum) selectivity of rectified responses (AllenSDK gOSI / gDSI)."""
    phase = np.exp(1j * harmonic * np.deg2rad(angles_deg))
    positive = np.clip(curve, 0, None)
    return np.abs(positive @ phase) / positive.sum(axis=1).clip(1e-12)


def _image_selectivity(weights: np.ndarray) -> np.ndarray:
    """AllenSDK image selectivity S = 1 - 2A over 1000 thresholds."""
    lo, hi = weights.min(axis=1, keepdims=True), weights.max(axis=1, keepdims=True)
    steps = lo + (hi - lo) * np.arange(1000)[None, :] / 1000
    frac = (weights[:, None, :] > steps[:, :, None]).mean(axis=2)
    return 1 - 2 * frac.mean(axis=1)


def _run_mod(m: np.ndarray) -> np.ndarray:
    """AllenSDK run modulation for a rate gain of (1 + m) while running."""
    return np.where(m > 0, m / (1 + m), m)


def _rf_columns(t: Tuning, rng: np.random.Generator) -> dict[str, np.ndarray]:
    on, off = np.isfinite(t.rf_on_row), np.isfinite(t.rf_off_row)
    grid_y, grid_x = np.mgrid[-20:36:0.25, -20:48:0.25]
    out = {
        # AllenSDK's fitted centres are in degrees from the centre of the top-left patch
        "rf_center_on_x_lsn": t.rf_on_col * PATCH_DEG,
        "rf_center_on_y_lsn": t.rf_on_row * PATCH_DEG,
        "rf_center_off_x_lsn": t.rf_off_col * PATCH_DEG,
        "rf_center_off_y_lsn": t.rf_off_row * PATCH_DEG,
        "rf_area_on_lsn": np.pi * 1.5**2 * (t.rf_on_sigma * PATCH_DEG) ** 2,
        "rf_area_off_lsn": np.pi * 1.5**2 * (t.rf_off_sigma * PATCH_DEG) ** 2,
        "rf_distance_lsn": np.hypot(t.rf_on_row - t.rf_off_row, t.rf_on_col - t.rf_off_col)
        * PATCH_DEG,
        "rf_chi2_lsn": np.where(on | off, _p_values(t.cls, rng), rng.uniform(0.05, 1, t.n_cells)),
    }
    overlap = np.full(t.n_cells, np.nan)
    reach = np.sqrt(2 * np.log(1000))
    for i in np.flatnonzero(on & off):
        a = np.hypot(grid_y - t.rf_on_row[i], grid_x - t.rf_on_col[i]) < reach * t.rf_on_sigma[i]
        b = np.hypot(grid_y - t.rf_off_row[i], grid_x - t.rf_off_col[i]) < reach * t.rf_off_sigma[i]
        overlap[i] = (a & b).sum() / np.sqrt(a.sum() * b.sum())
    out["rf_overlap_index_lsn"] = overlap
    return out


def metrics_from_truth(t: Tuning, seed: int, container: int) -> dict[str, np.ndarray]:
    """Every metric column for every cell of a container, stated from the planted tuning.

    Parameters
    ----------
    t : Tuning
        All cells of the container.
    seed, container : int
        Release seed and container number (the stream of the drawn values).

    Returns
    -------
    dict
        Column name -> (n_cells,) float array (NaN = no value).

    Examples
    --------
    >>> from brainobs.sample.tuning import plant_tuning
    >>> t = plant_tuning(np.arange(4), np.random.default_rng(0))
    >>> m = metrics_from_truth(t, 0, 1)
    >>> bool(np.all(m["pref_dir_dg"] == t.dg_dir))
    True
    """
    rng = rng_for(seed, "metrics", container)
    cls = t.cls
    dirs = np.asarray(st.DRIFTING_GRATINGS_DIRECTIONS, float)
    curve = direction_curve(t, dirs)
    cells, pref = np.arange(t.n_cells), (t.dg_dir // 45).astype(int)
    orth = (curve[cells, (pref + 2) % 8] + curve[cells, (pref - 2) % 8]) / 2
    null = curve[cells, (pref + 4) % 8]
    sg_orth = np.exp(-2 * t.sg_kappa)
    reliability = {"strong": (0.15, 0.45), "weak": (0.04, 0.15), "unresponsive": (-0.01, 0.04)}
    movie_rel = {"reliable": (0.45, 0.75), "unreliable": (0.03, 0.15), "none": (-0.01, 0.02)}
    tf_span = 1 - np.exp(-(np.log2(15) ** 2) / (2 * t.dg_tf_width**2) / 4)
    sf_span = 1 - np.exp(-(np.log2(16) ** 2) / (2 * t.sg_sf_width**2) / 4)
    noise = np.where(cls == "strong", 0.08, 0.25)
    out: dict[str, np.ndarray] = {
        "pref_dir_dg": t.dg_dir, "pref_tf_dg": t.dg_tf,
        "osi_dg": (1 - orth) / (1 + orth), "dsi_dg": (1 - null) / (1 + null),
        "g_osi_dg": _selectivity(curve, dirs, 2), "g_dsi_dg": _selectivity(curve, dirs, 1),
        "tfdi_dg": tf_span / (tf_span + 2 * noise), "p_dg": _p_values(cls, rng),
        "peak_dff_dg": _steady_dff(t.amp, t, 2.0),
        "reliability_dg": _draw(cls, rng, reliability),
        "pref_ori_sg": t.sg_ori, "pref_sf_sg": t.sg_sf, "pref_phase_sg": t.sg_phase,
        "osi_sg": (1 - sg_orth) / (1 + sg_orth), "sfdi_sg": sf_span / (sf_span + 2 * noise),
        "g_osi_sg": _selectivity(np.exp(t.sg_kappa[:, None] * (np.cos(2 * np.deg2rad(
            np.arange(0, 180, 30)[None, :] - t.sg_ori[:, None])) - 1)), np.arange(0, 180, 30), 2),
        "p_sg": _p_values(cls, rng), "reliability_sg": _draw(cls, rng, reliability),
        "peak_dff_sg": _steady_dff(t.amp * FLASH_GAIN, t, 0.25) * 0.8,
        "time_to_peak_sg": _time_to_peak(t),
        "pref_image_ns": t.ns_pref.astype(float), "image_sel_ns": _image_selectivity(t.ns_weights),
        "p_ns": _p_values(cls, rng), "reliability_ns": _draw(cls, rng, reliability),
        "peak_dff_ns": _steady_dff(t.amp * FLASH_GAIN, t, 0.25) * 0.8,
        "time_to_peak_ns": _time_to_peak(t),
        **_rf_columns(t, rng),
    }
    for suffix in ("dg", "sg", "ns"):
        out[f"run_mod_{suffix}"] = _run_mod(t.run_mod) + rng.normal(0, 0.05, t.n_cells)
        out[f"p_run_mod_{suffix}"] = np.where(
            np.abs(t.run_mod) > 0.3, 10 ** rng.uniform(-6, -2, t.n_cells),
            rng.uniform(0.05, 1, t.n_cells))
    for name in ("reliability_nm1_a", "reliability_nm1_b", "reliability_nm1_c",
                 "reliability_nm2", "reliability_nm3"):
        out[name] = _draw(t.movie_class, rng, movie_rel)
    return out


def _letter(session_type: str) -> str:
    """Session letter of a session type: A, B, or C (for C and C2)."""
    return "C" if session_type.startswith("three_session_C") else session_type[-1]


def _clean(value: float) -> float | None:
    value = float(value)
    return None if not np.isfinite(value) else round(value, 10)


def cell_metric_records(
    design: ContainerDesign, t: Tuning, seed: int
) -> list[dict[str, object]]:
    """ApiCamCellMetric records of a container's cells (the raw API shape).

    Parameters
    ----------
    design : ContainerDesign
        The container (ids, area, genotype, which sessions saw which cells).
    t : Tuning
        Its cells' planted tuning (same order as ``design.cell_specimen_ids``).
    seed : int
        Release seed.

    Returns
    -------
    list of dict
        One record per cell, every real metric column present (null when missing).

    Examples
    --------
    >>> from brainobs.sample.design import design_release
    >>> from brainobs.sample.tuning import plant_tuning
    >>> c = design_release(0, "small")[0]
    >>> t = plant_tuning(c.cell_specimen_ids, np.random.default_rng(0))
    >>> recs = cell_metric_records(c, t, 0)
    >>> recs[0]["area"], "p_dg" in recs[0]
    ('VISp', True)
    """
    metrics = metrics_from_truth(t, seed, design.number)
    letter_of = {_letter(e.session_type): e.index - 1 for e in design.experiments}
    cre = TRANSGENIC_LINES[design.cre_line]
    records = []
    for i, cid in enumerate(design.cell_specimen_ids):
        seen = {letter: bool(design.present[i, col]) for letter, col in letter_of.items()}
        record: dict[str, object] = {
            "all_stim": all(seen.values()),
            "area": design.targeted_structure,
            "cell_specimen_id": int(cid),
            "donor_full_genotype": design.genotype,
            "experiment_container_id": design.experiment_container_id,
            "failed_experiment_container": design.failed,
            "imaging_depth": design.imaging_depth,
            "specimen_id": design.specimen_id,
            "tld1_id": cre[0],
            "tld1_name": design.cre_line,
            "tld2_id": TRANSGENIC_LINES["Camk2a-tTA"][0],
            "tld2_name": "Camk2a-tTA",
            "tlr1_id": TRANSGENIC_LINES["Ai93(TITL-GCaMP6f)"][0],
            "tlr1_name": "Ai93(TITL-GCaMP6f)",
        }
        for name, letter in METRIC_COLUMNS.items():
            record[name] = _clean(metrics[name][i]) if seen[letter] else None
        record.update({name: None for name in THUMBNAIL_COLUMNS})
        record[SYNTHETIC_KEY] = synthetic_note(seed)
        records.append(record)
    return records
