"""Where an explorer's experiment comes from: fixed, or following a picker.

Every explorer accepts a ``VisualCoding2P`` (it then embeds its own experiment picker), an
:class:`~brainobs.widgets.ExperimentPicker` or :class:`~brainobs.widgets.CellPicker` (it
follows their choice), or an opened experiment (fixed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import traitlets

__all__ = ["ExperimentSource", "experiment_label"]


def _is_observatory(obj: Any) -> bool:
    return all(hasattr(obj, name) for name in ("containers", "experiments", "experiment"))


def _is_picker(obj: Any) -> bool:
    return isinstance(obj, traitlets.HasTraits) and obj.has_trait("experiment_id")


class ExperimentSource:
    """The experiment an explorer shows, and how to hear when it changes.

    Parameters
    ----------
    source : VisualCoding2P, ExperimentPicker, CellPicker or experiment
        See the module docstring.

    Attributes
    ----------
    picker : ExperimentPicker or CellPicker or None
        The picker followed (None for a fixed experiment).
    embedded : tuple of ipywidgets.Widget
        Controls to show inside the explorer (the picker it made for a ``VisualCoding2P``).

    Examples
    --------
    >>> source = ExperimentSource(experiment)  # doctest: +SKIP
    >>> source.experiment is experiment  # doctest: +SKIP
    True
    """

    def __init__(self, source: Any) -> None:
        self.picker: Any = None
        self.embedded: tuple[Any, ...] = ()
        self._fixed: Any = None
        if _is_picker(source):
            self.picker = source
        elif _is_observatory(source):
            from .pickers import ExperimentPicker

            self.picker = ExperimentPicker(source, figure=False)
            self.embedded = (self.picker.widget,)
        elif hasattr(source, "get_dff") and hasattr(source, "cell_specimen_ids"):
            self._fixed = source
        else:
            raise TypeError(
                f"Cannot explore a {type(source).__name__}: pass brainobs.VisualCoding2P(), an "
                "ExperimentPicker or CellPicker, or an experiment from vc.experiment(id)."
            )

    @property
    def experiment(self) -> Any:
        """The experiment shown now (None when the picker has no choice)."""
        return self._fixed if self.picker is None else self.picker.experiment

    @property
    def cell_picker(self) -> Any:
        """The followed picker if it chooses a cell (a CellPicker), else None."""
        if self.picker is not None and self.picker.has_trait("cell_specimen_id"):
            return self.picker
        return None

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever the experiment changes (never for a fixed one).

        Examples
        --------
        >>> source.on_change(lambda: print("changed"))  # doctest: +SKIP
        """
        if self.picker is not None:
            self.picker.observe(lambda change: callback(), names="experiment_id")


def experiment_label(experiment: Any) -> str:
    """A short, stable description of an experiment for titles and reprs.

    Examples
    --------
    >>> experiment_label(experiment)  # doctest: +SKIP
    'experiment 920010001 (three_session_B, VISp, Cux2-CreERT2, 175 µm)'
    """
    if experiment is None:
        return "no experiment"
    m = experiment.metadata
    cre = str(m.get("cre_line", "")).split("/")[0]
    return (f"experiment {m.get('ophys_experiment_id')} ({m.get('session_type')}, "
            f"{m.get('targeted_structure')}, {cre}, {m.get('imaging_depth_um')} µm)")
