"""``brainobs doctor``: what this computer has, and whether the cached files are sound.

Prints the versions that matter (Python and the scientific stack), the cache folder and its
free space, the data source, then checks every cached file of that source (size, md5, content)
and, with ``refetch``, fetches damaged ones again. Needs no network unless refetching.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PACKAGES", "environment", "run_doctor"]

#: Distributions whose versions the report shows (missing ones say so).
PACKAGES = (
    "brainobs",
    "numpy",
    "pandas",
    "h5py",
    "scipy",
    "matplotlib",
    "ipywidgets",
    "pynwb",
    "requests",
    "filelock",
)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment(
    source: str | os.PathLike[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
) -> list[tuple[str, str]]:
    """``(name, value)`` lines: Python, package versions, cache folder, free space, source.

    Nothing heavy is imported (versions come from the installed distributions' metadata).

    Examples
    --------
    >>> dict(environment("sample", "/tmp/brainobs-cache"))["source"]
    'sample: synthetic sample release (/tmp/brainobs-cache/sample)'
    """
    from .cache.plan import free_space
    from .config import cache_dir as resolve_cache
    from .config import resolve_source
    from .sources.verify import format_size

    folder = resolve_cache(cache_dir)
    chosen = resolve_source(source, folder)
    lines = [("python", f"{platform.python_version()} ({sys.executable})")]
    lines += [(name, _version(name)) for name in PACKAGES]
    lines += [
        ("cache folder", str(folder)),
        ("free space", format_size(free_space(folder))),
        ("source", f"{chosen.name}: {chosen.label}"),
    ]
    return lines


def _report(
    source: str | os.PathLike[str] | None,
    cache_dir: str | os.PathLike[str] | None,
    refetch: bool,
) -> pd.DataFrame:
    from .cache.files import FileStore
    from .cache.integrity import verify_files
    from .cache.remote import remotes_for
    from .config import resolve_source

    chosen = resolve_source(source, cache_dir)
    store = FileStore(chosen, *remotes_for(chosen))
    try:
        return verify_files(store, refetch=refetch)
    finally:
        store.close()


def run_doctor(
    source: str | os.PathLike[str] | None = None,
    refetch: bool = False,
    cache_dir: str | os.PathLike[str] | None = None,
    stream: IO[str] | None = None,
) -> int:
    """Write the environment and the check of every cached file to ``stream``; 0 if all sound.

    Parameters
    ----------
    source : str or path, optional
        The data source (default ``$BRAINOBS_SOURCE``, else ``"s3"``).
    refetch : bool
        Fetch damaged files again (the sample release is written again).
    cache_dir : str or path, optional
        The cache folder (default ``$BRAINOBS_CACHE_DIR``, else the user cache folder).
    stream : file-like, optional
        Where to write (default ``sys.stdout``).

    Returns
    -------
    int
        0 when no file is damaged (after refetching, if asked), else 1: an exit code.

    Examples
    --------
    >>> run_doctor(source="sample", cache_dir="/tmp/brainobs-cache")  # doctest: +SKIP
    python        3.11.7 (/usr/bin/python3)
    ...
    """
    out = stream if stream is not None else sys.stdout
    try:
        lines = environment(source, cache_dir)
    except ValueError as exc:
        out.write(f"brainobs doctor: {exc}\n")
        return 1
    width = max(len(name) for name, _ in lines) + 2
    out.write("".join(f"{name:<{width}}{value}\n" for name, value in lines))
    report = _report(source, cache_dir, refetch)
    out.write("\n" + report.attrs["brainobs"]["summary"] + "\n")
    trouble = report[report["status"] != "ok"]
    if len(trouble):
        shown = trouble[["key", "status", "problem"]]
        out.write(shown.to_string(index=False, max_colwidth=120) + "\n")
    damaged = bool((report["status"] == "damaged").any())
    if damaged and not refetch:
        out.write("Run `brainobs doctor --refetch` to fetch the damaged files again.\n")
    return 1 if damaged else 0
