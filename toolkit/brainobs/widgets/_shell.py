"""The shell every explorer shares: controls, a figure drawn to a PNG, and a static fallback.

An explorer draws with the public plotting helpers onto a matplotlib ``Figure`` that pyplot
does not manage, renders it to PNG bytes and puts them into an ``ipywidgets.Image``. Its
notebook display (``_repr_mimebundle_``) carries three things at once:

* the widget view (the controls and the image), for live front ends;
* ``image/png`` of the current figure, for renderers without a widget manager;
* a stable ``text/plain`` summary (no model ids, no memory addresses), for nbval and terminals.

Since the figure is an ``Image`` widget, a Jupyter Book 1 build (which saves widget state)
shows it in the page as drawn at build time. :meth:`Explorer.static` draws the same figure
with the same code and returns it, for scripts, exercises and printed handouts.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np
import traitlets

from ..errors import BrainobsError, InvalidChoiceError, format_choice_error

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Explorer", "render_png", "in_kernel", "empty_axes", "DATA_ERRORS"]

log = logging.getLogger(__name__)

#: Errors a redraw reports in the explorer's status line (bad data, missing stimulus ...).
DATA_ERRORS = (BrainobsError, ValueError, LookupError, OSError)


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


def in_kernel() -> bool:
    """True inside a Jupyter kernel (where widgets can be displayed).

    Examples
    --------
    >>> in_kernel()
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def empty_axes(ax: Any) -> None:
    """Remove what was drawn on ``ax`` but keep the Axes (much faster than a new one).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> _, ax = plt.subplots(); _ = ax.plot([1, 2]); _ = ax.set_yticks([1], ["a"])
    >>> empty_axes(ax); len(ax.lines)
    0
    """
    from matplotlib.ticker import AutoLocator, ScalarFormatter

    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
    ax.relim()
    ax.set_autoscale_on(True)


class Explorer(traitlets.HasTraits):
    """Base of the explorers: subclasses give ``state()``, ``_draw()`` and ``_summary()``.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The controls and the figure (embed it in your own layouts).
    alt_text : str
        Plain-language description of the figure shown.
    redraw_seconds : float
        Time the last redraw took.

    Examples
    --------
    >>> explorer = TraceExplorer(experiment)  # doctest: +SKIP
    >>> explorer.state(), explorer.alt_text  # doctest: +SKIP
    """

    figsize: tuple[float, float] = (9.0, 5.0)
    dpi: int = 90
    #: Keep the live figure's Axes between redraws (``_draw`` then empties them itself).
    reuse_axes: bool = False
    #: Send the live figure as a 256-colour PNG (for flat-colour figures: lines, bars).
    palette_png: bool = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from matplotlib.figure import Figure

        self._figure = Figure(figsize=self.figsize, dpi=self.dpi)
        self._image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self._status = widgets.HTML(value="")
        self._quiet_depth = 0
        self._figure_shown = True
        self.alt_text = ""
        self.redraw_seconds = float("nan")
        self.widget: widgets.Box = widgets.VBox([self._image, self._status])

    # -- to give in subclasses --------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The current choices, as keyword arguments of :meth:`static`.

        Examples
        --------
        >>> explorer.static(**explorer.state())  # doctest: +SKIP
        """
        raise NotImplementedError

    def _draw(self, figure: Figure, **state: Any) -> None:
        raise NotImplementedError

    def _summary(self) -> str:
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------------
    def _layout(self, *rows: widgets.Widget, figure: bool = True) -> None:
        self._figure_shown = figure
        shown = [*rows, self._image, self._status] if figure else [*rows, self._status]
        self.widget.children = tuple(shown)

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Set controls without redrawing for each change."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    def _on_control(self, change: dict[str, Any] | None = None) -> None:
        if not self._quiet_depth:
            self.refresh()

    def refresh(self) -> None:
        """Redraw the figure for the current choices (errors go to the status line).

        Examples
        --------
        >>> explorer.refresh()  # doctest: +SKIP
        """
        if not self._figure_shown:
            return
        start = time.perf_counter()
        try:
            if not self.reuse_axes:
                self._figure.clear()
            self._figure.brainobs_alt_text = ""
            self._draw(self._figure, **self.state())
            self._image.value = render_png(self._figure, palette=self.palette_png)
        except DATA_ERRORS as err:
            log.info("%s could not draw: %s", type(self).__name__, err)  # shown in the status
            self._status.value = (
                f"<span style='color:#D55E00'>Could not draw: {html.escape(str(err))}</span>"
            )
            return
        self._status.value = ""
        self.alt_text = getattr(self._figure, "brainobs_alt_text", "")
        self.redraw_seconds = time.perf_counter() - start

    def static(self, **state: Any) -> Figure:
        """The figure for the current choices, changed by ``state``, drawn by the same code.

        Parameters
        ----------
        **state
            Choices to use instead of the current ones (the keys of :meth:`state`).

        Returns
        -------
        matplotlib.figure.Figure
            Shown when it is a cell's result; save it with ``.savefig(path)``.

        Raises
        ------
        InvalidChoiceError
            For a key that is not a choice of this explorer.

        Examples
        --------
        >>> fig = explorer.static()  # doctest: +SKIP
        """
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=self.figsize)
        plt.close(figure)  # shown once, as the cell's result, not again by the inline backend
        self._draw(figure, **self._merged(state))
        return figure

    def _merged(self, state: dict[str, Any]) -> dict[str, Any]:
        current = self.state()
        for key in state:
            if key not in current:
                raise InvalidChoiceError(format_choice_error(
                    f"choice of {type(self).__name__}", key, current,
                    hint=f"Pass the choices as keywords, e.g. static({next(iter(current))}=...).",
                ))
        return {**current, **state}

    def show(self) -> None:
        """Display the explorer in a notebook; in a script, show its static figure with pyplot.

        Examples
        --------
        >>> explorer.show()  # doctest: +SKIP
        """
        if in_kernel():
            from IPython.display import display

            display(self)
            return
        import matplotlib.pyplot as plt

        figure = plt.figure(figsize=self.figsize)
        self._draw(figure, **self.state())
        if "agg" in plt.get_backend().lower():
            log.info("No interactive matplotlib backend: save the figure with .static().savefig()")
        else:
            plt.show()

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, Any]:
        bundle: dict[str, Any] = {
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
            "text/plain": repr(self),
        }
        if self._image.value:
            bundle["image/png"] = base64.b64encode(self._image.value).decode("ascii")
        return bundle

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._summary()})"
