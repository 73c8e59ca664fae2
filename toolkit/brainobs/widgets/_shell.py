"""The shell every explorer shares: controls, a figure drawn to a PNG, and a static fallback.

An explorer draws with the public plotting helpers onto a matplotlib ``Figure`` that pyplot
does not manage, renders it to PNG bytes and shows them as an ``<img>`` whose ``alt`` is the
figure's description, in an ``ipywidgets.HTML`` (so screen readers read the figure in live
notebooks too). Its notebook display (``_repr_mimebundle_``) carries at once:

* the widget view (the controls and the image), for live front ends;
* ``text/html``: the ``<img alt=...>`` of the current figure, for renderers without a widget
  manager and for Jupyter Book pages (the description is in the page's HTML);
* ``image/png`` of the current figure, for renderers that take images only;
* ``text/plain``: a stable summary and the figure's description (no model ids, no memory
  addresses), for nbval and terminals.

The live figure keeps its canvas between redraws
(:class:`~brainobs.widgets._canvas.TextCachingCanvas`), so its texts are rasterised once, and
each ``_draw`` takes its Axes from :func:`~brainobs.widgets._figure.panels`, which keeps them
(and their ticks) from one redraw to the next. :meth:`Explorer.static` draws the same figure
with the same code and returns it, for scripts, exercises and printed handouts.
"""

from __future__ import annotations

import base64
import html
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from ..errors import BrainobsError, InvalidChoiceError, format_choice_error
from ..plotting._display import img_tag
from ._figure import render_png

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Explorer", "in_kernel", "DATA_ERRORS"]

log = logging.getLogger(__name__)

#: Errors a redraw reports in the explorer's status line (bad data, missing stimulus ...).
DATA_ERRORS = (BrainobsError, ValueError, LookupError, OSError)


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


class Explorer(traitlets.HasTraits):
    """Base of the explorers: subclasses give ``state()``, ``_draw()`` and ``_summary()``.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The controls and the figure (embed it in your own layouts).
    alt_text : str
        Plain-language description of the figure shown (the ``alt`` of its image).
    png : bytes
        The figure shown, as PNG.
    redraw_seconds : float
        Time the last redraw took.

    Examples
    --------
    >>> explorer = TraceExplorer(experiment)  # doctest: +SKIP
    >>> explorer.state(), explorer.alt_text  # doctest: +SKIP
    """

    figsize: tuple[float, float] = (9.0, 5.0)
    dpi: int = 90
    #: Send the live figure as a 256-colour PNG (for flat-colour figures: lines, bars).
    palette_png: bool = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        from matplotlib.figure import Figure

        from ._canvas import TextCachingCanvas

        self._figure = Figure(figsize=self.figsize, dpi=self.dpi)
        TextCachingCanvas(self._figure)
        self._picture = widgets.HTML(value="", layout=widgets.Layout(max_width="100%"))
        self.png = b""
        self._status = widgets.HTML(value="")
        self._quiet_depth = 0
        self._figure_shown = True
        self.alt_text = ""
        self.redraw_seconds = float("nan")
        self.widget: widgets.Box = widgets.VBox([self._picture, self._status])

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
        shown = [*rows, self._picture, self._status] if figure else [*rows, self._status]
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
            self._figure.brainobs_alt_text = ""  # _draw reuses or remakes the Axes (panels)
            self._draw(self._figure, **self.state())
            png = render_png(self._figure, palette=self.palette_png)
        except DATA_ERRORS as err:
            log.info("%s could not draw: %s", type(self).__name__, err)  # shown in the status
            self._status.value = (
                f"<span style='color:#D55E00'>Could not draw: {html.escape(str(err))}</span>"
            )
            return
        self._status.value = ""
        self.png, self.alt_text = png, getattr(self._figure, "brainobs_alt_text", "")
        self._picture.value = img_tag(png, self.alt_text, style="max-width:100%;height:auto")
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
            "text/plain": "\n".join(filter(None, [repr(self), self.alt_text])),
        }
        if self.png and self._figure_shown:
            bundle["text/html"] = img_tag(self.png, self.alt_text)
            bundle["image/png"] = base64.b64encode(self.png).decode("ascii")
        return bundle

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._summary()})"
