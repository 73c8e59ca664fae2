"""read_events: the events npz, and clear errors for everything else."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.errors import FormatError
from brainobs.nwb.events import read_events


def test_reads_the_ev_array(tmp_path):
    events = np.where(np.random.default_rng(0).random((4, 300)) > 0.95, 0.3, 0.0)
    events[2] = np.nan
    np.savez_compressed(tmp_path / "1_events.npz", ev=events)
    np.testing.assert_array_equal(read_events(tmp_path / "1_events.npz"), events)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="2_events.npz"):
        read_events(tmp_path / "2_events.npz")


def test_html_page_instead_of_npz(tmp_path):
    path = tmp_path / "3_events.npz"
    path.write_text("<html><body>403 Forbidden</body></html>")
    with pytest.raises(FormatError, match="not an events .npz file: it looks like an HTML"):
        read_events(path)


def test_truncated_npz(tmp_path):
    path = tmp_path / "4_events.npz"
    np.savez_compressed(path, ev=np.random.default_rng(1).random((5, 1000)))
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(FormatError, match="damaged or truncated ZIP.*download it again"):
        read_events(path)


def test_wrong_key(tmp_path):
    np.savez(tmp_path / "5_events.npz", events=np.zeros((2, 3)))
    with pytest.raises(FormatError, match=r"no 'ev' array \(it has \['events'\]\)"):
        read_events(tmp_path / "5_events.npz")


def test_pickled_objects_are_refused(tmp_path):
    np.savez(tmp_path / "6_events.npz", ev=np.array([{"a": 1}], dtype=object))
    with pytest.raises(FormatError, match="Python objects"):
        read_events(tmp_path / "6_events.npz")


def test_one_dimensional_array_is_refused(tmp_path):
    np.savez(tmp_path / "7_events.npz", ev=np.zeros(3))
    with pytest.raises(FormatError, match="expected 2-D"):
        read_events(tmp_path / "7_events.npz")
