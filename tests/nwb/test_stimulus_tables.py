"""Stimulus-table builders: AllenSDK's column order, sorting, index and block rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from brainobs.errors import FormatError
from brainobs.nwb import stimulus_tables as tables


def test_feature_table_columns_sort_and_index():
    data = np.array([[2.0, 90.0, 0.0], [np.nan, np.nan, 1.0], [1.0, 0.0, 0.0]])
    frames = np.array([[200, 260], [0, 60], [100, 160]])
    table = tables.make_feature_table(
        data, ["temporal_frequency", "orientation", "blank_sweep"], frames
    )
    assert table.columns.tolist() == [
        "temporal_frequency",
        "orientation",
        "blank_sweep",
        "start",
        "end",
    ]
    assert table.index.tolist() == [1, 2, 0]  # sorted by start, file positions kept
    assert table["start"].dtype == np.int64 and table["blank_sweep"].tolist() == [1.0, 0.0, 0.0]


def test_movie_table_needs_whole_repeats():
    frames = np.array([[i, i + 1] for i in range(5)])
    with pytest.raises(FormatError, match="5 rows for 2 distinct frames"):
        tables.make_movie_table(np.array([0, 1, 0, 1, 0]), frames)


def test_spontaneous_pairs_starts_and_stops():
    data = np.array([1, -1, 1, -1])
    frames = np.array([[500, 500], [590, 590], [10, 10], [100, 100]])
    table = tables.make_spontaneous_table(data, frames)
    assert table.values.tolist() == [[10, 100], [500, 590]]
    with pytest.raises(FormatError, match="2 starts"):
        tables.make_spontaneous_table(np.array([1, 1, -1]), frames[:3])


def test_split_epochs_allows_three_blocks_only():
    table = pd.DataFrame({"start": [0, 7, 100, 300, 500], "end": [7, 14, 107, 307, 507]})
    assert tables.split_epochs(table.iloc[:4], threshold=15) == [(0, 14), (100, 107), (300, 307)]
    with pytest.raises(FormatError, match="4 blocks"):
        tables.split_epochs(table, threshold=15)


def test_epoch_threshold_depends_on_session_type():
    gratings = pd.DataFrame({"start": [0, 90, 200], "end": [60, 150, 260]})  # gaps 30, 50
    assert len(tables.make_epoch_table({"drifting_gratings": gratings}, "three_session_A")) == 2
    assert len(tables.make_epoch_table({"drifting_gratings": gratings}, "three_session_B")) == 3
    with pytest.raises(FormatError, match="three_session_D"):
        tables.make_epoch_table({"drifting_gratings": gratings}, "three_session_D")


def test_master_keeps_rows_inside_blocks_with_sorted_columns():
    scenes = pd.DataFrame({"frame": [3, 4], "start": [0, 7], "end": [7, 14]})
    spont = pd.DataFrame({"start": [100], "end": [190]})
    shown = {"natural_scenes": scenes, "spontaneous": spont}
    epochs = tables.make_epoch_table(shown, "three_session_B")
    master = tables.make_master_table(shown, epochs)
    assert master.columns.tolist() == ["end", "frame", "start", "stimulus"]
    assert master["stimulus"].tolist() == ["natural_scenes", "natural_scenes", "spontaneous"]
    assert np.isnan(master["frame"].iloc[2]) and master["start"].dtype == np.int64


def test_find_row_at_frame():
    master = pd.DataFrame(
        {"start": [0, 90, 300], "end": [60, 150, 307], "stimulus": ["a", "a", "b"]}
    )
    epochs = pd.DataFrame({"stimulus": ["a", "b"], "start": [0, 300], "end": [150, 307]})
    assert tables.find_row_at_frame(master, epochs, 0) == 0
    assert tables.find_row_at_frame(master, epochs, 59) == 0
    assert tables.find_row_at_frame(master, epochs, 60) == 0  # grey gap: previous trial
    assert tables.find_row_at_frame(master, epochs, 149) == 1
    assert tables.find_row_at_frame(master, epochs, 150) is None  # block over
    assert tables.find_row_at_frame(master, epochs, 303) == 2
