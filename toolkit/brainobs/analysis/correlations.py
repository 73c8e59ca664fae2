"""Signal and noise correlations between cells, and representational similarity of stimuli.

Defined as AllenSDK's ``get_signal_correlation``, ``get_noise_correlation`` and
``get_representational_similarity`` for drifting gratings, static gratings and natural scenes:

* **signal correlation** (cells × cells): correlation between two cells' condition-mean
  responses (the ``response`` array) over the non-blank conditions of gratings (8 × 5 = 40
  drifting, 6 × 5 × 4 = 120 static) and over all 119 natural-scene conditions (blank included);
* **representational similarity** (conditions × conditions): correlation between two
  conditions' population responses (the same matrix, the other way round);
* **noise correlation** (cells × cells × conditions): correlation between two cells'
  trial-by-trial mean sweep responses within one condition (natural scenes: the first
  ``min`` repeats of each image, so every image has the same number of trials).

Spearman (rank) correlation is the default, as in the Allen analysis; ``method="pearson"``
gives the linear one. A row containing NaN, or a constant row, gives NaN, like scipy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import stimuli as st
from ..errors import check_choice

if TYPE_CHECKING:
    from .result import StimulusResult

__all__ = ["signal_correlation", "noise_correlation", "representational_similarity",
           "correlate_rows"]

METHODS = ("spearman", "pearson")
_STIMULI = (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS, st.NATURAL_SCENES)


def _rank_rows(x: np.ndarray) -> np.ndarray:
    """Average ranks (1-based) along the last axis; NaN rows stay NaN."""
    from scipy.stats import rankdata

    out = np.full(x.shape, np.nan)
    finite = ~np.isnan(x).any(axis=-1)
    if finite.any():
        out[finite] = rankdata(x[finite], axis=-1)
    return out


def correlate_rows(x: np.ndarray, method: str = "spearman") -> np.ndarray:
    """Correlation between every pair of rows of a 2-D array (NaN for NaN or constant rows).

    Parameters
    ----------
    x : ndarray, shape (n, m)
        One variable per row, ``m`` observations each.
    method : {"spearman", "pearson"}

    Returns
    -------
    ndarray, shape (n, n)
        Symmetric; the diagonal is 1 for rows that vary.

    Examples
    --------
    >>> correlate_rows(np.array([[1.0, 2, 3], [3, 5, 4], [1, 1, 1]]), "pearson").round(3)
    array([[1. , 0.5, nan],
           [0.5, 1. , nan],
           [nan, nan, nan]])
    """
    check_choice("correlation method", method, METHODS)
    x = np.asarray(x, dtype=float)
    if method == "spearman":
        x = _rank_rows(x)
    centred = x - x.mean(axis=1, keepdims=True)
    norm = np.sqrt(np.einsum("ij,ij->i", centred, centred))
    constant = (x == x[:, :1]).all(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        unit = centred / np.where(constant, np.nan, norm)[:, None]
    return np.clip(unit @ unit.T, -1.0, 1.0)


def _check(result: StimulusResult) -> None:
    check_choice("stimulus", result.stimulus, _STIMULI,
                 hint="Correlations are defined for gratings and natural scenes; pass the "
                      "result of analyze_stimulus for one of them.")
    if result.response is None or result.sweeps is None:
        raise ValueError(f"The {result.stimulus} result has no response or sweeps: make it with "
                         "brainobs.analysis.analyze_stimulus.")


def _condition_means(result: StimulusResult) -> np.ndarray:
    """Condition-mean responses, shape (conditions, cells), in the SDK's condition order."""
    _check(result)
    n = len(result.cell_specimen_ids)
    if result.stimulus == st.NATURAL_SCENES:
        return result.response[:, :n, 0]
    means = result.response[:, 1:, ..., :n, 0]  # frequency 0 is the blank
    return means.reshape(-1, n)


def signal_correlation(result: StimulusResult, method: str = "spearman") -> np.ndarray:
    """Signal correlation between every pair of cells.

    Parameters
    ----------
    result : StimulusResult
        Drifting gratings, static gratings or natural scenes (from ``analyze_stimulus``).
    method : {"spearman", "pearson"}

    Returns
    -------
    ndarray, shape (n_cells, n_cells)
        AllenSDK's ``signal_corr_dg`` / ``_sg`` / ``_ns``.

    Examples
    --------
    >>> from brainobs.analysis import analyze_stimulus
    >>> dg = analyze_stimulus("990000000.nwb", "drifting_gratings")  # doctest: +SKIP
    >>> signal_correlation(dg).shape  # doctest: +SKIP
    (35, 35)
    """
    return correlate_rows(_condition_means(result).T, method)


