"""The live figure of an explorer: Axes kept between redraws, and its PNG.

:func:`panels` gives a redraw the Axes of its layout, emptied (:func:`empty_axes`) rather
than made anew, since making Axes (their ticks above all) costs more than drawing them;
each layout's Axes are kept and those of the others hidden. :func:`keep_colorbar` does the
same for colour bars. :func:`render_png` draws the figure with Agg and encodes it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["render_png", "empty_axes", "panels", "shown_axes", "keep_colorbar"]


def render_png(figure: Figure, *, palette: bool = False) -> bytes:
    """Draw ``figure`` with Agg and encode it as PNG (fast compression, no alpha).

    With ``palette``, the PNG has 256 colours: line plots look the same, the file is a
    third of the size and encodes twice as fast; images and colour bars would show bands.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> render_png(Figure(figsize=(1, 1)))[:4]
    b'\\x89PNG'
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else None
    canvas = canvas or FigureCanvasAgg(figure)
    canvas.draw()
    buffer = io.BytesIO()
    image = Image.fromarray(np.ascontiguousarray(np.asarray(canvas.buffer_rgba())[..., :3]))
    if palette:
        fast_octree = Image.Quantize.FASTOCTREE if hasattr(Image, "Quantize") else 2  # Pillow<9.1
        image = image.quantize(256, method=fast_octree)
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def empty_axes(ax: Any) -> None:
    """Remove what was drawn on ``ax`` but keep the Axes and its ticks (much faster than anew).

    Colour bars of its images are removed (giving their room back), titles, labels, fixed
    ticks, a log scale, a fixed aspect and hidden axes are reset; polar Axes keep their
    angle ticks.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _, ax = plt.subplots(); _ = ax.plot([1, 2]); _ = ax.set_yticks([1], ["a"])
    >>> empty_axes(ax); len(ax.lines)
    0
    """
    from matplotlib.ticker import AutoLocator, ScalarFormatter

    for image in list(ax.images):
        if getattr(image, "colorbar", None) is not None:
            image.colorbar.remove()
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_axis_on()
    if ax.name != "polar":
        ax.set_aspect("auto")
        if ax.get_xscale() != "linear":
            ax.set_xscale("linear")
        if ax.get_yscale() != "linear":
            ax.set_yscale("linear")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(AutoLocator())
            axis.set_major_formatter(ScalarFormatter())
    ax.relim()
    ax.set_autoscale_on(True)


def panels(figure: Figure, layout: Hashable,
           make: Callable[[Figure], Any]) -> Any:
    """The Axes of ``figure`` for ``layout``, emptied: kept from an earlier redraw, or made.

    Each layout's Axes are made once (``make(figure)``) and kept in the figure; the Axes of
    the other layouts are hidden. Keeping Axes keeps their ticks, whose creation is most of
    the cost of a new Axes.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    layout : hashable
        What decides the arrangement of the Axes (e.g. the stimulus shown).
    make : callable
        Makes the Axes on the figure and returns them (one Axes or a sequence).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = Figure()
    >>> first = panels(figure, "one", lambda f: f.subplots(1, 2))
    >>> second = panels(figure, "two", lambda f: f.add_subplot())
    >>> panels(figure, "one", lambda f: f.subplots(1, 2)) is first
    True
    >>> [ax.get_visible() for ax in figure.axes]
    [True, True, False]
    """
    kept: dict[Hashable, Any] = getattr(figure, "_brainobs_panels", {})
    axes = kept.get(layout)
    if axes is not None and all(ax in figure.axes for ax in np.ravel(axes)):
        chosen = list(np.ravel(axes))
        for ax in chosen:
            empty_axes(ax)
    else:
        hidden = list(figure.axes)
        axes = kept[layout] = make(figure)
        figure._brainobs_panels = kept
        chosen = [ax for ax in figure.axes if ax not in hidden]
    for ax in figure.axes:
        ax.set_visible(ax in chosen)
    return axes


def shown_axes(figure: Figure) -> list[Any]:
    """The visible Axes of ``figure`` (those of the layout shown, and their colour bars).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> len(shown_axes(Figure()))
    0
    """
    return [ax for ax in figure.axes if ax.get_visible()]


def keep_colorbar(ax: Any, label: str, *, shrink: float = 0.85) -> Any:
    """A colour bar for the image on ``ax``, made once and then updated to each new image.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes holding one image (drawn without its own colour bar).
    label : str
        Label of the colour bar (the unit of the image).
    shrink : float
        Length of the bar as a fraction of the Axes height.

    Returns
    -------
    matplotlib.colorbar.Colorbar

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = Figure()
    >>> ax = figure.add_subplot()
    >>> _ = ax.imshow([[0.0, 1.0]])
    >>> first = keep_colorbar(ax, "dF/F")
    >>> ax.images[0].remove(); _ = ax.imshow([[0.0, 5.0]])
    >>> keep_colorbar(ax, "dF/F") is first, float(first.vmax)
    (True, 5.0)
    """
    figure, image = ax.figure, ax.images[-1]
    kept: dict[Any, Any] = figure.__dict__.setdefault("_brainobs_colorbars", {})
    bar = kept.get(ax)
    if bar is None or bar.ax not in figure.axes:
        bar = kept[ax] = figure.colorbar(image, ax=ax, label=label, shrink=shrink)
        image.colorbar = None  # kept with the Axes: empty_axes leaves it in place
    else:
        bar.update_normal(image)
        bar.set_label(label)
    bar.ax.set_visible(True)
    return bar
