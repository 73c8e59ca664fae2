"""Sparse-noise design matrices, shuffle p values and the Holm–Šidák correction (Allen recipe).

* ``A`` (2·P × n_trials, P = rows·cols): column t marks the ON patches (template > 127, first
  P rows) and OFF patches (< 127, last P rows) of the frame shown on trial t.
* ``A_blur``: each trial's ON and OFF maps blurred the Allen way — bilinear upsampling (×4 for
  16-row grids, ×8 for 8-row grids, with a sub-patch offset) of the map zero-padded to three
  times its size, a Gaussian of σ = 4 upsampled pixels, block sums back to patch resolution,
  rescaled to the map's original sum, centre cut out. Every step is linear and separable, so
  the whole blur is ``M_rows @ map @ M_cols.T`` with two small matrices built once.
* Shuffle p value of patch k: the fraction of 10,000 random trial sets (seed 1; set size =
  n_events + round(0.1·n_events·N(0,1))) whose mean A_blur row is *not* below the
  event-triggered mean. The random draws are those of ``numpy.random.RandomState(1)`` in the
  Allen order; they do not depend on the cell, so one pass over the shuffles serves every cell
  (each cell's set is a prefix of the same permutation).
"""

from __future__ import annotations

import numpy as np

from .. import stimuli as st

__all__ = [
    "design_matrix",
    "blur_operators",
    "blurred_design_matrix",
    "shuffle_pvalues",
    "holm_sidak",
    "linear_weights",
]

_BLUR = {16: (4, -(1 - 0.625)), 8: (8, -(1 - 0.5625))}  # rows -> (upsampling, offset)


def design_matrix(frames: np.ndarray) -> np.ndarray:
    """ON/OFF indicator matrix of the frames shown, shape (2·rows·cols, n_trials), float.

    Examples
    --------
    >>> f = np.full((1, 2, 2), 127, dtype=np.uint8); f[0, 0, 1] = 255; f[0, 1, 0] = 0
    >>> design_matrix(f)[:, 0].tolist()
    [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    """
    flat = np.asarray(frames).reshape(len(frames), -1)
    return np.concatenate([flat > st.LSN_GREY, flat < st.LSN_GREY], axis=1).T.astype(float)


def linear_weights(positions: np.ndarray, n: int) -> np.ndarray:
    """Linear interpolation matrix (len(positions) × n) on the grid 0..n-1, clamped at the ends.

    Examples
    --------
    >>> linear_weights(np.array([-1.0, 0.25, 2.0]), 3).tolist()
    [[1.0, 0.0, 0.0], [0.75, 0.25, 0.0], [0.0, 0.0, 1.0]]
    """
    x = np.clip(positions, 0, n - 1)
    left = np.minimum(np.floor(x).astype(np.int64), n - 2)
    out = np.zeros((len(x), n))
    rows = np.arange(len(x))
    out[rows, left] = (left + 1) - x
    out[rows, left + 1] = x - left
    return out


def _axis_operator(n: int, upsample: int, offset: float) -> np.ndarray:
    """One axis of the blur: interpolate (padded ×3), Gaussian σ=4, block-sum → (3n × n)."""
    from scipy.ndimage import gaussian_filter1d

    positions = offset + np.arange(0, n * 3, 1.0 / upsample)
    interp = linear_weights(positions, 3 * n)[:, n : 2 * n]
    blurred = gaussian_filter1d(interp, 4.0, axis=0, mode="constant")
    return blurred.reshape(3 * n, upsample, n).sum(axis=1)


