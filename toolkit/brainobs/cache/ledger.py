"""The ledger of verified files: what was checked, so a warm start re-hashes nothing.

One small JSON file per source (``<source state>/files.json``) maps each key to what was true
when the file was last verified: its size, modification time, md5 and the ETag the source
sent. A file whose size and modification time still match is trusted without reading it; a
different size means damage (the file is fetched again); the same size with another time is
checked again (hash). The ledger also remembers keys the source does not have (HTTP 404), so
an offline start does not ask again. Writes hold a lock and replace the file atomically, so
processes sharing a cache never see a half-written ledger.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ["Ledger", "LEDGER_FILE"]

log = logging.getLogger(__name__)

LEDGER_FILE = "files.json"
_VERSION = 1


class Ledger:
    """The verified-file records of one source.

    Parameters
    ----------
    folder : path
        The source's state folder (created on the first write).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> data = folder / "x.json"
    >>> _ = data.write_text("[]")
    >>> ledger = Ledger(folder)
    >>> ledger.record("visual-coding-2p/x.json", data, md5="d751713988987e9331980363e24189ce")
    >>> ledger.trusted("visual-coding-2p/x.json", data)
    True
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LEDGER_FILE
        self._entries: dict[str, dict[str, Any]] | None = None

    # -- reading ----------------------------------------------------------------------------
    def entries(self) -> dict[str, dict[str, Any]]:
        """Every record, by key (read from disk once, then kept).

        Returns
        -------
        dict
            ``{key: record}``; empty when the ledger file does not exist yet.

        Examples
        --------
        >>> import tempfile
        >>> Ledger(tempfile.mkdtemp()).entries()
        {}
        """
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def get(self, key: str) -> dict[str, Any] | None:
        """The record of ``key``, or None.

        Examples
        --------
        >>> Ledger("/nonexistent").get("visual-coding-2p/x.json") is None
        True
        """
        return self.entries().get(key)

    def is_absent(self, key: str) -> bool:
        """True if the source was found not to have ``key``.

        Examples
        --------
        >>> Ledger("/nonexistent").is_absent("visual-coding-2p/x.json")
        False
        """
        return bool((self.get(key) or {}).get("absent"))

    def trusted(self, key: str, path: Path) -> bool:
        """True if ``path`` is recorded as verified and its size and time have not changed.

        Examples
        --------
        >>> Ledger("/nonexistent").trusted("k", Path("/nonexistent/x"))
        False
        """
        entry = self.get(key)
        if not entry or entry.get("absent"):
            return False
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == entry.get("size") and stat.st_mtime_ns == entry.get("mtime_ns")

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            with open(self.path, encoding="utf-8") as handle:
                payload = json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning(
                "Ignoring the unreadable ledger %s (%s); files get checked again.", self.path, exc
            )
            return {}
        files = payload.get("files") if isinstance(payload, dict) else None
        return files if isinstance(files, dict) else {}

    # -- writing ----------------------------------------------------------------------------
    def record(self, key: str, path: Path, **fields: Any) -> None:
        """Record ``path`` (stored under ``key``) as verified now, with extra ``fields``.

        Parameters
        ----------
        key : str
            The file's key (``visual-coding-2p/...``).
        path : pathlib.Path
            The verified file; its size and modification time are recorded.
        **fields
            Extra values to keep; typical fields: ``md5`` (hex), ``etag``, ``url``. None
            values are left out.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> data = folder / "x.json"
        >>> _ = data.write_text("[]")
        >>> ledger = Ledger(folder)
        >>> ledger.record("visual-coding-2p/x.json", data, md5="d751713988987e9331980363e24189ce")
        >>> ledger.get("visual-coding-2p/x.json")["size"]
        2
        """
        stat = path.stat()
        entry = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "verified": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **{name: value for name, value in fields.items() if value is not None},
        }
        self._update({key: entry}, [])

    def record_absent(self, key: str, url: str) -> None:
        """Remember that the source answered "no such file" for ``key``.

        Parameters
        ----------
        key : str
            The file's key.
        url : str
            The address that was asked (kept for messages).

        Examples
        --------
        >>> import tempfile
        >>> ledger = Ledger(tempfile.mkdtemp())
        >>> ledger.record_absent("visual-coding-2p/cell_specimens.json",
        ...                      "http://127.0.0.1:8000/visual-coding-2p/cell_specimens.json")
        >>> ledger.is_absent("visual-coding-2p/cell_specimens.json")
        True
        """
        self._update({key: {"absent": True, "url": url}}, [])

    def forget(self, *keys: str) -> None:
        """Drop the records of ``keys`` (damaged files, files fetched again).

        Keys without a record are ignored.

        Examples
        --------
        >>> import tempfile
        >>> ledger = Ledger(tempfile.mkdtemp())
        >>> ledger.record_absent("visual-coding-2p/x.json", "http://127.0.0.1:8000/x.json")
        >>> ledger.forget("visual-coding-2p/x.json", "visual-coding-2p/other.json")
        >>> ledger.entries()
        {}
        """
        self._update({}, list(keys))

    def _update(self, changes: dict[str, dict[str, Any]], removals: list[str]) -> None:
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + ".lock"):
            entries = self._read()
            entries.update(changes)
            for key in removals:
                entries.pop(key, None)
            self._write(entries)
            self._entries = entries

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump({"version": _VERSION, "files": entries}, handle, indent=0)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
