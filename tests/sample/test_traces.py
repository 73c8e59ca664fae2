"""Fluorescence pipeline: neuropil, demixing, r estimates, dF/F and events against the truth."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.sample.traces import DFF_STEP, F_STEP, compute_dff, simulate_traces
from brainobs.sample.tuning import plant_tuning

DT = 0.03322


@pytest.fixture(scope="module")
def sim():
    rng = np.random.default_rng(11)
    t = plant_tuning(np.arange(12), rng)
    n_frames = 12000
    rates = np.tile(t.base_rate[:, None], (1, n_frames))
    rates[:, 3000:3060] += 25.0  # a burst every cell answers
    rates[:6, 6000:6060] += 25.0
    crosstalk = np.zeros((12, 12))
    crosstalk[0, 1] = 0.2
    return t, rates, simulate_traces(t, rates, crosstalk, DT, rng)


def test_traces_have_the_file_shapes_and_dtypes(sim):
    t, rates, tr = sim
    for trace in (tr.raw, tr.neuropil, tr.demixed, tr.dff):
        assert trace.shape == rates.shape and trace.dtype == np.float32
    assert tr.events.shape == rates.shape and tr.spikes.dtype == np.int16


def test_values_are_rounded_to_binary_fractions(sim):
    _, _, tr = sim
    assert np.array_equal(tr.demixed / F_STEP, np.round(tr.demixed / F_STEP))
    assert np.array_equal(tr.dff / DFF_STEP, np.round(tr.dff / DFF_STEP))


def test_file_r_estimates_the_true_contamination(sim):
    t, _, tr = sim
    assert np.abs(tr.r - t.r_true).max() < 0.12
    assert np.abs(tr.r - t.r_true).mean() < 0.05


def test_corrected_trace_recovers_the_somatic_baseline(sim):
    t, _, tr = sim
    corrected = tr.demixed - tr.r[:, None] * tr.neuropil
    quiet = np.median(corrected[:, 8000:], axis=1)
    assert np.allclose(quiet / t.f0, 1.0, atol=0.2)
    assert (tr.neuropil.mean(axis=1) > 0.4 * t.f0).all()


def test_raw_adds_crosstalk_only_where_rois_overlap(sim):
    _, _, tr = sim
    extra = tr.raw.astype(float) - tr.demixed
    assert np.abs(extra[2:]).max() == 0
    assert extra[0, 3000:3080].mean() > extra[0, 9000:].mean() + 5  # cell 1's burst leaks in


def test_dff_is_a_fraction_around_zero_with_transients_at_the_bursts(sim):
    _, _, tr = sim
    assert np.abs(np.median(tr.dff, axis=1)).max() < 0.05
    burst = tr.dff[:, 3000:3080].max(axis=1)
    assert (burst > 10 * tr.noise_sd).all()
    assert (tr.dff[:6, 6000:6080].max(axis=1) > tr.dff[6:, 6000:6080].max(axis=1).max()).all()


def test_events_fall_on_spike_frames_and_scale_with_spike_counts(sim):
    t, _, tr = sim
    assert not (tr.events[tr.spikes == 0]).any()
    hit = tr.events > 0
    ratio = tr.events[hit] / (tr.spikes[hit] * t.dff_per_spike[np.nonzero(hit)[0]])
    assert 0.6 < np.median(ratio) < 1.4
    assert hit.sum() > 0.5 * (tr.spikes > 1).sum()


def test_compute_dff_follows_a_slow_drift():
    x = np.linspace(100, 150, 20000)[None, :]
    assert np.abs(compute_dff(x)).max() < 0.01
