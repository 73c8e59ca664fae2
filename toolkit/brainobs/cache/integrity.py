"""Check every file of a source's folder (size, md5, content) and optionally fetch bad ones again.

Reads every file in full: this is the slow, thorough check (``vc.verify()``, ``brainobs
doctor``), not what a warm start does.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DownloadError, IntegrityError
from ..sources.paths import part_size
from .files import FileStore
from .kinds import FileSpec, spec_of_key

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["REPORT_COLUMNS", "cached_files", "partial_downloads", "verify_files"]

log = logging.getLogger(__name__)

REPORT_COLUMNS = ("key", "kind", "ophys_experiment_id", "size", "status", "problem")
_PART = ".part"


def cached_files(store: FileStore) -> list[FileSpec]:
    """Specs of the release files present in the source's folder, sorted by key.

    Examples
    --------
    >>> [spec.kind for spec in cached_files(store)][:1]  # doctest: +SKIP
    ['metadata']
    """
    specs = []
    for path in _walk(store.source.release):
        spec = spec_of_key(store.key_of(path))
        if spec is not None:
            specs.append(spec)
    return sorted(specs, key=lambda spec: spec.key)


def partial_downloads(store: FileStore) -> list[tuple[FileSpec, int]]:
    """Interrupted downloads (``<file>.part``): their spec and the bytes received.

    Examples
    --------
    >>> partial_downloads(store)  # doctest: +SKIP
    [(FileSpec(key='visual-coding-2p/ophys_experiment_data/7.nwb', ...), 1048576)]
    """
    found = []
    for dirpath, _, filenames in os.walk(store.source.release):
        for name in filenames:
            if name.endswith(_PART):
                target = Path(dirpath, name[: -len(_PART)])
                spec = spec_of_key(store.key_of(target))
                if spec is not None:
                    found.append((spec, part_size(target)))
    return sorted(found, key=lambda item: item[0].key)


def _walk(folder: Path) -> list[Path]:
    paths = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        paths.extend(Path(dirpath, name) for name in filenames if not name.startswith("."))
    return paths


def _checked(store: FileStore, spec: FileSpec) -> dict[str, Any]:
    path = store.path_of(spec)
    problem = store.check(spec)
    return {
        "key": spec.key,
        "kind": spec.kind,
        "ophys_experiment_id": spec.ophys_experiment_id,
        "size": path.stat().st_size,
        "status": "damaged" if problem else "ok",
        "problem": problem,
    }


def _refetch(store: FileStore, spec: FileSpec, row: dict[str, Any]) -> None:
    """Fetch a damaged remote file again; update its report row."""
    store.discard(spec)
    try:
        path = store.ensure(spec)
    except (DownloadError, IntegrityError, FileNotFoundError) as exc:
        first = str(exc).splitlines()[0]
        row["problem"] += f"; fetching it again failed: {first}"
        return
    row["status"] = "refetched"
    row["size"] = path.stat().st_size if path is not None else None
    row["problem"] += "; fetched again and verified"


def _regenerate_sample(store: FileStore, rows: list[dict[str, Any]]) -> None:
    """The sample release is made, not downloaded: write it again."""
    from ..sample.release import write_sample_release

    log.warning("Writing the sample release again in %s (damaged files found).", store.source.root)
    write_sample_release(store.source.root, overwrite=True)
    for row in rows:
        spec = spec_of_key(row["key"])
        if spec is None or not store.path_of(spec).is_file():
            continue
        fresh = _checked(store, spec)
        if fresh["status"] == "ok":
            row.update(status="refetched", size=fresh["size"])
            row["problem"] += "; written again and verified"


def verify_files(store: FileStore, *, refetch: bool = False) -> pd.DataFrame:
    """Check every cached file of ``store``'s source; a report with one row per file.

    Columns: ``key, kind, ophys_experiment_id, size, status, problem``. ``status`` is
    ``ok``, ``damaged``, ``refetched`` or ``partial`` (an interrupted download that the next
    fetch resumes). ``attrs["brainobs"]["summary"]`` counts them.

    Parameters
    ----------
    store : FileStore
        The source's files.
    refetch : bool
        Fetch damaged files again (remote sources), or write the sample release again. Files
        the source was found not to have are asked for again on their next use.

    Examples
    --------
    >>> report = verify_files(store)  # doctest: +SKIP
    >>> report.status.value_counts()  # doctest: +SKIP
    """
    import pandas as pd

    if refetch and store.source.remote:
        store.forget_absent()  # files the source lacked are asked for again next time
    rows = [_checked(store, spec) for spec in cached_files(store)]
    damaged = [row for row in rows if row["status"] == "damaged"]
    if refetch and damaged:
        if store.source.remote:
            for row in damaged:
                spec = spec_of_key(row["key"])
                if spec is not None:
                    _refetch(store, spec, row)
        elif store.source.name == "sample":
            _regenerate_sample(store, damaged)
        else:
            for row in damaged:
                row["problem"] += "; a folder source is used in place: copy this file again"
    for spec, received in partial_downloads(store):
        rows.append(
            {
                "key": spec.key,
                "kind": spec.kind,
                "ophys_experiment_id": spec.ophys_experiment_id,
                "size": received,
                "status": "partial",
                "problem": "an interrupted download; the next fetch resumes it",
            }
        )
    report = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    report["ophys_experiment_id"] = report["ophys_experiment_id"].astype("Int64")
    counts = report["status"].value_counts()
    statuses = ("ok", "damaged", "refetched", "partial")
    parts = [f"{int(counts[s])} {s}" for s in statuses if s in counts]
    summary = f"{len(report)} files checked in {store.source.root}: " + (", ".join(parts) or "none")
    report.attrs["brainobs"] = {
        "table": "verify",
        "source": store.source.name,
        "summary": summary,
        "ok": bool((report["status"] != "damaged").all()),
    }
    log.info("%s", summary)
    return report
