"""Vectorised statistics with the numerical conventions of the Allen analysis.

Each function computes, for many cells (columns) at once, what AllenSDK computes one cell at
a time with ``scipy.stats``: one-way ANOVA (``f_oneway``, including its rules for empty and
constant groups), Welch's t-test, Pearson correlation between trials, and pandas-style
(NaN-skipping) group means and standard errors. Only numpy and ``scipy.special``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "two_group_anova_p",
    "grouped_anova_p",
    "welch_p",
    "mean_pairwise_pearson",
    "group_response",
]


def _f_pvalue(ssbn: np.ndarray, sswn: np.ndarray, dfbn: int, dfwn: int) -> np.ndarray:
    from scipy.special import fdtrc

    with np.errstate(divide="ignore", invalid="ignore"):
        f = (ssbn / dfbn) / (sswn / dfwn)
    return np.asarray(fdtrc(dfbn, dfwn, f), dtype=float)


def two_group_anova_p(x: np.ndarray, n_first: int) -> np.ndarray:
    """One-way ANOVA p value between the first ``n_first`` samples and the rest (last axis).

    The formula is ``scipy.stats.f_oneway`` on two groups, evaluated for every leading index
    at once (per trial: baseline frames against response frames).

    Parameters
    ----------
    x : ndarray, shape (..., n)
        Samples; group one is ``x[..., :n_first]``, group two ``x[..., n_first:]``.
    n_first : int
        Size of the first group.

    Returns
    -------
    ndarray, shape (...)
        p values; 0 where both groups are constant (but differ), NaN where all values are equal.

    Examples
    --------
    >>> x = np.array([[0.0, 1, 0, 1, 5, 6, 5, 6]])
    >>> float(np.round(two_group_anova_p(x, 4)[0], 6))
    1.8e-05
    """
    x = np.ascontiguousarray(x, dtype=float)
    n = x.shape[-1]
    first, second = x[..., :n_first], x[..., n_first:]
    offset = x.mean(axis=-1, keepdims=True)
    centred = x - offset
    total = centred.sum(axis=-1)
    normalized_ss = total * total / n
    sstot = (centred * centred).sum(axis=-1) - normalized_ss
    s1 = (first - offset).sum(axis=-1)
    s2 = (second - offset).sum(axis=-1)
    ssbn = s1 * s1 / n_first + s2 * s2 / (n - n_first) - normalized_ss
    p = _f_pvalue(ssbn, sstot - ssbn, 1, n - 2)
    const = (first == first[..., :1]).all(axis=-1) & (second == second[..., :1]).all(axis=-1)
    p[const] = 0.0
    p[(x == x[..., :1]).all(axis=-1)] = np.nan
    return p


def grouped_anova_p(values: np.ndarray, groups: list[np.ndarray]) -> np.ndarray:
    """One-way ANOVA p value across groups of rows, for every column of ``values``.

    Parameters
    ----------
    values : ndarray, shape (n_rows, n_columns)
        One value per trial (row) and cell (column).
    groups : list of int arrays
        Row positions of each group (as ``scipy.stats.f_oneway(*groups)`` would get them).

    Returns
    -------
    ndarray, shape (n_columns,)
        p values; NaN when a group is empty, when every group has one value, when a column
        holds NaN or when all its values are equal; 0 when every group is constant.

    Examples
    --------
    >>> v = np.array([[1.0], [2.0], [3.0], [10.0], [11.0], [12.0]])
    >>> float(grouped_anova_p(v, [np.arange(3), np.arange(3, 6)])[0]) < 1e-3
    True
    """
    values = np.asarray(values, dtype=float)
    sizes = np.array([len(g) for g in groups])
    n_cols = values.shape[1]
    if (sizes == 0).any() or (sizes == 1).all():
        return np.full(n_cols, np.nan)
    data = values[np.concatenate(groups)]
    bounds = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    offset = data.mean(axis=0, keepdims=True)
    centred = data - offset
    total = centred.sum(axis=0)
    normalized_ss = total * total / len(data)
    sstot = (centred * centred).sum(axis=0) - normalized_ss
    sums = np.add.reduceat(centred, bounds, axis=0)
    ssbn = (sums * sums / sizes[:, None]).sum(axis=0) - normalized_ss
    p = _f_pvalue(ssbn, sstot - ssbn, len(groups) - 1, len(data) - len(groups))
    low, high = np.minimum.reduceat(data, bounds, axis=0), np.maximum.reduceat(data, bounds, axis=0)
    p[(low == high).all(axis=0)] = 0.0
    p[data.min(axis=0) == data.max(axis=0)] = np.nan
    return p


def _masked_moments(x: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """Count, mean (NaN-propagating) and ddof=1 variance of ``x`` where ``mask``, per row."""
    n = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(mask, x, 0.0).sum(axis=1) / n
        dev = np.where(mask, x - mean[:, None], 0.0)
        var = (dev * dev).sum(axis=1) / n * (n / (n - 1))
    return n, mean, var


def welch_p(x: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Two-sided Welch t-test p value between two masked subsets of each row.

    Parameters
    ----------
    x : ndarray, shape (n_rows, n)
        Values (NaN propagates to the p value, as in ``scipy.stats.ttest_ind``).
    first, second : bool ndarray, shape (n_rows, n)
        Members of each group.

    Returns
    -------
    ndarray, shape (n_rows,)

    Examples
    --------
    >>> x = np.array([[1.0, 2.0, 3.0, 7.0, 8.0, 9.5]])
    >>> a = np.array([[True, True, True, False, False, False]])
    >>> bool(welch_p(x, a, ~a)[0] < 0.01)
    True
    """
    from scipy.special import stdtr

    n1, m1, v1 = _masked_moments(x, first)
    n2, m2, v2 = _masked_moments(x, second)
    with np.errstate(divide="ignore", invalid="ignore"):
        vn1, vn2 = v1 / n1, v2 / n2
        df = (vn1 + vn2) ** 2 / (vn1**2 / (n1 - 1) + vn2**2 / (n2 - 1))
        df = np.where(np.isnan(df), 1, df)
        t = (m1 - m2) / np.sqrt(vn1 + vn2)
    return np.asarray(stdtr(df, -np.abs(t)) * 2, dtype=float)


