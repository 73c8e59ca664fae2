"""Chi-square receptive-field test for sparse noise (Allen recipe, vectorised over cells).

For every patch a 7×7 box around it, minus the patches ever shown together with it, is the
*exclusion mask*. Within a mask, a cell's events per patch and polarity (spatially smoothed)
are compared with the count expected if events were spread uniformly over the masked trials:
``chi² = Σ (observed − expected)² / expected``, dof = masked entries − 1. The p values are
clipped at 1e−10, Šidák-corrected for the number of independent masks
(``1 − (1 − p)^(P / mask size)``), and the smallest is the cell's ``rf_chi2`` (``min_p``).

As in the Allen code the per-patch trial counts come from the *first n_trials template
frames* and the masks from the whole template.
"""

from __future__ import annotations

import numpy as np

from .. import stimuli as st
from ._rf_design import linear_weights

__all__ = ["exclusion_masks", "smoothing_operators", "chi_square_pvalues", "peak_significance"]

_RADIUS = 3
_MAX_NLL = 10.0


def exclusion_masks(template: np.ndarray) -> np.ndarray:
    """Exclusion mask of every patch, shape (rows, cols, rows, cols), 1.0 = inside.

    Examples
    --------
    >>> t = np.full((65, 8, 8), 127, dtype=np.uint8)
    >>> t[np.arange(64), np.arange(64) // 8, np.arange(64) % 8] = 255  # each patch once
    >>> t[64, 0, 0] = t[64, 0, 1] = 0  # (0, 0) and (0, 1) shown together once
    >>> m = exclusion_masks(t)
    >>> int(m[0, 0].sum()), bool(m[0, 0, 0, 1]), bool(m[0, 0, 3, 3])
    (15, False, True)
    """
    rows, cols = template.shape[1:]
    # A value of 1 counts as "not grey" too, as in the Allen code.
    active = np.isin(template, (st.LSN_OFF, st.LSN_ON, 1)).reshape(len(template), -1).astype(float)
    shown = active.sum(axis=0)
    together = active.T @ active
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = together / shown[None, :]
    centre = np.argmax(raw, axis=1)
    raw[np.arange(len(raw)), centre] = 0.0
    cy, cx = np.divmod(centre, cols)
    yy, xx = np.divmod(np.arange(rows * cols), cols)
    in_box = (np.abs(yy[None, :] - cy[:, None]) <= _RADIUS) & (np.abs(xx[None, :] - cx[:, None])
                                                                <= _RADIUS)
    clean = np.where(in_box, raw, 1.0)
    return np.where(clean > 0, 0.0, 1.0).reshape(rows, cols, rows, cols)


def _smoothing_axis(n: int, step: int, mode: str = "reflect") -> np.ndarray:
    from scipy.ndimage import gaussian_filter1d

    grid = np.arange(-(n - 1) * step / 2, (n + 1) * step / 2, step)
    fine = np.arange(-(n - 1) * step / 2, step / 2 + (n / 2 - 1) * step + 1, 1)
    interp = linear_weights((fine - grid[0]) / step, n)
    blurred = gaussian_filter1d(interp, 0.75, axis=0, mode=mode)
    return blurred[np.arange(0, len(fine), step)]


