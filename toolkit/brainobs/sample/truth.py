"""The planted truth of a sample release, written beside it in ``<root>/ground_truth/``.

``cells.csv`` -- one row per cell specimen:

* ``cell_specimen_id``, ``experiment_container_id``, ``container_failed`` (0/1)
* ``response_class``: ``strong`` / ``weak`` / ``unresponsive``
* ``base_rate_hz``, ``evoked_rate_hz`` (sustained evoked rate at the preferred stimulus; flashed
  stimuli evoke twice that for 0.25 s), ``trial_cv``
* drifting gratings: ``pref_dir_dg`` (deg), ``pref_tf_dg`` (Hz), ``null_ratio_dg`` (response
  at the opposite direction / preferred), ``kappa_dg`` (direction tuning sharpness),
  ``tf_width_oct_dg``
* static gratings: ``pref_ori_sg`` (deg), ``pref_sf_sg`` (cycles/deg), ``pref_phase_sg``,
  ``phase_mod_sg`` (0 complex, 1 simple), ``kappa_sg``, ``sf_width_oct_sg``
* natural scenes: ``pref_image_ns``, ``other_images_ns`` (images answered at 25-55 %, ``;``
  separated); every image weight is in ``tuning_arrays.npz`` (``ns_weights``)
* ``movie_class``: ``reliable`` / ``unreliable`` / ``none``
* receptive field on the 16 x 28 sparse-noise grid (patches of 4.65 deg; the 8 x 14 grid has
  twice the size): ``rf_on_row``, ``rf_on_col``, ``rf_on_sigma``, ``rf_off_row``,
  ``rf_off_col``, ``rf_off_sigma`` (empty when there is no such subunit)
* ``run_mod`` (rate x (1 + run_mod) while running), ``tau_decay_s``, ``dff_per_spike``,
  ``f0``, ``neuropil_f0``, ``r_true``, ``centre_row_px``, ``centre_col_px``, ``n_sessions``

``rois.csv`` -- one row per experiment x container cell: ``ophys_experiment_id``,
``session_type``, ``cell_specimen_id``, ``cell_roi_id``, ``present`` (0/1), ``row`` (row in the
NWB traces, -1 when absent), ``r_true``, ``r_file`` (the pipeline estimate written in the
file), ``n_spikes``.

``spikes/<ophys_experiment_id>_spikes.npz`` -- key ``spikes``: (n_cells, n_frames) int16 true
spike counts per frame, rows in file order. ``release.json`` -- seed, size, version, counts
and one entry per experiment.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .design import ContainerDesign
from .simulate import ContainerModel

__all__ = [
    "CELL_COLUMNS",
    "ROI_COLUMNS",
    "SessionTruth",
    "cell_rows",
    "roi_rows",
    "write_csv",
    "write_truth",
    "container_summary",
]

@dataclass
class SessionTruth:
    """What the truth keeps of a simulated experiment.

    Examples
    --------
    >>> SessionTruth(np.array([2, 0]), np.array([0.7, 0.6]), np.zeros((2, 5), np.int16)).rows
    array([2, 0])
    """

    rows: np.ndarray  # container cell index of each file row
    r: np.ndarray  # r written in the file, per row
    spikes: np.ndarray  # (n_rows, n_frames) int16


_TUNING_COLUMNS = {
    "base_rate_hz": "base_rate", "evoked_rate_hz": "amp", "trial_cv": "trial_cv",
    "pref_dir_dg": "dg_dir", "pref_tf_dg": "dg_tf", "null_ratio_dg": "dg_null",
    "kappa_dg": "dg_kappa", "tf_width_oct_dg": "dg_tf_width", "pref_ori_sg": "sg_ori",
    "pref_sf_sg": "sg_sf", "pref_phase_sg": "sg_phase", "phase_mod_sg": "sg_phase_mod",
    "kappa_sg": "sg_kappa", "sf_width_oct_sg": "sg_sf_width", "pref_image_ns": "ns_pref",
    "movie_class": "movie_class", "rf_on_row": "rf_on_row", "rf_on_col": "rf_on_col",
    "rf_on_sigma": "rf_on_sigma", "rf_off_row": "rf_off_row", "rf_off_col": "rf_off_col",
    "rf_off_sigma": "rf_off_sigma", "run_mod": "run_mod", "tau_decay_s": "tau_decay",
    "dff_per_spike": "dff_per_spike", "f0": "f0", "neuropil_f0": "neuropil_f0",
    "r_true": "r_true",
}
CELL_COLUMNS = (
    "cell_specimen_id", "experiment_container_id", "container_failed", "response_class",
    *_TUNING_COLUMNS, "other_images_ns", "centre_row_px", "centre_col_px", "n_sessions",
)
ROI_COLUMNS = ("ophys_experiment_id", "session_type", "cell_specimen_id", "cell_roi_id",
               "present", "row", "r_true", "r_file", "n_spikes")


def _text(value: object) -> str:
    """CSV text of a value: 6 significant digits for floats, empty for NaN."""
    if isinstance(value, (float, np.floating)):
        return "" if not np.isfinite(value) else f"{float(value):.6g}"
    return str(value)


def cell_rows(model: ContainerModel) -> list[dict[str, str]]:
    """``cells.csv`` rows of one container.

    Examples
    --------
    >>> from brainobs.sample.design import SIZES, design_release
    >>> from brainobs.sample.simulate import build_container
    >>> model = build_container(design_release(0, "small")[0], SIZES["small"], 0)
    >>> cell_rows(model)[0]["cell_specimen_id"]
    '940010000'
    """
    t, d = model.tuning, model.design
    rows = []
    for i, cid in enumerate(d.cell_specimen_ids):
        others = np.flatnonzero((t.ns_weights[i] >= 0.25) & (t.ns_weights[i] < 1.0))
        row = {
            "cell_specimen_id": int(cid),
            "experiment_container_id": d.experiment_container_id,
            "container_failed": int(d.failed),
            "response_class": t.cls[i],
            **{name: getattr(t, attr)[i] for name, attr in _TUNING_COLUMNS.items()},
            "other_images_ns": ";".join(str(int(k)) for k in others),
            "centre_row_px": model.footprints.centres[i, 0],
            "centre_col_px": model.footprints.centres[i, 1],
            "n_sessions": int(d.present[i].sum()),
        }
        rows.append({k: _text(v) for k, v in row.items()})
    return rows


def roi_rows(model: ContainerModel, results: dict[int, SessionTruth]) -> list[dict[str, str]]:
    """``rois.csv`` rows of one container (``results`` keyed by ophys_experiment_id).

    Every (experiment, cell) pair gets a row; absent cells have ``present`` 0 and ``row`` -1.
    See :func:`write_truth` for a use.

    Parameters
    ----------
    model : ContainerModel
        The container.
    results : dict
        A :class:`SessionTruth` for every experiment of the container.

    Returns
    -------
    list of dict
        One row per experiment and cell, values as CSV text (columns :data:`ROI_COLUMNS`).

    Examples
    --------
    >>> from brainobs.sample.design import SIZES, design_release
    >>> from brainobs.sample.simulate import build_container
    >>> model = build_container(design_release(0, "small")[0], SIZES["small"], 0)
    >>> one = SessionTruth(np.array([0]), np.array([0.7]), np.zeros((1, 5), np.int16))
    >>> rows = roi_rows(model, {e.ophys_experiment_id: one for e in model.design.experiments})
    >>> [(r["present"], r["row"], r["r_file"]) for r in rows[:2]]
    [('1', '0', '0.7'), ('0', '-1', '')]
    """
    d, t = model.design, model.tuning
    out = []
    for exp in d.experiments:
        result = results[exp.ophys_experiment_id]
        where = {int(r): k for k, r in enumerate(result.rows)}
        spikes = result.spikes.sum(axis=1)
        roi_ids = d.roi_ids(exp.index)
        for i, cid in enumerate(d.cell_specimen_ids):
            k = where.get(i, -1)
            row = {
                "ophys_experiment_id": exp.ophys_experiment_id,
                "session_type": exp.session_type,
                "cell_specimen_id": int(cid),
                "cell_roi_id": int(roi_ids[i]),
                "present": int(k >= 0),
                "row": k,
                "r_true": t.r_true[i],
                "r_file": result.r[k] if k >= 0 else np.nan,
                "n_spikes": int(spikes[k]) if k >= 0 else 0,
            }
            out.append({key: _text(v) for key, v in row.items()})
    return out


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    """Write rows with a fixed column order and ``\\n`` line ends.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.csv"
    >>> write_csv(path, ("a",), [{"a": "1"}]).read_text()
    'a\\n1\\n'
    """
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_truth(
    folder: Path,
    models: list[ContainerModel],
    results: dict[int, SessionTruth],
    summary: dict[str, object],
) -> Path:
    """Write ``cells.csv``, ``rois.csv``, ``tuning_arrays.npz``, spikes and ``release.json``.

    Parameters
    ----------
    folder : Path
        The ``ground_truth`` folder (created).
    models : list of ContainerModel
        Every container of the release.
    results : dict
        Every simulated experiment, keyed by ophys_experiment_id.
    summary : dict
        The content of ``release.json``.

    Returns
    -------
    Path
        ``folder``.

    Examples
    --------
    >>> from brainobs.sample.release import write_sample_release
    >>> root = write_sample_release("sample", size="small")  # doctest: +SKIP
    >>> sorted(p.name for p in (root / "ground_truth").iterdir())  # doctest: +SKIP
    ['cells.csv', 'release.json', 'rois.csv', 'spikes', 'tuning_arrays.npz']
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spikes").mkdir(exist_ok=True)
    write_csv(folder / "cells.csv", CELL_COLUMNS, [r for m in models for r in cell_rows(m)])
    write_csv(folder / "rois.csv", ROI_COLUMNS, [r for m in models for r in roi_rows(m, results)])
    np.savez_compressed(
        folder / "tuning_arrays.npz",
        cell_specimen_ids=np.concatenate([m.design.cell_specimen_ids for m in models]),
        ns_weights=np.vstack([m.tuning.ns_weights for m in models]).astype(np.float32),
    )
    for eid, result in results.items():
        np.savez_compressed(folder / "spikes" / f"{eid}_spikes.npz", spikes=result.spikes)
    text = json.dumps(summary, indent=2, sort_keys=True) + "\n"
    (folder / "release.json").write_text(text, encoding="utf-8")
    return folder


def container_summary(design: ContainerDesign) -> dict[str, object]:
    """The ``release.json`` entry of a container.

    Examples
    --------
    >>> from brainobs.sample.design import design_release
    >>> container_summary(design_release(0, "small")[4])["failed"]
    True
    """
    return {
        "experiment_container_id": design.experiment_container_id,
        "cre_line": design.cre_line,
        "targeted_structure": design.targeted_structure,
        "imaging_depth": design.imaging_depth,
        "failed": design.failed,
        "n_cells": int(len(design.cell_specimen_ids)),
    }
