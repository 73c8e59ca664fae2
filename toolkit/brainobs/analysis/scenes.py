"""Natural scenes: response per image and the Allen image metrics.

Condition ``k`` of the response array is template frame ``k - 1`` (condition 0 = the blank,
frame −1). Metrics (AllenSDK peak names): ``scene_ns`` (preferred image = template index),
``peak_dff_ns``, ``ptest_ns`` (ANOVA across all images *and* the blank), ``time_to_peak_ns``,
``reliability_ns``, ``run_modulation_ns`` + ``p_run_ns`` and ``image_selectivity_ns``:
``S = 1 − 2A`` where A is the mean, over 1000 thresholds spanning the cell's image responses,
of the fraction of images whose response exceeds the threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import stimuli as st
from ._stats import group_response, grouped_anova_p
from ._tuning import preferred_trials, reliability, run_modulation, time_to_peak
from .result import StimulusResult, peak_frame
from .sweeps import compute_sweep_statistics

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["analyze_natural_scenes", "image_selectivity"]

N_THRESHOLDS = 1000


def image_selectivity(responses: np.ndarray) -> np.ndarray:
    """Image selectivity of each cell from its mean response to every image.

    Parameters
    ----------
    responses : ndarray, shape (n_cells, n_images)
        Mean response to each image (blank excluded).

    Returns
    -------
    ndarray, shape (n_cells,)
        0 for equal responses to all images, towards 1 for a response to a single image.

    Examples
    --------
    >>> r = np.zeros((1, 118)); r[0, 5] = 10.0
    >>> float(np.round(image_selectivity(r)[0], 4))
    0.9831
    """
    fmin = responses.min(axis=1, keepdims=True)
    fmax = responses.max(axis=1, keepdims=True)
    steps = np.arange(N_THRESHOLDS)[None, :]
    thresholds = fmin + steps * ((fmax - fmin) / 1000.0)
    above = responses[:, None, :] > thresholds[:, :, None]
    fraction = above.mean(axis=2)
    return 1 - (2 * fraction.mean(axis=1))


def analyze_natural_scenes(
    table: pd.DataFrame,
    corrected: np.ndarray,
    running_speed: np.ndarray,
    acquisition_rate: float,
    cell_specimen_ids: np.ndarray,
) -> StimulusResult:
    """Natural-scene responses and metrics of every cell.

    Parameters
    ----------
    table : DataFrame
        ``natural_scenes`` stimulus table (``frame, start, end``; frame −1 = blank).
    corrected : ndarray, shape (n_cells, n_frames)
        Corrected fluorescence.
    running_speed : ndarray, shape (n_frames,)
    acquisition_rate : float
    cell_specimen_ids : ndarray, shape (n_cells,)

    Returns
    -------
    StimulusResult
        ``response`` has shape (n_scenes, n_cells + 1, 3), row 0 = blank.

    Examples
    --------
    >>> callable(analyze_natural_scenes)
    True
    """
    if len(cell_specimen_ids) != corrected.shape[0]:
        raise ValueError(f"{len(cell_specimen_ids)} ids for {corrected.shape[0]} trace rows.")
    stats = compute_sweep_statistics(st.NATURAL_SCENES, table, corrected, running_speed,
                                     acquisition_rate, cell_specimen_ids)
    n = stats.n_cells
    frames = stats.table["frame"].to_numpy(dtype=np.int64)
    n_scenes = len(np.unique(frames))
    codes = np.where((frames + 1 >= 0) & (frames + 1 < n_scenes), frames + 1, -1)
    response = group_response(stats.mean_sweep, stats.pval, codes, n_scenes,
                              0.05 / (n_scenes - 1), empty_count=0)
    images = response[1:, :n, 0].T  # (cell, image)
    scene = np.argmax(images, axis=1)
    cells = np.arange(n)
    ptest = grouped_anova_p(stats.mean_sweep[:, :n],
                            [np.flatnonzero(codes == k) for k in range(n_scenes)])
    index, valid = preferred_trials(codes, n_scenes, scene + 1)
    run_mod, p_run = run_modulation(stats, index, valid, min_trials=4)
    columns = {
        "scene_ns": scene,
        "reliability_ns": reliability(stats, index, valid, slice(28, 42)),
        "peak_dff_ns": images[cells, scene],
        "ptest_ns": ptest,
        "p_run_ns": p_run,
        "run_modulation_ns": run_mod,
        "time_to_peak_ns": time_to_peak(stats, index, valid),
        "image_selectivity_ns": image_selectivity(images),
    }
    return StimulusResult(
        st.NATURAL_SCENES, peak_frame(columns, stats.cell_specimen_ids), response, stats,
        {"frames": np.arange(-1, n_scenes - 1)},
    )