def blur_operators(rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column operators of the Allen blur: (3·rows × rows) and (3·cols × cols).

    ``M_rows @ map @ M_cols.T`` is the padded, blurred, block-summed map (before rescaling).

    Examples
    --------
    >>> mr, mc = blur_operators(16, 28)
    >>> mr.shape, mc.shape
    ((48, 16), (84, 28))
    """
    if rows not in _BLUR:
        raise ValueError(f"Sparse-noise grids have 16 or 8 rows, not {rows}.")
    upsample, offset = _BLUR[rows]
    return _axis_operator(rows, upsample, offset), _axis_operator(cols, upsample, offset)


def blurred_design_matrix(frames: np.ndarray) -> np.ndarray:
    """``A_blur``: the design matrix of blurred ON and OFF maps, shape (2·P, n_trials).

    Examples
    --------
    >>> f = np.full((1, 16, 28), 127, dtype=np.uint8); f[0, 8, 14] = 255
    >>> a = blurred_design_matrix(f)
    >>> float(np.round(a[:448, 0].sum(), 12)), int(a[:448, 0].argmax())
    (1.0, 238)
    """
    frames = np.asarray(frames)
    n, rows, cols = frames.shape
    mr, mc = blur_operators(rows, cols)
    crop_r, crop_c = mr[rows : 2 * rows], mc[cols : 2 * cols]
    weight = np.outer(mr.sum(axis=0), mc.sum(axis=0)).ravel()  # mass each patch keeps
    out = np.empty((2, rows, cols, n))
    for k, maps in enumerate((frames > st.LSN_GREY, frames < st.LSN_GREY)):
        maps = maps.reshape(n, -1).astype(float)
        total = maps.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(total > 0, total / (maps @ weight), 0.0)
        by_col = (maps.reshape(n * rows, cols) @ crop_c.T).reshape(n, rows, cols)
        blurred = crop_r @ by_col.transpose(1, 0, 2).reshape(rows, n * cols)  # (rows, n*cols)
        out[k] = blurred.reshape(rows, n, cols).transpose(0, 2, 1) * scale
    return out.reshape(2 * rows * cols, n)


def _prefix_means(by_trial: np.ndarray, order: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Mean of the rows ``order[:s]`` of ``by_trial`` for each (non-decreasing) size ``s``."""
    rows = by_trial[order[: int(sizes[-1])]]
    sums = np.empty((len(sizes), by_trial.shape[1]))
    total, done = np.zeros(by_trial.shape[1]), 0
    for k, size in enumerate(sizes):
        if size > done:
            total = total + rows[done:size].sum(axis=0)
            done = size
        sums[k] = total
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / sizes[:, None]


def shuffle_pvalues(
    a_blur: np.ndarray,
    events: np.ndarray,
    n_shuffles: int = 10000,
    seed: int = 1,
    error_sd: float = 0.1,
    margin: float = 0.0,
) -> np.ndarray:
    """Shuffle-test p value of every patch and polarity, for every cell.

    Parameters
    ----------
    a_blur : ndarray, shape (2·P, n_trials)
        Blurred design matrix.
    events : bool ndarray, shape (n_cells, n_trials)
        Trial events per cell.
    n_shuffles, seed, error_sd
        The Allen settings (10,000 shuffles, seed 1, 10 % jitter of the set size).
    margin : float
        Compare shuffles with ``observed * (1 + margin)`` instead of ``observed``. Shuffle
        means that equal the observed mean mathematically (frequent with few events: the
        blurred maps take few distinct values) are decided by floating-point rounding; a
        margin of ±1e-9 gives the p values with all such ties counted one way or the other.

    Returns
    -------
    ndarray, shape (n_cells, 2·P)
        p values, multiples of ``1 / n_shuffles``; 1 for a cell without events.

    Examples
    --------
    >>> a = np.eye(3)
    >>> p = shuffle_pvalues(a, np.array([[True, False, False]]), n_shuffles=200)
    >>> p.round(2).tolist()  # event on trial 0: about 1/3 of random trials tie with it
    [[0.38, 1.0, 1.0]]
    """
    events = np.asarray(events, dtype=bool)
    n_trials = a_blur.shape[1]
    n_events = events.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = (a_blur @ events.T.astype(float) / n_events).T  # (cells, 2P)
    if margin:
        observed = observed * (1 + margin)
    by_trial = np.ascontiguousarray(a_blur.T)
    # Cells with the same number of events draw sets of the same size: work per distinct count.
    counts_seen, cell_group = np.unique(n_events, return_inverse=True)
    counts = np.zeros(observed.shape, dtype=np.int32)
    below = np.empty(observed.shape, dtype=bool)
    rng = np.random.RandomState(seed)
    for _ in range(n_shuffles):
        draw = rng.randn()
        order = rng.permutation(n_trials)
        sizes = counts_seen + np.round(error_sd * counts_seen * draw).astype(np.int64)
        sizes = np.clip(sizes, 0, n_trials)
        if sizes[-1] == 0:
            continue
        means = _prefix_means(by_trial, order, sizes)
        np.less(np.take(means, cell_group, axis=0), observed, out=below)
        counts += below
    return 1 - counts.astype(np.int64) * 1.0 / n_shuffles


def holm_sidak(pvalues: np.ndarray) -> np.ndarray:
    """Holm–Šidák step-down adjusted p values along the last axis.

    Sorted p values ``p_(1) <= ... <= p_(m)`` become ``max_{j<=k} 1 - (1 - p_(j))^(m-j+1)``,
    capped at 1, in the original order.

    Examples
    --------
    >>> holm_sidak(np.array([0.01, 0.04, 0.03])).round(4).tolist()
    [0.0297, 0.0591, 0.0591]
    """
    p = np.asarray(pvalues, dtype=float)
    order = np.argsort(p, axis=-1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=-1)
    m = p.shape[-1]
    with np.errstate(divide="ignore"):
        raw = -np.expm1(np.arange(m, 0, -1) * np.log1p(-ranked))
    adjusted = np.minimum(np.maximum.accumulate(raw, axis=-1), 1.0)
    out = np.empty_like(adjusted)
    np.put_along_axis(out, order, adjusted, axis=-1)
    return out
