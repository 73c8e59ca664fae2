"""Figures drawn with the helpers display their description as alt text in a notebook."""

import base64
import html
import pickle
import re

import numpy as np
import pytest

from brainobs import plotting
from brainobs.plotting._display import figure_bundle, img_tag

IMG = re.compile(r'<img alt="([^"]*)"(?: style="[^"]*")? src="data:image/png;base64,([^"]+)"/>')


@pytest.fixture
def shell():
    """An IPython shell whose figure formats were just reset, as the inline backend does."""
    pytest.importorskip("IPython")
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})
    yield shell
    InteractiveShell.clear_instance()


def _speed_figure():
    return plotting.plot_running_speed(np.arange(300) / 30.0, np.linspace(0, 20, 300)).figure


def test_a_described_figure_displays_an_img_with_its_alt_text(shell):
    figure = _speed_figure()
    data, _ = shell.display_formatter.format(figure)
    alt = figure.brainobs_alt_text
    assert alt == "Running speed over 10 s."
    assert data["text/plain"] == alt
    match = IMG.fullmatch(data["text/html"])
    assert html.unescape(match[1]) == alt
    png = base64.b64decode(data["image/png"])
    assert base64.b64decode(match[2]) == png and png.startswith(b"\x89PNG")  # drawn once


def test_resetting_the_figure_formats_keeps_the_alt_text(shell):
    from IPython.core.pylabtools import select_figure_formats

    figure = _speed_figure()
    select_figure_formats(shell, {"retina"})  # e.g. %config InlineBackend.figure_formats
    data, _ = shell.display_formatter.format(figure)
    assert IMG.fullmatch(data["text/html"])[1] == "Running speed over 10 s."
    assert "width:" in data["text/html"]  # shown at half its pixel size, as the retina PNG


def test_svg_figures_are_left_as_they_are(shell):
    from IPython.core.pylabtools import select_figure_formats

    select_figure_formats(shell, {"svg"})
    data, _ = shell.display_formatter.format(_speed_figure())
    assert "image/svg+xml" in data and "text/html" not in data and "image/png" not in data


def test_other_figures_display_as_before(shell):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2])
    data, _ = shell.display_formatter.format(fig)
    assert "text/html" not in data and "image/png" in data
    assert data["text/plain"].startswith("<Figure size")


def test_descriptions_are_escaped_and_figures_still_pickle():
    figure = _speed_figure()
    figure.brainobs_alt_text = 'Speed "fast" & <slow>'
    bundle = figure_bundle(figure)
    assert html.unescape(IMG.fullmatch(bundle["text/html"])[1]) == 'Speed "fast" & <slow>'
    assert bundle["text/plain"] == 'Speed "fast" & <slow>'
    assert figure_bundle(figure, exclude={"text/html"}).keys() == {"image/png", "text/plain"}
    assert pickle.loads(pickle.dumps(figure)).brainobs_alt_text == 'Speed "fast" & <slow>'
    assert img_tag(b"x", "a", style="width:1px").startswith('<img alt="a" style="width:1px"')
