"""Explore one cell's responses to each stimulus of its session.

Three panels per stimulus: the tuning (drifting gratings: directions on a polar plot at the
preferred temporal frequency; static gratings: orientations at the preferred spatial
frequency and phase; natural scenes: every image; sparse noise: ON and OFF maps; movies: the
mean over repeats), a raster of the trials (or movie repeats) aligned to onset, and the
preferred stimulus itself. Responses are computed with :mod:`brainobs.analysis` for the one
cell shown, when it is first shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from .. import stimuli as st
from ..errors import check_choice
from ..plotting import (
    plot_grating,
    plot_movie_frame,
    plot_natural_scene,
    plot_receptive_field,
    plot_response_raster,
    plot_trial_average,
    plot_tuning_curve,
)
from ._figure import keep_colorbar, panels
from ._responses import TUNING_STIMULI, CellResponses, KeptExperiment, cell_responses
from ._shell import Explorer
from ._sources import ExperimentSource, experiment_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["TuningExplorer"]

_KEEP = 24  # responses kept in memory (cell x stimulus)


class TuningExplorer(Explorer):
    """A cell's tuning, trial raster and preferred stimulus, for each stimulus of its session.

    Parameters
    ----------
    source : VisualCoding2P, ExperimentPicker, CellPicker or experiment
        Where the experiment comes from; with a ``CellPicker`` the explorer follows its cell.
    stimulus : str, optional
        The stimulus shown first (default: the session's first with trials).
    cell_specimen_id : int, optional
        The cell shown first (default: the first).

    Attributes
    ----------
    dropdowns : dict
        ``"cell_specimen_id"`` and ``"stimulus"`` (``ipywidgets.Dropdown``).

    Examples
    --------
    >>> tuning = TuningExplorer(vc.experiment(eid), stimulus="natural_scenes")  # doctest: +SKIP
    >>> fig = tuning.static(stimulus="static_gratings")  # doctest: +SKIP
    """

    figsize = (12.5, 3.9)

    def __init__(self, source: Any, *, stimulus: str | None = None,
                 cell_specimen_id: int | None = None) -> None:
        super().__init__()
        self.source = ExperimentSource(source)
        self._responses: dict[tuple[int, int, str], CellResponses] = {}
        self._kept: KeptExperiment | None = None
        self.dropdowns = {
            "cell_specimen_id": widgets.Dropdown(description="cell", layout=widgets.Layout(
                width="300px")),
            "stimulus": widgets.Dropdown(description="stimulus", layout=widgets.Layout(
                width="320px")),
        }
        for dropdown in self.dropdowns.values():
            dropdown.observe(self._on_control, names="value")
        followed = self.source.cell_picker
        shown = [self.dropdowns["stimulus"]] if followed else list(self.dropdowns.values())
        self._layout(*self.source.embedded, widgets.HBox(shown))
        if followed is not None:
            followed.observe(self._on_followed_cell, names="cell_specimen_id")
            cell_specimen_id = cell_specimen_id or followed.cell_specimen_id
        self.source.on_change(self._on_experiment)
        self._on_experiment(stimulus=stimulus, cell=cell_specimen_id)

    def _on_experiment(self, stimulus: str | None = None, cell: int | None = None) -> None:
        experiment = self.source.experiment
        cells = [] if experiment is None else [int(c) for c in experiment.cell_specimen_ids]
        shown = [] if experiment is None else experiment.list_stimuli()
        stimuli = [s for s in TUNING_STIMULI if s in shown]
        if stimulus is not None and experiment is not None and stimulus not in stimuli:
            st.check_stimulus_in_session(stimulus, experiment.session_type)  # asked for: say why
        cell = cell or self.dropdowns["cell_specimen_id"].value
        stimulus = stimulus or self.dropdowns["stimulus"].value
        with self._quiet():
            self.dropdowns["cell_specimen_id"].options = [(str(c), c) for c in cells]
            self.dropdowns["cell_specimen_id"].value = cell if cell in cells else (
                cells[0] if cells else None)
            self.dropdowns["stimulus"].options = [(s.replace("_", " "), s) for s in stimuli]
            self.dropdowns["stimulus"].value = stimulus if stimulus in stimuli else (
                stimuli[0] if stimuli else None)
        self.refresh()

    def _on_followed_cell(self, change: dict[str, Any]) -> None:
        if change["new"] in [v for _, v in self.dropdowns["cell_specimen_id"].options]:
            self.dropdowns["cell_specimen_id"].value = change["new"]

    def state(self) -> dict[str, Any]:
        """``cell_specimen_id`` and ``stimulus``: the keys of :meth:`static`.

        Examples
        --------
        >>> tuning.state()  # doctest: +SKIP
        {'cell_specimen_id': 940010011, 'stimulus': 'drifting_gratings'}
        """
        return {key: dropdown.value for key, dropdown in self.dropdowns.items()}

    def responses(self, cell_specimen_id: int, stimulus: str) -> CellResponses:
        """The responses drawn for a cell and stimulus (computed once, then kept).

        Examples
        --------
        >>> tuning.responses(cell, "drifting_gratings").tuning.preferred  # doctest: +SKIP
        """
        experiment = self.source.experiment
        check_choice("stimulus", stimulus, [v for _, v in self.dropdowns["stimulus"].options],
                     hint=f"These are the stimuli of {experiment_label(experiment)}.")
        check_choice("cell_specimen_id", cell_specimen_id,
                     [v for _, v in self.dropdowns["cell_specimen_id"].options])
        key = (int(experiment.ophys_experiment_id), int(cell_specimen_id), stimulus)
        if key not in self._responses:
            if len(self._responses) >= _KEEP:
                self._responses.pop(next(iter(self._responses)))
            if self._kept is None or self._kept.experiment is not experiment:
                self._kept = KeptExperiment(experiment)
            self._responses[key] = cell_responses(self._kept, cell_specimen_id, stimulus)
        return self._responses[key]

    def _draw(self, figure: Figure, **state: Any) -> None:
        experiment = self.source.experiment
        if experiment is None or state["stimulus"] is None:
            panels(figure, None, lambda f: f.add_subplot()).set_axis_off()
            return
        r = self.responses(state["cell_specimen_id"], state["stimulus"])
        polar = r.tuning is not None and r.tuning.kind == "direction"

        def make(figure: Figure) -> tuple[Axes, Axes, Axes]:
            left = figure.add_subplot(1, 3, 1, projection="polar" if polar else None)
            return left, figure.add_subplot(1, 3, 2), figure.add_subplot(1, 3, 3)

        left, middle, right = panels(figure, (r.stimulus, polar), make)
        synthetic = experiment.synthetic
        self._draw_tuning(left, r, polar, synthetic)
        if r.fields is not None:
            plot_receptive_field(r.fields[1], polarity="off", stimulus=r.stimulus,
                                 colorbar=False, ax=middle)
            keep_colorbar(middle, "% dF/F", shrink=0.8)
            self._draw_raster(right, r)
        else:
            self._draw_raster(middle, r)
            self._draw_stimulus(right, r, experiment)
        figure.suptitle(f"cell {state['cell_specimen_id']}, {r.stimulus.replace('_', ' ')}: "
                        f"{experiment_label(experiment)}", fontsize=9)
        figure.subplots_adjust(left=0.06, right=0.97, bottom=0.16, top=0.82, wspace=0.45)

    @staticmethod
    def _draw_tuning(ax: Axes, r: CellResponses, polar: bool, synthetic: bool) -> None:
        if r.tuning is not None:
            t = r.tuning
            plot_tuning_curve(t.values, t.mean, t.sem, trials=t.trials, kind=t.kind,
                              polar=polar, blank=t.blank, synthetic=synthetic, ax=ax)
        elif r.fields is not None:
            plot_receptive_field(r.fields[0], polarity="on", stimulus=r.stimulus,
                                 colorbar=False, synthetic=synthetic, ax=ax)
            keep_colorbar(ax, "% dF/F", shrink=0.8)
        else:
            plot_trial_average(r.time, r.raster, onset=None, unit="dF/F",
                               xlabel="time in the movie (s)", synthetic=synthetic, ax=ax)

    @staticmethod
    def _draw_raster(ax: Axes, r: CellResponses) -> None:
        movie = r.stimulus in st.NATURAL_MOVIES
        unit = "dF/F" if movie else "% dF/F"
        plot_response_raster(r.time, r.raster, onset=None if movie else 0.0, offset=r.offset,
                             unit=unit, xlabel="time in the movie (s)" if movie else
                             "time from stimulus onset (s)", colorbar=False, ax=ax)
        keep_colorbar(ax, unit)
        ax.set_title(r.raster_label, fontsize=8)
        if movie:
            ax.set_ylabel("repeat")

    @staticmethod
    def _draw_stimulus(ax: Axes, r: CellResponses, experiment: Any) -> None:
        shown = dict(r.shown)
        if shown.pop("kind") == "grating":
            plot_grating(shown.pop("direction", shown.pop("orientation", 0.0)), ax=ax, **shown)
            return
        index = int(shown["index"])
        image = experiment.get_stimulus_template(r.stimulus, frames=index)
        if r.stimulus == st.NATURAL_SCENES:
            plot_natural_scene(image, index=index, ax=ax)
        else:
            plot_movie_frame(image, index=index, ax=ax)

    def _summary(self) -> str:
        experiment = self.source.experiment
        state = self.state()
        text = f"cell {state['cell_specimen_id']}, {state['stimulus']}, " \
               f"{experiment_label(experiment)}"
        return text + (", SYNTHETIC SAMPLE" if experiment is not None and experiment.synthetic
                       else "")
