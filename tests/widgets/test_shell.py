"""Display: a widget view, the figure with its alt text, and text without ids or addresses."""

import base64
import html
import re

import pytest

pytest.importorskip("ipywidgets")

from brainobs.widgets import CellPicker, ExperimentPicker, StimulusViewer
from brainobs.widgets._figure import render_png
from brainobs.widgets._shell import in_kernel
from tests.widgets.conftest import experiment_of

RANDOM = re.compile(r"0x[0-9a-fA-F]+|\b[0-9a-f]{32}\b")


def test_bundle_has_the_widget_a_png_and_stable_text(vc):
    picker = ExperimentPicker(vc)
    bundle = picker._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == picker.widget.model_id and view["version_major"] == 2
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG") and png == picker.png
    alt = picker.alt_text
    assert alt.startswith("Grid of ") and "experiment containers" in alt
    assert bundle["text/plain"] == f"{repr(picker)}\n{alt}"
    image = re.fullmatch(r'<img alt="([^"]*)" src="data:image/png;base64,([^"]+)"/>',
                         bundle["text/html"])
    assert html.unescape(image[1]) == alt and base64.b64decode(image[2]) == png
    assert f'alt="{html.escape(alt, quote=True)}"' in picker._picture.value  # live view too
    assert not RANDOM.search(repr(picker)) and "SYNTHETIC SAMPLE" in repr(picker)
    assert repr(ExperimentPicker(vc)) == repr(picker)


def test_every_explorer_repr_is_stable(vc):
    experiment = experiment_of(vc, "three_session_B")
    for explorer in (CellPicker(experiment), StimulusViewer(experiment)):
        assert not RANDOM.search(repr(explorer))
        assert repr(explorer).startswith(type(explorer).__name__ + "(")


def test_png_is_the_figure_size():
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    figure = Figure(figsize=(4, 2), dpi=50)
    figure.add_subplot().imshow([[0.0, 0.5], [0.7, 1.0]])
    full = Image.open(io.BytesIO(render_png(figure)))
    assert full.size == (200, 100) and full.mode == "RGB"
    small = Image.open(io.BytesIO(render_png(figure, palette=True)))
    assert small.mode == "P" and small.size == (200, 100)


def test_a_failed_redraw_is_reported_in_the_status_line(vc):
    experiment = vc.experiment(vc.experiments().index[0])
    viewer = StimulusViewer(experiment)
    before = viewer.png, viewer._picture.value
    experiment.close()
    viewer.refresh()
    assert "Could not draw" in viewer._status.value and "closed" in viewer._status.value
    assert (viewer.png, viewer._picture.value) == before


def test_outside_a_kernel_show_draws_without_printing(vc, capsys):
    assert not in_kernel()
    ExperimentPicker(vc).show()
    assert capsys.readouterr().out == ""
