"""Before downloading: which files a set of experiments needs, how big, what is already here.

Sizes of files not yet cached come from the source (HEAD requests for the bucket and mirrors,
the file link for the Allen API); cached files and local sources give their own sizes.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DownloadError
from ..sources.verify import format_size
from .files import FileStore, offline_advice
from .kinds import FileSpec

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PLAN_COLUMNS", "make_plan", "free_space"]

log = logging.getLogger(__name__)

PLAN_COLUMNS = ("ophys_experiment_id", "kind", "key", "size", "cached", "available", "path")


def free_space(folder: Path) -> int:
    """Free bytes on the disk of ``folder`` (or of its nearest existing parent).

    Examples
    --------
    >>> free_space(Path("/nonexistent/deeper")) > 0
    True
    """
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return 0


def _row(store: FileStore, spec: FileSpec) -> dict[str, Any]:
    path = store.path_of(spec)
    cached = store.is_cached(spec)
    if cached or store.remote is None:
        present = path.is_file()
        size = path.stat().st_size if present else None
        available = present
    else:
        located = store.remote.locate(spec)
        size = located.size if located is not None else None
        available = located is not None
    return {
        "ophys_experiment_id": spec.ophys_experiment_id,
        "kind": spec.kind,
        "key": spec.key,
        "size": size,
        "cached": cached,
        "available": available,
        "path": str(path),
    }


def make_plan(store: FileStore, specs: Iterable[FileSpec]) -> pd.DataFrame:
    """One row per file: ``ophys_experiment_id, kind, key, size, cached, available, path``.

    ``attrs["brainobs"]`` holds ``download_bytes`` (what is still to fetch), ``free_bytes``
    (on the cache's disk), ``fits`` and a one-line ``summary``, which is also logged.

    Raises
    ------
    DownloadError
        If the source cannot be reached to size files that are not cached.

    Examples
    --------
    >>> plan = make_plan(store, [experiment_spec(501940850, "nwb")])  # doctest: +SKIP
    >>> plan.attrs["brainobs"]["summary"]  # doctest: +SKIP
    '1 file: 1 to download (322.1 MB), 0 cached; 70.2 GB free in /home/me/.cache/brainobs/s3'
    """
    import pandas as pd

    try:
        rows = [_row(store, spec) for spec in specs]
    except DownloadError as exc:
        msg = f"Cannot size the files: {exc}\n{offline_advice(store.source)}"
        raise DownloadError(msg) from exc
    table = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    table["size"] = table["size"].astype("Int64")
    todo = table[~table["cached"] & table["available"]]
    download = int(todo["size"].fillna(0).sum())
    free = free_space(store.source.root)
    missing = int((~table["available"]).sum())
    count = f"{len(table)} file{'s' if len(table) != 1 else ''}"
    summary = (
        f"{count}: {len(todo)} to download ({format_size(download)}), "
        f"{int(table['cached'].sum())} cached"
        + (f", {missing} not available" if missing else "")
        + f"; {format_size(free)} free in {store.source.root}"
    )
    if download > free:
        summary += " — NOT ENOUGH SPACE: free some, or set BRAINOBS_CACHE_DIR to a larger disk"
    table.attrs["brainobs"] = {
        "table": "plan",
        "source": store.source.name,
        "download_bytes": download,
        "free_bytes": free,
        "fits": download <= free,
        "summary": summary,
    }
    log.info("%s", summary)
    return table
