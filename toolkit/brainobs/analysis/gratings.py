"""Drifting and static gratings: responses per condition and tuning metrics (Allen definitions).

Blank sweeps have NaN stimulus parameters; as in the Allen analysis they are filled with 0,
so they form the condition "orientation 0, frequency 0" (and phase 0). Preferred condition =
the largest mean response among non-blank conditions. Metrics (names as AllenSDK's peak table):

* ``osi`` = (pref − orth) / (pref + orth); ``dsi`` = (pref − null) / (pref + null)
* ``cv_os`` / ``cv_ds`` (API ``g_osi`` / ``g_dsi``): vector-sum selectivity of the rectified
  orientation tuning at the preferred frequency (and phase)
* ``ptest``: one-way ANOVA across all non-blank conditions plus the blank
* ``tf_index`` / ``sf_index`` (TFDI / SFDI), ``reliability``, ``run_modulation`` + ``p_run``,
  ``peak_dff`` (= pref) and, for static gratings, ``time_to_peak``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import stimuli as st
from ._stats import group_response, grouped_anova_p
from ._tuning import (
    global_selectivity,
    modulation_index,
    preferred_trials,
    reliability,
    run_modulation,
    selectivity_index,
    time_to_peak,
)
from .result import StimulusResult, peak_frame
from .sweeps import SweepStatistics, compute_sweep_statistics

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["analyze_drifting_gratings", "analyze_static_gratings"]


def _codes(column: pd.Series, values: np.ndarray) -> np.ndarray:
    """Position of each row's value in ``values`` (-1 when it matches none)."""
    data = column.to_numpy(dtype=float)
    hits = data[:, None] == np.asarray(values, dtype=float)[None, :]
    return np.where(hits.any(axis=1), hits.argmax(axis=1), -1)


def _condition_codes(table: pd.DataFrame, columns: dict[str, np.ndarray]) -> np.ndarray:
    """Flat index of each trial's condition on the grid of ``columns`` values (-1: off grid)."""
    axes = [_codes(table[name], values) for name, values in columns.items()]
    shape = tuple(len(v) for v in columns.values())
    inside = np.logical_and.reduce([a >= 0 for a in axes])
    return np.where(inside, np.ravel_multi_index(axes, shape, mode="clip"), -1)


def _preferred(block: np.ndarray) -> np.ndarray:
    """First position of the NaN-ignoring maximum of each row (-1 for all-NaN rows)."""
    finite = ~np.isnan(block).all(axis=1)
    out = np.full(len(block), -1, dtype=np.int64)
    out[finite] = np.nanargmax(block[finite], axis=1)
    return out


def _stats(stimulus: str, table: pd.DataFrame, traces: np.ndarray, speed: np.ndarray,
           rate: float, ids: np.ndarray) -> SweepStatistics:
    if len(ids) != traces.shape[0]:
        raise ValueError(f"{len(ids)} cell_specimen_ids for {traces.shape[0]} trace rows.")
    return compute_sweep_statistics(stimulus, table.fillna(value=0.0), traces, speed, rate, ids)


def _anova(stats: SweepStatistics, codes: np.ndarray, grid: tuple[int, ...]) -> np.ndarray:
    """ANOVA over every non-blank condition (frequency index > 0) plus the blank sweeps."""
    n_codes = int(np.prod(grid))
    frequency = np.unravel_index(np.arange(n_codes), grid)[1]
    groups = [np.flatnonzero(codes == c) for c in range(n_codes) if frequency[c] > 0]
    blank = np.flatnonzero(stats.table[_FREQUENCY[stats.stimulus]].to_numpy() == 0)
    return grouped_anova_p(stats.mean_sweep[:, : stats.n_cells], [*groups, blank])


def _frequency_index(stats: SweepStatistics, curve: np.ndarray, group: np.ndarray,
                     n_groups: int, preferred: np.ndarray) -> np.ndarray:
    """TFDI / SFDI from the non-blank trials of each cell's preferred ``group``."""
    nonblank = stats.table[_FREQUENCY[stats.stimulus]].to_numpy() != 0
    index, valid = preferred_trials(np.where(nonblank, group, -1), n_groups, preferred)
    cells = np.arange(stats.n_cells)[:, None]
    trials = np.where(valid, stats.mean_sweep[np.clip(index, 0, None), cells], np.nan)
    return modulation_index(curve, trials, valid)


