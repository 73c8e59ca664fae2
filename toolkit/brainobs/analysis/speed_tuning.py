"""Running-speed tuning of every cell, spontaneous versus visually driven (Allen definition).

As AllenSDK's ``StimulusAnalysis.get_speed_tuning``: the samples of the stored **dF/F**
are split into *spontaneous* (the last row of the spontaneous table, and the one before it
if there is one) and *visual* (every other sample with a known speed). Within each set the
samples are sorted by running speed; bin 0 holds every sample slower than 1 cm/s, then come
bins of ``binsize`` (800) samples each (``n_bins = 1 + n_running // binsize``; the fastest
left-over samples are not binned). Per bin: mean and SEM (population std / sqrt(size)) of
the speed and of each cell's dF/F.

``peak_run`` columns: ``speed_max_*`` / ``speed_min_*`` = mean speed of the bin with the
largest / smallest mean dF/F; ``ptest_*`` = two-sample Kolmogorov–Smirnov p value of the
samples at sorted positions ``[k * binsize, (k + 1) * binsize)`` against all the others,
where ``k`` is the max bin if its speed is higher than the min bin's, else the min bin (the
SDK indexes bins this way, ignoring the size of bin 0); ``mod_*`` = the variance of the bin
means exceeds the 99.9th percentile of the same variance over ``n_shuffles`` random
re-assignments of dF/F samples to speeds.

Samples with equal speeds are ordered as numpy 1.x's ``argsort`` (which AllenSDK used)
orders them, so every bin holds the same samples as AllenSDK's and the binned values and
``ptest_*`` agree. The SDK draws its shuffles from numpy's global random state without a
seed, so ``mod_*`` cannot be reproduced shuffle for shuffle; here they come from ``seed``.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._legacy_sort import legacy_argsort

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SpeedTuning", "compute_speed_tuning", "analyze_speed_tuning", "PEAK_RUN_COLUMNS"]

logger = logging.getLogger(__name__)

PEAK_RUN_COLUMNS = ("speed_max_sp", "speed_min_sp", "ptest_sp", "mod_sp",
                    "speed_max_vis", "speed_min_vis", "ptest_vis", "mod_vis")


@dataclass
class SpeedTuning:
    """Binned speed tuning of one experiment, with AllenSDK's names.

    Attributes
    ----------
    binned_dx_sp, binned_dx_vis : ndarray, shape (n_bins, 2)
        Mean and SEM of running speed (cm/s) per bin, spontaneous / visual samples.
    binned_cells_sp, binned_cells_vis : ndarray, shape (n_cells, n_bins, 2)
        Mean and SEM of each cell's dF/F per bin.
    peak_run : DataFrame
        One row per cell (index ``cell_specimen_id``), columns :data:`PEAK_RUN_COLUMNS`.

    Examples
    --------
    >>> tuning = analyze_speed_tuning("990000000.nwb")  # doctest: +SKIP
    >>> tuning.binned_cells_vis.shape  # doctest: +SKIP
    (35, 9, 2)
    """

    binned_dx_sp: np.ndarray
    binned_cells_sp: np.ndarray
    binned_dx_vis: np.ndarray
    binned_cells_vis: np.ndarray
    peak_run: pd.DataFrame


def _first_upward_crossing(sorted_speed: np.ndarray, level: float = 1.0) -> int | None:
    """Index where ``sign(speed - level)`` first increases (None if never), as ``findlevel``."""
    with np.errstate(invalid="ignore"):
        steps = np.diff(np.sign(sorted_speed - level), prepend=np.nan)
        hits = np.flatnonzero(steps[1:] > 0) + 1
    return int(hits[0]) if hits.size else None


def _bin_edges(sorted_speed: np.ndarray, binsize: int) -> list[tuple[int, int, int]]:
    """(start, stop, SEM divisor) of each bin in sorted order."""
    with np.errstate(invalid="ignore"):
        n_bins = 1 + int(np.count_nonzero(sorted_speed >= 1)) // binsize
    offset = _first_upward_crossing(sorted_speed)
    if offset is None:
        logger.info("Running speed never crosses 1 cm/s: all samples go into bin 0.")
        offset = len(sorted_speed)
    edges = [(0, offset, offset)]
    for i in range(1, n_bins):
        start = offset + (i - 1) * binsize
        edges.append((start, start + binsize, binsize))
    return edges


def _mean_sem(x: np.ndarray, edges: list[tuple[int, int, int]]) -> np.ndarray:
    """Per bin along the last axis: mean and population std / sqrt(divisor)."""
    out = np.empty((*x.shape[:-1], len(edges), 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        for i, (start, stop, divisor) in enumerate(edges):
            part = x[..., start:stop]
            if part.shape[-1] == 0:
                out[..., i, :] = np.nan
                continue
            out[..., i, 0] = part.mean(axis=-1)
            out[..., i, 1] = part.std(axis=-1) / np.sqrt(divisor)
    return out


def _shuffled_variance(traces: np.ndarray, edges: list[tuple[int, int, int]],
                       n_shuffles: int, rng: np.random.Generator) -> np.ndarray:
    """Variance over bins of the bin means, per cell and shuffle: (n_cells, n_shuffles).

    Bin 0 is usually most samples, so its sum is the total minus the other samples.
    """
    n = traces.shape[1]
    total = traces.sum(axis=1)
    first_stop = edges[0][1]
    out = np.empty((traces.shape[0], n_shuffles))
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an empty bin's mean is NaN, as in the SDK
        for k in range(n_shuffles):
            order = rng.permutation(n)
            rest = traces[:, order[first_stop:]]
            means = [(total - rest.sum(axis=1)) / first_stop]
            for start, stop, _ in edges[1:]:
                means.append(rest[:, start - first_stop : stop - first_stop].mean(axis=1))
            out[:, k] = np.var(np.stack(means, axis=1), axis=1)
    return out


def _ks_p(test: np.ndarray, other: np.ndarray) -> float:
    from scipy.stats import ks_2samp

    if min(len(test), len(other)) == 0:
        return float("nan")
    return float(ks_2samp(test, other).pvalue)


def _peak_columns(binned: np.ndarray, binned_dx: np.ndarray, sorted_traces: np.ndarray,
                  shuffled: np.ndarray, binsize: int) -> dict[str, np.ndarray]:
    """speed_max, speed_min, ptest, mod of every cell for one sample set."""
    means = binned[:, :, 0]
    threshold = np.percentile(shuffled, 99.9, axis=1)
    variance = np.var(means, axis=1)
    with np.errstate(invalid="ignore"):
        top, bottom = np.argmax(means, axis=1), np.argmin(means, axis=1)
    speed_max, speed_min = binned_dx[top, 0], binned_dx[bottom, 0]
    ptest = np.empty(len(means))
    for c, trace in enumerate(sorted_traces):
        k = top[c] if speed_max[c] > speed_min[c] else bottom[c]
        start, stop = k * binsize, min((k + 1) * binsize, trace.size)
        ptest[c] = _ks_p(trace[start:stop], np.concatenate([trace[:start], trace[stop:]]))
    return {"speed_max": speed_max, "speed_min": speed_min, "ptest": ptest,
            "mod": variance > threshold}


def _split(dff: np.ndarray, speed: np.ndarray, spontaneous: pd.DataFrame):
    """(speed, traces) of the spontaneous and of the visual samples, as the SDK cuts them."""
    rows = [spontaneous.iloc[-1]] + ([spontaneous.iloc[-2]] if len(spontaneous) > 1 else [])
    spans = [slice(int(r["start"]), int(r["end"])) for r in rows]
    dx_sp = np.concatenate([speed[s] for s in spans])
    cells_sp = np.concatenate([dff[:, s] for s in spans], axis=1)
    dx_vis, cells_vis = speed, dff
    for s in spans:  # the last block first, as the SDK deletes them
        gone = np.arange(s.start, s.stop)
        dx_vis, cells_vis = np.delete(dx_vis, gone), np.delete(cells_vis, gone, axis=1)
    known = ~np.isnan(dx_vis)
    return (dx_sp, cells_sp), (dx_vis[known], cells_vis[:, known])


def compute_speed_tuning(
    dff: np.ndarray,
    running_speed: np.ndarray,
    spontaneous: pd.DataFrame,
    cell_specimen_ids: np.ndarray | None = None,
    *,
    binsize: int = 800,
    n_shuffles: int = 200,
    seed: int = 0,
) -> SpeedTuning:
    """Speed tuning from arrays (see the module description for the definitions).

    Parameters
    ----------
    dff : ndarray, shape (n_cells, n_frames)
        dF/F as stored in the NWB file (cut to the length of ``running_speed``).
    running_speed : ndarray, shape (n_frames,)
        Running speed (cm/s) on the frame times, NaN where unknown.
    spontaneous : DataFrame
        The spontaneous stimulus table (``start``, ``end`` frames).
    cell_specimen_ids : ndarray, optional
        Index of ``peak_run`` (default 0, 1, ...).
    binsize : int
        Samples per running bin (the Allen value is 800).
    n_shuffles : int
        Shuffles for ``mod_sp`` / ``mod_vis`` (the Allen value is 200).
    seed : int
        Seed of the shuffles.

    Returns
    -------
    SpeedTuning

    Examples
    --------
    >>> import pandas as pd
    >>> speed = np.r_[np.zeros(50), np.linspace(2, 20, 50)]
    >>> dff = np.r_[np.zeros(50), np.ones(50)][None, :]
    >>> t = compute_speed_tuning(dff, speed, pd.DataFrame({"start": [0], "end": [20]}),
    ...                          binsize=10, n_shuffles=20)
    >>> t.binned_cells_vis[0, :, 0].round(2).tolist()
    [0.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    """
    import pandas as pd

    speed = np.asarray(running_speed, dtype=float)
    dff = np.asarray(dff)[:, : len(speed)]  # float32 dF/F is averaged in float32, as the SDK does
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    columns: dict[str, np.ndarray] = {}
    for name, (dx, traces) in zip(("sp", "vis"), _split(dff, speed, spontaneous), strict=True):
        if np.isnan(dx).all():
            raise ValueError(f"Running speed is unknown on every {name} sample: speed tuning "
                             "needs running speed.")
        order = legacy_argsort(dx)
        edges = _bin_edges(dx[order], binsize)
        out[f"binned_dx_{name}"] = _mean_sem(dx[order], edges)
        out[f"binned_cells_{name}"] = _mean_sem(traces[:, order], edges)
        shuffled = _shuffled_variance(traces[:, order], edges, n_shuffles, rng)
        peak = _peak_columns(out[f"binned_cells_{name}"], out[f"binned_dx_{name}"],
                             traces[:, order], shuffled, binsize)
        columns.update({f"{key}_{name}": value for key, value in peak.items()})
    ids = np.arange(len(dff)) if cell_specimen_ids is None else np.asarray(cell_specimen_ids)
    index = pd.Index(ids, name="cell_specimen_id")
    peak_run = pd.DataFrame({c: columns[c] for c in PEAK_RUN_COLUMNS}, index=index)
    return SpeedTuning(peak_run=peak_run, **out)


def analyze_speed_tuning(source: Any, *, binsize: int = 800, n_shuffles: int = 200,
                         seed: int = 0) -> SpeedTuning:
    """Speed tuning of an experiment (NWB path or an experiment opened with ``open_nwb``).

    Examples
    --------
    >>> tuning = analyze_speed_tuning("990000000.nwb")  # doctest: +SKIP
    >>> tuning.peak_run[["speed_max_vis", "ptest_vis", "mod_vis"]].head()  # doctest: +SKIP
    """
    import os

    if isinstance(source, str | os.PathLike):
        from ..nwb import open_nwb

        with open_nwb(source) as experiment:
            return analyze_speed_tuning(experiment, binsize=binsize, n_shuffles=n_shuffles,
                                        seed=seed)
    speed = np.asarray(source.get_running_speed().data, dtype=float)
    n_frames = int(source.n_frames)
    speed = np.concatenate([speed, np.full(max(0, n_frames - len(speed)), np.nan)])[:n_frames]
    _, dff = source.get_dff()
    return compute_speed_tuning(dff, speed, source.get_stimulus_table(st.SPONTANEOUS),
                                np.asarray(source.cell_specimen_ids), binsize=binsize,
                                n_shuffles=n_shuffles, seed=seed)
