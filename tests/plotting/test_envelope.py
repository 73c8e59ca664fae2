"""Long traces are reduced to a min/max envelope per pixel column that keeps every extreme."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PolyCollection

from brainobs import plotting
from brainobs.plotting._envelope import interleave, minmax_envelope, pixel_columns

N = 100_000
TIMES = np.arange(N) / 30.0


def test_envelope_holds_the_extremes_of_every_run():
    rng = np.random.default_rng(1)
    traces = rng.normal(size=(3, N))
    times, low, high = minmax_envelope(TIMES, traces, 700)
    step = int(np.ceil(N / 700))
    for k in (0, 123, len(times) - 1):
        run = traces[:, k * step : (k + 1) * step]
        assert np.array_equal(low[:, k], run.min(axis=1))
        assert np.array_equal(high[:, k], run.max(axis=1))
        assert times[k] == TIMES[k * step]
    assert low.min() == traces.min() and high.max() == traces.max()
    assert low.shape[1] <= 701


def test_short_traces_are_not_reduced():
    assert minmax_envelope(TIMES[:1000], np.zeros((2, 1000)), 700) is None


def test_envelope_skips_nan_but_keeps_all_nan_runs_empty():
    trace = np.arange(20.0)
    trace[:10] = np.nan
    trace[12] = np.nan
    _, low, high = minmax_envelope(np.arange(20.0), trace[None], 2)
    assert np.isnan(low[0, 0]) and np.isnan(high[0, 0])
    assert (low[0, 1], high[0, 1]) == (10.0, 19.0)


def test_interleave_alternates_minimum_and_maximum():
    x, y = interleave(np.array([0.0, 1.0]), np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]]))
    assert x.tolist() == [0.0, 0.0, 1.0, 1.0] and y.tolist() == [[1.0, 3.0, 2.0, 4.0]]


def test_long_traces_are_filled_bands_that_reach_every_peak():
    traces = np.zeros((4, N))
    traces[2, 54_321] = 5.0  # one transient on one frame of cell 2
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    plotting.plot_traces(TIMES, traces, spacing=1.0, ax=ax)
    (bands,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    paths = bands.get_paths()
    assert len(paths) == 4
    assert all(len(p.vertices) <= 2 * (pixel_columns(ax) + 2) + 1 for p in paths)
    assert paths[2].vertices[:, 1].max() == pytest.approx(2.0 + 5.0, abs=0.05)
    assert paths[1].vertices[:, 1].max() == pytest.approx(1.0, abs=0.05)
    assert ax.get_xlim() == (TIMES[0], TIMES[-1])


def test_long_traces_with_gaps_are_drawn_as_lines():
    traces = np.ones((2, N))
    traces[1, :5000] = np.nan
    ax = plotting.plot_traces(TIMES, traces, spacing=3.0)
    (line,) = ax.get_lines()
    assert np.isnan(line.get_ydata()).any() and np.nanmax(line.get_ydata()) == 4.0


def test_long_running_speed_keeps_its_maximum():
    speed = np.abs(np.sin(TIMES))
    speed[77_777] = 60.0
    ax = plotting.plot_running_speed(TIMES, speed)
    (line,) = ax.get_lines()
    assert len(line.get_xdata()) < 2000 and np.nanmax(line.get_ydata()) == 60.0
