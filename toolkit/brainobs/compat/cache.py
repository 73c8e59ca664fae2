"""AllenSDK's ``BrainObservatoryCache`` over :class:`brainobs.VisualCoding2P`.

Metadata methods return AllenSDK's ``simple=True`` records (lists of dicts); experiments come
back as :class:`~brainobs.compat.data_set.BrainObservatoryNwbDataSet`. The data source is
brainobs' (``$BRAINOBS_SOURCE``); ``manifest_file``'s folder becomes the cache folder and the
AllenSDK manifest is written there.
"""

from __future__ import annotations

import json
import logging
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import stimuli as st
from ._unsupported import missing_attribute, not_supported

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ..cache.observatory import VisualCoding2P
    from .analysis import StimulusAnalysis
    from .data_set import BrainObservatoryNwbDataSet

__all__ = ["BrainObservatoryCache", "MANIFEST_VERSION", "manifest_entries"]

log = logging.getLogger(__name__)

MANIFEST_VERSION = "1.3"
_MANIFEST_FILES = (
    ("EXPERIMENT_CONTAINERS", "experiment_containers.json"),
    ("EXPERIMENTS", "ophys_experiments.json"),
    ("EXPERIMENT_DATA", "ophys_experiment_data/%d.nwb"),
    ("ANALYSIS_DATA", "ophys_experiment_analysis/%d_%s_analysis.h5"),
    ("EVENTS_DATA", "ophys_experiment_events/%d_events.npz"),
    ("CELL_SPECIMENS", "cell_specimens.json"),
    ("STIMULUS_MAPPINGS", "stimulus_mappings.json"),
    ("EYE_GAZE_DATA", "ophys_eye_gaze_mapping/%d_eyetracking_dlc_to_screen_mapping.h5"),
)
_THUMBNAIL_SUFFIXES = ("_small", "_large")


def manifest_entries() -> dict[str, list[dict[str, str]]]:
    """AllenSDK's manifest (version 1.3) as a JSON-able dict.

    Examples
    --------
    >>> manifest_entries()["manifest"][0]
    {'type': 'manifest_version', 'value': '1.3'}
    """
    entries: list[dict[str, str]] = [
        {"type": "manifest_version", "value": MANIFEST_VERSION},
        {"key": "BASEDIR", "type": "dir", "spec": "."},
    ]
    entries += [
        {"key": key, "type": "file", "spec": spec, "parent_key": "BASEDIR"}
        for key, spec in _MANIFEST_FILES
    ]
    return {"manifest": entries}


def _plain(value: Any) -> Any:
    """A JSON value from a table cell: numpy scalars to Python, NaN to None."""
    if hasattr(value, "item") and not isinstance(value, list | dict):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is not None and not isinstance(value, str | int | float | bool | list | dict):
        import pandas as pd

        if pd.isna(value):
            return None
    return value


