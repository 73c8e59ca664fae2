"""Locally sparse noise: ON/OFF responses per patch and receptive fields (the Allen recipe).

Steps, all cells at once except the Gaussian fits:

1. mean sweep responses (as for the other stimuli) → ``mean_response`` (rows, cols, cells+1, 2):
   average over trials in which a patch was ON (white) / OFF (black);
2. trial events from dF/F (:mod:`._rf_events`);
3. design matrices ``A`` and ``A_blur``; response-triggered maps ``rts = A·events`` and
   ``rts_convolution = A_blur·events``;
4. shuffle p value per patch and polarity, Holm–Šidák across all 2·P, significant patches
   grouped into 8-connected components (:mod:`._rf_design`, :mod:`._rf_fit`);
5. a rotated Gaussian fit per component → areas, centres, ON–OFF distance and overlap;
6. the chi-square test → ``rf_chi2_lsn`` (:mod:`._rf_chi2`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._rf_chi2 import chi_square_pvalues, peak_significance
from ._rf_design import blurred_design_matrix, design_matrix, holm_sidak, shuffle_pvalues
from ._rf_events import detect_trial_events
from ._rf_fit import components, fit_subunits, pair_distance, pair_overlap
from .inputs import check_array
from .result import StimulusResult, peak_frame
from .sweeps import compute_sweep_statistics

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["analyze_locally_sparse_noise", "patch_mean_response", "receptive_field_peak"]

logger = logging.getLogger(__name__)

PEAK_COLUMNS = (
    "rf_center_on_x_lsn", "rf_center_on_y_lsn", "rf_center_off_x_lsn", "rf_center_off_y_lsn",
    "rf_area_on_lsn", "rf_area_off_lsn", "rf_distance_lsn", "rf_overlap_index_lsn", "rf_chi2_lsn",
)


def patch_mean_response(mean_sweep: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """Mean response over trials with each patch ON and OFF: (rows, cols, n_columns, 2).

    Parameters
    ----------
    mean_sweep : ndarray, shape (n_trials, n_columns)
        Mean sweep response per trial (NaN skipped).
    shown : ndarray, shape (n_trials, rows, cols)
        Template frame shown on each trial.

    Examples
    --------
    >>> shown = np.full((2, 1, 1), 127); shown[0] = 255
    >>> patch_mean_response(np.array([[4.0], [1.0]]), shown)[0, 0, 0].tolist()
    [4.0, nan]
    """
    n_trials, rows, cols = shown.shape
    finite = ~np.isnan(mean_sweep)
    values = np.where(finite, mean_sweep, 0.0)
    out = np.empty((rows, cols, mean_sweep.shape[1], 2))
    for k, level in enumerate((st.LSN_ON, st.LSN_OFF)):
        hit = (shown.reshape(n_trials, -1) == level).astype(float).T  # (P, trials)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (hit @ values) / (hit @ finite.astype(float))
        out[..., k] = mean.reshape(rows, cols, -1)
    return out


def _cell_fields(pvals_fdr: np.ndarray, rts_conv: np.ndarray, shape: tuple[int, int],
                 alpha: float) -> dict[str, Any]:
    """FDR components and Gaussian fits of one cell's ON and OFF maps."""
    out: dict[str, Any] = {}
    for k, key in enumerate(("on", "off")):
        stack, n = components(pvals_fdr[k].reshape(shape) < alpha)
        fits = fit_subunits(rts_conv[k].reshape(shape), stack, n)
        out[key] = {"fdr_mask": stack, "number_of_components": n, "fits": fits}
    on, off = out["on"]["fits"], out["off"]["fits"]
    n_on, n_off = len(on["area"]), len(off["area"])
    out["distance"] = [[pair_distance(on, i, off, j) for j in range(n_off)] for i in range(n_on)]
    out["overlap"] = [[pair_overlap(on["data"][i], off["data"][j]) for j in range(n_off)]
                      for i in range(n_on)]
    return out


def _largest(areas: list) -> int | None:
    values = np.array([np.nan if a is None else a for a in areas], dtype=float)
    if values.size == 0 or np.isnan(values).all():
        return None
    return int(np.nanargmax(values))


def receptive_field_peak(fields: dict[str, Any]) -> dict[str, float]:
    """The peak-table values of one cell: largest ON and OFF subunit, distance, overlap.

    Examples
    --------
    >>> fits = {"area": [], "center_x": [], "center_y": []}
    >>> f = {"on": {"fits": fits}, "off": {"fits": fits}, "distance": [], "overlap": []}
    >>> bool(np.isnan(receptive_field_peak(f)["rf_area_on_lsn"]))
    True
    """
    out = dict.fromkeys(PEAK_COLUMNS[:-1], np.nan)
    chosen = {}
    for key in ("on", "off"):
        fits = fields[key]["fits"]
        i = chosen[key] = _largest(fits["area"])
        if i is not None:
            out[f"rf_area_{key}_lsn"] = fits["area"][i]
            out[f"rf_center_{key}_x_lsn"] = fits["center_x"][i]
            out[f"rf_center_{key}_y_lsn"] = fits["center_y"][i]
    if chosen["on"] is not None and chosen["off"] is not None:
        distance = fields["distance"][chosen["on"]][chosen["off"]]
        out["rf_distance_lsn"] = np.nan if distance is None else distance
        out["rf_overlap_index_lsn"] = fields["overlap"][chosen["on"]][chosen["off"]]
    return out


