"""Pick an experiment (area -> cre line -> depth -> container -> session), then a cell.

Both pickers are explorers (see :mod:`brainobs.widgets`): their figure is the container grid
with the choice outlined, and the field of view with the chosen cell filled. Their choices
are traitlets, so other code can follow them::

    picker = ExperimentPicker(vc)
    picker.observe(lambda change: print(change["new"]), names="experiment_id")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import traitlets

from ..errors import InvalidChoiceError, check_choice, format_choice_error
from ..plotting import plot_container_counts, plot_max_projection
from ._choices import LEVEL_NAMES, LEVELS, resolve_choices
from ._figure import panels
from ._shell import Explorer
from ._sources import ExperimentSource, experiment_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ExperimentPicker", "CellPicker"]

def _dropdown(description: str) -> widgets.Dropdown:
    return widgets.Dropdown(description=description, layout=widgets.Layout(width="420px"),
                            style={"description_width": "90px"})


class ExperimentPicker(Explorer):
    """Choose an experiment the way the Brain Observatory portal did, with counts.

    Parameters
    ----------
    vc : VisualCoding2P
        The dataset (only its tables are read until an experiment is opened).
    include_failed : bool
        Offer containers that failed quality control too.
    figure : bool
        Show the container grid under the dropdowns.
    **choices
        Initial choices: ``targeted_structure, cre_line, imaging_depth,
        experiment_container_id, ophys_experiment_id`` or ``session_type``.

    Attributes
    ----------
    value : dict
        The choice at every level (a traitlet: observe it).
    experiment_id : int or None
        The chosen ``ophys_experiment_id`` (a traitlet).
    dropdowns : dict
        The ``ipywidgets.Dropdown`` of each level (set ``.value`` to choose).

    Examples
    --------
    >>> picker = ExperimentPicker(vc, targeted_structure="VISp")  # doctest: +SKIP
    >>> picker.experiment_id, picker.experiment  # doctest: +SKIP
    """

    value = traitlets.Dict()
    experiment_id = traitlets.Int(None, allow_none=True)
    figsize = (6.5, 3.4)
    palette_png = True

    def __init__(self, vc: Any, *, include_failed: bool = False, figure: bool = True,
                 **choices: Any) -> None:
        super().__init__()
        self.vc = vc
        self._containers = vc.containers(include_failed=include_failed)
        self._experiments = vc.experiments(include_failed=include_failed)
        self._opened: dict[int, Any] = {}
        self.dropdowns = {level: _dropdown(LEVEL_NAMES[level]) for level in LEVELS}
        for dropdown in self.dropdowns.values():
            dropdown.observe(self._on_choice, names="value")
        self.controls = widgets.VBox(list(self.dropdowns.values()))
        self._layout(self.controls, figure=figure)
        self._check_keys(choices)
        self._apply(choices, strict=choices.keys())

    # -- choosing --------------------------------------------------------------------------------
    def _check_keys(self, choices: dict[str, Any]) -> None:
        for key in choices:
            if key not in (*LEVELS, "session_type"):
                raise InvalidChoiceError(format_choice_error("picker level", key,
                                                             [*LEVELS, "session_type"]))

    def _apply(self, wanted: dict[str, Any], strict: Any = ()) -> None:
        chosen, options = resolve_choices(self._containers, self._experiments, wanted,
                                          strict=strict)
        with self._quiet():
            for level, dropdown in self.dropdowns.items():
                dropdown.options = options[level]
                dropdown.value = chosen[level]
        session = None
        if chosen["ophys_experiment_id"] is not None:
            session = self._experiments.loc[chosen["ophys_experiment_id"], "session_type"]
        self.value = {**chosen, "session_type": session}
        self.experiment_id = chosen["ophys_experiment_id"]
        self.refresh()

    def _on_choice(self, change: dict[str, Any]) -> None:
        if not self._quiet_depth:
            wanted = {level: d.value for level, d in self.dropdowns.items()}
            if change["owner"] is not self.dropdowns["ophys_experiment_id"]:
                wanted["session_type"] = self.value.get("session_type")  # keep it if it exists
            self._apply(wanted)

    def select(self, **choices: Any) -> None:
        """Choose some levels at once (the levels below follow).

        Raises
        ------
        InvalidChoiceError
            For a value that does not exist under the levels above it (lists the options).

        Examples
        --------
        >>> picker.select(targeted_structure="VISl", session_type="three_session_A")
        ... # doctest: +SKIP
        """
        self._check_keys(choices)
        wanted = {**self.value, **choices}
        if "session_type" in choices:
            wanted.pop("ophys_experiment_id", None)
        self._apply(wanted, strict=choices.keys())

    @property
    def experiment(self) -> Any:
        """The chosen experiment, opened on first use (None without a choice)."""
        eid = self.experiment_id
        if eid is None:
            return None
        if eid not in self._opened:
            self._opened[eid] = self.vc.experiment(eid)
        return self._opened[eid]

    # -- explorer --------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The choice at every level (keys of :meth:`static`).

        Examples
        --------
        >>> picker.state()["targeted_structure"]  # doctest: +SKIP
        'VISp'
        """
        return {level: self.value.get(level) for level in LEVELS}

    def static(self, **state: Any) -> Figure:
        """The container grid with a choice outlined (``state`` as for :meth:`select`).

        Examples
        --------
        >>> picker.static(targeted_structure="VISl")  # doctest: +SKIP
        """
        self._check_keys(state)
        wanted = {**self.state(), "session_type": self.value.get("session_type"), **state}
        if "session_type" in state:
            wanted.pop("ophys_experiment_id", None)
        chosen, _ = resolve_choices(self._containers, self._experiments, wanted,
                                    strict=state.keys())
        return super().static(**{level: chosen[level] for level in LEVELS})

    def _draw(self, figure: Figure, **state: Any) -> None:
        chosen, _ = resolve_choices(self._containers, self._experiments, state)
        ax = panels(figure, "containers", lambda f: f.add_subplot())
        plot_container_counts(self._containers,
                              selected=(chosen["cre_line"], chosen["targeted_structure"]),
                              synthetic=self.vc.source.synthetic, ax=ax)
        ax.set_title(self._title(chosen), fontsize=8)
        figure.subplots_adjust(left=0.25, right=0.97, bottom=0.17, top=0.85)

    def _describe(self, chosen: dict[str, Any]) -> str:
        if chosen.get("ophys_experiment_id") is None:
            return "nothing chosen"
        session = self._experiments.loc[chosen["ophys_experiment_id"], "session_type"]
        return (f"{chosen['targeted_structure']} / {chosen['cre_line']} / "
                f"{chosen['imaging_depth']} µm / container {chosen['experiment_container_id']}"
                f" / {session} -> experiment {chosen['ophys_experiment_id']}")

    def _title(self, chosen: dict[str, Any]) -> str:
        return self._describe(chosen).replace(" / three", "\nthree", 1)

    def _summary(self) -> str:
        label = self._describe(self.value)
        return label + (", SYNTHETIC SAMPLE" if self.vc.source.synthetic else "")