def mean_pairwise_pearson(traces: np.ndarray, valid: np.ndarray | None = None) -> np.ndarray:
    """Mean Pearson r over all pairs i < j of trials, per cell (the Allen "reliability").

    Parameters
    ----------
    traces : ndarray, shape (n_cells, n_trials, n_samples)
        One response trace per trial.
    valid : bool ndarray, shape (n_cells, n_trials), optional
        Which trials exist (rows padded to a common count are False).

    Returns
    -------
    ndarray, shape (n_cells,)
        ``nanmean`` of the strict upper triangle of the trial-by-trial correlation matrix;
        pairs with a constant trace give NaN and are skipped, as in the SDK.

    Examples
    --------
    >>> t = np.array([[[0.0, 1, 2, 3], [0, 2, 4, 6], [3, 2, 1, 0]]])
    >>> float(np.round(mean_pairwise_pearson(t)[0], 6))
    -0.333333
    """
    x = np.ascontiguousarray(traces, dtype=float)
    n_cells, n_trials, _ = x.shape
    if valid is None:
        valid = np.ones((n_cells, n_trials), dtype=bool)
    centred = x - x.mean(axis=2, keepdims=True)
    norms = np.sqrt((centred * centred).sum(axis=2, keepdims=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = centred / norms
    r = np.clip(np.einsum("cik,cjk->cij", unit, unit), -1.0, 1.0)
    usable = valid & ~(x == x[:, :, :1]).all(axis=2)
    pairs = usable[:, :, None] & usable[:, None, :] & np.triu(np.ones((n_trials,) * 2, bool), 1)
    r = np.where(pairs, r, np.nan)
    counts = (pairs & ~np.isnan(r)).sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, np.nansum(r, axis=(1, 2)) / counts, np.nan)


def group_response(
    values: np.ndarray,
    pvalues: np.ndarray,
    codes: np.ndarray,
    n_groups: int,
    threshold: float,
    empty_count: float = np.nan,
) -> np.ndarray:
    """Mean, SEM and significant-trial count of each column within each group of rows.

    Means skip NaN (pandas ``mean``); the SEM is the NaN-skipping ``std(ddof=1)`` divided by
    the square root of the number of rows in the group (NaN rows included), as in the SDK.

    Parameters
    ----------
    values, pvalues : ndarray, shape (n_rows, n_columns)
        Mean sweep responses and per-trial p values.
    codes : int ndarray, shape (n_rows,)
        Group of each row, ``0 .. n_groups-1``; rows with a negative code are left out.
    n_groups : int
    threshold : float
        A trial counts as significant when its p value is below this.
    empty_count : float
        Count reported for a group without rows (NaN for gratings, 0 for natural scenes).

    Returns
    -------
    ndarray, shape (n_groups, n_columns, 3)

    Examples
    --------
    >>> v = np.array([[1.0], [3.0], [10.0]])
    >>> r = group_response(v, np.array([[0.001], [0.5], [0.2]]), np.array([0, 0, 1]), 2, 0.01)
    >>> r[0, 0].tolist()
    [2.0, 1.0, 1.0]
    """
    values = np.asarray(values, dtype=float)
    out = np.full((n_groups, values.shape[1], 3), np.nan)
    for g in range(n_groups):
        rows = np.flatnonzero(codes == g)
        if len(rows) == 0:
            out[g, :, 2] = empty_count
            continue
        sub = values[rows]
        finite = ~np.isnan(sub)
        count = finite.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(finite, sub, 0.0).sum(axis=0) / count
            dev = np.where(finite, sub - mean, 0.0)
            std = np.sqrt((dev * dev).sum(axis=0) / (count - 1))
        out[g, :, 0] = np.where(count > 0, mean, np.nan)
        out[g, :, 1] = np.where(count > 1, std, np.nan) / np.sqrt(len(rows))
        out[g, :, 2] = (pvalues[rows] < threshold).sum(axis=0)
    return out
