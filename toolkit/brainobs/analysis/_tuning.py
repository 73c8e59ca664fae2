"""Shared steps of the peak-condition metrics: trials per condition, run modulation,
reliability, time to peak and selectivity indices (for gratings and natural scenes).

Each function works on all cells at once. A cell's *preferred condition* selects a different
set of trials per cell; those sets are held as an index matrix (cells × trials, padded with
``-1``) plus a validity mask.
"""

from __future__ import annotations

import numpy as np

from ._stats import mean_pairwise_pearson, welch_p
from .sweeps import SweepStatistics, cut_sweeps

__all__ = [
    "trials_by_code",
    "preferred_trials",
    "run_modulation",
    "reliability",
    "time_to_peak",
    "selectivity_index",
    "global_selectivity",
    "modulation_index",
]


def trials_by_code(codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the trials of each condition, padded: shapes (n_codes, n_max) twice.

    Examples
    --------
    >>> idx, ok = trials_by_code(np.array([1, 0, 1, -1]), 2)
    >>> idx.tolist(), ok.tolist()
    ([[1, -1], [0, 2]], [[True, False], [True, True]])
    """
    codes = np.asarray(codes)
    counts = np.bincount(codes[codes >= 0], minlength=n_codes)
    index = np.full((n_codes, max(1, int(counts.max(initial=0)))), -1, dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    rank = np.arange(len(order)) - np.repeat(np.cumsum(counts) - counts, counts)
    index[codes[order], rank] = order
    return index, index >= 0


def preferred_trials(
    codes: np.ndarray, n_codes: int, preferred: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Trials of each cell's preferred condition: (n_cells, n_max) indices and validity mask.

    Cells whose preference is undefined (negative code) get no valid trials.

    Examples
    --------
    >>> idx, ok = preferred_trials(np.array([1, 0, 1]), 2, np.array([1, -1]))
    >>> idx[0].tolist(), ok.tolist()
    ([0, 2], [[True, True], [False, False]])
    """
    index, valid = trials_by_code(codes, n_codes)
    preferred = np.asarray(preferred)
    safe = np.where(preferred >= 0, preferred, 0)
    return index[safe], valid[safe] & (preferred >= 0)[:, None]


def _pick(columns: np.ndarray, index: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """``columns[index[c], c]`` per cell (NaN where not valid): (n_cells, n_max)."""
    cells = np.arange(index.shape[0])[:, None]
    return np.where(valid, columns[np.clip(index, 0, None), cells], np.nan)


def run_modulation(
    stats: SweepStatistics, index: np.ndarray, valid: np.ndarray, min_trials: int
) -> tuple[np.ndarray, np.ndarray]:
    """Run modulation and Welch p value at each cell's preferred condition.

    Trials split into stationary (mean speed < 1 cm/s) and running (>= 1 cm/s); trials of
    unknown speed are in neither. Both groups need more than ``min_trials`` trials, else NaN.
    ``run_mod = (mu_run - mu_stat) / |mu_run|`` when running responses are larger,
    ``-(mu_stat - mu_run) / |mu_stat|`` when smaller, NaN when equal.

    Returns
    -------
    run_mod, p_run : ndarray, shape (n_cells,)

    Examples
    --------
    >>> import pandas as pd
    >>> msr = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [6.0, 5], [7, 5], [8, 5]])
    >>> s = SweepStatistics("x", pd.DataFrame(), None, msr, msr, np.array([1]), 30.0, None)
    >>> mod, p = run_modulation(s, np.array([[0, 1, 2, 3, 4, 5]]), np.ones((1, 6), bool), 2)
    >>> float(np.round(mod[0], 4)), bool(p[0] < 0.01)
    (0.7143, True)
    """
    n_cells = stats.n_cells
    values = _pick(stats.mean_sweep[:, :n_cells], index, valid)
    speed = np.where(valid, stats.speed[np.clip(index, 0, None)], np.nan)
    running, still = valid & (speed >= 1), valid & (speed < 1)
    enough = (running.sum(axis=1) > min_trials) & (still.sum(axis=1) > min_trials)
    p_run = np.where(enough, welch_p(values, running, still), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu_run = np.nansum(np.where(running, values, 0), 1) / (running & ~np.isnan(values)).sum(1)
        mu_still = np.nansum(np.where(still, values, 0), 1) / (still & ~np.isnan(values)).sum(1)
        up = (mu_run - mu_still) / np.abs(mu_run)
        down = -1 * (mu_still - mu_run) / np.abs(mu_still)
    mod = np.where(mu_run > mu_still, up, np.where(mu_run < mu_still, down, np.nan))
    return np.where(enough, mod, np.nan), p_run


def _preferred_sweeps(stats: SweepStatistics, index: np.ndarray) -> np.ndarray:
    """% dF/F sweeps of each cell's own trials: (n_cells, n_max, window.length)."""
    starts = stats.table["start"].to_numpy(dtype=np.int64)[np.clip(index, 0, None)]
    return cut_sweeps(stats.traces, starts, stats.window)


def reliability(
    stats: SweepStatistics, index: np.ndarray, valid: np.ndarray, window: slice
) -> np.ndarray:
    """Mean pairwise Pearson r of the preferred-condition sweeps over ``window`` frames.

    Examples
    --------
    >>> import pandas as pd
    >>> from brainobs.analysis.sweeps import SweepWindow
    >>> f = np.full((1, 100), 10.0); f[0, 42:45] = [12, 14, 11]; f[0, 62:65] = [13, 15, 12]
    >>> s = SweepStatistics("x", pd.DataFrame({"start": [40, 60]}), SweepWindow(5, 2),
    ...                     None, None, np.array([1]), 30.0, f)
    >>> float(np.round(reliability(s, np.array([[0, 1]]), np.ones((1, 2), bool),
    ...                            slice(2, 7))[0], 4))
    0.986
    """
    sweeps = _preferred_sweeps(stats, index)
    return mean_pairwise_pearson(sweeps[:, :, window], valid)


def time_to_peak(stats: SweepStatistics, index: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Seconds from onset to the peak of the mean preferred-condition sweep (may be negative).

    Examples
    --------
    >>> import pandas as pd
    >>> from brainobs.analysis.sweeps import SweepWindow
    >>> f = np.full((1, 100), 10.0); f[0, 43] = 20
    >>> s = SweepStatistics("x", pd.DataFrame({"start": [40]}), SweepWindow(5, 2),
    ...                     None, None, np.array([1]), 30.0, f)
    >>> float(time_to_peak(s, np.array([[0]]), np.ones((1, 1), bool))[0])
    0.1
    """
    sweeps = _preferred_sweeps(stats, index)
    n = valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid[:, :, None], sweeps, 0.0).sum(axis=1) / n[:, None]
    peak = (np.argmax(mean, axis=1) - stats.window.inter) / stats.acquisition_rate
    return np.where(n > 0, peak, np.nan)


def selectivity_index(pref: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``(pref - other) / (pref + other)`` (OSI, DSI), without warnings for 0/0.

    Examples
    --------
    >>> selectivity_index(np.array([3.0]), np.array([1.0])).tolist()
    [0.5]
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return (pref - other) / (pref + other)


def global_selectivity(tuning: np.ndarray, angles_deg: np.ndarray, harmonic: int) -> np.ndarray:
    """Vector-sum selectivity of rectified tuning curves (gOSI with 2, gDSI with 1).

    Parameters
    ----------
    tuning : ndarray, shape (n_cells, n_angles)
        Mean responses; negative values count as 0.
    angles_deg : ndarray, shape (n_angles,)
    harmonic : int

    Examples
    --------
    >>> t = np.array([[1.0, 0, 0, 0, 0, 0, 0, 0]])
    >>> global_selectivity(t, np.arange(0, 360, 45), 1).tolist()
    [1.0]
    """
    rect = np.where(tuning > 0, tuning, 0)
    phase = np.exp(1j * harmonic * np.deg2rad(np.asarray(angles_deg, dtype=float)))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.abs((rect * phase).sum(axis=1)) / rect.sum(axis=1)


def modulation_index(curve: np.ndarray, trials: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """TFDI / SFDI: ``ptp(curve) / (ptp(curve) + 2 * sqrt(SSE / (n_trials - 5)))``.

    ``SSE`` is the sum of squared deviations of the trials from their grand mean (the SDK's
    formula; NaN propagates).

    Parameters
    ----------
    curve : ndarray, shape (n_cells, 5)
        Tuning curve over the 5 non-blank frequencies.
    trials : ndarray, shape (n_cells, n_max)
        Trial responses at the preferred orientation (and phase), all frequencies.
    valid : bool ndarray, shape (n_cells, n_max)

    Examples
    --------
    >>> c = np.array([[0.0, 1, 2, 3, 4]])
    >>> tr = np.array([[0.0, 0, 4, 4, 2, 2, 1, 3, 1, 3]])
    >>> float(np.round(modulation_index(c, tr, np.ones_like(tr, bool))[0], 4))
    0.5
    """
    n = valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid, trials, 0.0).sum(axis=1) / n
        dev = np.where(valid, trials - mean[:, None], 0.0)
        sse_part = np.sqrt((dev * dev).sum(axis=1) / (n - 5))
        spread = np.ptp(curve, axis=1)
        return spread / (spread + 2 * sse_part)