class CellPicker(Explorer):
    """Choose a cell of an experiment; the figure shows it in the field of view.

    Parameters
    ----------
    source : VisualCoding2P, ExperimentPicker or experiment
        Where the experiment comes from (a ``VisualCoding2P`` gets its own picker).
    figure : bool
        Show the field of view under the dropdown.
    cell_specimen_id : int, optional
        The initial cell (default: the first).

    Attributes
    ----------
    cell_specimen_id : int or None
        The chosen cell (a traitlet); kept when the session changes if the cell is in it.
    experiment_id : int or None
        The experiment the cell belongs to (a traitlet).

    Examples
    --------
    >>> cells = CellPicker(picker)  # doctest: +SKIP
    >>> cells.cell_specimen_id  # doctest: +SKIP
    """

    cell_specimen_id = traitlets.Int(None, allow_none=True)
    experiment_id = traitlets.Int(None, allow_none=True)
    figsize = (5.0, 5.0)

    def __init__(self, source: Any, *, figure: bool = True,
                 cell_specimen_id: int | None = None) -> None:
        super().__init__()
        self.source = ExperimentSource(source)
        self._masks: dict[int, Any] = {}
        self.dropdown = _dropdown("cell")
        self.dropdown.observe(self._on_cell, names="value")
        self._layout(*self.source.embedded, self.dropdown, figure=figure)
        self.source.on_change(self._on_experiment)
        self._on_experiment(keep=cell_specimen_id)
        if cell_specimen_id is not None:
            check_choice("cell_specimen_id", cell_specimen_id, self.dropdown_values)

    @property
    def experiment(self) -> Any:
        """The experiment the cells come from."""
        return self.source.experiment

    @property
    def dropdown_values(self) -> list[int]:
        """The cell_specimen_ids offered."""
        return [value for _, value in self.dropdown.options]

    def _on_experiment(self, keep: int | None = None) -> None:
        experiment = self.experiment
        ids = [] if experiment is None else [int(c) for c in experiment.cell_specimen_ids]
        keep = self.cell_specimen_id if keep is None else keep
        with self._quiet():
            self.dropdown.options = [(f"{cid} (row {row})", cid) for row, cid in enumerate(ids)]
            self.dropdown.value = keep if keep in ids else (ids[0] if ids else None)
        self.experiment_id = None if experiment is None else experiment.ophys_experiment_id
        self.cell_specimen_id = self.dropdown.value
        self.refresh()

    def _on_cell(self, change: dict[str, Any]) -> None:
        if not self._quiet_depth:
            self.cell_specimen_id = change["new"]
            self.refresh()

    def state(self) -> dict[str, Any]:
        """The chosen cell (the key of :meth:`static`).

        Examples
        --------
        >>> cells.state()  # doctest: +SKIP
        {'cell_specimen_id': 940010011}
        """
        return {"cell_specimen_id": self.cell_specimen_id}

    def _roi_masks(self, experiment: Any) -> Any:
        key = int(experiment.ophys_experiment_id)
        if key not in self._masks:
            self._masks[key] = experiment.get_roi_masks()
        return self._masks[key]

    def _draw(self, figure: Figure, **state: Any) -> None:
        experiment, cell = self.experiment, state["cell_specimen_id"]
        ax = panels(figure, "field of view", lambda f: f.add_subplot())
        if experiment is None or cell is None:
            ax.set_axis_off()
            return
        row = experiment.cell_indices([check_choice("cell_specimen_id", cell,
                                                    self.dropdown_values)])[0]
        plot_max_projection(experiment.get_max_projection(), self._roi_masks(experiment),
                            highlight=[row], synthetic=experiment.synthetic, ax=ax)
        ax.set_title(f"cell {cell} (row {row} of {experiment.number_of_cells})\n"
                     f"{experiment_label(experiment)}", fontsize=8)
        figure.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9)

    def _summary(self) -> str:
        experiment = self.experiment
        text = f"cell {self.cell_specimen_id} of {experiment_label(experiment)}"
        return text + (", SYNTHETIC SAMPLE" if experiment is not None and experiment.synthetic
                       else "")
