"""The kinds of file a Visual Coding 2P cache holds: their keys, and how each is checked.

* ``metadata`` — ``visual-coding-2p/<name>.json``: must parse as a JSON list of records;
* ``nwb`` — ``ophys_experiment_data/<id>.nwb``: must open as HDF5;
* ``events`` — ``ophys_experiment_events/<id>_events.npz``: a sound ZIP holding ``ev.npy``;
* ``analysis`` — ``ophys_experiment_analysis/<id>_<session>_analysis.h5``: must open as HDF5.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import IntegrityError, check_choice
from ..sources import s3
from ..sources.verify import Verifier, verify_hdf5

__all__ = [
    "KINDS",
    "FileSpec",
    "metadata_spec",
    "experiment_spec",
    "spec_of_key",
    "verifier_for",
    "verify_json",
    "verify_npz",
]

KINDS = ("metadata", "nwb", "events", "analysis")
_METADATA_NAMES = "|".join(re.escape(name) for name in s3.METADATA_FILES)
_PATTERNS = (
    ("nwb", re.compile(r"^visual-coding-2p/ophys_experiment_data/(\d+)\.nwb$")),
    ("events", re.compile(r"^visual-coding-2p/ophys_experiment_events/(\d+)_events\.npz$")),
    (
        "analysis",
        re.compile(r"^visual-coding-2p/ophys_experiment_analysis/(\d+)_\w+_analysis\.h5$"),
    ),
    ("metadata", re.compile(rf"^visual-coding-2p/({_METADATA_NAMES})$")),
)
_WHAT = {
    "nwb": "NWB file",
    "events": "events file",
    "analysis": "analysis file",
}


@dataclass(frozen=True)
class FileSpec:
    """One file of the release: its key, its kind and (for data files) its experiment.

    Examples
    --------
    >>> experiment_spec(501940850, "nwb").what
    'the NWB file of experiment 501940850'
    """

    key: str
    kind: str
    ophys_experiment_id: int | None = None

    @property
    def what(self) -> str:
        """Words for messages: ``"the NWB file of experiment 501940850"``."""
        if self.kind == "metadata":
            return f"the metadata file {self.key.rsplit('/', 1)[-1]}"
        return f"the {_WHAT.get(self.kind, 'file')} of experiment {self.ophys_experiment_id}"


def metadata_spec(name: str) -> FileSpec:
    """The spec of a release metadata file (``experiment_containers.json``, ...).

    Examples
    --------
    >>> metadata_spec("cell_specimens.json").key
    'visual-coding-2p/cell_specimens.json'
    """
    return FileSpec(s3.metadata_key(name), "metadata")


def experiment_spec(
    ophys_experiment_id: int, kind: str, session_type: str | None = None
) -> FileSpec:
    """The spec of an experiment's ``nwb``, ``events`` or ``analysis`` file.

    Examples
    --------
    >>> experiment_spec(501940850, "analysis", "three_session_A").key
    'visual-coding-2p/ophys_experiment_analysis/501940850_three_session_A_analysis.h5'
    """
    check_choice("file kind", kind, tuple(_WHAT))
    number = int(ophys_experiment_id)
    if kind == "analysis":
        key = s3.analysis_key(number, str(session_type))
    else:
        key = s3.nwb_key(number) if kind == "nwb" else s3.events_key(number)
    return FileSpec(key, kind, number)


def spec_of_key(key: str) -> FileSpec | None:
    """The spec a cached key stands for, or None for files brainobs does not manage.

    Examples
    --------
    >>> spec_of_key("visual-coding-2p/ophys_experiment_events/7_events.npz")
    FileSpec(key='visual-coding-2p/ophys_experiment_events/7_events.npz', kind='events', \
ophys_experiment_id=7)
    """
    for kind, pattern in _PATTERNS:
        found = pattern.match(key)
        if found:
            number = int(found.group(1)) if kind != "metadata" else None
            return FileSpec(key, kind, number)
    return None


def verify_json(path: str | Path) -> None:
    """Raise :class:`IntegrityError` unless ``path`` parses as a JSON list (of records).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = p.write_text('[{"id": 1}')
    >>> verify_json(p)
    Traceback (most recent call last):
    ...
    brainobs.errors.IntegrityError: does not parse as JSON (truncated or damaged?): ...
    """
    try:
        with open(path, encoding="utf-8") as handle:
            payload = json.load(handle)
    except (ValueError, UnicodeDecodeError) as exc:
        msg = f"does not parse as JSON (truncated or damaged?): {exc}"
        raise IntegrityError(msg) from exc
    if not isinstance(payload, list):
        msg = f"holds a JSON {type(payload).__name__}, not the list of records a release file has"
        raise IntegrityError(msg)


def verify_npz(path: str | Path) -> None:
    """Raise :class:`IntegrityError` unless ``path`` is a sound npz archive holding ``ev``.

    Every member's CRC is checked, so a corrupted byte is found.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x_events.npz"
    >>> _ = p.write_bytes(b"PK")
    >>> verify_npz(p)
    Traceback (most recent call last):
    ...
    brainobs.errors.IntegrityError: is not a readable npz archive (truncated or damaged?): ...
    """
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        msg = f"is not a readable npz archive (truncated or damaged?): {exc}"
        raise IntegrityError(msg) from exc
    if bad is not None:
        msg = f"member {bad} of the npz archive is damaged (CRC mismatch)"
        raise IntegrityError(msg)
    if "ev.npy" not in names:
        msg = f"the npz archive has no 'ev' array (it holds {sorted(names)})"
        raise IntegrityError(msg)


def verifier_for(kind: str) -> Verifier:
    """The content check of a kind of file.

    Examples
    --------
    >>> verifier_for("events").__name__
    'verify_npz'
    """
    return {
        "metadata": verify_json,
        "nwb": verify_hdf5,
        "analysis": verify_hdf5,
        "events": verify_npz,
    }[kind]
