"""Row/column slicing reads only what was asked for."""

from __future__ import annotations

import h5py
import numpy as np
import pytest

from brainobs.nwb.slicing import frame_window, read_rows


class RecordingDataset:
    """A real h5py dataset that remembers the selections it was read with."""

    def __init__(self, dataset: h5py.Dataset) -> None:
        self.dataset, self.selections = dataset, []
        self.shape, self.dtype = dataset.shape, dataset.dtype

    def __getitem__(self, selection):
        self.selections.append(selection)
        return self.dataset[selection]


@pytest.fixture
def traces(tmp_path):
    values = np.arange(10 * 50, dtype=np.float32).reshape(10, 50)
    with h5py.File(tmp_path / "t.h5", "w") as f:
        f.create_dataset("x", data=values, chunks=(2, 10))
    with h5py.File(tmp_path / "t.h5", "r") as f:
        yield values, RecordingDataset(f["x"])


def test_scattered_rows_are_read_as_a_sorted_selection(traces):
    values, dataset = traces
    out = read_rows(dataset, np.array([7, 2, 7]), slice(5, 15))
    np.testing.assert_array_equal(out, values[[7, 2, 7], 5:15])
    assert dataset.selections == [([2, 7], slice(5, 15))]


def test_neighbouring_rows_are_read_as_one_block(traces):
    values, dataset = traces
    np.testing.assert_array_equal(read_rows(dataset, np.array([4, 3])), values[[4, 3]])
    assert dataset.selections == [(slice(3, 5), slice(None))]


def test_no_rows(traces):
    _, dataset = traces
    assert read_rows(dataset, np.array([], dtype=int), slice(0, 7)).shape == (0, 7)
    assert dataset.selections == []


def test_frame_window():
    t = np.arange(100) * 0.1
    assert frame_window(t) == slice(0, 100)
    assert frame_window(t, start=0.95) == slice(10, 100)
    assert frame_window(t, stop=-1.0) == slice(0, 0)
    assert frame_window(t, start=5.0, stop=2.0) == slice(50, 50)
    assert frame_window(t, frames=slice(-10, None)) == slice(90, 100)
    with pytest.raises(TypeError, match="slice"):
        frame_window(t, frames=[1, 2])  # type: ignore[arg-type]
