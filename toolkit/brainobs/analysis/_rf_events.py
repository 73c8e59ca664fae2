"""Trial-wise response events for the sparse-noise receptive-field analysis (Allen recipe).

For each trial the dF/F trace (smoothed with a 5-point Hanning window) is read over the 10
frames after onset. Two features describe the change: ``xx`` (change over frames 0→3, which a
response to the *previous* trial would cause) and ``yy`` (largest 3-frame change starting at
frames 2–4). The cloud of (xx, yy) over all trials is the noise; a trial is an *event* when it
lies outside that cloud (whitened distance > 4), rises by more than 0.05, rises more late than
early, and ends above half the noise threshold.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["smooth_hanning", "trial_features", "detect_trial_events"]

logger = logging.getLogger(__name__)

_WINDOW = 10  # frames read after each onset
_DELTA = 3  # frames spanned by one change
_SIGMA = 4  # noise-cloud radius in robust standard deviations


def smooth_hanning(trace: np.ndarray, width: int = 5) -> np.ndarray:
    """Hanning smoothing with reflected ends; the result has ``width - 1`` extra samples.

    Examples
    --------
    >>> smooth_hanning(np.array([0.0, 0, 4, 0, 0, 0])).round(2).tolist()
    [2.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    """
    padded = np.r_[trace[width - 1 : 0 : -1], trace, trace[-1:-width:-1]]
    kernel = np.hanning(width)
    return np.convolve(kernel / kernel.sum(), padded, mode="valid")


def trial_features(smoothed: np.ndarray, table: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """``xx``, ``yy`` and the last sample of each trial's 10-frame window, per cell.

    A trial that starts exactly where the previous one ended is read one frame later.

    Parameters
    ----------
    smoothed : ndarray, shape (n_cells, n_samples)
        Smoothed dF/F (:func:`smooth_hanning` of each row).
    table : DataFrame
        Stimulus table (``start``, ``end``), sorted by start.

    Returns
    -------
    xx, yy, last : ndarray, shape (n_cells, n_trials)

    Examples
    --------
    >>> import pandas as pd
    >>> s = np.arange(40, dtype=float)[None, :]
    >>> xx, yy, last = trial_features(s, pd.DataFrame({"start": [5], "end": [12]}))
    >>> xx.tolist(), yy.tolist(), last.tolist()
    ([[3.0]], [[3.0]], [[15.0]])
    """
    start = table["start"].to_numpy(dtype=np.int64)
    end = table["end"].to_numpy(dtype=np.int64)
    follows = np.r_[False, start[1:] == end[:-1]].astype(np.int64)
    first = start + 1 + follows
    if start.min(initial=0) < 0 or (start + _WINDOW).max(initial=0) > smoothed.shape[1]:
        raise ValueError("A sparse-noise trial lies outside the dF/F trace.")
    windows = smoothed[:, first[:, None] + np.arange(_WINDOW)]
    change = windows - windows[..., :1]
    xx = change[..., _DELTA] - change[..., 0]
    late = [change[..., _DELTA + k] - change[..., k] for k in (2, 3, 4)]
    yy = np.maximum(np.maximum(late[0], late[1]), late[2])
    return xx, yy, windows[..., -1]


def _robust_scale(centred: np.ndarray) -> np.ndarray:
    """68.27th percentile of |x| per row (one robust standard deviation)."""
    from scipy.special import ndtr

    q = 100 * (1 - 2 * (1 - ndtr(1.0)))
    return np.percentile(np.abs(centred), q, axis=1)


def detect_trial_events(dff: np.ndarray, table: pd.DataFrame) -> np.ndarray:
    """Which sparse-noise trials evoked a response, per cell.

    Parameters
    ----------
    dff : ndarray, shape (n_cells, n_frames)
        dF/F traces as stored in the NWB file.
    table : DataFrame
        Sparse-noise stimulus table, sorted by start.

    Returns
    -------
    ndarray of bool, shape (n_cells, n_trials)

    Examples
    --------
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> dff = rng.normal(0, 0.02, (1, 800)); dff[0, 402:412] += 1.0
    >>> table = pd.DataFrame({"start": np.arange(0, 770, 7), "end": np.arange(7, 777, 7)})
    >>> ev = detect_trial_events(dff, table)
    >>> np.flatnonzero(ev[0]).tolist()
    [57]
    """
    smoothed = np.array([smooth_hanning(row) for row in np.asarray(dff)])
    xx, yy, last = trial_features(smoothed, table)
    mu_x, mu_y = np.median(xx, axis=1), np.median(yy, axis=1)
    cx, cy = xx - mu_x[:, None], yy - mu_y[:, None]
    sx, sy = _robust_scale(cx), _robust_scale(cy)
    with np.errstate(invalid="ignore", divide="ignore"):
        inlier = np.sqrt((cx / sx[:, None]) ** 2 + (cy / sy[:, None]) ** 2) < _SIGMA
    n = inlier.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(inlier, cx, 0).sum(axis=1) / n
        my = np.where(inlier, cy, 0).sum(axis=1) / n
        dx, dy = np.where(inlier, cx - mx[:, None], 0), np.where(inlier, cy - my[:, None], 0)
        vxx, vyy = (dx * dx).sum(axis=1) / (n - 1), (dy * dy).sum(axis=1) / (n - 1)
        vxy = (dx * dy).sum(axis=1) / (n - 1)
        l11 = np.sqrt(vxx)
        l21 = vxy / l11
        l22 = np.sqrt(vyy - l21 * l21)
        zx = cx / l11[:, None]
        zy = (-l21 / (l11 * l22))[:, None] * cx + cy / l22[:, None]
    noise = np.maximum(_SIGMA * sx + mu_x, _SIGMA * sy + mu_y)
    events = (np.sqrt(zx**2 + zy**2) > 4) & (yy > 0.05) & (xx < yy) & (last > noise[:, None] / 2)
    bad = ~(np.isfinite(l11) & np.isfinite(l22) & (l11 > 0) & (l22 > 0))
    if bad.any():
        logger.warning("No events for %d cell(s): their trial features have no usable spread.",
                       int(bad.sum()))
        events[bad] = False
    return events
