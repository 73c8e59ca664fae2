"""A fast local copy of parsed metadata tables, so a warm start skips JSON parsing.

Parsing the real release's cell table (about 63,000 records, 190 MB of JSON) takes seconds;
loading it back from this copy takes a fraction of one. The copy is an uncompressed numpy
``.npz``: numeric and boolean columns as arrays, columns of nothing but None as their length,
every other column as the JSON text of its values (strings, None, lists). Loading never
unpickles (``allow_pickle=False``). Each copy carries a stamp of its inputs (path, size,
modification time of each JSON file, the format and brainobs version); a copy whose stamp
differs is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["load_table", "save_table", "read_table", "stamp_of"]

log = logging.getLogger(__name__)

_FORMAT = 1
_META = "__meta__"
_INDEX = "__index__"
_NUMERIC_KINDS = "biuf"


def stamp_of(inputs: Sequence[Path | None]) -> dict[str, Any]:
    """What a table was built from: each input's path, size and time (None: no such file).

    Examples
    --------
    >>> stamp_of([None])["inputs"]
    [None]
    """
    described: list[list[Any] | None] = []
    for path in inputs:
        try:
            stat = path.stat() if path is not None else None
        except OSError:
            stat = None
        described.append(None if stat is None else [str(path), stat.st_size, stat.st_mtime_ns])
    return {"format": _FORMAT, "brainobs": __version__, "inputs": described}


def load_table(
    path: Path, inputs: Sequence[Path | None], build: Callable[[], pd.DataFrame]
) -> pd.DataFrame:
    """The table saved at ``path`` if it was built from ``inputs`` as they are now, else build it.

    A freshly built table is saved for next time (quietly skipped if the folder is not
    writable or a column cannot be stored).

    Parameters
    ----------
    path : pathlib.Path
        The ``.npz`` copy.
    inputs : sequence of path or None
        The JSON files the table is built from.
    build : callable
        Builds the table from the inputs.

    Examples
    --------
    >>> table = load_table(state / "tables" / "cells.npz", [json_path], build)  # doctest: +SKIP
    """
    stamp = stamp_of(inputs)
    table = read_table(path, stamp)
    if table is not None:
        return table
    table = build()
    if len(table):
        save_table(table, path, stamp)
    return table


def read_table(path: Path, stamp: dict[str, Any]) -> pd.DataFrame | None:
    """The table at ``path`` if its stamp equals ``stamp``; None if absent, stale or unreadable.

    Examples
    --------
    >>> read_table(Path("/nonexistent.npz"), {}) is None
    True
    """
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(archive[_META].tobytes())
            if meta.get("stamp") != stamp:
                log.debug("%s is out of date; rebuilding", path)
                return None
            return _decode(archive, meta)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("Ignoring the unreadable table copy %s (%s); rebuilding it.", path, exc)
        return None


def save_table(table: pd.DataFrame, path: Path, stamp: dict[str, Any]) -> bool:
    """Save ``table`` with ``stamp`` atomically; False (and a debug log) if it cannot be stored.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.npz"
    >>> save_table(pd.DataFrame({"a": [1, 2]}), path, {"format": 1})
    True
    >>> read_table(path, {"format": 1})["a"].tolist()
    [1, 2]
    """
    import numpy as np

    try:
        arrays = _encode(table, stamp)
    except (TypeError, ValueError) as exc:
        log.debug("not keeping a copy of %s: %s", path.name, exc)
        return False
    temporary = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(temporary, **arrays)
        os.replace(temporary, path)
    except OSError as exc:
        log.debug("could not keep a copy of the table in %s: %s", path, exc)
        return False
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return True


def _text(values: list[Any]) -> np.ndarray:
    import numpy as np

    return np.frombuffer(json.dumps(values).encode("utf-8"), dtype=np.uint8)


def _encode(table: pd.DataFrame, stamp: dict[str, Any]) -> dict[str, np.ndarray]:
    index = table.index
    arrays: dict[str, np.ndarray] = {}
    columns = []
    for number, (name, series) in enumerate(table.items()):
        if not isinstance(name, str):
            raise TypeError(f"column name {name!r} is not a string")
        how, stored = _stored(series)
        arrays[f"c{number}"] = stored
        columns.append([name, str(series.dtype), how])
    index_how = "array" if index.dtype.kind in _NUMERIC_KINDS else "json"
    arrays[_INDEX] = index.to_numpy() if index_how == "array" else _text(index.tolist())
    meta = {
        "stamp": stamp,
        "columns": columns,
        "index": [index.name, str(index.dtype), index_how],
    }
    arrays[_META] = _text(meta)  # type: ignore[arg-type]
    return arrays


def _stored(series: pd.Series) -> tuple[str, np.ndarray]:
    """How a column is stored: ``array`` (numbers), ``null`` (all None) or ``json`` (the rest)."""
    import numpy as np

    if series.dtype.kind in _NUMERIC_KINDS:
        return "array", series.to_numpy()
    if series.dtype == object and series.map(lambda v: v is None).all():
        return "null", np.array([len(series)], dtype=np.int64)
    return "json", _text(series.tolist())


def _column(raw: np.ndarray, dtype: str, how: str) -> Any:
    import numpy as np
    import pandas as pd

    if how == "array":
        return raw
    if how == "null":
        return np.full(int(raw[0]), None, dtype=object)
    values = json.loads(raw.tobytes())
    if dtype == "object":
        return pd.Series(values, dtype=object).to_numpy()
    return pd.array(values, dtype=dtype)


def _decode(archive: Any, meta: dict[str, Any]) -> pd.DataFrame:
    import pandas as pd

    data = {
        name: _column(archive[f"c{number}"], dtype, how)
        for number, (name, dtype, how) in enumerate(meta["columns"])
    }
    name, dtype, how = meta["index"]
    index = pd.Index(_column(archive[_INDEX], dtype, how), name=name)
    return pd.DataFrame(data, index=index)
