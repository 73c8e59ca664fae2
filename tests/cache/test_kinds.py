"""File kinds: keys of the release, and the content check of each kind."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

from brainobs.cache.kinds import (
    experiment_spec,
    metadata_spec,
    spec_of_key,
    verifier_for,
    verify_json,
    verify_npz,
)
from brainobs.errors import IntegrityError, InvalidChoiceError


@pytest.mark.parametrize(
    ("key", "kind", "number"),
    [
        ("visual-coding-2p/ophys_experiment_data/501940850.nwb", "nwb", 501940850),
        ("visual-coding-2p/ophys_experiment_events/501940850_events.npz", "events", 501940850),
        (
            "visual-coding-2p/ophys_experiment_analysis/501940850_three_session_C2_analysis.h5",
            "analysis",
            501940850,
        ),
        ("visual-coding-2p/cell_specimens.json", "metadata", None),
    ],
)
def test_keys_map_to_their_kind_and_experiment(key, kind, number):
    spec = spec_of_key(key)
    assert (spec.kind, spec.ophys_experiment_id) == (kind, number)
    if kind == "metadata":
        assert metadata_spec("cell_specimens.json") == spec
    else:
        session = "three_session_C2" if kind == "analysis" else None
        assert experiment_spec(number, kind, session) == spec


@pytest.mark.parametrize(
    "key",
    [
        "visual-coding-2p/manifest.json",  # an object, not records: not managed
        "visual-coding-2p/ophys_experiment_data/../../x.nwb",
        "visual-coding-2p/ophys_experiment_data/abc.nwb",
        "other/cell_specimens.json",
    ],
)
def test_other_keys_are_not_managed(key):
    assert spec_of_key(key) is None


def test_unknown_kind_names_the_choices():
    with pytest.raises(InvalidChoiceError, match=r"Unknown file kind 'nwb2'.*'analysis'"):
        experiment_spec(1, "nwb2")


def test_json_check_catches_truncation_and_wrong_shapes(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[{"id": 1}, {"id": 2}]')
    verify_json(path)
    path.write_text('[{"id": 1}, {"id"')
    with pytest.raises(IntegrityError, match="does not parse as JSON"):
        verify_json(path)
    path.write_text('{"msg": []}')
    with pytest.raises(IntegrityError, match="not the list of records"):
        verify_json(path)


def _events(path, data=None):
    np.savez(path, ev=np.arange(2000, dtype=float).reshape(4, 500) if data is None else data)
    return path


def test_npz_check_catches_a_flipped_byte_a_cut_and_a_missing_array(tmp_path):
    good = _events(tmp_path / "1_events.npz")
    verify_npz(good)
    data = bytearray(good.read_bytes())
    data[300] ^= 0xFF  # inside the stored array
    flipped = tmp_path / "2_events.npz"
    flipped.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="CRC|damaged|not a readable"):
        verify_npz(flipped)
    cut = tmp_path / "3_events.npz"
    cut.write_bytes(good.read_bytes()[:-100])
    with pytest.raises(IntegrityError, match="not a readable npz"):
        verify_npz(cut)
    other = tmp_path / "4_events.npz"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("dff.npy", b"x")
    with pytest.raises(IntegrityError, match="no 'ev' array"):
        verify_npz(other)


def test_sample_events_and_nwb_pass_their_checks(sample_release):
    release = sample_release / "visual-coding-2p"
    verifier_for("events")(next((release / "ophys_experiment_events").iterdir()))
    verifier_for("nwb")(next((release / "ophys_experiment_data").iterdir()))
    verifier_for("metadata")(release / "cell_specimens.json")
