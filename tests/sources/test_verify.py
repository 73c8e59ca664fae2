"""File checks: sizes, hashes (md5/sha256/blake2b), S3 ETags, the HDF5 verifier."""

from __future__ import annotations

import hashlib

import pytest

from brainobs.errors import IntegrityError
from brainobs.sources.verify import (
    Checks,
    check_file,
    etag_md5,
    file_hash,
    find_problem,
    format_size,
    parse_hash,
    verify_hdf5,
)

DATA = b"brain observatory" * 1000


@pytest.fixture
def blob(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(DATA)
    return path


@pytest.mark.parametrize("name", ["md5", "sha256", "blake2b"])
def test_file_hash_matches_hashlib(blob, name):
    assert file_hash(blob, name) == hashlib.new(name, DATA).hexdigest()
    assert parse_hash(f"{name}:{hashlib.new(name, DATA).hexdigest()}")[0] == name


def test_check_file_names_what_failed(blob):
    check_file(blob, Checks(size=len(DATA), hash=("sha256", hashlib.sha256(DATA).hexdigest())))
    with pytest.raises(IntegrityError, match=r"size 17,000 != 17,001 \(expected\)"):
        check_file(blob, Checks(size=len(DATA) + 1))
    with pytest.raises(IntegrityError, match="blob.bin: sha256 mismatch: expected 0+, got "):
        check_file(blob, Checks(hash=("sha256", "0" * 64)))
    assert find_problem(blob, Checks(md5="f" * 32)).startswith("md5 mismatch")


def test_verifier_errors_become_problems(blob):
    def must_start_with_hdf(path):
        if path.read_bytes()[:4] != b"\x89HDF":
            raise ValueError("no HDF5 signature")

    assert find_problem(blob, Checks(verify=must_start_with_hdf)) == (
        "must_start_with_hdf rejected the file: no HDF5 signature"
    )


def test_etag_md5_only_for_plain_single_part_etags():
    assert etag_md5('"0CC175B9C0F1B6A831C399E269772661"') == "0cc175b9c0f1b6a831c399e269772661"
    assert etag_md5('"0cc175b9c0f1b6a831c399e269772661-3"') is None
    assert etag_md5('W/"0cc175b9c0f1b6a831c399e269772661"') is None
    assert etag_md5(None) is None


def test_hdf5_verifier_rejects_truncated_files(tmp_path):
    import h5py
    import numpy as np

    path = tmp_path / "x.nwb"
    with h5py.File(path, "w") as handle:
        handle["data"] = np.arange(100_000.0)
    verify_hdf5(path)
    data = path.read_bytes()
    for cut in (len(data) - 1, len(data) // 2, 100):
        short = tmp_path / f"short{cut}.nwb"
        short.write_bytes(data[:cut])
        with pytest.raises(IntegrityError, match="does not open as HDF5"):
            verify_hdf5(short)


def test_format_size_uses_decimal_units():
    assert [format_size(n) for n in (0, 999, 1000, 3_100_000, 2.5e9, 7e15)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "3.1 MB",
        "2.5 GB",
        "7000.0 TB",
    ]