def smoothing_operators(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column operators of the event-map smoothing (``S = Mr @ E @ Mc.T``).

    The map is upsampled to ``64 // rows`` points per patch, blurred by a Gaussian of
    σ = 0.75 points and sampled back at the patch centres.

    Examples
    --------
    >>> mr, mc = smoothing_operators(16, 28)
    >>> mr.shape, np.allclose(mr.sum(axis=1)[3:-3], 1)
    ((16, 16), True)
    """
    step = 64 // rows
    return _smoothing_axis(rows, step), _smoothing_axis(cols, step)


def chi_square_pvalues(events: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Chi-square p value of every exclusion mask, per cell: shape (n_cells, rows, cols).

    Parameters
    ----------
    events : bool ndarray, shape (n_cells, n_trials)
    template : ndarray, shape (n_template_frames, rows, cols)
        The whole sparse-noise template.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> t = np.where(rng.random((400, 8, 14)) < 0.05, 255, 127).astype(np.uint8)
    >>> ev = t[:, 3, 4] == 255
    >>> p = chi_square_pvalues(ev[None, :], t)
    >>> bool(p[0, 3, 4] < 1e-6), bool(p[0, 7, 13] > 0.01)
    (True, True)
    """
    from scipy.stats import chi2

    events = np.asarray(events, dtype=float)
    n_cells, n_trials = events.shape
    rows, cols = template.shape[1:]
    shown = template[:n_trials].reshape(n_trials, -1)
    on, off = (shown == st.LSN_ON).astype(float), (shown == st.LSN_OFF).astype(float)
    per_patch = np.stack([on.sum(axis=0), off.sum(axis=0)], axis=-1)  # (P, 2)
    counts = np.stack([events @ on, events @ off], axis=-1).reshape(n_cells, rows, cols, 2)
    mr, mc = smoothing_operators(rows, cols)
    smooth = np.einsum("ij,cjlk,ml->cimk", mr, counts, mc).reshape(n_cells, rows * cols, 2)
    masks = exclusion_masks(template).reshape(rows * cols, rows * cols)  # (mask, patch)
    total_trials = masks @ per_patch.sum(axis=1)  # (mask,)
    total_events = np.einsum("mp,cpk->cm", masks, smooth)  # (cell, mask)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = total_events / total_trials[None, :]
        ratio = np.where(per_patch[None] > 0, smooth**2 / per_patch[None], 0.0)
        blow_up = (per_patch[None] == 0) & (smooth > 0)  # expected 0, observed > 0: infinite
        q = np.einsum("mp,cpk->cm", masks, ratio)
        stat = np.where(total_events > 0, q / rate - total_events, 0.0)
    infinite = np.einsum("mp,cpk->cm", masks, blow_up.astype(float)) > 0
    stat = np.where(infinite, np.inf, np.maximum(stat, 0.0))
    dof = 2 * masks.sum(axis=1) - 1
    return (1.0 - chi2.cdf(stat, dof[None, :])).reshape(n_cells, rows, cols)


def peak_significance(
    pvalues: np.ndarray, template: np.ndarray, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Šidák-corrected p values, their minimum, significance and best exclusion region.

    Returns
    -------
    corrected : ndarray, shape (n_cells, rows, cols)
    min_p : ndarray, shape (n_cells,)
    significant : bool ndarray, shape (n_cells,)
    best_region : bool ndarray, shape (n_cells, rows, cols)

    Examples
    --------
    >>> t = np.full((112, 8, 14), 127, dtype=np.uint8)
    >>> t[np.arange(112), np.arange(112) // 14, np.arange(112) % 14] = 255
    >>> p = np.full((1, 8, 14), 0.5); p[0, 2, 2] = 1e-6
    >>> corrected, min_p, sig, region = peak_significance(p, t)
    >>> bool(sig[0]), bool(region[0, 2, 2])
    (True, True)
    """
    nll = np.where(pvalues == 0.0, _MAX_NLL, -np.log10(np.where(pvalues == 0.0, 1.0, pvalues)))
    clipped = 10.0 ** (-nll)
    masks = exclusion_masks(template)
    rows, cols = masks.shape[:2]
    factor = 1.0 * rows * cols / masks.sum(axis=(2, 3))
    corrected = 1 - np.power(1 - clipped, factor[None])
    flat = corrected.reshape(len(corrected), -1)
    best = flat.argmin(axis=1)
    min_p = flat[np.arange(len(flat)), best]
    significant = min_p < alpha
    region = masks.reshape(rows * cols, rows, cols)[best].astype(bool)
    region[~significant] = False
    return corrected, min_p, significant, region
