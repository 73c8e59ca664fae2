"""Visual Coding 2P: list containers, experiments and cells; open an experiment.

The face students use. Metadata come from the release's JSON records (the Allen API shapes),
files from the release's folders in the public S3 layout (``visual-coding-2p/...``): fetched
once into the cache from the public bucket, the Allen API or a mirror and verified, or used in
place for the sample release and folders.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import RELEASE_PREFIX, DataSource, is_sample_release, resolve_source
from ..sources.transport import DEFAULT_RETRIES, Timeout
from ..stimuli import ALL_STIMULI
from . import filters as _filters
from .files import FileStore
from .kinds import experiment_spec
from .metadata import Metadata
from .remote import remotes_for

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ..nwb.ophys1 import Ophys1Experiment

__all__ = ["VisualCoding2P", "RELEASE_PREFIX"]

log = logging.getLogger(__name__)


class VisualCoding2P:
    """The Visual Coding 2-photon dataset: metadata tables and experiments.

    Parameters
    ----------
    source : str or path, optional
        ``"s3"`` (the public bucket), ``"api"`` (the Allen API), ``"sample"`` (the built-in
        synthetic sample release, generated into the cache folder on first use), a mirror's
        URL (``"http://host:port"``, see ``brainobs mirror``), or a folder holding
        ``visual-coding-2p/`` in the public S3 layout. Default: ``$BRAINOBS_SOURCE``, else
        ``"s3"``.
    cache_dir : str or path, optional
        Where generated and downloaded files go. Default: ``$BRAINOBS_CACHE_DIR``, else the
        user cache folder.
    progress : bool or object
        Download progress: True (a bar in notebooks and terminals, else log lines), False, or
        a tqdm-like object.
    timeout : float or (float, float), optional
        Seconds to connect, and the longest silence while receiving.
    retries : int
        Tries after the first one, for every request.

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
        *,
        progress: bool | Any = True,
        timeout: Timeout | None = None,
        retries: int = DEFAULT_RETRIES,
    ) -> None:
        self.source: DataSource = resolve_source(source, cache_dir)
        if self.source.name == "sample":
            self._ensure_sample()
        options = {"progress": progress, "timeout": timeout, "retries": retries}
        self._store = FileStore(self.source, *remotes_for(self.source, **options))
        self._metadata = Metadata(self._store)
        if self.source.remote:
            self._metadata.path("experiment_containers.json", required=True)
            self.source = replace(self.source, synthetic=is_sample_release(self.source.release))

    def __repr__(self) -> str:
        label = "SYNTHETIC SAMPLE DATA — " if self.source.synthetic else ""
        where = self.source.url or str(self.source.release)
        return f"VisualCoding2P({label}source={self.source.name!r}, release='{where}')"

    def _ensure_sample(self) -> None:
        from ..sample.release import sample_is_current, write_sample_release

        root = self.source.root
        exists = (self.source.release / "experiment_containers.json").is_file()
        if exists and sample_is_current(root):
            return
        if exists:
            log.warning("The sample release in %s was made by an older brainobs; "
                        "generating it anew (about a minute, once).", root)
        else:
            log.warning("Generating the synthetic sample release in %s (about a minute, once).",
                        root)
        root.parent.mkdir(parents=True, exist_ok=True)
        write_sample_release(root, overwrite=exists)

    def _label(self, table: pd.DataFrame, what: str) -> pd.DataFrame:
        table.attrs["brainobs"] = {
            "dataset": "Visual Coding 2P",
            "table": what,
            "source": self.source.name,
            "url": self.source.url,
            "release": str(self.source.release),
            "synthetic": self.source.synthetic,
        }
        return table

    # -- tables ---------------------------------------------------------------------------------
    def containers(self, **filters: Any) -> pd.DataFrame:
        """Experiment containers, indexed by ``id``.

        Parameters
        ----------
        **filters
            ``ids, targeted_structures, imaging_depths, cre_lines, reporter_lines,
            transgenic_lines`` (a value or a list) and ``include_failed`` (default False).

        Examples
        --------
        >>> VisualCoding2P("sample").containers(cre_lines=["Cux2-CreERT2"])  # doctest: +SKIP
        """
        _filters.check_keywords(filters, _filters.CONTAINER_FILTERS)
        table = _filters.filter_containers(self._metadata.containers, **filters)
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
        _filters.check_keywords(filters, _filters.EXPERIMENT_FILTERS)
        cells = self._metadata.cells if filters.get("cell_specimen_ids") is not None else None
        table = _filters.filter_experiments(self._metadata.experiments, cells, **filters)
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
        _filters.check_keywords(filters, _filters.CELL_FILTERS)
        table = _filters.filter_cells(self._metadata.cells, **filters)
        return self._label(table.copy(), "cells")

    def choices(self) -> dict[str, list[Any]]:
        """The valid values of every filter (over containers that did not fail).

        Examples
        --------
        >>> VisualCoding2P("sample").choices()["targeted_structures"]  # doctest: +SKIP
        ['VISal', 'VISl', 'VISp', 'VISpm']
        """
        containers = self._metadata.containers
        ok = containers[~containers["failed"].to_numpy(dtype=bool)]
        experiments = self._metadata.experiments
        shown = experiments[~experiments["container_failed"].to_numpy(dtype=bool)]

        def values(series: pd.Series) -> list[Any]:
            return sorted({v for v in series if v is not None and v == v}, key=str)

        return {
            "cre_lines": values(ok["cre_line"]),
            "targeted_structures": values(ok["targeted_structure"]),
            "imaging_depths": [int(v) for v in values(ok["imaging_depth"])],
            "reporter_lines": values(ok["reporter_line"]),
            "transgenic_lines": sorted({n for names in ok["transgenic_lines"] for n in names}),
            "session_types": values(shown["session_type"]),
            "stimuli": sorted(ALL_STIMULI),
        }

    # -- files ----------------------------------------------------------------------------------
    def _experiment_id(self, value: Any) -> int:
        return _filters.as_experiment_id(value, self._metadata.experiments)

    def experiment_path(self, ophys_experiment_id: int) -> Path:
        """Path of an experiment's NWB file, downloaded and verified first if needed.

        Raises
        ------
        InvalidChoiceError
            If the id is not an experiment of this release (lists valid ids).
        FileNotFoundError
            If the source does not have the file.
        DownloadError
            If the file is not cached and the source cannot be reached (says how to get it).

        Examples
        --------
        >>> vc.experiment_path(vc.experiments().index[0]).suffix  # doctest: +SKIP
        '.nwb'
        """
        spec = experiment_spec(self._experiment_id(ophys_experiment_id), "nwb")
        return self._store.ensure(spec)  # type: ignore[return-value]

    def experiment(self, ophys_experiment_id: int) -> Ophys1Experiment:
        """Open an experiment (one NWB file) lazily, downloading it first if needed.

        Examples
        --------
        >>> exp = vc.experiment(vc.experiments(stimuli="natural_scenes").index[0])  # doctest: +SKIP
        >>> exp.get_dff()  # doctest: +SKIP
        """
        from ..nwb import open_nwb

        return open_nwb(self.experiment_path(ophys_experiment_id))

    def events_path(self, ophys_experiment_id: int) -> Path:
        """Path of an experiment's events file (``<id>_events.npz``), fetched if needed.

        Examples
        --------
        >>> vc.events_path(eid).name  # doctest: +SKIP
        '501940850_events.npz'
        """
        spec = experiment_spec(self._experiment_id(ophys_experiment_id), "events")
        return self._store.ensure(spec)  # type: ignore[return-value]

    def events(self, ophys_experiment_id: int) -> np.ndarray:
        """An experiment's detected events: (cells × frames), magnitudes at event frames.

        Rows follow the experiment's ``cell_specimen_ids``; frames its fluorescence time base.

        Examples
        --------
        >>> vc.events(eid).shape  # doctest: +SKIP
        (41, 113888)
        """
        from ..nwb.events import read_events

        return read_events(self.events_path(ophys_experiment_id))

    def analysis_path(self, ophys_experiment_id: int) -> Path:
        """Path of an experiment's precomputed analysis file (HDF5), fetched if needed.

        The real release has one per experiment. The sample release writes its own on first
        request, computed by :mod:`brainobs.analysis` from the experiment's NWB file in the
        same layout (about 5 s and 4–40 MB each; ``brainobs sample --analysis-files`` writes
        them all at once).

        Examples
        --------
        >>> vc.analysis_path(eid).name  # doctest: +SKIP
        '501940850_three_session_A_analysis.h5'
        """
        number = self._experiment_id(ophys_experiment_id)
        session = self._metadata.experiments.loc[number, "session_type"]
        spec = experiment_spec(number, "analysis", session)
        path = self._store.path_of(spec)
        if self.source.name == "sample" and not path.is_file():
            from ..analysis.analysis_file import write_analysis_file

            log.info("writing the sample's analysis file %s", path.name)
            write_analysis_file(self.experiment_path(number), path)
        return self._store.ensure(spec)  # type: ignore[return-value]

    def plan(
        self, ophys_experiment_ids: int | Iterable[int], kinds: Iterable[str] = ("nwb", "events")
    ) -> pd.DataFrame:
        """The files some experiments need: size, whether cached, and the total to download.

        Parameters
        ----------
        ophys_experiment_ids : int or iterable of int
            Experiments (e.g. ``vc.experiments(...).index``).
        kinds : iterable of str
            Any of ``"nwb"``, ``"events"``, ``"analysis"``.

        Returns
        -------
        pandas.DataFrame
            Columns ``ophys_experiment_id, kind, key, size, cached, available, path``;
            ``attrs["brainobs"]`` has ``download_bytes``, ``free_bytes`` and ``summary``.

        Examples
        --------
        >>> vc.plan(vc.experiments(cre_lines="Vip-IRES-Cre").index).attrs["brainobs"]["summary"]
        ... # doctest: +SKIP
        """
        from .plan import make_plan

        ids = _filters.as_list(ophys_experiment_ids) or []
        kinds = list(_filters.as_list(kinds) or [])
        specs = []
        for value in ids:
            number = self._experiment_id(value)
            session = self._metadata.experiments.loc[number, "session_type"]
            specs.extend(experiment_spec(number, kind, session) for kind in kinds)
        return make_plan(self._store, specs)

    def verify(self, refetch: bool = False) -> pd.DataFrame:
        """Check every cached file (size, md5, HDF5/npz/JSON content); a report, one row each.

        Parameters
        ----------
        refetch : bool
            Download damaged files again (for the sample release: write it again).

        Examples
        --------
        >>> report = vc.verify()  # doctest: +SKIP
        >>> report.attrs["brainobs"]["summary"]  # doctest: +SKIP
        """
        from .integrity import verify_files

        return verify_files(self._store, refetch=refetch)
