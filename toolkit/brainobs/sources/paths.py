"""Where a download's files live: safe keys under a root, and the names next to a target.

A download into ``target`` uses three neighbours in the same folder: ``<target>.part`` (the bytes
received so far), ``<target>.part.json`` (where they came from, for resuming) and
``<target>.lock`` (one downloader at a time).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import UnsafeKeyError

__all__ = [
    "check_key",
    "safe_join",
    "part_path",
    "meta_path",
    "lock_path",
    "part_size",
    "read_meta",
    "write_meta",
    "discard_part",
    "hold_lock",
]

log = logging.getLogger(__name__)

#: Seconds to wait for a lock quietly before saying that another process holds it.
LOCK_NOTICE_AFTER = 1.0


def check_key(key: str) -> str:
    """Return ``key`` if it is a relative, forward-slash path that stays inside its root.

    Parameters
    ----------
    key : str
        An object key such as ``"visual-coding-2p/ophys_experiment_data/501940850.nwb"``.

    Returns
    -------
    str
        The key, unchanged.

    Raises
    ------
    UnsafeKeyError
        If the key is empty, absolute, has a drive or a backslash, or has a ``..`` part.

    Examples
    --------
    >>> check_key("visual-coding-2p/cell_specimens.json")
    'visual-coding-2p/cell_specimens.json'
    >>> check_key("../etc/passwd")
    Traceback (most recent call last):
    ...
    brainobs.errors.UnsafeKeyError: Refusing key '../etc/passwd': ...
    """
    problem = _key_problem(key)
    if problem:
        msg = (
            f"Refusing key {key!r}: {problem}. Keys are relative paths with '/' separators "
            "that stay inside the data folder, like 'visual-coding-2p/cell_specimens.json'."
        )
        raise UnsafeKeyError(msg)
    return key


def _key_problem(key: str) -> str:
    """Why ``key`` is unsafe, or ``""``."""
    if not isinstance(key, str) or not key:
        return "it is empty or not a string"
    if "\x00" in key:
        return "it contains a NUL character"
    if "\\" in key:
        return "it contains a backslash"
    if key.startswith("/") or PurePosixPath(key).is_absolute():
        return "it is an absolute path"
    if len(key) > 1 and key[1] == ":":
        return "it starts with a drive letter"
    if any(part == ".." for part in key.split("/")):
        return "it has a '..' part that would leave the folder"
    return ""


def safe_join(root: str | os.PathLike[str], key: str) -> Path:
    """Join ``key`` to ``root``, refusing keys that would escape it.

    Parameters
    ----------
    root : str or path
        The folder the key is relative to (a cache folder, a served mirror).
    key : str
        A relative key with ``/`` separators.

    Returns
    -------
    pathlib.Path
        ``root / key``.

    Raises
    ------
    UnsafeKeyError
        See :func:`check_key`.

    Examples
    --------
    >>> safe_join("/data", "visual-coding-2p/ophys_experiment_data/501940850.nwb").as_posix()
    '/data/visual-coding-2p/ophys_experiment_data/501940850.nwb'
    """
    parts = [part for part in check_key(key).split("/") if part not in ("", ".")]
    if not parts:
        msg = f"Refusing key {key!r}: it names the folder itself, not a file in it."
        raise UnsafeKeyError(msg)
    return Path(root).joinpath(*parts)


def _sibling(target: str | os.PathLike[str], suffix: str) -> Path:
    target = Path(target)
    return target.with_name(target.name + suffix)


def part_path(target: str | os.PathLike[str]) -> Path:
    """The file that holds the bytes received so far: ``<target>.part``.

    Examples
    --------
    >>> part_path("/cache/501940850.nwb").name
    '501940850.nwb.part'
    """
    return _sibling(target, ".part")


def meta_path(target: str | os.PathLike[str]) -> Path:
    """The note that says where the ``.part`` bytes came from: ``<target>.part.json``.

    Examples
    --------
    >>> meta_path("/cache/501940850.nwb").name
    '501940850.nwb.part.json'
    """
    return _sibling(target, ".part.json")


def lock_path(target: str | os.PathLike[str]) -> Path:
    """The lock file that lets one process at a time download ``target``: ``<target>.lock``.

    Examples
    --------
    >>> lock_path("/cache/501940850.nwb").name
    '501940850.nwb.lock'
    """
    return _sibling(target, ".lock")


def part_size(target: str | os.PathLike[str]) -> int:
    """Bytes already in ``<target>.part`` (0 when there is none).

    Examples
    --------
    >>> part_size("/nonexistent/x.nwb")
    0
    """
    try:
        return part_path(target).stat().st_size
    except FileNotFoundError:
        return 0


def read_meta(target: str | os.PathLike[str]) -> dict[str, Any]:
    """The note about the ``.part`` (url, etag, last_modified, total), or ``{}``.

    Examples
    --------
    >>> read_meta("/nonexistent/x.nwb")
    {}
    """
    try:
        with open(meta_path(target), encoding="utf-8") as handle:
            meta = json.load(handle)
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def write_meta(target: str | os.PathLike[str], meta: dict[str, Any]) -> None:
    """Write the note about the ``.part`` (see :func:`read_meta`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.nwb"
    >>> write_meta(target, {"etag": '"abc"'})
    >>> read_meta(target)
    {'etag': '"abc"'}
    """
    with open(meta_path(target), "w", encoding="utf-8") as handle:
        json.dump(meta, handle)


def discard_part(target: str | os.PathLike[str]) -> None:
    """Delete ``<target>.part`` and its note (a bad or stale partial download).

    Examples
    --------
    >>> discard_part("/nonexistent/x.nwb")
    """
    part_path(target).unlink(missing_ok=True)
    meta_path(target).unlink(missing_ok=True)


@contextlib.contextmanager
def hold_lock(target: str | os.PathLike[str]) -> Iterator[None]:
    """Hold ``<target>.lock``: one process at a time downloads ``target``.

    Waits as long as another process holds it (saying so after :data:`LOCK_NOTICE_AFTER` s).
    The operating system releases the lock if the holder dies, even on SIGKILL.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with hold_lock(pathlib.Path(tempfile.mkdtemp()) / "x.nwb"):
    ...     pass
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(target)))
    try:
        lock.acquire(timeout=LOCK_NOTICE_AFTER)
    except Timeout:
        log.info("Waiting for another process that is downloading %s ...", Path(target).name)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()
