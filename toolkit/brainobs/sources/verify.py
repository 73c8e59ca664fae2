"""Checking that a file's bytes are the expected ones: size, hash, S3 ETag, "HDF5 must open"."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import IntegrityError, InvalidChoiceError, check_choice

__all__ = [
    "HASH_ALGORITHMS",
    "Checks",
    "parse_hash",
    "file_hash",
    "etag_md5",
    "check_file",
    "find_problem",
    "verify_hdf5",
    "format_size",
]

#: Hash algorithms accepted in ``"name:hexdigest"`` strings.
HASH_ALGORITHMS = ("md5", "sha1", "sha256", "sha512", "blake2b", "blake2s")
_CHUNK = 1 << 20
_HEX = re.compile(r"^[0-9a-f]+$")
_MD5_HEX = re.compile(r"^[0-9a-f]{32}$")

Verifier = Callable[[Path], None]


def format_size(n_bytes: float) -> str:
    """Write a byte count for people: ``"3.1 MB"`` (decimal units).

    Examples
    --------
    >>> format_size(3_100_000)
    '3.1 MB'
    >>> format_size(512)
    '512 B'
    """
    if n_bytes < 1000:
        return f"{int(n_bytes)} B"
    for unit in ("kB", "MB", "GB", "TB"):
        n_bytes /= 1000
        if n_bytes < 1000 or unit == "TB":
            break
    return f"{n_bytes:.1f} {unit}"


def parse_hash(spec: str) -> tuple[str, str]:
    """Split ``"md5:0123..."`` into ``("md5", "0123...")``, checking both halves.

    Raises
    ------
    InvalidChoiceError
        If the string has no ``name:`` prefix, the name is unknown, or the digest is not hex
        of the right length.

    Examples
    --------
    >>> parse_hash("MD5:D41D8CD98F00B204E9800998ECF8427E")
    ('md5', 'd41d8cd98f00b204e9800998ecf8427e')
    """
    name, sep, digest = str(spec).partition(":")
    if not sep:
        msg = (
            f"Hash {spec!r} has no algorithm prefix. Write it as 'name:hexdigest', "
            f"e.g. 'md5:d41d8cd98f00b204e9800998ecf8427e'; names: {list(HASH_ALGORITHMS)}."
        )
        raise InvalidChoiceError(msg)
    name = check_choice("hash algorithm", name.strip().lower(), HASH_ALGORITHMS)
    digest = digest.strip().lower()
    size = hashlib.new(name).digest_size * 2
    if not _HEX.match(digest) or len(digest) != size:
        msg = f"Hash {spec!r}: a {name} digest is {size} hex digits, got {digest!r}."
        raise InvalidChoiceError(msg)
    return name, digest


def file_hash(path: str | os.PathLike[str], algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in 1 MiB chunks.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "empty"
    >>> _ = p.write_bytes(b"")
    >>> file_hash(p, "md5")
    'd41d8cd98f00b204e9800998ecf8427e'
    """
    return _digests(Path(path), [algorithm])[algorithm]


def _digests(path: Path, algorithms: list[str]) -> dict[str, str]:
    """Several digests of one file in a single read."""
    hashers = {name: hashlib.new(name) for name in dict.fromkeys(algorithms)}
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            for hasher in hashers.values():
                hasher.update(chunk)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


def etag_md5(etag: str | None) -> str | None:
    """The md5 an S3 ETag stands for, or None when it is not a plain md5.

    A single-part S3 upload's ETag is the hex md5 of the body, quoted. Multipart ETags
    (``"...-12"``) and weak ones (``W/"..."``) are not.

    Examples
    --------
    >>> etag_md5('"d41d8cd98f00b204e9800998ecf8427e"')
    'd41d8cd98f00b204e9800998ecf8427e'
    >>> etag_md5('"9b2cf535f27731c974343645a3985328-12"') is None
    True
    """
    if not etag or etag.startswith("W/"):
        return None
    value = etag.strip().strip('"').lower()
    return value if _MD5_HEX.match(value) else None


@dataclass(frozen=True)
class Checks:
    """What a downloaded file must satisfy; unset fields are not checked.

    Attributes
    ----------
    size : int, optional
        Length in bytes.
    hash : tuple of (str, str), optional
        ``(algorithm, hexdigest)`` as returned by :func:`parse_hash`.
    md5 : str, optional
        Hex md5 (from an S3 ETag).
    verify : callable, optional
        ``verify(path)`` raises on a bad file (e.g. :func:`verify_hdf5`).

    Examples
    --------
    >>> Checks(size=10).size
    10
    """

    size: int | None = None
    hash: tuple[str, str] | None = None
    md5: str | None = None
    verify: Verifier | None = None


def check_file(path: str | os.PathLike[str], checks: Checks) -> None:
    """Raise :class:`IntegrityError` unless ``path`` passes every check in ``checks``.

    The size is checked first (free), then the hashes (one read of the file), then
    ``checks.verify``.

    Raises
    ------
    IntegrityError
        Naming the file and the failed check, e.g. ``"size 1,000 != 2,000 (expected)"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f"
    >>> _ = p.write_bytes(b"abc")
    >>> check_file(p, Checks(size=3, md5="900150983cd24fb0d6963f7d28e17f72"))
    >>> check_file(p, Checks(size=4))
    Traceback (most recent call last):
    ...
    brainobs.errors.IntegrityError: .../f: size 3 != 4 (expected)
    """
    problem = find_problem(path, checks)
    if problem:
        msg = f"{path}: {problem}"
        raise IntegrityError(msg)


def find_problem(path: str | os.PathLike[str], checks: Checks) -> str:
    """What is wrong with ``path`` under ``checks``, or ``""`` when nothing is.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f"
    >>> _ = p.write_bytes(b"abc")
    >>> find_problem(p, Checks(md5="0" * 32))
    'md5 mismatch: expected 00000000000000000000000000000000, got 900150983cd24fb0d6963f7d28e17f72'
    """
    path = Path(path)
    size = path.stat().st_size
    if checks.size is not None and size != checks.size:
        return f"size {size:,} != {checks.size:,} (expected)"
    wanted = [checks.hash] if checks.hash is not None else []
    if checks.md5 is not None:
        wanted.append(("md5", checks.md5))
    if wanted:
        got = _digests(path, [name for name, _ in wanted])
        for name, expected in wanted:
            if got[name] != expected:
                return f"{name} mismatch: expected {expected}, got {got[name]}"
    if checks.verify is not None:
        return _run_verifier(checks.verify, path)
    return ""


def _run_verifier(verify: Verifier, path: Path) -> str:
    try:
        verify(path)
    except Exception as exc:
        name = getattr(verify, "__name__", type(verify).__name__)
        return f"{name} rejected the file: {exc}"
    return ""


def verify_hdf5(path: str | os.PathLike[str]) -> None:
    """Raise :class:`IntegrityError` unless ``path`` opens as an HDF5 file (NWB files are HDF5).

    HDF5 records the file's length in its header, so a truncated file fails to open.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.nwb"
    >>> _ = p.write_bytes(b"not hdf5")
    >>> verify_hdf5(p)
    Traceback (most recent call last):
    ...
    brainobs.errors.IntegrityError: does not open as HDF5 ...
    """
    import h5py

    try:
        with h5py.File(path, "r") as handle:
            list(handle.keys())
    except OSError as exc:
        msg = f"does not open as HDF5 (truncated or damaged?): {exc}"
        raise IntegrityError(msg) from exc
