"""Tuning curves, condition heatmaps and preferred-condition histograms show the numbers given."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from brainobs import plotting
from brainobs.errors import InvalidChoiceError

DIRECTIONS = np.arange(0, 360, 45.0)
MEAN = np.array([1.0, 2, 9, 3, 1, 1, 4, 1])
SEM = np.linspace(0.1, 0.8, 8)


def test_linear_curve_has_mean_error_bars_and_every_trial():
    trials = [np.full(k + 1, m) + 0.5 for k, m in enumerate(MEAN)]
    ax = plotting.plot_tuning_curve(DIRECTIONS, MEAN, SEM, trials=trials, kind="direction")
    curve = ax.get_lines()[0]
    assert np.array_equal(curve.get_xdata(), DIRECTIONS)
    assert np.array_equal(curve.get_ydata(), MEAN)
    bars = next(c for c in ax.collections if c.get_segments() and len(c.get_segments()) == 8)
    lengths = [seg[1][1] - seg[0][1] for seg in bars.get_segments()]
    assert lengths == pytest.approx(2 * SEM)
    dots = ax.collections[-1].get_offsets()
    assert len(dots) == sum(range(1, 9))
    assert sorted(dots[:, 1]) == pytest.approx(sorted(np.concatenate(trials)))
    assert ax.get_xlabel() == "direction (°)" and ax.get_ylabel() == "mean response (% dF/F)"


def test_trial_dots_stay_close_to_their_condition():
    trials = [np.arange(10.0)] * 8
    ax = plotting.plot_tuning_curve(DIRECTIONS, MEAN, SEM, trials=trials)
    x = ax.collections[-1].get_offsets()[:, 0]
    assert np.abs(x - np.repeat(DIRECTIONS, 10)).max() <= 45 * 0.15


def test_frequencies_get_a_log_axis_and_blank_a_reference_line():
    ax = plotting.plot_tuning_curve([1, 2, 4, 8, 15], [1, 3, 5, 2, 1], [0.1] * 5,
                                    kind="temporal_frequency", blank=(0.7, 0.2))
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "temporal frequency (Hz)"
    blank = [line for line in ax.get_lines() if line.get_label() == "blank"][0]
    assert blank.get_ydata()[0] == 0.7
    ax = plotting.plot_tuning_curve([0.02, 0.04, 0.08], [1, 2, 3], kind="spatial_frequency")
    assert ax.get_xlabel() == "spatial frequency (cycles/deg)"


def test_polar_curve_is_closed_and_in_radians():
    ax = plotting.plot_tuning_curve(DIRECTIONS, MEAN, SEM, polar=True)
    line = ax.get_lines()[0]
    assert ax.name == "polar"
    assert np.allclose(line.get_xdata(), np.deg2rad([*DIRECTIONS, 0.0]))
    assert np.array_equal(line.get_ydata(), [*MEAN, MEAN[0]])
    assert "largest at 90" in ax.figure.brainobs_alt_text


def test_polar_needs_a_polar_axes():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="projection='polar'"):
        plotting.plot_tuning_curve(DIRECTIONS, MEAN, polar=True, ax=ax)


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(InvalidChoiceError, match="Did you mean 'direction'"):
        plotting.plot_tuning_curve(DIRECTIONS, MEAN, kind="directions")


def test_many_conditions_get_a_band():
    images = np.arange(118.0)
    ax = plotting.plot_tuning_curve(images, np.sin(images), np.full(118, 0.1), kind="image")
    assert len(ax.get_lines()[0].get_xdata()) == 118 and ax.collections


def test_heatmap_normalises_and_sorts_rows_by_preferred_condition():
    responses = np.array([[0.0, 1, 4], [6, 3, 0], [1, 2, 1.0]])
    ax = plotting.plot_condition_heatmap(responses, conditions=[0, 45, 90], cells=[7, 8, 9],
                                         kind="direction", normalize=True, sort=True)
    shown = np.asarray(ax.images[0].get_array())
    assert np.allclose(shown, [[1, 0.5, 0], [0.5, 1, 0.5], [0, 0.25, 1]])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["8", "9", "7"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "45", "90"]
    assert ax.images[0].get_cmap().name == "cividis"


def test_heatmap_of_signed_responses_is_centred_on_zero():
    ax = plotting.plot_condition_heatmap(np.array([[-2.0, 1.0]]), unit="% dF/F")
    assert ax.images[0].get_clim() == (-2.0, 2.0)
    colorbar = ax.figure.axes[-1]
    assert colorbar.get_ylabel() == "mean response (% dF/F)"


def test_preferred_histogram_counts_every_condition():
    ax = plotting.plot_preferred_histogram([90, 90, 0, np.nan, 315], values=DIRECTIONS)
    assert [p.get_height() for p in ax.patches] == [1, 0, 2, 0, 0, 0, 0, 1]
    assert ax.get_xlabel() == "preferred direction (°)" and ax.get_ylabel() == "cells"
    assert "over 4 cells; most prefer 90" in ax.figure.brainobs_alt_text
