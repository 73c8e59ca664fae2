"""Widgets: from area and cre line to a single cell in a few clicks.

* :class:`ExperimentPicker` — area -> cre line -> depth -> container -> session, with counts
* :class:`CellPicker` — a cell of the chosen experiment, shown in the field of view
* :class:`TraceExplorer` — dF/F of a range of cells over a time window, epochs, running speed
* :class:`TuningExplorer` — a cell's tuning, trial raster and preferred stimulus
* :class:`StimulusViewer` — scenes, movie frames, sparse-noise frames and gratings by index

Every explorer takes a ``brainobs.VisualCoding2P`` (and embeds a picker), a picker to
follow, or an opened experiment. Only core ipywidgets are used (no ipympl, no custom
JavaScript, no Tab or Accordion), and they work with ipywidgets 7.7 (Colab) and 8.

**Where there is no live front end.** Each explorer is a thin shell over the public
plotting helpers: it draws a matplotlib figure, renders it to PNG and shows it under the
controls as an ``<img>`` whose ``alt`` text is the figure's description. Displaying an
explorer gives a bundle of

1. the widget view (``application/vnd.jupyter.widget-view+json``) for JupyterLab, Notebook,
   VS Code and Colab, where the controls redraw the figure;
2. ``text/html``: the ``<img alt="description" src="data:image/png;base64,...">`` of the
   current figure, which renderers without a widget manager show instead (``jupyter nbconvert
   --execute`` output, most static viewers, and Jupyter Book pages when the book prefers
   ``text/html`` to widget views);
3. ``image/png`` of the same figure, for renderers that take images only (PDF, LaTeX);
4. ``text/plain``: a stable one-line summary (no model ids or memory addresses) and the
   figure's description, which is what nbval compares.

A Jupyter Book 1 build that keeps widget views saves the widget state, including the image
with its alt text, so the page shows the figure as drawn at build time (the controls then
do nothing without a kernel). ``explorer.static(**choices)`` returns the same figure, drawn
by the same code, as a ``matplotlib.figure.Figure`` (shown with its alt text in a notebook);
in a plain script ``explorer.show()`` opens it with pyplot. Redraws never print, so nbval
sees no stray output.

Examples
--------
>>> import brainobs
>>> from brainobs.widgets import ExperimentPicker, TraceExplorer  # doctest: +SKIP
>>> picker = ExperimentPicker(brainobs.VisualCoding2P())  # doctest: +SKIP
>>> TraceExplorer(picker)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any, NoReturn

from ..errors import BrainobsError

__all__ = [
    "ExperimentPicker",
    "CellPicker",
    "TraceExplorer",
    "TuningExplorer",
    "StimulusViewer",
    "WidgetsUnavailableError",
]

_LAZY = {
    "ExperimentPicker": "pickers",
    "CellPicker": "pickers",
    "TraceExplorer": "traces",
    "TuningExplorer": "tuning",
    "StimulusViewer": "stimuli",
}


class WidgetsUnavailableError(BrainobsError, ImportError):
    """ipywidgets is not installed, so the explorers cannot be made.

    Examples
    --------
    >>> issubclass(WidgetsUnavailableError, ImportError)
    True
    """


def _unavailable(name: str, reason: ImportError) -> type:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise WidgetsUnavailableError(
            f"{name} needs ipywidgets ({reason}). Install it with "
            "pip install 'brainobs[widgets]' (or pip install ipywidgets), then restart the "
            "kernel. Without it, the plotting helpers in brainobs.plotting draw the same figures."
        ) from reason

    return type(name, (), {"__new__": refuse, "__doc__": f"{name} (needs ipywidgets)."})


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        module = importlib.import_module(f"{__name__}.{_LAZY[name]}")
    except ImportError as err:
        if "ipywidgets" not in str(err) and "traitlets" not in str(err):
            raise
        return _unavailable(name, err)
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
