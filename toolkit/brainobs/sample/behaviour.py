"""Running and eye behaviour of a sample session, on the 2-photon frame clock.

Running: bouts of running (8-35 cm/s, smooth, fluctuating) between rest periods (encoder noise
around 0, so sometimes slightly negative). Pupil: area in pixels that grows while the mouse
runs, blinks as NaN gaps, gaze (azimuth, altitude in degrees) that drifts and jumps (saccades),
and the same gaze as monitor coordinates in cm (monitor 15 cm from the eye).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Behaviour", "simulate_running", "running_state", "simulate_eye"]

MONITOR_DISTANCE_CM = 15.0


@dataclass
class Behaviour:
    """Behaviour traces of one session (all sampled at the 2-photon frames).

    Examples
    --------
    >>> Behaviour(np.zeros(3), None, None, None).pupil_size is None
    True
    """

    running_speed: np.ndarray  # (n_frames,) cm/s
    pupil_size: np.ndarray | None  # (n_frames,) pixels
    pupil_location: np.ndarray | None  # (n_frames, 2) cm on the monitor
    pupil_location_spherical: np.ndarray | None  # (n_frames, 2) deg (azimuth, altitude)


def _smooth(x: np.ndarray, tau_frames: float) -> np.ndarray:
    """First-order low-pass filter (exponential smoothing) along the last axis."""
    from scipy.signal import lfilter

    a = np.exp(-1.0 / max(tau_frames, 1e-6))
    return lfilter([1 - a], [1, -a], x, axis=-1)


def _ou(n: int, tau_frames: float, rng: np.random.Generator) -> np.ndarray:
    """A unit-variance Ornstein-Uhlenbeck process of ``n`` samples."""
    from scipy.signal import lfilter

    a = np.exp(-1.0 / tau_frames)
    x = lfilter([np.sqrt(1 - a * a)], [1, -a], rng.standard_normal(n))
    return x


def _bouts(n: int, dt: float, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Target speed per frame: a constant per running bout, 0 at rest."""
    mean_run = 25.0 / dt
    mean_rest = mean_run * (1 - fraction) / fraction
    target = np.zeros(n)
    frame, running = 0, bool(rng.random() < fraction)
    while frame < n:
        length = int(rng.exponential(mean_run if running else mean_rest)) + int(2 / dt)
        if running:
            target[frame : frame + length] = rng.uniform(8.0, 35.0)
        frame += length
        running = not running
    return target


def simulate_running(
    n_frames: int, dt: float, rng: np.random.Generator, fraction: float = 0.35
) -> np.ndarray:
    """Running speed in cm/s at each frame.

    Parameters
    ----------
    n_frames : int
        Number of samples.
    dt : float
        Seconds between samples.
    rng : numpy.random.Generator
        Random stream.
    fraction : float
        Expected fraction of time spent running.

    Returns
    -------
    numpy.ndarray
        (n_frames,) float64, rounded to 0.01 cm/s.

    Examples
    --------
    >>> speed = simulate_running(3000, 0.0332, np.random.default_rng(0))
    >>> speed.shape, bool(speed.max() > 5)
    ((3000,), True)
    """
    target = _bouts(n_frames, dt, fraction, rng)
    level = _smooth(_smooth(target, 1.0 / dt), 0.5 / dt)
    wobble = 1 + 0.2 * _ou(n_frames, 2.0 / dt, rng)
    jitter = 0.25 * rng.standard_normal(n_frames) + 0.3 * _ou(n_frames, 0.3 / dt, rng)
    return np.round(level * wobble + jitter, 2)


def running_state(speed: np.ndarray) -> np.ndarray:
    """How much the mouse is running, 0 (still) to 1 (running), from its speed.

    Examples
    --------
    >>> running_state(np.array([0.0, 20.0])).round(2).tolist()
    [0.05, 1.0]
    """
    return 1.0 / (1.0 + np.exp(-(np.asarray(speed) - 2.0) / 0.7))


def _blinks(n: int, dt: float, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of blink frames (about one 0.2-0.4 s blink per 30 s)."""
    blink = np.zeros(n, dtype=bool)
    for start in rng.integers(0, n, max(1, int(n * dt / 30))):
        blink[start : start + int(rng.uniform(0.2, 0.4) / dt)] = True
    return blink


def simulate_eye(
    speed: np.ndarray, dt: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pupil area (pixels), gaze on the monitor (cm) and gaze angles (deg).

    Parameters
    ----------
    speed : numpy.ndarray
        Running speed at each frame (the pupil dilates while running).
    dt : float
        Seconds between frames.
    rng : numpy.random.Generator
        Random stream.

    Returns
    -------
    tuple
        ``(size (n,), location_cm (n, 2), location_deg (n, 2))``, NaN during blinks.

    Examples
    --------
    >>> size, cm, deg = simulate_eye(np.zeros(600), 0.0332, np.random.default_rng(0))
    >>> size.shape, cm.shape, deg.shape
    ((600,), (600, 2), (600, 2))
    """
    n = len(speed)
    arousal = _smooth(running_state(speed), 2.0 / dt)
    base = rng.uniform(700.0, 1400.0)
    size = base * (1 + 0.6 * arousal + 0.12 * _ou(n, 8.0 / dt, rng))
    saccades = np.zeros((n, 2))
    rate = (0.2 + 0.8 * arousal) * dt  # saccades per frame
    jumps = rng.random(n) < rate
    saccades[jumps] = rng.normal(0, 6.0, (int(jumps.sum()), 2))
    gaze = np.cumsum(saccades, axis=0)
    gaze -= _smooth(gaze.T, 3.0 / dt).T  # the eye drifts back towards the centre
    gaze += np.column_stack([_ou(n, 4.0 / dt, rng), _ou(n, 4.0 / dt, rng)]) * 1.5
    gaze += np.array([rng.normal(-2.0, 2.0), rng.normal(2.0, 2.0)])
    cm = MONITOR_DISTANCE_CM * np.tan(np.deg2rad(gaze))
    blink = _blinks(n, dt, rng)
    size[blink], gaze[blink], cm[blink] = np.nan, np.nan, np.nan
    return np.round(size, 2), np.round(cm, 4), np.round(gaze, 3)