def _trial_metrics(stats: SweepStatistics, codes: np.ndarray, n_codes: int,
                   preferred: np.ndarray, min_trials: int, window: slice) -> dict[str, np.ndarray]:
    """Run modulation, its p value and reliability at each cell's preferred condition."""
    index, valid = preferred_trials(codes, n_codes, preferred)
    run_mod, p_run = run_modulation(stats, index, valid, min_trials)
    out = {"run_mod": run_mod, "p_run": p_run,
           "reliability": reliability(stats, index, valid, window)}
    if stats.stimulus == st.STATIC_GRATINGS:
        out["time_to_peak"] = time_to_peak(stats, index, valid)
    return out


_FREQUENCY = {st.DRIFTING_GRATINGS: "temporal_frequency", st.STATIC_GRATINGS: "spatial_frequency"}


def analyze_drifting_gratings(
    table: pd.DataFrame,
    corrected: np.ndarray,
    running_speed: np.ndarray,
    acquisition_rate: float,
    cell_specimen_ids: np.ndarray,
) -> StimulusResult:
    """Drifting-grating responses and tuning metrics of every cell.

    Parameters
    ----------
    table : DataFrame
        ``drifting_gratings`` stimulus table (``temporal_frequency, orientation, blank_sweep,
        start, end``; NaN for blanks).
    corrected : ndarray, shape (n_cells, n_frames)
        Corrected fluorescence.
    running_speed : ndarray, shape (n_frames,)
        Running speed aligned to the frames (NaN where unknown).
    acquisition_rate : float
        Frames per second.
    cell_specimen_ids : ndarray, shape (n_cells,)

    Returns
    -------
    StimulusResult
        ``response`` has shape (n_ori, n_tf, n_cells + 1, 3); ``values`` holds ``orivals``
        and ``tfvals`` (tfvals[0] = 0 is the blank).

    Examples
    --------
    >>> # see brainobs.analysis.metrics.compute_cell_metrics for the usual entry point
    >>> callable(analyze_drifting_gratings)
    True
    """
    stats = _stats(st.DRIFTING_GRATINGS, table, corrected, running_speed, acquisition_rate,
                   cell_specimen_ids)
    tab, n = stats.table, stats.n_cells
    values = {"orivals": np.unique(tab["orientation"]).astype(int),
              "tfvals": np.unique(tab["temporal_frequency"]).astype(int)}
    codes = _condition_codes(tab, dict(zip(("orientation", "temporal_frequency"),
                                           values.values(), strict=True)))
    grid = (len(values["orivals"]), len(values["tfvals"]))
    response = group_response(stats.mean_sweep, stats.pval, codes, grid[0] * grid[1],
                              0.05 / (8 * 5)).reshape(*grid, n + 1, 3)
    curves = response[:, :, :n, 0]  # (ori, tf, cell)
    flat = _preferred(curves[:, 1:].reshape(-1, n).T)
    ok = flat >= 0
    pref_ori, pref_tf = np.divmod(np.where(ok, flat, 0), grid[1] - 1)
    pref_tf = pref_tf + 1
    cells = np.arange(n)
    tuning = curves[:, pref_tf, cells].T  # (cell, ori): at the preferred frequency
    pref = tuning[cells, pref_ori]
    orth = (tuning[cells, (pref_ori + 2) % grid[0]] + tuning[cells, (pref_ori - 2) % grid[0]]) / 2
    null = tuning[cells, (pref_ori + 4) % grid[0]]
    trial = _trial_metrics(stats, codes, grid[0] * grid[1],
                           np.where(ok, pref_ori * grid[1] + pref_tf, -1), 2, slice(30, 90))
    columns = {
        "ori_dg": pref_ori, "tf_dg": pref_tf, "reliability_dg": trial["reliability"],
        "osi_dg": selectivity_index(pref, orth), "dsi_dg": selectivity_index(pref, null),
        "peak_dff_dg": pref, "p_run_dg": trial["p_run"], "run_modulation_dg": trial["run_mod"],
        "cv_os_dg": global_selectivity(tuning, values["orivals"], 2),
        "cv_ds_dg": global_selectivity(tuning, values["orivals"], 1),
        "tf_index_dg": _frequency_index(stats, curves[pref_ori, 1:, cells], codes // grid[1],
                                        grid[0], np.where(ok, pref_ori, -1)),
    }
    columns = {k: np.where(ok, v, np.nan) for k, v in columns.items()}
    columns["ptest_dg"] = _anova(stats, codes, grid)
    order = ("ori_dg", "tf_dg", "reliability_dg", "osi_dg", "dsi_dg", "peak_dff_dg", "ptest_dg",
             "p_run_dg", "run_modulation_dg", "cv_os_dg", "cv_ds_dg", "tf_index_dg")
    return StimulusResult(st.DRIFTING_GRATINGS,
                          peak_frame({k: columns[k] for k in order}, stats.cell_specimen_ids),
                          response, stats, values)


