"""open_nwb: picks the reader, and turns every wrong kind of file into one clear error."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from brainobs.errors import FormatError, InvalidChoiceError
from brainobs.nwb import inspect_nwb, list_readers, open_nwb
from brainobs.nwb.ophys1 import Ophys1Experiment


def test_opens_a_brain_observatory_file_with_the_nwb1_reader(tiny_b):
    content, path = tiny_b
    assert inspect_nwb(path).generation == 1
    assert inspect_nwb(path).version == "NWB-1.0.5"
    with open_nwb(path) as exp:
        assert isinstance(exp, Ophys1Experiment)
        assert exp.ophys_experiment_id == content.metadata.ophys_experiment_id
    with open_nwb(str(path), reader="ophys1") as exp:
        assert exp.number_of_cells == content.n_cells


def test_registry_lists_the_nwb1_reader():
    (reader,) = list_readers()
    assert reader.name == "ophys1" and "NWB 1" in reader.description


def test_missing_file_names_the_path(tmp_path):
    path = tmp_path / "123.nwb"
    with pytest.raises(FileNotFoundError, match="123.nwb"):
        open_nwb(path)


def test_folder_is_refused(tmp_path):
    with pytest.raises(FormatError, match="folder"):
        open_nwb(tmp_path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>", "HTML web page"),
        (b'<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>', "XML.*nosuchkey"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\n", "Git LFS pointer"),
        (b'{"msg": []}', "JSON"),
        (b"", "empty"),
        (b"hello, this is just some text\n", "text file starting with 'hello"),
        (b"\x1f\x8b\x08\x00binary", "gzip"),
        (bytes(range(200)), "starts with bytes 00 01"),
    ],
)
def test_non_hdf5_file_says_what_it_looks_like(tmp_path, content, expected):
    path = tmp_path / "501940850.nwb"
    path.write_bytes(content)
    pattern = f"(?i)501940850.nwb' is not an NWB file: it .*{expected}"
    with pytest.raises(FormatError, match=pattern):
        open_nwb(path)


def test_zip_archive_is_recognised(tmp_path):
    path = tmp_path / "x.nwb"
    np.savez(path.with_suffix(".npz"), ev=np.zeros(3))
    shutil.move(path.with_suffix(".npz"), path)
    assert zipfile.is_zipfile(path)
    with pytest.raises(FormatError, match="ZIP archive"):
        open_nwb(path)


def test_truncated_file_says_truncated_and_to_download_again(tiny_b, tmp_path):
    _, path = tiny_b
    half = tmp_path / "half.nwb"
    half.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    for opener in (open_nwb, Ophys1Experiment):
        with pytest.raises(FormatError, match="truncated.*download it again") as info:
            opener(half)
        assert f"of its {path.stat().st_size} bytes" in str(info.value)


def test_nwb2_file_is_recognised_with_its_version(tmp_path):
    path = tmp_path / "nwb2.nwb"
    with h5py.File(path, "w") as f:
        f.attrs["nwb_version"] = "2.6.0"
        f.create_group("general")
    for call in (lambda: open_nwb(path), lambda: open_nwb(path, reader="ophys1")):
        with pytest.raises(FormatError, match=r"NWB 2 file \(nwb_version 2.6.0\)") as info:
            call()
        assert "VisualCoding2P" in str(info.value) and "NWB 1" in str(info.value)


def test_hdf5_without_nwb_version_is_not_nwb(tmp_path):
    path = tmp_path / "analysis.h5"
    with h5py.File(path, "w") as f:
        f["analysis/x"] = np.arange(3)
    with pytest.raises(FormatError, match="HDF5 file but not an NWB file"):
        open_nwb(path)


def test_other_nwb1_file_is_not_taken_for_a_brain_observatory_file(tmp_path):
    path = tmp_path / "other.nwb"
    with h5py.File(path, "w") as f:
        f["nwb_version"] = np.bytes_(b"NWB-1.0.5")
    with pytest.raises(FormatError, match="not a Brain Observatory"):
        open_nwb(path)


def test_unknown_reader_name_lists_the_readers(tiny_b):
    with pytest.raises(InvalidChoiceError, match="ophys1"):
        open_nwb(tiny_b[1], reader="ophys2")


def test_damaged_trace_chunk_gives_format_error_not_oserror(write_tiny, tmp_path):
    _, path = write_tiny(session_type="three_session_C", seed=5)
    broken = tmp_path / "broken.nwb"
    shutil.copy(path, broken)
    with h5py.File(broken, "r") as f:
        chunk = f["processing/brain_observatory_pipeline/Fluorescence/imaging_plane_1/data"]
        info = chunk.id.get_chunk_info(0)
    with open(broken, "r+b") as handle:
        handle.seek(info.byte_offset)
        handle.write(b"\xff" * min(info.size, 64))
    with Ophys1Experiment(broken) as exp, pytest.raises(FormatError, match="damaged"):
        exp.get_fluorescence()


def test_open_inspect_accepts_str_paths(tiny_b):
    assert inspect_nwb(str(tiny_b[1])).path == Path(tiny_b[1])


def test_importing_the_readers_loads_no_heavy_library():
    code = (
        "import sys, brainobs.nwb, brainobs.nwb.ophys1, brainobs.nwb.events;"
        "print([m for m in ('h5py', 'pandas', 'scipy', 'matplotlib') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
