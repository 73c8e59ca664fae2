"""Experiment metadata of a Brain Observatory NWB 1 file, parsed the way AllenSDK parses it.

The result has AllenSDK's keys and value types (``age_days`` int, ``imaging_depth_um`` int,
``cre_line`` from the genotype, ``device``/``device_name`` from the device string,
``pipeline_version`` from ``generated_by``, ``session_start_time`` as a naive datetime) plus
``synthetic``: True for brainobs sample files.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

import numpy as np

from ..errors import FormatError
from . import ophys1_layout as lay

__all__ = ["decode_value", "read_raw_metadata", "parse_metadata", "read_metadata", "is_synthetic"]

logger = logging.getLogger(__name__)


def decode_value(value: Any) -> Any:
    """Turn an HDF5 value into plain Python: bytes -> str, 1-D bytes -> list of str.

    Numbers become Python ints/floats; anything else is returned unchanged.

    Examples
    --------
    >>> decode_value(np.bytes_(b"175 microns"))
    '175 microns'
    >>> decode_value(np.array([b"brainobs", b"3.0"]))
    ['brainobs', '3.0']
    """
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return decode_value(value[()])
        if value.ndim == 1:
            return [decode_value(v) for v in value]
        raise FormatError(f"Unexpected {value.ndim}-D metadata value; expected text or a number.")
    if isinstance(value, np.generic):
        return value.item()
    return value


def read_raw_metadata(h5file: Any) -> dict[str, Any]:
    """Read the metadata datasets (keys as AllenSDK names them before parsing).

    A missing dataset is skipped with a logged warning, as AllenSDK does.

    Examples
    --------
    >>> read_raw_metadata(h5py.File("990000000.nwb"))["imaging_depth"]  # doctest: +SKIP
    '175 microns'
    """
    raw: dict[str, Any] = {}
    for key, path in lay.METADATA_PATHS.items():
        if path in h5file:
            raw[key] = decode_value(h5file[path][()])
        else:
            logger.warning("%s: no metadata dataset %r", h5file.filename, path)
    return raw


def _parse_time(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        from dateutil import parser

        return parser.parse(text)


def _int_or_none(value: Any) -> int | None:
    return int(value) if value else None


def parse_metadata(raw: dict[str, Any]) -> dict[str, Any]:
    """Parse raw metadata values into AllenSDK's ``get_metadata()`` keys and types.

    Raises
    ------
    FormatError
        When ``age`` or the device string is present but does not parse.

    Examples
    --------
    >>> meta = parse_metadata({"age": "104 days", "imaging_depth": "175 microns"})
    >>> meta["age_days"], meta["imaging_depth_um"], meta["pipeline_version"]
    (104, 175, '0.9')
    """
    meta = dict(raw)
    genotype = meta.get("genotype")
    meta["cre_line"] = genotype.split(";")[0] if genotype else None
    depth = meta.pop("imaging_depth", None)
    meta["imaging_depth_um"] = int(str(depth).split()[0]) if depth else None
    meta["ophys_experiment_id"] = _int_or_none(meta.get("ophys_experiment_id"))
    meta["experiment_container_id"] = _int_or_none(meta.get("experiment_container_id"))
    if isinstance(meta.get("session_start_time"), str):
        meta["session_start_time"] = _parse_time(meta["session_start_time"])
    age = meta.pop("age", None)
    if age:
        found = re.match(r"(.*?) days", age)
        if not found:
            raise FormatError(f"Could not parse the age {age!r}; expected '<n> days'.")
        meta["age_days"] = int(found.group(1))
    device = meta.pop("device_string", None)
    if device:
        found = re.match(r"(.*?)\.\s(.*?)\sPlease*", device)
        if not found:
            raise FormatError(
                f"Could not parse the device string {device!r}; "
                "expected '<device>. <name> Please ...'."
            )
        meta["device"], meta["device_name"] = found.groups()
    generated_by = meta.pop("generated_by", None)
    meta["pipeline_version"] = generated_by[-1] if generated_by else "0.9"
    return meta


def is_synthetic(h5file: Any) -> bool:
    """Whether the file is brainobs sample data (marker dataset or description prefix).

    Examples
    --------
    >>> is_synthetic(h5py.File("990000000.nwb"))  # doctest: +SKIP
    True
    """
    if lay.SYNTHETIC_MARK in h5file:
        return True
    if "session_description" in h5file:
        text = decode_value(h5file["session_description"][()])
        return isinstance(text, str) and text.startswith(lay.SYNTHETIC_PREFIX)
    return False


def read_metadata(h5file: Any) -> dict[str, Any]:
    """AllenSDK-style metadata of an open NWB 1 file, plus ``synthetic`` (bool).

    Examples
    --------
    >>> read_metadata(h5py.File("990000000.nwb"))["cre_line"]  # doctest: +SKIP
    'Cux2-CreERT2/wt'
    """
    meta = parse_metadata(read_raw_metadata(h5file))
    meta["synthetic"] = is_synthetic(h5file)
    return meta
