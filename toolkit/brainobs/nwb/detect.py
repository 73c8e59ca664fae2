"""Tell what a file is before reading it: missing, not HDF5 (and what instead), damaged, NWB 1 or 2.

Downloads fail in ordinary ways: an HTML or XML error page saved under the data file's name,
a half-written file, the wrong file. This module turns each of those into one clear
:class:`~brainobs.errors.FormatError` (or :class:`FileNotFoundError`) that names the file, says
what it looks like, and says what to do. h5py is imported only when a file is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FormatError

__all__ = [
    "HDF5_SIGNATURE",
    "NwbFileInfo",
    "check_file_exists",
    "has_hdf5_signature",
    "describe_content",
    "open_hdf5",
    "damaged_file_error",
    "inspect_nwb",
    "unsupported_message",
]

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_REDOWNLOAD = "Delete it and download it again (the brainobs cache re-downloads missing files)."


@dataclass(frozen=True)
class NwbFileInfo:
    """What :func:`inspect_nwb` found: the NWB generation (1 or 2) and the version string.

    Examples
    --------
    >>> NwbFileInfo(Path("x.nwb"), 1, "NWB-1.0.5").generation
    1
    """

    path: Path
    generation: int
    version: str


def check_file_exists(path: str | Path) -> Path:
    """Return ``path`` as a Path if it is an existing file, else raise a helpful error.

    Raises
    ------
    FileNotFoundError
        When nothing is at ``path`` (the message names the path).
    FormatError
        When ``path`` is a directory.

    Examples
    --------
    >>> check_file_exists("missing.nwb")
    Traceback (most recent call last):
    ...
    FileNotFoundError: No file at 'missing.nwb'. ...
    """
    path = Path(path)
    if path.is_dir():
        raise FormatError(f"'{path}' is a folder, not an NWB file. Pass the path of a .nwb file.")
    if not path.exists():
        raise FileNotFoundError(
            f"No file at '{path}'. Check the path, or let the brainobs cache download the "
            "experiment (it returns the local path of each file)."
        )
    return path


def has_hdf5_signature(path: str | Path) -> bool:
    """Whether the file carries the HDF5 signature (at byte 0, 512, 1024, 2048, ...).

    Examples
    --------
    >>> has_hdf5_signature(__file__)
    False
    """
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as handle:
        offset = 0
        while offset + len(HDF5_SIGNATURE) <= size:
            handle.seek(offset)
            if handle.read(len(HDF5_SIGNATURE)) == HDF5_SIGNATURE:
                return True
            offset = 512 if offset == 0 else offset * 2
    return False


def describe_content(head: bytes) -> str:
    """Say in words what a file that starts with ``head`` looks like.

    Examples
    --------
    >>> describe_content(b"<!DOCTYPE html><html><body>Not Found</body></html>")
    'looks like an HTML web page (often an error page saved in place of the data)'
    """
    if not head:
        return "is empty (0 bytes)"
    text = head.lstrip().lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "is a ZIP archive (an events .npz file is one), not an HDF5 file"
    if head.startswith(b"\x1f\x8b"):
        return "is gzip-compressed data, not an HDF5 file"
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:512]:
        return "looks like an HTML web page (often an error page saved in place of the data)"
    if text.startswith(b"<?xml") or text.startswith(b"<error"):
        detail = re.search(rb"<code>(.*?)</code>", text)
        code = f" ({detail.group(1).decode('ascii', 'replace')})" if detail else ""
        return f"looks like an XML document{code}, e.g. an error reply from a storage server"
    if text.startswith(b"version https://git-lfs"):
        return "is a Git LFS pointer, not the data it points to"
    if text.startswith((b"{", b"[")):
        return "looks like JSON text, not an HDF5 file"
    sample = head[:256]
    printable = sum(32 <= b < 127 or b in (9, 10, 13) for b in sample)
    if printable >= 0.95 * len(sample):
        first = sample.decode("ascii", "replace").strip().splitlines()[0][:60]
        return f"is a text file starting with {first!r}"
    return f"is not an HDF5 file (it starts with bytes {head[:8].hex(' ')})"


def open_hdf5(path: str | Path) -> Any:
    """Open an HDF5 file read-only; a damaged or truncated file gives a :class:`FormatError`.

    Examples
    --------
    >>> f = open_hdf5("experiment.nwb")  # doctest: +SKIP
    """
    import h5py

    path = Path(path)
    try:
        return h5py.File(path, "r")
    except OSError as err:
        raise damaged_file_error(path, err) from err


def damaged_file_error(path: Path, err: BaseException) -> FormatError:
    """The error for an HDF5 file that cannot be read (truncated download or damage).

    Examples
    --------
    >>> str(damaged_file_error(Path("x.nwb"), OSError("truncated file: eof = 5, stored_eof = 9")))
    "'x.nwb' is truncated: it has 5 of its 9 bytes. Delete it and download it again ..."
    """
    message = str(err)
    found = re.search(r"eof = (\d+).*stored_eof = (\d+)", message)
    if "truncated" in message and found:
        have, want = found.groups()
        what = f"is truncated: it has {have} of its {want} bytes"
    elif "truncated" in message:
        what = "is truncated (an incomplete download)"
    else:
        what = f"is damaged and cannot be read ({message.strip()})"
    return FormatError(f"'{path}' {what}. {_REDOWNLOAD}")


def _decode(value: Any) -> str:
    if hasattr(value, "tobytes") and getattr(value, "shape", None) not in (None, ()):
        value = value.flat[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def inspect_nwb(path: str | Path) -> NwbFileInfo:
    """Check that ``path`` is a readable NWB file and find its generation and version.

    NWB 1 keeps ``nwb_version`` as a root *dataset*, NWB 2 as a root *attribute*.

    Raises
    ------
    FileNotFoundError
        Nothing at ``path``.
    FormatError
        Not HDF5 (the message says what it looks like), truncated or damaged, or HDF5 without
        ``nwb_version``.

    Examples
    --------
    >>> inspect_nwb("990000000.nwb")  # doctest: +SKIP
    NwbFileInfo(path=PosixPath('990000000.nwb'), generation=1, version='NWB-1.0.5')
    """
    path = check_file_exists(path)
    if not has_hdf5_signature(path):
        with open(path, "rb") as handle:
            head = handle.read(4096)
        what = describe_content(head)
        raise FormatError(f"'{path}' is not an NWB file: it {what}. {_REDOWNLOAD}")
    with open_hdf5(path) as f:
        try:
            if "nwb_version" in f.attrs:
                return NwbFileInfo(path, 2, _decode(f.attrs["nwb_version"]))
            if "nwb_version" in f:
                return NwbFileInfo(path, 1, _decode(f["nwb_version"][()]))
        except (OSError, RuntimeError) as err:
            raise damaged_file_error(path, err) from err
    raise FormatError(
        f"'{path}' is an HDF5 file but not an NWB file (it has no 'nwb_version'). "
        "Analysis files (*_analysis.h5) and movies are HDF5 too: open NWB files with open_nwb."
    )


def unsupported_message(info: NwbFileInfo, readers: list[str]) -> str:
    """Explain that no reader handles this NWB file, and what to do instead.

    Examples
    --------
    >>> unsupported_message(NwbFileInfo(Path("x.nwb"), 2, "2.6.0"), ["ophys1"])[:45]
    "'x.nwb' is an NWB 2 file (nwb_version 2.6.0)."
    """
    if info.generation == 2:
        return (
            f"'{info.path}' is an NWB 2 file (nwb_version {info.version}). brainobs cannot read "
            "NWB 2 Allen files yet. The Visual Coding 2P release is NWB 1: get its files "
            "through the brainobs cache (brainobs.VisualCoding2P), which downloads the NWB 1 "
            "experiment files."
        )
    return (
        f"'{info.path}' is an NWB {info.generation} file (nwb_version {info.version}) but not a "
        "Brain Observatory Visual Coding experiment (it has no "
        f"'processing/brain_observatory_pipeline'). Registered readers: {readers}."
    )
