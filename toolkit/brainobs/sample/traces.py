"""From firing rates to the traces of the NWB file: spikes, calcium, fluorescence, dF/F, events.

Per cell: Poisson spikes at each frame; GCaMP6f-like calcium transients (rise ~45 ms, decay
``tau_decay`` 0.2-0.4 s), somatic fluorescence ``F0 * (1 + dff_per_spike * calcium)``. The
neuropil follows the population activity and slow drifts. What the ROI records (the *demixed*
trace) is soma + ``r_true`` x neuropil + shot noise; the *raw* trace adds crosstalk from
overlapping ROIs; the pipeline's estimate of r is close to ``r_true``. dF/F is computed from
the corrected trace (demixed - r x neuropil) over a sliding 3-minute baseline, as a fraction.
Fluorescence is rounded to 1/32 and dF/F to 1/4096 (binary fractions compress well).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tuning import Tuning

__all__ = ["Traces", "simulate_traces", "sliding_baseline", "compute_dff"]

RISE_TAU = 0.045  # s
SHOT_GAIN = 0.15  # variance of the shot noise per unit of fluorescence
F_STEP = 1 / 32
DFF_STEP = 1 / 4096


@dataclass
class Traces:
    """Every trace of one session (rows = cells in file order); see :func:`simulate_traces`.

    ``spikes`` (true spike counts per frame, int16) is ground truth only; ``raw``,
    ``neuropil``, ``demixed``, ``dff`` and ``events`` are (n_cells, n_frames) float32 traces
    as the file holds them; ``r`` and ``rmse`` are the pipeline's per-cell estimates and
    ``noise_sd`` the robust noise level of dF/F.

    Examples
    --------
    >>> from brainobs.sample.tuning import plant_tuning
    >>> rng = np.random.default_rng(0)
    >>> t = plant_tuning(np.arange(2), rng)
    >>> tr = simulate_traces(t, np.full((2, 600), 2.0), np.zeros((2, 2)), 0.0332, rng)
    >>> tr.spikes.dtype.name, tr.raw.shape, tr.r.shape
    ('int16', (2, 600), (2,))
    """

    spikes: np.ndarray  # (n, T) int16 spike counts per frame (ground truth)
    raw: np.ndarray  # (n, T) float32
    neuropil: np.ndarray  # (n, T) float32
    demixed: np.ndarray  # (n, T) float32
    r: np.ndarray  # (n,) pipeline estimate of the contamination ratio
    rmse: np.ndarray  # (n,)
    dff: np.ndarray  # (n, T) float32
    events: np.ndarray  # (n, T) float32 event magnitudes (dF/F units), 0 elsewhere
    noise_sd: np.ndarray  # (n,) robust noise level of dF/F


def _calcium(spikes: np.ndarray, tau_decay: np.ndarray, dt: float) -> np.ndarray:
    """Double-exponential transients with a peak of 1 per spike."""
    from scipy.signal import lfilter

    out = np.empty(spikes.shape, dtype=np.float64)
    a_r = np.exp(-dt / RISE_TAU)
    for i, tau in enumerate(tau_decay):
        a_d = np.exp(-dt / tau)
        k = np.arange(1, 40)
        peak = (a_d**k - a_r**k).max()
        slow = lfilter([1.0], [1.0, -a_d], spikes[i].astype(np.float64))
        fast = lfilter([1.0], [1.0, -a_r], spikes[i].astype(np.float64))
        out[i] = (a_d * slow - a_r * fast) / peak
    return out


def _slow_noise(shape: tuple[int, int], tau_frames: float, rng: np.random.Generator) -> np.ndarray:
    from scipy.signal import lfilter

    a = np.exp(-1.0 / tau_frames)
    return lfilter([np.sqrt(1 - a * a)], [1, -a], rng.standard_normal(shape), axis=1)


def sliding_baseline(trace: np.ndarray, window: int = 5400, bin_frames: int = 30) -> np.ndarray:
    """Slow baseline of each row: running median of 1-s bin medians over ``window`` frames.

    Examples
    --------
    >>> x = np.ones((1, 9000)); x[0, ::50] = 5
    >>> float(sliding_baseline(x)[0, 4000])
    1.0
    """
    from scipy.ndimage import median_filter

    n, t = trace.shape
    n_bins = int(np.ceil(t / bin_frames))
    padded = np.pad(trace, ((0, 0), (0, n_bins * bin_frames - t)), mode="edge")
    bins = np.median(padded.reshape(n, n_bins, bin_frames), axis=2)
    size = max(1, min(n_bins, window // bin_frames) | 1)
    smooth = median_filter(bins, size=(1, size), mode="nearest")
    centres = (np.arange(n_bins) + 0.5) * bin_frames - 0.5
    frames = np.arange(t)
    return np.vstack([np.interp(frames, centres, row) for row in smooth])


def compute_dff(corrected: np.ndarray) -> np.ndarray:
    """dF/F (fraction) of corrected fluorescence over its sliding baseline.

    Examples
    --------
    >>> float(compute_dff(np.full((1, 100), 200.0))[0, 50])
    0.0
    """
    base = np.clip(sliding_baseline(corrected), 1.0, None)
    return (corrected - base) / base


def _robust_sd(x: np.ndarray) -> np.ndarray:
    """Noise level of each row from frame-to-frame differences (MAD based)."""
    d = np.diff(x, axis=1)
    return 1.4826 * np.median(np.abs(d - np.median(d, axis=1, keepdims=True)), axis=1) / np.sqrt(2)


def _round(x: np.ndarray, step: float) -> np.ndarray:
    return (np.round(x / step) * step).astype(np.float32)


def simulate_traces(
    t: Tuning,
    rates: np.ndarray,
    crosstalk: np.ndarray,
    dt: float,
    rng: np.random.Generator,
) -> Traces:
    """Simulate every trace of a session from firing rates.

    Parameters
    ----------
    t : Tuning
        The session's cells, in file order.
    rates : numpy.ndarray
        (n_cells, n_frames) firing rate in Hz.
    crosstalk : numpy.ndarray
        (n_cells, n_cells) overlap weights: ROI i picks up ``crosstalk[i, j]`` of cell j.
    dt : float
        Seconds per frame.
    rng : numpy.random.Generator
        The session's stream.

    Returns
    -------
    Traces

    Examples
    --------
    >>> from brainobs.sample.tuning import plant_tuning
    >>> rng = np.random.default_rng(0)
    >>> t = plant_tuning(np.arange(2), rng)
    >>> tr = simulate_traces(t, np.full((2, 600), 2.0), np.zeros((2, 2)), 0.0332, rng)
    >>> tr.dff.shape, tr.dff.dtype.name
    ((2, 600), 'float32')
    """
    n, n_frames = rates.shape
    spikes = rng.poisson(rates * dt).astype(np.int16)
    calcium = _calcium(spikes, t.tau_decay, dt)
    activity = t.dff_per_spike[:, None] * calcium  # true somatic dF/F
    bleach = 1 - 0.06 * np.linspace(0, 1, n_frames)[None, :]
    wander = 1 + 0.015 * _slow_noise((n, n_frames), 60 / dt, rng)
    soma = t.f0[:, None] * (1 + activity) * wander * bleach
    population = _slow_noise((1, n_frames), 1.0 / dt, rng) * 0.02 + activity.mean(axis=0)
    neuropil_true = t.neuropil_f0[:, None] * bleach * (
        1 + 0.5 * population + 0.04 * _slow_noise((n, n_frames), 10 / dt, rng)
    )
    roi = soma + t.r_true[:, None] * neuropil_true
    demixed = roi + np.sqrt(SHOT_GAIN * roi) * rng.standard_normal(roi.shape)
    neuropil = neuropil_true + np.sqrt(SHOT_GAIN * neuropil_true / 6) * rng.standard_normal(
        roi.shape
    )
    active = soma - t.f0[:, None] * wander * bleach
    raw = demixed + crosstalk @ active
    r_est = np.clip(t.r_true + rng.normal(0, 0.03, n), 0.0, 1.2).round(4)
    demixed, neuropil, raw = (_round(x, F_STEP) for x in (demixed, neuropil, raw))
    corrected = demixed.astype(np.float64) - r_est[:, None] * neuropil
    dff = compute_dff(corrected)
    noise_sd = _robust_sd(dff)
    events = _events(spikes, t.dff_per_spike, noise_sd, rng)
    rmse = np.round(_robust_sd(corrected), 4)
    return Traces(spikes, raw, neuropil, demixed, r_est, rmse, _round(dff, DFF_STEP), events,
                  noise_sd)


def _events(
    spikes: np.ndarray, amplitude: np.ndarray, noise_sd: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Detected events: spikes scaled to dF/F, missed when below 2.5 x the dF/F noise."""
    events = np.zeros(spikes.shape, dtype=np.float32)
    cell, frame = np.nonzero(spikes)
    size = spikes[cell, frame] * amplitude[cell] * rng.lognormal(0, 0.15, cell.size)
    keep = size >= 2.5 * noise_sd[cell]
    events[cell[keep], frame[keep]] = np.round(size[keep], 4)
    return events