def representational_similarity(result: StimulusResult, method: str = "spearman") -> np.ndarray:
    """Similarity of the population responses to every pair of stimulus conditions.

    Parameters
    ----------
    result : StimulusResult
        Drifting gratings, static gratings or natural scenes.
    method : {"spearman", "pearson"}

    Returns
    -------
    ndarray, shape (n_conditions, n_conditions)
        40 × 40 (drifting gratings: orientation-major, then temporal frequency), 120 × 120
        (static gratings: orientation, spatial frequency, phase) or 119 × 119 (natural scenes,
        row 0 = blank).

    Examples
    --------
    >>> ns = analyze_stimulus("990000001.nwb", "natural_scenes")  # doctest: +SKIP
    >>> representational_similarity(ns).shape  # doctest: +SKIP
    (119, 119)
    """
    return correlate_rows(_condition_means(result), method)


def _trial_groups(result: StimulusResult) -> tuple[list[np.ndarray], tuple[int, ...], np.ndarray]:
    """Trial rows of every non-blank condition (SDK order), the condition grid, blank rows."""
    table = result.sweeps.table
    if result.stimulus == st.NATURAL_SCENES:
        frames = table["frame"].to_numpy()
        rows = [np.flatnonzero(frames == f) for f in np.unique(frames)]
        repeats = min(len(r) for r in rows)
        return [r[:repeats] for r in rows], (len(rows),), np.array([], dtype=np.int64)
    names = (("orientation", "orivals"), ("temporal_frequency", "tfvals")) \
        if result.stimulus == st.DRIFTING_GRATINGS else \
        (("orientation", "orivals"), ("spatial_frequency", "sfvals"), ("phase", "phasevals"))
    axes = [np.asarray(result.values[key], dtype=float) for _, key in names]
    axes[1] = axes[1][axes[1] != 0]
    columns = [table[name].to_numpy(dtype=float) for name, _ in names]
    grid = np.meshgrid(*axes, indexing="ij")
    groups = [np.flatnonzero(np.logical_and.reduce(
        [col == g.flat[k] for col, g in zip(columns, grid, strict=True)]))
        for k in range(grid[0].size)]
    return groups, grid[0].shape, np.flatnonzero(columns[1] == 0)


def noise_correlation(result: StimulusResult, method: str = "spearman", *,
                      blank: bool = False) -> np.ndarray:
    """Trial-to-trial (noise) correlation between every pair of cells, per condition.

    Parameters
    ----------
    result : StimulusResult
        Drifting gratings, static gratings or natural scenes.
    method : {"spearman", "pearson"}
    blank : bool
        Gratings only: return the correlation over the blank sweeps instead, shape
        (n_cells, n_cells).

    Returns
    -------
    ndarray
        (n_cells, n_cells, 8, 5) for drifting gratings, (n_cells, n_cells, 6, 5, 4) for static
        gratings, (n_cells, n_cells, 119) for natural scenes: AllenSDK's ``noise_corr_*``.
        Conditions with fewer than 2 trials give NaN.

    Examples
    --------
    >>> dg = analyze_stimulus("990000000.nwb", "drifting_gratings")  # doctest: +SKIP
    >>> noise_correlation(dg).shape  # doctest: +SKIP
    (35, 35, 8, 5)
    """
    _check(result)
    check_choice("correlation method", method, METHODS)
    n = len(result.cell_specimen_ids)
    trials = result.sweeps.mean_sweep[:, :n]
    groups, grid, blank_rows = _trial_groups(result)
    if blank:
        if result.stimulus == st.NATURAL_SCENES:
            raise ValueError("Natural scenes have no blank-sweep noise correlation: the blank "
                             "(frame -1) is condition 0 of noise_correlation(result).")
        return _correlate_trials(trials[blank_rows].T, method)
    out = np.empty((n, n, len(groups)))
    for k, rows in enumerate(groups):
        out[:, :, k] = _correlate_trials(trials[rows].T, method)
    return out.reshape(n, n, *grid)


def _correlate_trials(x: np.ndarray, method: str) -> np.ndarray:
    if x.shape[1] < 2:
        return np.full((x.shape[0], x.shape[0]), np.nan)
    return correlate_rows(x, method)
