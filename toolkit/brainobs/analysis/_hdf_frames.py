"""DataFrames in pandas' HDF5 "fixed" layout, written and read with h5py alone.

``pandas.HDFStore.put(key, frame)`` (default ``format="fixed"``, through PyTables) stores a
frame as a group with attributes ``pandas_type="frame"``, ``pandas_version="0.15.2"``,
``encoding``, ``errors``, ``ndim``, ``nblocks`` and ``*_variety``, and datasets ``axis0``
(column names), ``axis1`` (index) and, per block of same-typed columns, ``block<k>_items``
and ``block<k>_values`` (rows × columns). Object blocks are a one-row PyTables VLArray holding
the pickled 2-D object array. Every node carries PyTables' ``CLASS``/``VERSION``/``TITLE``
attributes. This module writes that layout so pandas + PyTables read it back unchanged.

Pickles are written for Python >= 3 and numpy 1.x and 2.x (arrays reconstruct through
``numpy.core.multiarray``, which both provide). Reading (:func:`read_frame`) never
unpickles: object columns are skipped.
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import h5py
    import pandas as pd

__all__ = ["write_frame", "read_frame", "mark_pytables_root", "set_string_attr"]

_NEW_GLOBAL = b"cnumpy._core.multiarray\n_reconstruct\n"
_OLD_GLOBAL = b"cnumpy.core.multiarray\n_reconstruct\n"
_PICKLED_NONE = "N."  # PyTables stores a None attribute as this pickle


def set_string_attr(obj: Any, name: str, text: str, *, ascii_: bool = False) -> None:
    """A fixed-length, NUL-terminated string attribute, as PyTables writes them (empty: null).

    Examples
    --------
    >>> import h5py, io
    >>> with h5py.File(io.BytesIO(), "w") as f:
    ...     set_string_attr(f, "CLASS", "GROUP")
    ...     f.attrs["CLASS"]
    np.bytes_(b'GROUP')
    """
    from h5py import h5a, h5s, h5t

    data = text.encode("utf-8")
    tid = h5t.C_S1.copy()
    tid.set_size(max(len(data), 1))
    tid.set_cset(h5t.CSET_ASCII if ascii_ else h5t.CSET_UTF8)
    tid.set_strpad(h5t.STR_NULLTERM)
    if name in obj.attrs:
        del obj.attrs[name]
    space = h5s.create(h5s.SCALAR if data else h5s.NULL)
    attr = h5a.create(obj.id, name.encode("utf-8"), tid, space)
    if data:
        attr.write(np.array(data, dtype=f"S{len(data)}"), mtype=tid)


def _set_flag(obj: Any, name: str, value: bool) -> None:
    """An 8-bit bitfield attribute (PyTables' boolean)."""
    from h5py import h5a, h5s, h5t

    attr = h5a.create(obj.id, name.encode(), h5t.STD_B8LE, h5s.create(h5s.SCALAR))
    attr.write(np.array(int(value), dtype=np.uint8), mtype=h5t.NATIVE_B8)


def _node_attrs(obj: Any, kind: str, version: str) -> None:
    set_string_attr(obj, "CLASS", kind)
    set_string_attr(obj, "TITLE", "")
    set_string_attr(obj, "VERSION", version)


def mark_pytables_root(file: h5py.File) -> None:
    """Root attributes PyTables writes on a new file.

    Examples
    --------
    >>> import h5py, io
    >>> with h5py.File(io.BytesIO(), "w") as f:
    ...     mark_pytables_root(f)
    ...     f.attrs["PYTABLES_FORMAT_VERSION"]
    np.bytes_(b'2.1')
    """
    set_string_attr(file, "CLASS", "GROUP")
    set_string_attr(file, "PYTABLES_FORMAT_VERSION", "2.1")
    set_string_attr(file, "TITLE", "")
    set_string_attr(file, "VERSION", "1.0")


def _group(parent: h5py.Group, path: str) -> h5py.Group:
    """Create (or reuse) each group along ``path`` with PyTables' group attributes."""
    group = parent
    for part in path.strip("/").split("/"):
        if part not in group:
            new = group.create_group(part)
            _node_attrs(new, "GROUP", "1.0")
        group = group[part]
    return group


def _array(group: h5py.Group, name: str, values: np.ndarray) -> h5py.Dataset:
    """A PyTables Array (contiguous, ``transposed`` flag set; booleans as 8-bit bitfields)."""
    from h5py import h5d, h5s, h5t

    if values.dtype == bool:
        space = h5s.create_simple(values.shape, values.shape)
        dsid = h5d.create(group.id, name.encode(), h5t.STD_B8LE, space)
        dsid.write(h5s.ALL, h5s.ALL, np.ascontiguousarray(values, dtype=np.uint8),
                   mtype=h5t.NATIVE_B8)
        dataset = group[name]
    else:
        dataset = group.create_dataset(name, data=values)
    _node_attrs(dataset, "ARRAY", "2.4")
    set_string_attr(dataset, "FLAVOR", "numpy")
    _set_flag(dataset, "transposed", True)
    return dataset


def dumps_compatible(obj: Any) -> bytes:
    """Pickle ``obj`` so that Python 3 with numpy 1.x or 2.x can load it.

    Examples
    --------
    >>> b = dumps_compatible(np.array([np.arange(2.0)], dtype=object))
    >>> b"numpy._core" in b
    False
    """
    data = pickle.dumps(obj, protocol=3)
    data = data.replace(_NEW_GLOBAL, _OLD_GLOBAL)
    if b"numpy._core" in data:
        raise ValueError("Cannot pickle numpy scalars for numpy 1.x readers: convert them "
                         "to Python numbers first.")
    return data


def _object_array(group: h5py.Group, name: str, values: np.ndarray) -> None:
    """A PyTables VLArray of one row: the pickled object array.

    PyTables would chunk it by 65,536 rows (1 MB of mostly empty chunk per table); one row
    per chunk reads the same and keeps small files small.
    """
    import h5py

    payload = np.frombuffer(dumps_compatible(values), dtype=np.uint8)
    dataset = group.create_dataset(name, shape=(1,), maxshape=(None,), chunks=(1,),
                                   dtype=h5py.vlen_dtype(np.uint8))
    dataset[0] = payload
    _node_attrs(dataset, "VLARRAY", "1.4")
    set_string_attr(dataset, "PSEUDOATOM", "object")
    _set_flag(dataset, "transposed", True)


def _names(values: Any) -> np.ndarray:
    text = [str(v).encode("utf-8") for v in values]
    return np.array(text, dtype=f"S{max([len(t) for t in text] + [1])}")


def _index(group: h5py.Group, name: str, index: pd.Index) -> None:
    """``axis0`` / ``axis1`` / ``block<k>_items``: strings or integers with kind and name."""
    if index.dtype.kind in "iu":
        dataset = _array(group, name, index.to_numpy(dtype=np.int64))
        kind = "integer"
    else:
        dataset = _array(group, name, _names(index))
        kind = "string"
    set_string_attr(dataset, "kind", kind)
    if index.name is None:
        set_string_attr(dataset, "name", _PICKLED_NONE, ascii_=True)
    else:
        set_string_attr(dataset, "name", str(index.name))


def _blocks(frame: pd.DataFrame) -> list[tuple[list[int], str]]:
    """Columns grouped like pandas blocks: (positions, kind) in first-appearance order."""
    groups: dict[str, list[int]] = {}
    for k, dtype in enumerate(frame.dtypes):
        kind = {"f": "float", "i": "int", "u": "int", "b": "bool", "M": "datetime"}.get(
            dtype.kind, "object")
        key = f"{kind}:{dtype}" if kind != "object" else "object"
        groups.setdefault(key, []).append(k)
    return [(cols, key.split(":")[0]) for key, cols in groups.items()]


def _plain(value: Any) -> Any:
    """Python scalars for numpy scalars (pickles stay free of numpy scalar globals)."""
    return value.item() if isinstance(value, np.generic) else value


def write_frame(parent: h5py.Group, path: str, frame: pd.DataFrame) -> None:
    """Write ``frame`` at ``path`` exactly as ``HDFStore.put(path, frame)`` lays it out.

    Examples
    --------
    >>> import h5py, io, pandas as pd
    >>> with h5py.File(io.BytesIO(), "w") as f:
    ...     write_frame(f, "analysis/t", pd.DataFrame({"a": [1.0, 2.0]}))
    ...     f["analysis/t/block0_values"][()].tolist()
    [[1.0], [2.0]]
    """
    group = _group(parent, path)
    blocks = _blocks(frame)
    for name, value in (("pandas_type", "frame"), ("pandas_version", "0.15.2"),
                        ("encoding", "UTF-8"), ("errors", "strict")):
        set_string_attr(group, name, value)
    group.attrs.create("ndim", np.int64(2))
    group.attrs.create("nblocks", np.int64(len(blocks)))
    for name in ("axis0", "axis1"):
        set_string_attr(group, f"{name}_variety", "regular")
    _index(group, "axis0", frame.columns)
    _index(group, "axis1", frame.index)
    for k, (cols, kind) in enumerate(blocks):
        set_string_attr(group, f"block{k}_items_variety", "regular")
        _index(group, f"block{k}_items", frame.columns[cols])
        part = frame.iloc[:, cols]
        if kind == "object":
            values = np.empty(part.shape, dtype=object)
            for j in range(part.shape[1]):
                values[:, j] = [_plain(v) for v in part.iloc[:, j]]
            _object_array(group, f"block{k}_values", values)
        elif kind == "datetime":
            data = _array(group, f"block{k}_values",
                          part.to_numpy(dtype="datetime64[ns]").view(np.int64))
            set_string_attr(data, "value_type", "datetime64")
        else:
            _array(group, f"block{k}_values", np.ascontiguousarray(part.to_numpy()))


def read_frame(parent: h5py.Group, path: str) -> pd.DataFrame:
    """Read a fixed-layout frame with h5py; object (pickled) columns are left out, unread.

    Examples
    --------
    >>> import h5py, io, pandas as pd
    >>> with h5py.File(io.BytesIO(), "w") as f:
    ...     write_frame(f, "t", pd.DataFrame({"a": [1.0], "s": ["x"]}))
    ...     read_frame(f, "t").columns.tolist()
    ['a']
    """
    import pandas as pd
    from h5py import h5t

    group = parent[path]
    columns = [c.decode("utf-8") for c in group["axis0"][()]]
    index_data = group["axis1"][()]
    if index_data.dtype.kind == "S":
        index_data = [v.decode("utf-8") for v in index_data]
    name = group["axis1"].attrs.get("name", b"N.")
    index = pd.Index(index_data, name=None if name == b"N." else name.decode("utf-8"))
    parts: dict[str, np.ndarray] = {}
    for k in range(int(group.attrs["nblocks"])):
        values = group[f"block{k}_values"]
        if values.attrs.get("CLASS") == b"VLARRAY":
            continue  # pickled objects: never unpickled here
        items = [c.decode("utf-8") for c in group[f"block{k}_items"][()]]
        data = values[()]
        if values.attrs.get("value_type") == b"datetime64":
            data = data.view("datetime64[ns]")
        elif values.id.get_type().get_class() == h5t.BITFIELD:
            data = data.astype(bool)
        parts.update({item: data[:, j] for j, item in enumerate(items)})
    return pd.DataFrame({c: parts[c] for c in columns if c in parts}, index=index)
