"""Figures shown in a notebook carry their description as alt text.

The plotting helpers store a plain-language description on the figure
(``fig.brainobs_alt_text``, see :func:`~brainobs.plotting.describe`). A notebook shows a
matplotlib figure as ``image/png``, which has no place for alt text, so a described figure
also gets a ``_repr_mimebundle_`` of its own (:func:`attach_display`). IPython asks every
object shown for it first, whichever way it is shown (``plt.show()`` with the inline
backend, a figure left as a cell's result, ``display(fig)``), and the bundle holds:

* ``image/png``: the picture, rendered once with the notebook's own figure settings (the
  inline backend's PNG formatter, or ``savefig(bbox_inches="tight")`` without one);
* ``text/html``: ``<img alt="description" src="data:image/png;base64,...">`` of the same
  picture, which JupyterLab, Notebook, VS Code and Colab show, and which Jupyter Book
  (myst-nb) copies into the page as it is;
* ``text/plain``: the description, for terminals and text-only readers.

The bundle lives on the figure object, not in IPython's formatter tables, so the inline
backend resetting its figure formats (which it does when it starts and on every
``%config InlineBackend``) cannot remove it. Figures without a description display as usual.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import sys
from typing import Any

__all__ = ["alt_text", "img_tag", "figure_bundle", "attach_display"]


def alt_text(figure: Any) -> str:
    """The description stored on ``figure`` by the plotting helpers ("" when none).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> alt_text(Figure())
    ''
    """
    return str(getattr(figure, "brainobs_alt_text", "") or "")


def img_tag(png: bytes, alt: str, *, style: str = "") -> str:
    """An HTML ``<img>`` holding ``png`` inline, with ``alt`` as its alternative text.

    Examples
    --------
    >>> img_tag(b"\\x89PNG", 'A "line" plot.')
    '<img alt="A &quot;line&quot; plot." src="data:image/png;base64,iVBORw=="/>'
    """
    data = base64.b64encode(png).decode("ascii")
    extra = f' style="{html.escape(style, quote=True)}"' if style else ""
    return f'<img alt="{html.escape(alt, quote=True)}"{extra} src="data:image/png;base64,{data}"/>'


def _notebook_png(figure: Any) -> tuple[bytes, dict[str, Any]] | None:
    """The PNG (and its display size) the notebook would show for ``figure``."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    printer = None
    if shell is not None and hasattr(shell, "display_formatter"):
        formatters = shell.display_formatter.formatters
        printer = _printer(formatters["image/png"], figure)
        if printer is None and _printer(formatters["image/svg+xml"], figure) is not None:
            return None  # the notebook asked for SVG figures: leave them as they are
    if printer is None:
        if not figure.axes:
            return None
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue(), {}
    png = printer(figure)
    size: dict[str, Any] = {}
    if isinstance(png, tuple):  # the retina formatter: (data, {"width": .., "height": ..})
        png, size = png
    if png is None:
        return None
    return (base64.b64decode(png) if isinstance(png, str) else png), dict(size)


def _printer(formatter: Any, figure: Any) -> Any:
    try:
        return formatter.lookup(figure)
    except KeyError:
        return None


def figure_bundle(figure: Any, include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """The notebook display of a described figure: PNG, ``<img alt=...>`` and plain text.

    Returns the figure's usual display (an empty bundle) when it has no description or
    nothing to draw.

    Examples
    --------
    >>> from brainobs.plotting import plot_running_speed
    >>> bundle = figure_bundle(plot_running_speed([0.0, 1.0, 2.0], [0.0, 5.0, 1.0]).figure)
    >>> sorted(bundle), bundle["text/plain"]
    (['image/png', 'text/html', 'text/plain'], 'Running speed over 2 s.')
    >>> bundle["text/html"][:42]
    '<img alt="Running speed over 2 s." src="da'
    """
    text = alt_text(figure)
    picture = _notebook_png(figure) if text else None
    if picture is None:
        return {}
    png, size = picture
    sizes = "".join(f"{key}:{value}px;" for key, value in size.items())
    bundle = {
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/html": img_tag(png, text, style=sizes),
        "text/plain": text,
    }
    if include:
        bundle = {key: value for key, value in bundle.items() if key in include}
    if exclude:
        bundle = {key: value for key, value in bundle.items() if key not in exclude}
    return bundle


def attach_display(figure: Any) -> Any:
    """Give ``figure`` its notebook display with alt text (see the module docstring).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = attach_display(Figure())
    >>> figure._repr_mimebundle_()  # no description yet: the usual display
    {}
    """
    if not isinstance(getattr(figure, "_repr_mimebundle_", None), functools.partial):
        figure._repr_mimebundle_ = functools.partial(figure_bundle, figure)
    return figure
