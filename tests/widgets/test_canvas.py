"""The explorers' canvas rasterises each text once and draws figures as plain Agg does."""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from brainobs.widgets._canvas import TextCachingCanvas


def _figure() -> Figure:
    fig = Figure(figsize=(5, 3), dpi=90)
    ax = fig.add_subplot()
    ax.plot([0, 1000], [0, 2])
    ax.set_title("dF/F of 10 cells, experiment 920010001 (175 µm)", fontsize=8)
    ax.set_ylabel("dF/F (rows offset by 0.13)")
    ax.set_xlabel("time (s)")
    ax.text(0.5, 0.5, "rotated", rotation=30, color="#D55E00", alpha=0.5,
            transform=ax.transAxes)
    ax.legend(["natural_scenes"], fontsize=7)
    return fig


def _pixels(canvas) -> np.ndarray:
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).astype(int)


def test_cached_texts_look_like_plain_agg_texts():
    plain = _pixels(FigureCanvasAgg(_figure()))
    canvas = TextCachingCanvas(_figure())
    first, again = _pixels(canvas), _pixels(canvas)
    assert np.array_equal(first, again)  # drawn from the bitmaps the second time
    difference = np.abs(first - plain).max(axis=2)
    assert difference.mean() < 3.0  # positions rounded to whole pixels, nothing else
    ink = lambda image: (765 - image[..., :3].sum(axis=2)).sum()  # noqa: E731
    assert abs(ink(first) - ink(plain)) < 0.01 * ink(plain)  # as much ink, as dark
    assert plain.shape == first.shape


def test_each_text_is_rasterised_once_per_font_and_size():
    fig = _figure()
    canvas = TextCachingCanvas(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    known = len(renderer.text_bitmaps)
    texts = {key[0] for key in renderer.text_bitmaps}
    assert {"time (s)", "natural_scenes", "rotated"} <= texts
    canvas.draw()
    assert len(renderer.text_bitmaps) == known
    fig.axes[0].set_xlabel("time (min)")
    canvas.draw()
    assert len(renderer.text_bitmaps) == known + 1


def test_a_new_size_gets_a_new_renderer():
    fig = _figure()
    canvas = TextCachingCanvas(fig)
    canvas.draw()
    fig.set_size_inches(6, 3)
    canvas.draw()
    assert canvas.get_renderer().width == 6 * 90
