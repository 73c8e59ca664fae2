"""Explore dF/F traces: a range of cells over a time window, stimulus epochs shaded, running below.

The experiment's dF/F is read from the file once, when the explorer first shows it (all its
cells when they fit in ``MAX_HELD_BYTES``, else the rows shown), so moving the time window or
changing the cells reads nothing. The rows keep their spacing while the window moves (it is
computed from their whole traces). Long windows are drawn as a min/max envelope per pixel
column, the figure's Axes are reused and its texts are rasterised once, so a redraw of 100
cells x 100,000 frames stays fast (``benchmarks/bench_widgets.py`` measures it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np

from ..errors import InvalidChoiceError
from ..plotting import plot_running_speed, plot_traces
from ..plotting.traces import _default_spacing
from ._figure import panels
from ._shell import Explorer
from ._sources import ExperimentSource, experiment_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["TraceExplorer"]

_MAX_LABELS = 25  # label rows with cell ids up to this many cells
#: Read every cell of an experiment at once when its dF/F takes at most this many bytes.
MAX_HELD_BYTES = 256 * 2**20


class TraceExplorer(Explorer):
    """Stacked dF/F of chosen cells over a time window, epochs shaded, running speed below.

    Parameters
    ----------
    source : VisualCoding2P, ExperimentPicker, CellPicker or experiment
        Where the experiment comes from (a ``VisualCoding2P`` gets its own picker).
    cells : (int, int)
        First and last row (cell position in the file) shown, inclusive.
    window : (float, float), optional
        Time window in seconds (default: the first two minutes).

    Attributes
    ----------
    sliders : dict
        ``"cells"`` (an ``IntRangeSlider`` of rows) and ``"window"`` (a ``FloatRangeSlider``
        in seconds).

    Examples
    --------
    >>> explorer = TraceExplorer(vc.experiment(eid), cells=(0, 9), window=(0, 120))
    ... # doctest: +SKIP
    >>> fig = explorer.static(cells=(0, 99), window=(0, 3000))  # doctest: +SKIP
    """

    figsize = (9.5, 5.5)
    palette_png = True

    def __init__(self, source: Any, *, cells: tuple[int, int] = (0, 9),
                 window: tuple[float, float] | None = None) -> None:
        super().__init__()
        self.source = ExperimentSource(source)
        self._cache: dict[tuple[int, str], Any] = {}
        self._rows: tuple[Any, ...] | None = None  # experiment id, first, last row, dF/F
        self._spacing: dict[tuple[int, int, int], float] = {}
        options = {"continuous_update": False, "layout": widgets.Layout(width="640px"),
                   "style": {"description_width": "90px"}}
        self.sliders = {
            "cells": widgets.IntRangeSlider(description="cells (rows)", **options),
            "window": widgets.FloatRangeSlider(description="time (s)", step=1.0,
                                               readout_format=".0f", **options),
        }
        for slider in self.sliders.values():
            slider.observe(self._on_control, names="value")
        self._layout(*self.source.embedded, *self.sliders.values())
        self.source.on_change(self._on_experiment)
        self._on_experiment(cells=cells, window=window)

    # -- data ------------------------------------------------------------------------------------
    def _cached(self, experiment: Any, what: str) -> Any:
        key = (int(experiment.ophys_experiment_id), what)
        if key not in self._cache:
            if what == "times":
                value = experiment.get_fluorescence_timestamps()
            elif what == "speed":
                value = experiment.get_running_speed()
            else:
                value = experiment.get_stimulus_epoch_table()
            self._cache[key] = value
        return self._cache[key]

    def _on_experiment(self, cells: tuple[int, int] | None = None,
                       window: tuple[float, float] | None = None) -> None:
        experiment = self.source.experiment
        if experiment is not None:
            times = self._cached(experiment, "times")
            n = experiment.number_of_cells
            cells = cells or self.sliders["cells"].value
            window = window or (float(times[0]), float(times[0]) + 120.0)
            with self._quiet():
                self._set_range(self.sliders["cells"], 0, max(n - 1, 0), cells)
                self._set_range(self.sliders["window"], float(np.floor(times[0])),
                                float(np.ceil(times[-1])), window)
        self.refresh()

    def _read(self, experiment: Any, rows: np.ndarray, start: float,
              stop: float) -> tuple[np.ndarray, np.ndarray]:
        """dF/F of ``rows`` in ``[start, stop)``; read from the file once, then kept."""
        key, first, last = int(experiment.ophys_experiment_id), int(rows[0]), int(rows[-1]) + 1
        held = self._rows
        if held is None or held[0] != key or not (held[1] <= first and last <= held[2]):
            n_frames = len(self._cached(experiment, "times"))
            if experiment.number_of_cells * n_frames * 4 <= MAX_HELD_BYTES:
                first, last = 0, experiment.number_of_cells  # all of them, once
            times, dff = experiment.get_dff(experiment.cell_specimen_ids[first:last])
            held = self._rows = (key, first, last, times, dff)
            self._spacing.clear()
        times, dff = held[3], held[4]
        window = slice(int(np.searchsorted(times, start)), int(np.searchsorted(times, stop)))
        rows_held = slice(int(rows[0]) - held[1], int(rows[-1]) + 1 - held[1])
        return times[window], dff[rows_held, window]

    def _row_spacing(self, rows: np.ndarray) -> float:
        """Offset between stacked rows, from their whole traces (steady as the window moves)."""
        key = (self._rows[0], int(rows[0]), int(rows[-1]))
        if key not in self._spacing:
            held_first = self._rows[1]
            whole = self._rows[4][int(rows[0]) - held_first:int(rows[-1]) + 1 - held_first]
            self._spacing[key] = _default_spacing(whole)
        return self._spacing[key]

    @staticmethod
    def _axes(figure: Figure) -> tuple[Any, Any]:
        def make(figure: Figure) -> tuple[Any, Any]:
            top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
            figure.subplots_adjust(left=0.11, right=0.98, top=0.94, bottom=0.1, hspace=0.08)
            return top, bottom

        return panels(figure, "traces", make)

    @staticmethod
    def _set_range(slider: widgets.Widget, low: float, high: float,
                   value: tuple[float, float]) -> None:
        # widen first so that the new value always fits (ipywidgets 7 and 8 both clip)
        slider.min, slider.max = min(low, slider.min), max(high, slider.max)
        start = min(max(value[0], low), high)
        slider.value = (start, min(max(value[1], start), high))
        slider.min, slider.max = low, high

    # -- explorer --------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """``cells`` (first, last row) and ``window`` (start, stop in s): keys of :meth:`static`.

        Examples
        --------
        >>> explorer.state()  # doctest: +SKIP
        {'cells': (0, 9), 'window': (9.0, 129.0)}
        """
        return {"cells": tuple(self.sliders["cells"].value),
                "window": tuple(self.sliders["window"].value)}

    def _check_rows(self, experiment: Any, cells: tuple[int, int]) -> np.ndarray:
        first, last = (int(v) for v in cells)
        n = experiment.number_of_cells
        if not 0 <= first <= last < n:
            raise InvalidChoiceError(
                f"cells={cells!r} is not a range of rows of {experiment_label(experiment)}: "
                f"give (first, last) with 0 <= first <= last <= {n - 1}."
            )
        return np.arange(first, last + 1)

    def _draw(self, figure: Figure, **state: Any) -> None:
        experiment = self.source.experiment
        top, bottom = self._axes(figure)
        if experiment is None:
            return
        rows = self._check_rows(experiment, state["cells"])
        start, stop = (float(v) for v in state["window"])
        ids = experiment.cell_specimen_ids[rows]
        times, dff = self._read(experiment, rows, start, stop)
        full = self._cached(experiment, "times")
        first = int(np.searchsorted(full, start))
        labels = ids if len(ids) <= _MAX_LABELS else None
        plot_traces(times, dff, labels=labels, epochs=self._cached(experiment, "epochs"),
                    first_frame=first, spacing=self._row_spacing(rows),
                    synthetic=experiment.synthetic, ax=top)
        top.set_xlabel("")
        top.set_title(f"dF/F of {len(ids)} cells (rows {rows[0]}-{rows[-1]}), "
                      f"{experiment_label(experiment)}", fontsize=8)
        speed_times, speed = self._cached(experiment, "speed")
        shown = (speed_times >= start) & (speed_times < stop)
        plot_running_speed(speed_times[shown], speed[shown], ax=bottom)

    def _summary(self) -> str:
        experiment = self.source.experiment
        state = self.state()
        text = (f"rows {state['cells'][0]}-{state['cells'][1]}, "
                f"{state['window'][0]:.0f}-{state['window'][1]:.0f} s of "
                f"{experiment_label(experiment)}")
        return text + (", SYNTHETIC SAMPLE" if experiment is not None and experiment.synthetic
                       else "")
