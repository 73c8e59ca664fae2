"""The stimulus viewer shows the template frame asked for, or the grating of a trial."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from brainobs import stimuli as st
from brainobs.errors import InvalidChoiceError
from brainobs.widgets import StimulusViewer
from brainobs.widgets._figure import shown_axes
from tests.widgets.conftest import experiment_of


@pytest.fixture(scope="module")
def session_b(vc):
    return experiment_of(vc, "three_session_B")


def _ax(viewer):
    (ax,) = shown_axes(viewer._figure)
    return ax


def test_scenes_by_template_index(session_b):
    viewer = StimulusViewer(session_b, stimulus="natural_scenes", index=5)
    assert np.array_equal(_ax(viewer).images[0].get_array(),
                          session_b.get_stimulus_template("natural_scenes", frames=5))
    assert viewer.index_slider.max == session_b.get_stimulus_template_info(
        "natural_scenes")["shape"][0] - 1
    ax = _ax(viewer)
    viewer.index_slider.value = 6  # redrawn on the same Axes, with the new frame only
    assert _ax(viewer) is ax and len(ax.images) == 1
    assert ax.get_title() == "natural scene 6"
    assert np.array_equal(ax.images[0].get_array(),
                          session_b.get_stimulus_template("natural_scenes", frames=6))


def test_gratings_by_trial(session_b):
    viewer = StimulusViewer(session_b, stimulus="static_gratings")
    table = session_b.get_stimulus_table("static_gratings")
    assert viewer.index_slider.max == len(table) - 1
    row = table.iloc[0]
    assert _ax(viewer).get_title().startswith(
        f"orientation {row.orientation:g}°, {row.spatial_frequency:g} cycles/deg, "
        f"phase {row.phase:g}")
    blank = int(np.flatnonzero(table.orientation.isna())[0])
    viewer.index_slider.value = blank
    assert _ax(viewer).get_title().startswith("blank")


def test_noise_frames_colour_their_patches(vc):
    experiment = experiment_of(vc, "three_session_C2")
    viewer = StimulusViewer(experiment, stimulus=st.LOCALLY_SPARSE_NOISE_8DEG, index=3)
    frame = experiment.get_stimulus_template(st.LOCALLY_SPARSE_NOISE_8DEG, frames=3)
    assert f"{int((frame == st.LSN_ON).sum())} ON and" in viewer.alt_text
    assert _ax(viewer).get_xlabel() == "azimuth (°)"


def test_switching_stimulus_keeps_the_index_in_range(session_b):
    viewer = StimulusViewer(session_b, stimulus="static_gratings", index=700)
    grating_ax = _ax(viewer)
    viewer.stimulus_dropdown.value = "natural_scenes"
    assert viewer.index_slider.value == viewer.index_slider.max == 117
    assert _ax(viewer) is not grating_ax and not grating_ax.get_visible()
    assert _ax(viewer).get_title() == "natural scene 117"
    with pytest.raises(InvalidChoiceError, match=r"index 118 is out of range.*0 to 117"):
        viewer.static(index=118)
    with pytest.raises(InvalidChoiceError, match="stimulus with images"):
        StimulusViewer(session_b, stimulus="drifting_gratings")
