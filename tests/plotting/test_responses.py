"""Rasters and trial averages are aligned to stimulus onset, which is marked."""

import numpy as np
import pytest

from brainobs import plotting

TIME = np.arange(-30, 90) / 30.0


def test_raster_rows_are_trials_on_the_time_axis():
    trials = np.arange(5 * 120, dtype=float).reshape(5, 120)
    ax = plotting.plot_response_raster(TIME, trials, offset=2.0)
    image = ax.images[0]
    assert np.array_equal(image.get_array(), trials)
    left, right, bottom, top = image.get_extent()
    assert left == pytest.approx(-1 - 1 / 60) and right == pytest.approx(TIME[-1] + 1 / 60)
    assert (bottom, top) == (5.5, 0.5)  # trial 1 at the top
    onset, offset = [line.get_xdata()[0] for line in ax.get_lines()]
    assert (onset, offset) == (0.0, 2.0)
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert ax.get_xlabel() == "time from stimulus onset (s)" and ax.get_ylabel() == "trial"


def test_raster_without_onset_marks_nothing():
    ax = plotting.plot_response_raster(TIME, np.zeros((3, 120)), onset=None)
    assert not ax.get_lines()


def test_trial_average_is_the_mean_with_its_sem():
    rng = np.random.default_rng(3)
    trials = rng.normal(size=(12, 120))
    trials[0, 5] = np.nan
    ax = plotting.plot_trial_average(TIME, trials, unit="dF/F")
    mean_line = next(line for line in ax.get_lines() if line.get_label().startswith("mean"))
    assert np.allclose(mean_line.get_ydata(), np.nanmean(trials, axis=0))
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    sem = np.nanstd(trials[:, 40], ddof=1) / np.sqrt(12)
    assert band.max() >= np.nanmean(trials, axis=0).max()
    assert np.isclose(band, np.nanmean(trials[:, 40]) + sem).any()
    assert ax.get_ylabel() == "response (dF/F)"
    assert len(ax.get_lines()) == 12 + 1 + 1  # trials, mean, onset
