"""Visual Coding 2P: list containers, experiments and cells; open an experiment.

The face students use. Metadata come from the release's JSON records (the Allen API shapes),
files from the release's folders, in the public S3 layout (``visual-coding-2p/...``).
"""

from __future__ import annotations

import json
import logging
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import CONTAINERS_FILE, RELEASE_PREFIX, DataSource, resolve_source
from ..errors import InvalidChoiceError, check_choice
from ..stimuli import ALL_STIMULI, SESSION_TYPES
from . import filters as _filters
from . import tables as _tables

if TYPE_CHECKING:
    import pandas as pd

    from ..nwb.ophys1 import Ophys1Experiment

__all__ = ["VisualCoding2P", "RELEASE_PREFIX"]

log = logging.getLogger(__name__)

_CONTAINERS = CONTAINERS_FILE
_EXPERIMENTS = "ophys_experiments.json"
_CELLS = "cell_specimens.json"


class VisualCoding2P:
    """The Visual Coding 2-photon dataset: metadata tables and experiments.

    Parameters
    ----------
    source : str or path, optional
        ``"sample"`` (the built-in synthetic sample release, generated into the cache folder on
        first use) or a folder holding ``visual-coding-2p/`` in the public S3 layout.
        Default: ``$BRAINOBS_SOURCE``, else ``"sample"``.
    cache_dir : str or path, optional
        Where generated and downloaded files go. Default: ``$BRAINOBS_CACHE_DIR``, else the
        user cache folder.

    Examples
    --------
    >>> vc = VisualCoding2P(source="sample")  # doctest: +SKIP
    >>> vc.containers(targeted_structures="VISp", cre_lines="Cux2-CreERT2")  # doctest: +SKIP
    >>> exp = vc.experiment(vc.experiments(stimuli="natural_scenes").index[0])  # doctest: +SKIP
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.source: DataSource = resolve_source(source, cache_dir)
        if self.source.name == "sample":
            self._ensure_sample()
        self._release = self.source.release

    def __repr__(self) -> str:
        label = "SYNTHETIC SAMPLE DATA — " if self.source.synthetic else ""
        return f"VisualCoding2P({label}source={self.source.name!r}, release='{self._release}')"

    # -- sources ------------------------------------------------------------------------------
    def _ensure_sample(self) -> None:
        root = self.source.root
        if (self.source.release / _CONTAINERS).is_file():
            return
        from ..sample.release import write_sample_release

        log.warning("Generating the synthetic sample release in %s (about a minute, once).", root)
        root.parent.mkdir(parents=True, exist_ok=True)
        write_sample_release(root)

    def _load(self, name: str) -> list[dict[str, Any]] | None:
        path = self._release / name
        if not path.is_file():
            return None
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)

    def _label(self, table: pd.DataFrame, what: str) -> pd.DataFrame:
        table.attrs["brainobs"] = {
            "dataset": "Visual Coding 2P",
            "table": what,
            "source": self.source.name,
            "release": str(self.source.release),
            "synthetic": self.source.synthetic,
        }
        return table

    # -- tables ---------------------------------------------------------------------------------
    @cached_property
    def _container_records(self) -> list[dict[str, Any]]:
        return self._load(_CONTAINERS) or []

    @cached_property
    def _all_containers(self) -> pd.DataFrame:
        return _tables.container_table(self._container_records)

    @cached_property
    def _all_experiments(self) -> pd.DataFrame:
        return _tables.experiment_table(self._load(_EXPERIMENTS), self._container_records)

    @cached_property
    def _all_cells(self) -> pd.DataFrame:
        records = self._load(_CELLS)
        if records is None:
            msg = f"This release has no {_CELLS} (looked in {self._release})."
            raise FileNotFoundError(msg)
        return _tables.cell_table(records)

    def containers(self, **filters: Any) -> pd.DataFrame:
        """Experiment containers, indexed by ``id``.

        Parameters
        ----------
        **filters
            ``ids, targeted_structures, imaging_depths, cre_lines, reporter_lines,
            transgenic_lines`` (a value or a list) and ``include_failed`` (default False).

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> VisualCoding2P("sample").containers(cre_lines=["Cux2-CreERT2"])  # doctest: +SKIP
        """
        _check_keywords(filters, _CONTAINER_FILTERS)
        table = _filters.filter_containers(self._all_containers, **filters)
        return self._label(table.copy(), "containers")

    def experiments(self, **filters: Any) -> pd.DataFrame:
        """Ophys experiments (one imaging session each), indexed by ``ophys_experiment_id``.

        Parameters
        ----------
        **filters
            Those of :meth:`containers` plus ``experiment_container_ids, session_types,
            stimuli, cell_specimen_ids, require_eye_tracking``.

        Examples
        --------
        >>> VisualCoding2P("sample").experiments(stimuli="natural_scenes")  # doctest: +SKIP
        """
        _check_keywords(filters, _EXPERIMENT_FILTERS)
        cells = self._all_cells if filters.get("cell_specimen_ids") is not None else None
        table = _filters.filter_experiments(self._all_experiments, cells, **filters)
        return self._label(table.copy(), "experiments")

    def cells(self, **filters: Any) -> pd.DataFrame:
        """Cell specimens with their metrics, indexed by ``cell_specimen_id``.

        Parameters
        ----------
        **filters
            ``ids, experiment_container_ids, include_failed``.

        Examples
        --------
        >>> VisualCoding2P("sample").cells().p_ns.lt(0.05).mean()  # doctest: +SKIP
        """
        _check_keywords(filters, _CELL_FILTERS)
        table = _filters.filter_cells(self._all_cells, **filters)
        return self._label(table.copy(), "cells")

    def choices(self) -> dict[str, list[Any]]:
        """The valid values of every filter (over containers that did not fail).

        Examples
        --------
        >>> VisualCoding2P("sample").choices()["targeted_structures"]  # doctest: +SKIP
        ['VISal', 'VISl', 'VISp', 'VISpm']
        """
        ok = self._all_containers[~self._all_containers["failed"]]
        experiments = self._all_experiments[~self._all_experiments["container_failed"]]

        def values(series: pd.Series) -> list[Any]:
            return sorted({v for v in series if v is not None}, key=str)

        return {
            "cre_lines": values(ok["cre_line"]),
            "targeted_structures": values(ok["targeted_structure"]),
            "imaging_depths": [int(v) for v in values(ok["imaging_depth"])],
            "reporter_lines": values(ok["reporter_line"]),
            "transgenic_lines": sorted({n for names in ok["transgenic_lines"] for n in names}),
            "session_types": [s for s in SESSION_TYPES if s in set(experiments["session_type"])],
            "stimuli": sorted(ALL_STIMULI),
        }

    # -- files ----------------------------------------------------------------------------------
    def experiment_path(self, ophys_experiment_id: int) -> Path:
        """Path of an experiment's NWB file in this release.

        Raises
        ------
        InvalidChoiceError
            If the id is not an experiment of this release (lists valid ids).
        FileNotFoundError
            If the experiment exists but its file is not in the release folder.

        Examples
        --------
        >>> vc.experiment_path(vc.experiments().index[0]).suffix  # doctest: +SKIP
        '.nwb'
        """
        ophys_experiment_id = _as_experiment_id(ophys_experiment_id, self._all_experiments)
        path = self._release / "ophys_experiment_data" / f"{ophys_experiment_id}.nwb"
        if not path.is_file():
            msg = f"The NWB file of experiment {ophys_experiment_id} is not in {path.parent}."
            raise FileNotFoundError(msg)
        return path

    def experiment(self, ophys_experiment_id: int) -> Ophys1Experiment:
        """Open an experiment (one NWB file) lazily.

        Examples
        --------
        >>> exp = vc.experiment(vc.experiments(stimuli="natural_scenes").index[0])  # doctest: +SKIP
        >>> exp.get_dff()  # doctest: +SKIP
        """
        from ..nwb import open_nwb

        return open_nwb(self.experiment_path(ophys_experiment_id))

    def events_path(self, ophys_experiment_id: int) -> Path:
        """Path of an experiment's events file (``<id>_events.npz``).

        Examples
        --------
        >>> vc.events_path(eid).name  # doctest: +SKIP
        """
        ophys_experiment_id = _as_experiment_id(ophys_experiment_id, self._all_experiments)
        path = self._release / "ophys_experiment_events" / f"{ophys_experiment_id}_events.npz"
        if not path.is_file():
            msg = f"The events file of experiment {ophys_experiment_id} is not in {path.parent}."
            raise FileNotFoundError(msg)
        return path


_CONTAINER_FILTERS = (
    "ids",
    "targeted_structures",
    "imaging_depths",
    "cre_lines",
    "reporter_lines",
    "transgenic_lines",
    "include_failed",
)
_EXPERIMENT_FILTERS = (
    *_CONTAINER_FILTERS,
    "experiment_container_ids",
    "session_types",
    "stimuli",
    "cell_specimen_ids",
    "require_eye_tracking",
)
_CELL_FILTERS = ("ids", "experiment_container_ids", "include_failed")


def _check_keywords(given: dict[str, Any], valid: tuple[str, ...]) -> None:
    for name in given:
        check_choice("filter", name, valid)


def _as_experiment_id(value: Any, experiments: pd.DataFrame) -> int:
    containers = set(experiments["experiment_container_id"])
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number in containers:
        msg = (
            f"{number} is an experiment container id, not an ophys experiment id. Pick one of "
            f"its experiments: vc.experiments(experiment_container_ids=[{number}])."
        )
        raise InvalidChoiceError(msg)
    return int(check_choice("ophys experiment id", number, experiments.index))
