"""Every plotting helper draws on the Axes it is given, returns it, and marks sample data."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from brainobs import plotting
from brainobs.plotting._base import SYNTHETIC_MARK_GID

T = np.arange(600) / 30.0
RNG = np.random.default_rng(0)
MASKS = np.zeros((3, 64, 64), bool)
for k in range(3):
    MASKS[k, 10 + 15 * k : 18 + 15 * k, 20:28] = True
DIRECTIONS = np.arange(0, 360, 45.0)
NOISE = np.full((16, 28), 127)
NOISE[3, 4], NOISE[9, 20] = 255, 0
CONTAINERS = pd.DataFrame(
    {"cre_line": ["A", "A", "B"], "targeted_structure": ["VISp", "VISl", "VISp"]}
)


def _scene_result():
    """A natural-scenes analysis of 3 random cells (5 images and the blank, 10 trials each)."""
    from brainobs.analysis import analyze_natural_scenes

    starts = 40 + 7 * np.arange(60)
    table = pd.DataFrame({"frame": np.tile(np.arange(-1, 5), 10), "start": starts,
                          "end": starts + 7})
    traces = 100 + RNG.random((3, 600))
    return analyze_natural_scenes(table, traces, np.zeros(600), 30.0, np.array([11, 12, 13]))


RESULT = _scene_result()

HELPERS = {
    "max_projection": lambda **kw: plotting.plot_max_projection(
        RNG.random((64, 64)), MASKS, highlight=[1], **kw
    ),
    "traces": lambda **kw: plotting.plot_traces(T, RNG.random((4, 600)), labels=list("abcd"), **kw),
    "running": lambda **kw: plotting.plot_running_speed(T, np.abs(np.sin(T)) * 10, **kw),
    "natural_scene": lambda **kw: plotting.plot_natural_scene(RNG.random((30, 40)) * 255, **kw),
    "movie_frame": lambda **kw: plotting.plot_movie_frame(RNG.random((20, 40)) * 255, **kw),
    "sparse_noise": lambda **kw: plotting.plot_sparse_noise_frame(NOISE, **kw),
    "grating": lambda **kw: plotting.plot_grating(30.0, spatial_frequency=0.08, **kw),
    "tuning_curve": lambda **kw: plotting.plot_tuning_curve(
        DIRECTIONS, np.arange(8.0), np.ones(8), **kw
    ),
    "condition_heatmap": lambda **kw: plotting.plot_condition_heatmap(RNG.random((5, 8)), **kw),
    "preferred_histogram": lambda **kw: plotting.plot_preferred_histogram([0, 90, 90], **kw),
    "receptive_field": lambda **kw: plotting.plot_receptive_field(RNG.random((16, 28)), **kw),
    "response_raster": lambda **kw: plotting.plot_response_raster(
        T[:60] - 1, RNG.random((10, 60)), **kw
    ),
    "trial_average": lambda **kw: plotting.plot_trial_average(T[:60], RNG.random((10, 60)), **kw),
    "container_counts": lambda **kw: plotting.plot_container_counts(CONTAINERS, **kw),
    "result_tuning": lambda **kw: plotting.plot_result_tuning(RESULT, 12, **kw),
    "result_heatmap": lambda **kw: plotting.plot_result_heatmap(RESULT, **kw),
    "result_preferred": lambda **kw: plotting.plot_result_preferred(RESULT, **kw),
}

#: Helpers with a ``color`` keyword, and where that colour shows.
COLORED = {
    "traces": lambda ax: ax.get_lines()[0].get_color(),
    "running": lambda ax: ax.get_lines()[0].get_color(),
    "tuning_curve": lambda ax: ax.get_lines()[0].get_color(),
    "preferred_histogram": lambda ax: ax.patches[0].get_facecolor(),
    "result_tuning": lambda ax: ax.get_lines()[0].get_color(),
    "result_preferred": lambda ax: ax.patches[0].get_facecolor(),
    "trial_average": lambda ax: next(
        line.get_color() for line in ax.get_lines() if line.get_label().startswith("mean")
    ),
}

EMPTY = {
    "traces": lambda ax: plotting.plot_traces(np.array([]), np.zeros((0, 0)), ax=ax),
    "running": lambda ax: plotting.plot_running_speed(np.array([]), np.array([]), ax=ax),
    "tuning_curve": lambda ax: plotting.plot_tuning_curve([], [], ax=ax),
    "condition_heatmap": lambda ax: plotting.plot_condition_heatmap(np.zeros((0, 0)), ax=ax),
    "preferred_histogram": lambda ax: plotting.plot_preferred_histogram([np.nan], ax=ax),
    "receptive_field": lambda ax: plotting.plot_receptive_field(np.zeros((0, 0)), ax=ax),
    "response_raster": lambda ax: plotting.plot_response_raster([], np.zeros((0, 0)), ax=ax),
    "trial_average": lambda ax: plotting.plot_trial_average([], np.zeros((0, 0)), ax=ax),
    "container_counts": lambda ax: plotting.plot_container_counts(CONTAINERS.iloc[:0], ax=ax),
}


@pytest.mark.parametrize("name", HELPERS)
def test_draws_on_given_axes_and_returns_it(name):
    fig, ax = plt.subplots()
    assert HELPERS[name](ax=ax) is ax
    assert plt.get_fignums() == [fig.number]
    assert ax.has_data() or ax.images


@pytest.mark.parametrize("name", HELPERS)
def test_new_figure_when_no_axes(name):
    ax = HELPERS[name]()
    assert len(plt.get_fignums()) == 1 and ax.figure.brainobs_alt_text


@pytest.mark.parametrize("name", HELPERS)
def test_synthetic_mark_only_for_sample_data(name):
    marked = HELPERS[name](synthetic=True)
    plain = HELPERS[name](synthetic=False)
    assert [t.get_gid() for t in marked.texts].count(SYNTHETIC_MARK_GID) == 1
    assert SYNTHETIC_MARK_GID not in [t.get_gid() for t in plain.texts]


@pytest.mark.parametrize("name", HELPERS)
def test_axes_are_labelled_or_hidden(name):
    ax = HELPERS[name]()
    labelled = ax.get_xlabel() and (ax.get_ylabel() or ax.name == "polar")
    assert labelled or not ax.axison


@pytest.mark.parametrize("name", COLORED)
def test_color_is_respected(name):
    ax = HELPERS[name](color="#CC79A7")
    assert to_rgba(COLORED[name](ax)) == to_rgba("#CC79A7")


@pytest.mark.parametrize("name", EMPTY)
def test_empty_data_returns_the_axes(name):
    _, ax = plt.subplots()
    assert EMPTY[name](ax) is ax


def test_traces_are_offset_and_epochs_shaded():
    epochs = pd.DataFrame(
        {"stimulus": ["natural_scenes", "spontaneous"], "start": [0, 300], "end": [299, 599]}
    )
    traces = np.zeros((3, 600))
    ax = plotting.plot_traces(T, traces, spacing=2.0, epochs=epochs)
    offsets = [line.get_ydata()[0] for line in ax.get_lines()]
    assert offsets == [0.0, 2.0, 4.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["natural_scenes", "spontaneous"]
    assert ax.get_xlabel() == "time (s)"


def test_running_speed_axis_has_units():
    ax = plotting.plot_running_speed(T, np.ones_like(T))
    assert ax.get_ylabel() == "running speed (cm/s)"


def test_epochs_of_a_window_are_shifted_and_clipped():
    epochs = pd.DataFrame(
        {"stimulus": ["spontaneous", "natural_scenes"], "start": [0, 1000], "end": [900, 2000]}
    )
    window = T[:300]  # frames 1200-1499 of the session
    ax = plotting.plot_traces(window, np.zeros((1, 300)), epochs=epochs, first_frame=1200)
    spans = [p for p in ax.patches]
    assert len(spans) == 1  # the spontaneous epoch ends before the window
    span = spans[0].get_path().get_extents(spans[0].get_patch_transform())
    assert span.x0 == pytest.approx(window[0]) and span.x1 == pytest.approx(window[-1])

