"""The trace explorer shows the file's dF/F for the chosen rows and window; it redraws on change."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
from matplotlib.collections import PolyCollection

from brainobs.errors import InvalidChoiceError
from brainobs.widgets import ExperimentPicker, TraceExplorer
from tests.widgets.conftest import experiment_of


@pytest.fixture(scope="module")
def experiment(vc):
    return experiment_of(vc, "three_session_B")


def _top(explorer):
    return explorer._figure.axes[0]


def _n_traces(ax):
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    return len(ax.get_lines()) + sum(len(b.get_paths()) for b in bands)


def test_short_window_shows_the_traces_of_the_file(experiment):
    t0 = experiment.get_fluorescence_timestamps()[0]
    explorer = TraceExplorer(experiment, cells=(2, 4), window=(t0 + 10, t0 + 40))
    times, dff = experiment.get_dff(experiment.cell_specimen_ids[2:5], start=t0 + 10,
                                    stop=t0 + 40)
    lines = _top(explorer).get_lines()
    assert len(lines) == 3
    spacing = lines[1].get_ydata()[0] - dff[1, 0]
    for row, line in enumerate(lines):
        assert np.array_equal(line.get_xdata(), times)
        assert np.allclose(line.get_ydata() - row * spacing, dff[row])
    labels = [t.get_text() for t in _top(explorer).get_yticklabels()]
    assert labels == [str(c) for c in experiment.cell_specimen_ids[2:5]]
    assert "synthetic sample" in [t.get_text() for t in _top(explorer).texts]


def test_sliders_redraw_with_epochs_and_running_speed(experiment):
    explorer = TraceExplorer(experiment)
    first_png = explorer.png
    before = list(explorer._figure.axes)
    t = experiment.get_fluorescence_timestamps()
    explorer.sliders["window"].value = (float(np.floor(t[0])), float(np.ceil(t[-1])))
    top, bottom = explorer._figure.axes
    assert [top, bottom] == before  # the same Axes, redrawn
    assert top.get_xlim() == pytest.approx((t[0], t[-1]), abs=0.05)
    epochs = experiment.get_stimulus_epoch_table()
    assert len(top.patches) == len(epochs)  # every epoch shaded in the whole session
    assert bottom.get_ylabel() == "running speed (cm/s)"
    assert explorer.png != first_png and explorer.redraw_seconds > 0
    assert len(bottom.get_lines()) == 1 and top.get_legend() is not None
    explorer.sliders["cells"].value = (0, 29)
    (bands,) = [c for c in top.collections if isinstance(c, PolyCollection)]
    assert len(bands.get_paths()) == 30
    assert len(top.patches) == len(epochs) and len(bottom.get_lines()) == 1


def test_rows_keep_their_spacing_when_the_window_moves(experiment):
    from brainobs.plotting.traces import _default_spacing

    ids = experiment.cell_specimen_ids[:3]
    spacing = _default_spacing(experiment.get_dff(ids).data)  # from the whole traces
    t0 = experiment.get_fluorescence_timestamps()[0]
    explorer = TraceExplorer(experiment, cells=(0, 2), window=(t0, t0 + 60))
    for start in (t0 + 300, t0 + 10):
        explorer.sliders["window"].value = (start, start + 30)
        times, dff = experiment.get_dff(ids, start=start, stop=start + 30)
        lines = _top(explorer).get_lines()
        assert len(lines) == 3 and np.array_equal(lines[0].get_xdata(), times)
        for row, line in enumerate(lines):
            assert np.allclose(line.get_ydata(), dff[row] + row * spacing, atol=1e-6)
        assert _top(explorer).get_ylabel() == f"dF/F (rows offset by {spacing:.2g})"


def test_long_window_keeps_every_peak(experiment):
    n = experiment.number_of_cells
    t = experiment.get_fluorescence_timestamps()
    explorer = TraceExplorer(experiment, cells=(0, n - 1),
                             window=(float(np.floor(t[0])), float(np.ceil(t[-1]))))
    (bands,) = [c for c in _top(explorer).collections if isinstance(c, PolyCollection)]
    _, dff = experiment.get_dff()
    tops = np.array([p.vertices[:, 1].max() for p in bands.get_paths()])
    excess = tops - dff.max(axis=1)  # row offset + half a pixel, if every peak is drawn
    assert np.diff(excess) == pytest.approx(np.full(n - 1, excess[1] - excess[0]), abs=1e-4)
    ax = _top(explorer)
    pixel = np.ptp(ax.get_ylim()) / ax.get_window_extent().height
    assert 0 < excess[0] <= 0.6 * pixel


def test_static_figure_is_drawn_by_the_same_code(experiment):
    explorer = TraceExplorer(experiment, cells=(0, 4))
    fig = explorer.static(cells=(0, 1))
    top, bottom = fig.axes
    assert _n_traces(top) == 2 and bottom.get_lines()
    assert explorer.state()["cells"] == (0, 4)  # static() does not move the sliders
    with pytest.raises(InvalidChoiceError, match=r"0 <= first <= last <= "):
        explorer.static(cells=(3, 999))
    with pytest.raises(InvalidChoiceError, match=r"Unknown choice of TraceExplorer 'cell'"):
        explorer.static(cell=(0, 1))


def test_follows_the_picker_to_another_session(vc):
    picker = ExperimentPicker(vc, targeted_structure="VISp", session_type="three_session_B",
                              figure=False)
    explorer = TraceExplorer(picker, cells=(0, 2))
    picker.select(session_type="three_session_A")
    experiment = picker.experiment
    t = experiment.get_fluorescence_timestamps()
    assert explorer.sliders["window"].max == np.ceil(t[-1])
    assert explorer.sliders["cells"].max == experiment.number_of_cells - 1
    assert "three_session_A" in _top(explorer).get_title() and "three_session_A" in repr(explorer)


def test_explorer_made_from_the_dataset_embeds_a_picker(vc):
    explorer = TraceExplorer(vc)
    assert explorer.source.picker.widget in explorer.widget.children
    assert explorer.source.experiment.ophys_experiment_id == explorer.source.picker.experiment_id


def test_the_experiment_is_read_once(experiment):
    explorer = TraceExplorer(experiment, cells=(0, 9))
    held = explorer._rows
    assert held[1:3] == (0, experiment.number_of_cells)  # every cell, at the first show
    explorer.sliders["cells"].value = (8, 12)
    t = experiment.get_fluorescence_timestamps()
    explorer.sliders["window"].value = (float(t[100]), float(t[900]))
    assert explorer._rows is held  # nothing read again
    x, y = explorer._read(experiment, np.arange(2, 6), t[10], t[310])
    _, dff = experiment.get_dff(experiment.cell_specimen_ids[2:6])
    assert np.array_equal(y, dff[:, 10:310]) and np.array_equal(x, t[10:310])


def test_large_experiments_are_read_by_range_of_rows(experiment, monkeypatch):
    from brainobs.widgets import traces

    monkeypatch.setattr(traces, "MAX_HELD_BYTES", 0)
    explorer = TraceExplorer(experiment, cells=(0, 9))
    held = explorer._rows
    explorer.sliders["cells"].value = (2, 5)  # inside the rows read: nothing read again
    assert explorer._rows is held and held[1:3] == (0, 10)
    explorer.sliders["cells"].value = (8, 12)
    assert explorer._rows[1:3] == (8, 13)
    _, dff = experiment.get_dff(experiment.cell_specimen_ids[8:13])
    _, y = explorer._read(experiment, np.arange(9, 12), -np.inf, np.inf)
    assert np.array_equal(y, dff[1:4])
