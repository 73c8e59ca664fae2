"""The release's metadata tables for one source: JSON fetched once, parsed tables kept fast.

The JSON files (``experiment_containers.json``, ``ophys_experiments.json``,
``cell_specimens.json``) come through the :class:`~brainobs.cache.files.FileStore` (fetched
once and verified for a remote source, read in place otherwise). The tables built from them are
kept as fast local copies (:mod:`brainobs.cache.tablecache`) in the source's state folder.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tables as _tables
from .files import FileStore
from .kinds import metadata_spec
from .tablecache import load_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Metadata", "CONTAINERS", "EXPERIMENTS", "CELLS"]

CONTAINERS = "experiment_containers.json"
EXPERIMENTS = "ophys_experiments.json"
CELLS = "cell_specimens.json"


def _read_json(path: Path | None) -> list[dict[str, Any]] | None:
    if path is None:
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


class Metadata:
    """Containers, experiments and cells of one source, as unfiltered tables.

    Parameters
    ----------
    store : FileStore
        Gives the JSON files (fetching them for a remote source).

    Examples
    --------
    >>> Metadata(store).containers.loc[511510675, "targeted_structure"]  # doctest: +SKIP
    'VISp'
    """

    def __init__(self, store: FileStore) -> None:
        self.store = store

    def path(self, name: str, *, required: bool = False) -> Path | None:
        """The verified local copy of metadata file ``name`` (None if the release lacks it).

        Parameters
        ----------
        name : str
            A release metadata file, e.g. ``"experiment_containers.json"``.
        required : bool, optional
            If True, raise FileNotFoundError instead of returning None.

        Returns
        -------
        pathlib.Path or None

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from brainobs.config import resolve_source
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "visual-coding-2p").mkdir()
        >>> _ = (root / "visual-coding-2p" / CONTAINERS).write_text("[]")
        >>> source = resolve_source(root, cache=tempfile.mkdtemp())
        >>> meta = Metadata(FileStore(source, None))
        >>> meta.path(CONTAINERS).name, meta.path(CELLS)
        ('experiment_containers.json', None)
        """
        return self.store.ensure(metadata_spec(name), required=required)

    def _copy(self, table: str) -> Path:
        return self.store.source.state / "tables" / f"{table}.npz"

    @cached_property
    def container_records(self) -> list[dict[str, Any]]:
        """The raw container records."""
        return _read_json(self.path(CONTAINERS, required=True)) or []

    @cached_property
    def containers(self) -> pd.DataFrame:
        """Every container (failed ones too), indexed by ``id``."""
        source = self.path(CONTAINERS, required=True)
        return load_table(
            self._copy("containers"),
            [source],
            lambda: _tables.container_table(self.container_records),
        )

    @cached_property
    def experiments(self) -> pd.DataFrame:
        """Every experiment, indexed by ``ophys_experiment_id``.

        Built from ``ophys_experiments.json``, or from the experiments nested in the container
        records when a release has no such file.
        """
        containers = self.path(CONTAINERS, required=True)
        experiments = self.path(EXPERIMENTS)
        return load_table(
            self._copy("experiments"),
            [containers, experiments],
            lambda: _tables.experiment_table(_read_json(experiments), self.container_records),
        )

    @cached_property
    def cells(self) -> pd.DataFrame:
        """Every cell specimen with its metrics, indexed by ``cell_specimen_id``.

        Raises
        ------
        FileNotFoundError
            If the release has no ``cell_specimens.json``.
        """
        path = self.path(CELLS)
        if path is None:
            where = self.store.source.url or self.store.source.release
            msg = f"This release has no {CELLS} (looked in {where})."
            raise FileNotFoundError(msg)
        return load_table(
            self._copy("cells"), [path], lambda: _tables.cell_table(_read_json(path) or [])
        )