def _records(table: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    rows = table.reset_index()[columns].to_dict(orient="records")
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def _reject_file_name(method: str, file_name: Any) -> None:
    if file_name is not None:
        raise not_supported(f"BrainObservatoryCache.{method}(file_name=...)",
                            "BrainObservatoryCache", "file_name")


class BrainObservatoryCache:
    """AllenSDK's ``BrainObservatoryCache``, reading brainobs' source.

    Parameters
    ----------
    cache : bool
        Accepted for compatibility; brainobs always keeps downloaded files.
    manifest_file : str or path, optional
        Its folder becomes the brainobs cache folder; the AllenSDK manifest is written there
        if missing. Default: ``$BRAINOBS_CACHE_DIR`` (no manifest written).
    base_uri, api : None
        Not supported (choose the source with ``$BRAINOBS_SOURCE``).

    Examples
    --------
    >>> boc = BrainObservatoryCache(manifest_file="boc/manifest.json")  # doctest: +SKIP
    >>> boc.get_all_cre_lines()  # doctest: +SKIP
    """

    EXPERIMENT_CONTAINERS_KEY = "EXPERIMENT_CONTAINERS"
    EXPERIMENTS_KEY = "EXPERIMENTS"
    CELL_SPECIMENS_KEY = "CELL_SPECIMENS"
    EXPERIMENT_DATA_KEY = "EXPERIMENT_DATA"
    ANALYSIS_DATA_KEY = "ANALYSIS_DATA"
    EVENTS_DATA_KEY = "EVENTS_DATA"
    STIMULUS_MAPPINGS_KEY = "STIMULUS_MAPPINGS"
    EYE_GAZE_DATA_KEY = "EYE_GAZE_DATA"
    MANIFEST_VERSION = MANIFEST_VERSION

    def __init__(
        self,
        cache: bool = True,
        manifest_file: str | os.PathLike[str] | None = None,
        base_uri: str | None = None,
        api: Any = None,
    ) -> None:
        from ..cache.observatory import VisualCoding2P

        if base_uri is not None or api is not None:
            raise not_supported("BrainObservatoryCache(base_uri=..., api=...)",
                                "BrainObservatoryCache", "base_uri")
        self.cache = cache
        folder = None
        if manifest_file is not None:
            self.manifest_file = str(manifest_file)
            folder = Path(manifest_file).expanduser().resolve().parent
            if not Path(manifest_file).exists():
                self.build_manifest(self.manifest_file)
        self.vc: VisualCoding2P = VisualCoding2P(cache_dir=folder)

    def __repr__(self) -> str:
        return f"<BrainObservatoryCache over {self.vc!r}>"

    def __getattr__(self, name: str) -> Any:
        raise missing_attribute(self, name, ("BrainObservatoryCache",))

    # --- the "all" lists ------------------------------------------------------------------------

    def get_all_targeted_structures(self) -> list[str]:
        """Areas of the containers that did not fail, sorted.

        Examples
        --------
        >>> boc.get_all_targeted_structures()  # doctest: +SKIP
        """
        return list(self.vc.choices()["targeted_structures"])

    def get_all_cre_lines(self) -> list[str]:
        """Cre lines of the containers that did not fail, sorted.

        Examples
        --------
        >>> boc.get_all_cre_lines()  # doctest: +SKIP
        """
        return list(self.vc.choices()["cre_lines"])

    def get_all_reporter_lines(self) -> list[str]:
        """Reporter lines, sorted.

        Examples
        --------
        >>> boc.get_all_reporter_lines()  # doctest: +SKIP
        """
        return list(self.vc.choices()["reporter_lines"])

    def get_all_imaging_depths(self) -> list[int]:
        """Imaging depths (µm), sorted.

        Examples
        --------
        >>> boc.get_all_imaging_depths()  # doctest: +SKIP
        """
        return list(self.vc.choices()["imaging_depths"])

    def get_all_session_types(self) -> list[str]:
        """Session types of experiments in containers that did not fail, sorted.

        Examples
        --------
        >>> boc.get_all_session_types()  # doctest: +SKIP
        """
        return list(self.vc.choices()["session_types"])

    def get_all_stimuli(self) -> list[str]:
        """The ten stimulus names, sorted.

        Examples
        --------
        >>> BrainObservatoryCache.get_all_stimuli(None)[0]  # doctest: +SKIP
        'drifting_gratings'
        """
        return sorted(st.ALL_STIMULI)

    # --- records ----------------------------------------------------------------------------------

    def get_experiment_containers(
        self,
        file_name: Any = None,
        ids: Any = None,
        targeted_structures: Any = None,
        imaging_depths: Any = None,
        cre_lines: Any = None,
        reporter_lines: Any = None,
        transgenic_lines: Any = None,
        include_failed: bool = False,
        simple: bool = True,
    ) -> list[dict[str, Any]]:
        """Containers as AllenSDK's simple records (``id, imaging_depth, ..., failed``).

        Examples
        --------
        >>> boc.get_experiment_containers(targeted_structures=["VISp"])  # doctest: +SKIP
        """
        from ..cache.tables import CONTAINER_COLUMNS

        _reject_file_name("get_experiment_containers", file_name)
        self._require_simple("get_experiment_containers", simple)
        table = self.vc.containers(
            ids=ids, targeted_structures=targeted_structures, imaging_depths=imaging_depths,
            cre_lines=cre_lines, reporter_lines=reporter_lines,
            transgenic_lines=transgenic_lines, include_failed=include_failed,
        )
        return _records(table, ["id", *CONTAINER_COLUMNS])

    def get_ophys_experiments(
        self,
        file_name: Any = None,
        ids: Any = None,
        experiment_container_ids: Any = None,
        targeted_structures: Any = None,
        imaging_depths: Any = None,
        cre_lines: Any = None,
        reporter_lines: Any = None,
        transgenic_lines: Any = None,
        stimuli: Any = None,
        session_types: Any = None,
        cell_specimen_ids: Any = None,
        include_failed: bool = False,
        require_eye_tracking: bool = False,
        simple: bool = True,
    ) -> list[dict[str, Any]]:
        """Experiments as AllenSDK's simple records (``id, ..., session_type, ...``).

        ``fail_eye_tracking`` is the release's value (AllenSDK re-derives it from the Allen
        API). Combining ``experiment_container_ids`` and ``cell_specimen_ids`` intersects them.

        Examples
        --------
        >>> boc.get_ophys_experiments(stimuli=["natural_scenes"])  # doctest: +SKIP
        """
        from ..cache.tables import EXPERIMENT_COLUMNS

        _reject_file_name("get_ophys_experiments", file_name)
        self._require_simple("get_ophys_experiments", simple)
        table = self.vc.experiments(
            ids=ids, experiment_container_ids=experiment_container_ids,
            targeted_structures=targeted_structures, imaging_depths=imaging_depths,
            cre_lines=cre_lines, reporter_lines=reporter_lines,
            transgenic_lines=transgenic_lines, stimuli=stimuli, session_types=session_types,
            cell_specimen_ids=cell_specimen_ids, include_failed=include_failed,
            require_eye_tracking=require_eye_tracking,
        )
        records = _records(table.rename_axis("id"), ["id", *EXPERIMENT_COLUMNS])
        for rec in records:
            age = rec["acquisition_age_days"]
            rec["acquisition_age_days"] = None if age is None else int(age)
        return records

    def get_cell_specimens(
        self,
        file_name: Any = None,
        ids: Any = None,
        experiment_container_ids: Any = None,
        include_failed: bool = False,
        simple: bool = True,
        filters: list[dict[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """Cell records (metrics) passing ``filters`` (the portal's field/op/value form).

        ``simple=True`` drops the thumbnail columns (``*_small``, ``*_large``).

        Examples
        --------
        >>> boc.get_cell_specimens(filters=[{"field": "p_ns", "op": "<", "value": 0.05}])
        ... # doctest: +SKIP
        """
        from .query import dataframe_query

        _reject_file_name("get_cell_specimens", file_name)
        table = self.vc.cells(
            ids=ids, experiment_container_ids=experiment_container_ids,
            include_failed=include_failed,
        ).reset_index()
        table = dataframe_query(table, filters)
        columns = [str(c) for c in table.columns]
        if simple:
            columns = [c for c in columns if not c.endswith(_THUMBNAIL_SUFFIXES)]
        return _records(table, columns)

    def get_ophys_experiment_stimuli(self, experiment_id: int) -> list[str] | None:
        """Stimuli of an experiment's session type, or None for an unknown id.

        Examples
        --------
        >>> boc.get_ophys_experiment_stimuli(920020002)  # doctest: +SKIP
        """
        found = self.vc.experiments(include_failed=True)
        if int(experiment_id) not in found.index:
            return None
        return list(st.stimuli_in_session(found.loc[int(experiment_id), "session_type"]))

    # --- files ------------------------------------------------------------------------------------

    def get_nwb_filepath(self, ophys_experiment_id: int | None = None) -> str | None:
        """Path of an experiment's NWB file if it is already local, else None.

        Examples
        --------
        >>> boc.get_nwb_filepath(920020002)  # doctest: +SKIP
        """
        plan = self.vc.plan(int(ophys_experiment_id), kinds=["nwb"])  # type: ignore[arg-type]
        row = plan.iloc[0]
        return str(row["path"]) if bool(row["cached"]) else None

    def get_ophys_experiment_data(
        self, ophys_experiment_id: int, file_name: Any = None
    ) -> BrainObservatoryNwbDataSet:
        """An experiment's data set (its NWB file, downloaded first if needed).

        Examples
        --------
        >>> ds = boc.get_ophys_experiment_data(920020002)  # doctest: +SKIP
        """
        from .data_set import BrainObservatoryNwbDataSet

        _reject_file_name("get_ophys_experiment_data", file_name)
        return BrainObservatoryNwbDataSet(self.vc.experiment_path(ophys_experiment_id))

    def get_ophys_experiment_events(
        self, ophys_experiment_id: int, file_name: Any = None
    ) -> np.ndarray:
        """Detected events (cells × frames).

        Examples
        --------
        >>> boc.get_ophys_experiment_events(920020002).shape  # doctest: +SKIP
        """
        _reject_file_name("get_ophys_experiment_events", file_name)
        return self.vc.events(ophys_experiment_id)

    def get_ophys_experiment_analysis(
        self, ophys_experiment_id: int, stimulus_type: str, file_name: Any = None
    ) -> StimulusAnalysis:
        """The stimulus analysis of an experiment, computed by :mod:`brainobs.analysis`.

        AllenSDK reads a precomputed analysis file; brainobs computes the same numbers from
        the NWB file (a few seconds; sparse noise longer).

        Raises
        ------
        MissingStimulusError
            The session did not show ``stimulus_type`` (names the sessions that did).

        Examples
        --------
        >>> ns = boc.get_ophys_experiment_analysis(920020002, "natural_scenes")  # doctest: +SKIP
        >>> ns.peak.head()  # doctest: +SKIP
        """
        from .analysis import analysis_for

        _reject_file_name("get_ophys_experiment_analysis", file_name)
        data_set = self.get_ophys_experiment_data(ophys_experiment_id)
        st.check_stimulus_in_session(stimulus_type, data_set.get_session_type())
        return analysis_for(data_set, stimulus_type)

    def get_eye_tracking(self, ophys_experiment_id: int) -> np.ndarray:
        """Not supported (AllenSDK reads a separate eye-tracking bucket).

        Examples
        --------
        >>> boc.get_eye_tracking(920020002)  # doctest: +SKIP
        """
        raise not_supported("BrainObservatoryCache.get_eye_tracking()")

    def get_ophys_pupil_data(
        self, ophys_experiment_id: int, file_name: Any = None, suppress_pupil_data: bool = True
    ) -> pd.DataFrame:
        """Not supported (the eye-gaze mapping files are not in brainobs' sources).

        Examples
        --------
        >>> boc.get_ophys_pupil_data(920020002)  # doctest: +SKIP
        """
        raise not_supported("BrainObservatoryCache.get_ophys_pupil_data()")

    def build_manifest(self, file_name: str | os.PathLike[str]) -> None:
        """Write AllenSDK's manifest (version 1.3) to ``file_name``.

        Examples
        --------
        >>> boc.build_manifest("boc/manifest.json")  # doctest: +SKIP
        """
        path = Path(file_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest_entries(), indent=2), encoding="utf-8")

    @staticmethod
    def _require_simple(method: str, simple: bool) -> None:
        if not simple:
            raise not_supported(f"BrainObservatoryCache.{method}(simple=False)",
                                "BrainObservatoryCache", "simple")
