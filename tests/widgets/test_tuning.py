"""The tuning explorer shows one cell's responses exactly as brainobs.analysis computes them."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from brainobs.errors import InvalidChoiceError, MissingStimulusError
from brainobs.plotting import cell_tuning
from brainobs.widgets import CellPicker, ExperimentPicker, TuningExplorer
from brainobs.widgets._figure import shown_axes
from tests.widgets.conftest import experiment_of


@pytest.fixture(scope="module")
def session_a(vc):
    return experiment_of(vc, "three_session_A")


def test_drifting_gratings_match_the_analysis_of_every_cell(session_a):
    from brainobs.analysis import analyze_stimulus

    cell = int(session_a.cell_specimen_ids[5])
    explorer = TuningExplorer(session_a, stimulus="drifting_gratings", cell_specimen_id=cell)
    shown = explorer.responses(cell, "drifting_gratings")
    every = cell_tuning(analyze_stimulus(session_a, "drifting_gratings"), cell)
    assert np.allclose(shown.tuning.mean, every.mean) and np.allclose(shown.tuning.sem, every.sem)
    assert shown.tuning.preferred == every.preferred
    polar, raster, sketch, _ = shown_axes(explorer._figure)  # and the raster's colour bar
    assert polar.name == "polar"
    assert np.allclose(polar.get_lines()[0].get_ydata()[:-1], every.mean)
    table = session_a.get_stimulus_table("drifting_gratings")
    n_pref = np.sum(np.isclose(table.orientation, every.preferred["direction"])
                    & np.isclose(table.temporal_frequency, every.preferred["temporal_frequency"]))
    assert raster.images[0].get_array().shape == (n_pref, 120)  # 1 s + 2 s + 1 s at 30 Hz
    assert [line.get_xdata()[0] for line in raster.get_lines()] == pytest.approx([0.0, 60 / 30.0],
                                                                                 rel=0.01)
    assert sketch.get_title().startswith(f"direction {every.preferred['direction']:g}°")


def test_every_stimulus_of_the_session_can_be_shown(session_a):
    explorer = TuningExplorer(session_a)
    options = [v for _, v in explorer.dropdowns["stimulus"].options]
    assert options == ["drifting_gratings", "natural_movie_one", "natural_movie_three"]
    polar = shown_axes(explorer._figure)[0]
    explorer.dropdowns["stimulus"].value = "natural_movie_one"
    average, raster, frame = shown_axes(explorer._figure)[:3]
    assert not polar.get_visible()
    repeats = (session_a.get_stimulus_table("natural_movie_one").frame == 0).sum()
    assert raster.images[0].get_array().shape[0] == repeats
    assert raster.get_ylabel() == "repeat" and average.get_ylabel() == "response (dF/F)"
    assert frame.get_title().startswith("movie frame")
    assert explorer._status.value == ""
    explorer.dropdowns["stimulus"].value = "drifting_gratings"  # back: the same Axes again
    assert shown_axes(explorer._figure)[0] is polar and polar.name == "polar"
    assert len(shown_axes(explorer._figure)) == 4  # 3 panels and one colour bar


def test_a_change_of_cell_redraws_the_same_axes_with_its_responses(session_a):
    first, second = (int(c) for c in session_a.cell_specimen_ids[2:4])
    explorer = TuningExplorer(session_a, stimulus="drifting_gratings", cell_specimen_id=first)
    polar, raster, sketch, colorbar = shown_axes(explorer._figure)
    explorer.dropdowns["cell_specimen_id"].value = second
    now = shown_axes(explorer._figure)
    assert now == [polar, raster, sketch, colorbar]  # the colour bar too, updated
    shown = explorer.responses(second, "drifting_gratings")
    assert len(raster.images) == 1
    assert np.allclose(raster.images[0].get_array(), shown.raster, equal_nan=True)
    assert colorbar.get_ylim() == pytest.approx(raster.images[0].get_clim())
    assert np.allclose(polar.get_lines()[0].get_ydata()[:-1], shown.tuning.mean)
    assert f"cell {second}" in explorer._figure.texts[0].get_text()
    assert explorer.alt_text.count("Tuning curve") == 1  # described anew, not appended


def test_sparse_noise_shows_on_and_off_maps(vc):
    experiment = experiment_of(vc, "three_session_C")
    explorer = TuningExplorer(experiment, stimulus="locally_sparse_noise")
    on, off, raster = shown_axes(explorer._figure)[:3]
    assert on.images[0].get_array().shape == (16, 28) and on.get_title().startswith("ON")
    assert off.get_title().startswith("OFF") and raster.images


def test_static_gratings_and_scenes(vc):
    experiment = experiment_of(vc, "three_session_B")
    explorer = TuningExplorer(experiment, stimulus="static_gratings")
    curve = shown_axes(explorer._figure)[0]
    assert curve.get_xlabel() == "orientation (°)"
    fig = explorer.static(stimulus="natural_scenes")
    scene = fig.axes[2]  # tuning, raster, stimulus (then the colour bar)
    cell = explorer.state()["cell_specimen_id"]
    best = int(explorer.responses(cell, "natural_scenes").tuning.preferred["image"])
    assert np.array_equal(scene.images[0].get_array(),
                          experiment.get_stimulus_template("natural_scenes", frames=best))
    assert explorer.state()["stimulus"] == "static_gratings"


def test_follows_the_cell_picker(vc):
    picker = ExperimentPicker(vc, targeted_structure="VISp", session_type="three_session_B",
                              figure=False)
    cells = CellPicker(picker, figure=False)
    explorer = TuningExplorer(cells)
    assert explorer.dropdowns["cell_specimen_id"] not in explorer.widget.children[0].children
    other = int(picker.experiment.cell_specimen_ids[7])
    cells.dropdown.value = other
    assert explorer.state()["cell_specimen_id"] == other
    assert f"cell {other}" in explorer._figure.texts[0].get_text()
    picker.select(session_type="three_session_A")
    assert explorer.state()["stimulus"] == "drifting_gratings"


def test_a_stimulus_of_another_session_is_explained(session_a):
    with pytest.raises(MissingStimulusError, match="three_session_B"):
        TuningExplorer(session_a, stimulus="natural_scenes")
    explorer = TuningExplorer(session_a)
    with pytest.raises(InvalidChoiceError, match="stimulus"):
        explorer.static(stimulus="natural_scenes")
