"""Building blocks for writing NWB 1 files: fixed-length strings, typed groups, TimeSeries.

NWB 1 (the format of the Visual Coding 2P release) marks groups with attributes
(``neurodata_type``, ``ancestry``, ``source``, ...) and stores text as fixed-length byte
strings, which AllenSDK's metadata parsing needs. These helpers write that way; they are used
by :mod:`brainobs.sample.nwb1_writer`. Every function takes open h5py objects; this module
does not import h5py itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "SOURCE",
    "fixed_text",
    "fixed_texts",
    "set_attrs",
    "chunk_shape",
    "put_dataset",
    "shared_times",
    "add_interface",
    "add_timeseries",
]

#: ``source`` attribute of everything brainobs writes.
SOURCE = "brainobs sample release (synthetic data in the Allen Brain Observatory NWB 1 layout)"


def fixed_text(value: Any) -> np.bytes_:
    """A fixed-length byte string (h5py stores it as a fixed-length string dataset).

    Examples
    --------
    >>> fixed_text("175 microns")
    np.bytes_(b'175 microns')
    """
    return np.bytes_(str(value).encode("utf-8"))


def fixed_texts(values: Any) -> np.ndarray:
    """A 1-D array of fixed-length byte strings.

    Examples
    --------
    >>> fixed_texts(["x_motion", "y_motion"]).dtype
    dtype('S8')
    """
    return np.array([str(v).encode("utf-8") for v in values], dtype="S")


def set_attrs(obj: Any, **attrs: Any) -> None:
    """Set attributes; strings become fixed-length bytes, tuples of strings byte arrays.

    Examples
    --------
    >>> set_attrs(group, neurodata_type="Interface", ancestry=("TimeSeries",))  # doctest: +SKIP
    """
    for key, value in attrs.items():
        if isinstance(value, str):
            value = fixed_text(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], str):
            value = fixed_texts(value)
        obj.attrs[key] = value


def chunk_shape(shape: tuple[int, ...], kind: str = "") -> tuple[int, ...]:
    """Chunks that make partial reads cheap.

    ``kind="traces"``: 4 cells x 8192 frames (a few cells or a time window touch few chunks);
    ``"stack"``: one image per chunk; ``"image"``: the whole image; otherwise a run of up to
    16384 samples with all columns.

    Examples
    --------
    >>> chunk_shape((300, 115000), "traces"), chunk_shape((900, 51, 102), "stack")
    ((4, 8192), (1, 51, 102))
    """
    if kind == "traces" and len(shape) == 2:
        return (min(shape[0], 4), min(shape[1], 8192))
    if kind == "stack" and len(shape) == 3:
        return (1, shape[1], shape[2])
    if kind == "image":
        return tuple(shape)
    return (min(shape[0], 16384), *shape[1:])


def put_dataset(group: Any, name: str, data: Any, kind: str = "") -> Any:
    """Create a dataset; large ones are gzip (level 4) + shuffle compressed in chunks.

    Examples
    --------
    >>> put_dataset(group, "data", traces, "traces").chunks  # doctest: +SKIP
    (4, 8192)
    """
    data = np.asarray(data)
    if data.size < 1024 or 0 in data.shape or data.dtype.kind == "S":
        return group.create_dataset(name, data=data)
    return group.create_dataset(
        name,
        data=data,
        chunks=chunk_shape(data.shape, kind),
        compression="gzip",
        compression_opts=4,
        shuffle=True,
    )


def shared_times(times: Any, shared: Any) -> Any:
    """``shared`` (a dataset, to hard-link) when it holds exactly ``times``, else the array.

    Examples
    --------
    >>> shared_times(eye_times, f["processing/.../timestamps"])  # doctest: +SKIP
    <HDF5 dataset "timestamps": shape (21519,), type "<f8">
    """
    times = np.asarray(times, dtype=np.float64)
    return shared if np.array_equal(times, shared[()]) else times


def add_interface(module: Any, name: str, source: str = SOURCE) -> Any:
    """An NWB 1 interface group (``Fluorescence``, ``DfOverF``, ...) in a processing module.

    Examples
    --------
    >>> add_interface(module, "Fluorescence")  # doctest: +SKIP
    <HDF5 group "/processing/brain_observatory_pipeline/Fluorescence" (0 members)>
    """
    group = module.create_group(name)
    set_attrs(group, neurodata_type="Interface", source=source, help=f"NWB 1 {name}")
    return group


def add_timeseries(
    parent: Any,
    name: str,
    ancestry: tuple[str, ...],
    data: Any,
    timestamps: Any,
    *,
    unit: str,
    description: str = "",
    kind: str = "",
    source: str = SOURCE,
) -> Any:
    """An NWB 1 TimeSeries group: ``data``, ``timestamps``, ``num_samples`` and attributes.

    ``timestamps`` may be an existing h5py dataset, which is then hard-linked (stored once).

    Examples
    --------
    >>> add_timeseries(behaviour, "running_speed", ("TimeSeries",), speed, times,
    ...                unit="cm/s")  # doctest: +SKIP
    <HDF5 group ".../BehavioralTimeSeries/running_speed" (3 members)>
    """
    group = parent.create_group(name)
    set_attrs(
        group,
        neurodata_type="TimeSeries",
        ancestry=ancestry,
        source=source,
        description=description or name,
        comments="",
    )
    values = put_dataset(group, "data", data, kind)
    set_attrs(values, unit=unit, conversion=np.float32(1.0), resolution=np.float32(np.nan))
    if hasattr(timestamps, "id"):
        group["timestamps"] = timestamps
    else:
        stamps = put_dataset(group, "timestamps", np.asarray(timestamps, dtype=np.float64))
        set_attrs(stamps, interval=np.int32(1), unit="Seconds")
    group.create_dataset("num_samples", data=np.int32(np.asarray(data).shape[0]))
    return group
