"""Look at the stimuli of a session one by one: scenes, movie frames, noise frames, gratings.

Templates (natural scenes, natural movies, locally sparse noise) are browsed by template
index; gratings, which have no template, by trial (row of the stimulus table), drawn from
their parameters. Only the frame shown is read from the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from .. import stimuli as st
from ..errors import InvalidChoiceError, check_choice
from ..plotting import plot_grating, plot_movie_frame, plot_natural_scene, plot_sparse_noise_frame
from ._figure import panels
from ._shell import Explorer
from ._sources import ExperimentSource, experiment_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["StimulusViewer"]

_GRATINGS = (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS)


class StimulusViewer(Explorer):
    """Browse the stimuli of an experiment by index.

    Parameters
    ----------
    source : VisualCoding2P, ExperimentPicker, CellPicker or experiment
        Where the experiment comes from.
    stimulus : str, optional
        The stimulus shown first (default: the first with a template).
    index : int
        Template index (scenes, movies, noise) or trial (gratings) shown first.

    Attributes
    ----------
    stimulus_dropdown : ipywidgets.Dropdown
    index_slider : ipywidgets.IntSlider

    Examples
    --------
    >>> viewer = StimulusViewer(vc.experiment(eid), stimulus="natural_scenes", index=5)
    ... # doctest: +SKIP
    >>> fig = viewer.static(index=6)  # doctest: +SKIP
    """

    figsize = (6.5, 4.2)

    def __init__(self, source: Any, *, stimulus: str | None = None, index: int = 0) -> None:
        super().__init__()
        self.source = ExperimentSource(source)
        self._tables: dict[tuple[int, str], Any] = {}
        self.stimulus_dropdown = widgets.Dropdown(description="stimulus",
                                                  layout=widgets.Layout(width="340px"))
        self.index_slider = widgets.IntSlider(description="index", continuous_update=False,
                                              layout=widgets.Layout(width="520px"))
        self.stimulus_dropdown.observe(self._on_stimulus, names="value")
        self.index_slider.observe(self._on_control, names="value")
        self._layout(*self.source.embedded, self.stimulus_dropdown, self.index_slider)
        self.source.on_change(self._on_experiment)
        self._on_experiment(stimulus=stimulus, index=index)

    def _stimuli(self, experiment: Any) -> list[str]:
        shown = experiment.list_stimuli()
        templates = experiment.list_stimulus_templates()
        return [s for s in st.ALL_STIMULI if s in templates or (s in _GRATINGS and s in shown)]

    def count(self, stimulus: str) -> int:
        """How many indices ``stimulus`` has: template frames, or trials for gratings.

        Examples
        --------
        >>> viewer.count("natural_scenes")  # doctest: +SKIP
        118
        """
        experiment = self.source.experiment
        if stimulus in _GRATINGS:
            return len(self._table(experiment, stimulus))
        return int(experiment.get_stimulus_template_info(stimulus)["shape"][0])

    def _table(self, experiment: Any, stimulus: str) -> Any:
        key = (int(experiment.ophys_experiment_id), stimulus)
        if key not in self._tables:
            self._tables[key] = experiment.get_stimulus_table(stimulus)
        return self._tables[key]

    def _on_experiment(self, stimulus: str | None = None, index: int | None = None) -> None:
        experiment = self.source.experiment
        stimuli = [] if experiment is None else self._stimuli(experiment)
        if stimulus is not None and stimulus not in stimuli:  # asked for: say what exists
            check_choice("stimulus with images", stimulus, stimuli,
                         hint=f"These are the ones of {experiment_label(experiment)}.")
        stimulus = stimulus or self.stimulus_dropdown.value
        with self._quiet():
            self.stimulus_dropdown.options = [(s.replace("_", " "), s) for s in stimuli]
            self.stimulus_dropdown.value = stimulus if stimulus in stimuli else (
                stimuli[0] if stimuli else None)
            self._reset_slider(self.index_slider.value if index is None else index)
        self.refresh()

    def _reset_slider(self, index: int) -> None:
        stimulus = self.stimulus_dropdown.value
        last = 0 if stimulus is None else max(self.count(stimulus) - 1, 0)
        self.index_slider.max = max(last, self.index_slider.min)
        self.index_slider.value = min(max(int(index), 0), last)

    def _on_stimulus(self, change: dict[str, Any]) -> None:
        if not self._quiet_depth:
            with self._quiet():
                self._reset_slider(self.index_slider.value)
            self.refresh()

    def state(self) -> dict[str, Any]:
        """``stimulus`` and ``index``: the keys of :meth:`static`.

        Examples
        --------
        >>> viewer.state()  # doctest: +SKIP
        {'stimulus': 'natural_scenes', 'index': 0}
        """
        return {"stimulus": self.stimulus_dropdown.value, "index": self.index_slider.value}

    def _draw(self, figure: Figure, **state: Any) -> None:
        experiment, stimulus = self.source.experiment, state["stimulus"]
        ax = panels(figure, stimulus, lambda f: f.add_subplot())
        if experiment is None or stimulus is None:
            ax.set_axis_off()
            return
        check_choice("stimulus with images", stimulus, self._stimuli(experiment))
        index, count = int(state["index"]), self.count(stimulus)
        if not 0 <= index < count:
            raise InvalidChoiceError(f"index {index} is out of range for {stimulus}: "
                                     f"it has {count} (0 to {count - 1}).")
        synthetic = experiment.synthetic
        if stimulus in _GRATINGS:
            self._draw_grating(ax, self._table(experiment, stimulus).iloc[index], stimulus,
                               synthetic)
        else:
            image = experiment.get_stimulus_template(stimulus, frames=index)
            if stimulus == st.NATURAL_SCENES:
                plot_natural_scene(image, index=index, synthetic=synthetic, ax=ax)
            elif stimulus in st.NATURAL_MOVIES:
                plot_movie_frame(image, index=index, synthetic=synthetic, ax=ax)
            else:
                plot_sparse_noise_frame(image, stimulus=stimulus, synthetic=synthetic, ax=ax)
                ax.set_title(f"{stimulus.replace('_', ' ')}, frame {index}", fontsize=9)
        figure.suptitle(experiment_label(experiment), fontsize=8)

    @staticmethod
    def _draw_grating(ax: Any, row: Any, stimulus: str, synthetic: bool) -> None:
        if stimulus == st.DRIFTING_GRATINGS:
            blank = bool(row.get("blank_sweep", 0))
            plot_grating(float("nan") if blank else float(row["orientation"]),
                         temporal_frequency=float(row["temporal_frequency"]),
                         synthetic=synthetic, ax=ax)
        else:
            plot_grating(float(row["orientation"]), spatial_frequency=float(
                row["spatial_frequency"]), phase=float(row["phase"]), synthetic=synthetic, ax=ax)
        ax.set_title(f"{ax.get_title()}\n({stimulus.replace('_', ' ')}, trial at frame "
                     f"{int(row['start'])})", fontsize=8)

    def _summary(self) -> str:
        experiment = self.source.experiment
        state = self.state()
        text = f"{state['stimulus']} #{state['index']} of {experiment_label(experiment)}"
        return text + (", SYNTHETIC SAMPLE" if experiment is not None and experiment.synthetic
                       else "")