def analyze_locally_sparse_noise(
    stimulus: str,
    table: pd.DataFrame,
    template: np.ndarray,
    corrected: np.ndarray,
    dff: np.ndarray,
    running_speed: np.ndarray,
    acquisition_rate: float,
    cell_specimen_ids: np.ndarray,
    *,
    n_shuffles: int = 10000,
    alpha: float = 0.05,
) -> StimulusResult:
    """Sparse-noise responses and receptive-field metrics of every cell.

    Parameters
    ----------
    stimulus : str
        ``locally_sparse_noise``, ``locally_sparse_noise_4deg`` or ``..._8deg``.
    table : DataFrame
        The stimulus table (``frame, start, end``).
    template : ndarray, shape (n_frames, rows, cols)
        Sparse-noise template (255 ON, 0 OFF, 127 grey), not masked.
    corrected, dff : ndarray, shape (n_cells, n_frames)
        Corrected fluorescence (for mean responses) and NWB dF/F (for events).
    running_speed : ndarray, shape (n_frames,)
    acquisition_rate : float
    cell_specimen_ids : ndarray, shape (n_cells,)
    n_shuffles, alpha
        The Allen settings (10,000 shuffles, FDR alpha 0.05).

    Returns
    -------
    StimulusResult
        ``response`` is the ON/OFF ``mean_response`` (rows, cols, n_cells + 1, 2);
        ``extra`` holds ``events``, ``pvalues``, ``fdr_corrected``, ``rts``,
        ``rts_convolution`` (each (n_cells, 2, rows, cols); ``events`` per trial),
        ``receptive_field`` (rows, cols, n_cells, 2), the chi-square results
        ``chi2_raw_pvalues``, ``chi2_pvalues`` (Šidák-corrected, as AllenSDK stores them),
        ``chi2_significant``, ``chi2_best_region``, and ``fields`` (per-cell components
        and fits).

    Examples
    --------
    >>> callable(analyze_locally_sparse_noise)
    True
    """
    if stimulus not in st.SPARSE_NOISE:
        raise ValueError(f"{stimulus!r} is not a sparse-noise stimulus; use one of "
                         f"{st.SPARSE_NOISE}.")
    template = check_array("template", template, ("n_template_frames", "rows", "cols"))
    corrected = check_array("corrected", corrected, ("n_cells", "n_frames"),
                            n_cells=len(cell_specimen_ids))
    dff = check_array("dff", dff, ("n_cells", "n_frames"), n_cells=len(cell_specimen_ids))
    rows, cols = template.shape[1:]
    stats = compute_sweep_statistics(stimulus, table, corrected, running_speed,
                                     acquisition_rate, cell_specimen_ids)
    shown = np.asarray(template)[table["frame"].to_numpy(dtype=np.int64)]
    mean_response = patch_mean_response(stats.mean_sweep, shown)
    events = detect_trial_events(dff, table)
    a_blur = blurred_design_matrix(shown)
    pvalues = shuffle_pvalues(a_blur, events, n_shuffles=n_shuffles)
    fdr = holm_sidak(pvalues)
    ev = events.T.astype(float)
    rts = (design_matrix(shown) @ ev).T.reshape(-1, 2, rows, cols)
    rts_conv = (a_blur @ ev).T.reshape(-1, 2, rows, cols)
    del a_blur
    chi2 = chi_square_pvalues(events, template)
    chi2_corrected, min_p, significant, best_region = peak_significance(chi2, template, alpha)
    fields, table_rows = [], []
    receptive_field = np.full((rows, cols, len(events), 2), np.nan)
    for c in range(len(events)):
        cell = _cell_fields(fdr[c].reshape(2, -1), rts_conv[c].reshape(2, -1), (rows, cols), alpha)
        fields.append(cell)
        table_rows.append(receptive_field_peak(cell))
        for k, key in enumerate(("on", "off")):
            inside = cell[key]["fdr_mask"].sum(axis=0) > 0
            receptive_field[..., c, k] = np.where(inside, rts_conv[c, k], np.nan)
    columns = {name: np.array([r[name] for r in table_rows], dtype=float)
               for name in PEAK_COLUMNS[:-1]}
    columns["rf_chi2_lsn"] = min_p
    extra = {
        "events": events, "pvalues": pvalues.reshape(-1, 2, rows, cols),
        "fdr_corrected": fdr.reshape(-1, 2, rows, cols), "rts": rts,
        "rts_convolution": rts_conv, "receptive_field": receptive_field,
        "chi2_raw_pvalues": chi2, "chi2_pvalues": chi2_corrected,
        "chi2_significant": significant, "chi2_best_region": best_region, "fields": fields,
    }
    return StimulusResult(stimulus, peak_frame(columns, stats.cell_specimen_ids),
                          mean_response, stats, {"rows": np.arange(rows), "cols": np.arange(cols)},
                          extra)