def analyze_static_gratings(
    table: pd.DataFrame,
    corrected: np.ndarray,
    running_speed: np.ndarray,
    acquisition_rate: float,
    cell_specimen_ids: np.ndarray,
) -> StimulusResult:
    """Static-grating responses and tuning metrics of every cell.

    Parameters
    ----------
    table : DataFrame
        ``static_gratings`` stimulus table (``orientation, spatial_frequency, phase, start,
        end``; NaN for blanks).
    corrected, running_speed, acquisition_rate, cell_specimen_ids
        As for :func:`analyze_drifting_gratings`.

    Returns
    -------
    StimulusResult
        ``response`` has shape (n_ori, n_sf, n_phase, n_cells + 1, 3); ``values`` holds
        ``orivals``, ``sfvals`` (sfvals[0] = 0 is the blank) and ``phasevals``.

    Examples
    --------
    >>> callable(analyze_static_gratings)
    True
    """
    stats = _stats(st.STATIC_GRATINGS, table, corrected, running_speed, acquisition_rate,
                   cell_specimen_ids)
    tab, n = stats.table, stats.n_cells
    names = ("orientation", "spatial_frequency", "phase")
    values = {key: np.unique(tab[name].dropna())
              for key, name in zip(("orivals", "sfvals", "phasevals"), names, strict=True)}
    codes = _condition_codes(tab, dict(zip(names, values.values(), strict=True)))
    grid = tuple(len(v) for v in values.values())
    n_codes = int(np.prod(grid))
    response = group_response(stats.mean_sweep, stats.pval, codes, n_codes,
                              0.05 / (grid[0] * (grid[1] - 1))).reshape(*grid, n + 1, 3)
    curves = response[..., :n, 0]  # (ori, sf, phase, cell)
    flat = _preferred(curves[:, 1:].reshape(-1, n).T)
    ok = flat >= 0
    pref_ori, pref_sf, pref_phase = np.unravel_index(np.where(ok, flat, 0),
                                                     (grid[0], grid[1] - 1, grid[2]))
    pref_sf = pref_sf + 1
    cells = np.arange(n)
    tuning = curves[:, pref_sf, pref_phase, cells].T  # (cell, ori)
    pref = tuning[cells, pref_ori]
    orth = tuning[cells, (pref_ori + 3) % grid[0]]
    pref_code = np.ravel_multi_index((pref_ori, pref_sf, pref_phase), grid)
    trial = _trial_metrics(stats, codes, n_codes, np.where(ok, pref_code, -1), 4, slice(28, 42))
    ori_phase = np.where(codes >= 0, (codes // (grid[1] * grid[2])) * grid[2] + codes % grid[2],
                         -1)
    columns = {
        "ori_sg": pref_ori, "sf_sg": pref_sf, "phase_sg": pref_phase,
        "reliability_sg": trial["reliability"], "osi_sg": selectivity_index(pref, orth),
        "peak_dff_sg": pref, "time_to_peak_sg": trial["time_to_peak"],
        "p_run_sg": trial["p_run"], "cv_os_sg": global_selectivity(tuning, values["orivals"], 2),
        "run_modulation_sg": trial["run_mod"],
        "sf_index_sg": _frequency_index(stats, curves[pref_ori, 1:, pref_phase, cells],
                                        ori_phase, grid[0] * grid[2],
                                        np.where(ok, pref_ori * grid[2] + pref_phase, -1)),
    }
    columns = {k: np.where(ok, v, np.nan) for k, v in columns.items()}
    columns["ptest_sg"] = _anova(stats, codes, grid)
    order = ("ori_sg", "sf_sg", "phase_sg", "reliability_sg", "osi_sg", "peak_dff_sg", "ptest_sg",
             "time_to_peak_sg", "p_run_sg", "cv_os_sg", "run_modulation_sg", "sf_index_sg")
    return StimulusResult(st.STATIC_GRATINGS,
                          peak_frame({k: columns[k] for k in order}, stats.cell_specimen_ids),
                          response, stats, values)
