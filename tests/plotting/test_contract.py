"""Every plotting helper draws on the Axes it is given, returns it, and marks sample data."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from brainobs import plotting
from brainobs.plotting._base import SYNTHETIC_MARK_GID

T = np.arange(600) / 30.0
RNG = np.random.default_rng(0)
MASKS = np.zeros((3, 64, 64), bool)
for k in range(3):
    MASKS[k, 10 + 15 * k : 18 + 15 * k, 20:28] = True

HELPERS = {
    "max_projection": lambda **kw: plotting.plot_max_projection(
        RNG.random((64, 64)), MASKS, highlight=[1], **kw
    ),
    "traces": lambda **kw: plotting.plot_traces(T, RNG.random((4, 600)), labels=list("abcd"), **kw),
    "running": lambda **kw: plotting.plot_running_speed(T, np.abs(np.sin(T)) * 10, **kw),
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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
