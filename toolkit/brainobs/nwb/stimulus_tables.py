"""Stimulus tables from the arrays of ``/stimulus/presentation``, with AllenSDK's exact semantics.

Columns, their order, the sort (by start then end frame) and the index (the row positions in
the file, *not* reset) match ``BrainObservatoryNwbDataSet.get_stimulus_table``; the epoch table
and the ``'master'`` table follow ``get_stimulus_epoch_table`` and its master-table rules.
Frames are integer 2-photon frame indices. pandas is imported inside the functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ..errors import FormatError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EPOCH_THRESHOLDS",
    "table_kind",
    "make_feature_table",
    "make_indexed_table",
    "make_movie_table",
    "make_spontaneous_table",
    "make_stimulus_table",
    "split_epochs",
    "make_epoch_table",
    "make_master_table",
    "find_row_at_frame",
]

#: Largest gap (frames) between rows of one block, per session type (AllenSDK's values).
EPOCH_THRESHOLDS: dict[str, int] = {
    "three_session_A": 32 + 7,
    "three_session_B": 15,
    "three_session_C": 7,
    "three_session_C2": 7,
}
_MAX_CUTS = 2


def table_kind(stimulus: str) -> str:
    """Which table builder a stimulus uses: features, indexed, movie or spontaneous.

    Examples
    --------
    >>> table_kind("static_gratings"), table_kind("natural_movie_one")
    ('features', 'movie')
    """
    if stimulus in (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS):
        return "features"
    if stimulus in st.NATURAL_MOVIES:
        return "movie"
    if stimulus == st.SPONTANEOUS:
        return "spontaneous"
    return "indexed"


def _with_frames(table: pd.DataFrame, frame_duration: np.ndarray) -> pd.DataFrame:
    frames = np.asarray(frame_duration)
    table["start"] = frames[:, 0].astype(np.int64)
    table["end"] = frames[:, 1].astype(np.int64)
    return table.sort_values(["start", "end"], kind="stable")


def make_feature_table(
    data: np.ndarray, features: list[str], frame_duration: np.ndarray
) -> pd.DataFrame:
    """Grating table: one column per feature, then ``start``, ``end``; sorted, index kept.

    Examples
    --------
    >>> make_feature_table(np.array([[2.0, 90, 0]]), ["temporal_frequency", "orientation",
    ...                    "blank_sweep"], np.array([[30, 90]])).columns.tolist()
    ['temporal_frequency', 'orientation', 'blank_sweep', 'start', 'end']
    """
    import pandas as pd

    return _with_frames(pd.DataFrame(np.asarray(data), columns=list(features)), frame_duration)


def make_indexed_table(data: np.ndarray, frame_duration: np.ndarray) -> pd.DataFrame:
    """Scene / sparse-noise table: ``frame`` (template index, -1 blank), ``start``, ``end``.

    Examples
    --------
    >>> make_indexed_table(np.array([3, -1]), np.array([[7, 14], [0, 7]])).index.tolist()
    [1, 0]
    """
    import pandas as pd

    return _with_frames(pd.DataFrame(np.asarray(data), columns=["frame"]), frame_duration)


def make_movie_table(data: np.ndarray, frame_duration: np.ndarray) -> pd.DataFrame:
    """Natural-movie table: ``frame, start, end, repeat`` (repeat counts whole passes).

    Raises
    ------
    FormatError
        When the rows are not whole repeats of every movie frame.

    Examples
    --------
    >>> make_movie_table(np.array([0, 1, 0, 1]), np.array([[0, 1], [1, 2], [2, 3], [3, 4]]))[
    ...     "repeat"].tolist()
    [0, 0, 1, 1]
    """
    table = make_indexed_table(data, frame_duration)
    n_unique = int(table["frame"].nunique())
    if n_unique == 0 or len(table) % n_unique:
        raise FormatError(
            f"Movie presentation has {len(table)} rows for {n_unique} distinct frames: "
            "not whole repeats, so repeat numbers cannot be assigned."
        )
    table["repeat"] = np.repeat(np.arange(len(table) // n_unique), n_unique)
    return table


def make_spontaneous_table(data: np.ndarray, frame_duration: np.ndarray) -> pd.DataFrame:
    """Spontaneous-activity table: ``start`` from +1 rows, ``end`` from -1 rows (column 0).

    Examples
    --------
    >>> make_spontaneous_table(np.array([1, -1]), np.array([[10, 10], [99, 99]])).values.tolist()
    [[10, 99]]
    """
    import pandas as pd

    data = np.asarray(data).ravel()
    frames = np.asarray(frame_duration)
    starts, stops = np.flatnonzero(data == 1), np.flatnonzero(data == -1)
    if len(starts) != len(stops):
        raise FormatError(
            f"Spontaneous presentation has {len(starts)} starts (+1) but {len(stops)} stops (-1)."
        )
    pairs = np.column_stack([frames[starts, 0], frames[stops, 0]]).astype(np.int64)
    table = pd.DataFrame(pairs, columns=["start", "end"])
    return table.sort_values(["start", "end"], kind="stable")


def make_stimulus_table(stimulus: str, datasets: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Build the table of ``stimulus`` from its ``data``, ``frame_duration`` [, ``features``].

    Examples
    --------
    >>> make_stimulus_table("natural_scenes", {"data": np.array([5]),
    ...                     "frame_duration": np.array([[0, 7]])}).columns.tolist()
    ['frame', 'start', 'end']
    """
    kind = table_kind(stimulus)
    data, frames = datasets["data"], datasets["frame_duration"]
    if kind == "features":
        return make_feature_table(data, list(datasets["features"]), frames)
    if kind == "movie":
        return make_movie_table(data, frames)
    if kind == "spontaneous":
        return make_spontaneous_table(data, frames)
    return make_indexed_table(data, frames)


def split_epochs(table: pd.DataFrame, threshold: int) -> list[tuple[int, int]]:
    """Cut a sorted table into blocks where the gap to the next row exceeds ``threshold``.

    Returns one ``(first start, last end)`` per block (at most three).

    Raises
    ------
    FormatError
        When the table falls into more than three blocks.

    Examples
    --------
    >>> import pandas as pd
    >>> split_epochs(pd.DataFrame({"start": [0, 7, 100], "end": [7, 14, 107]}), 15)
    [(0, 14), (100, 107)]
    """
    starts = table["start"].to_numpy()
    ends = table["end"].to_numpy()
    cuts = np.flatnonzero(starts[1:] - ends[:-1] > threshold) + 1
    if len(cuts) > _MAX_CUTS:
        raise FormatError(
            f"A stimulus falls into {len(cuts) + 1} blocks (gaps > {threshold} frames at rows "
            f"{cuts.tolist()}); Visual Coding sessions show each stimulus in at most 3 blocks."
        )
    firsts = [0, *cuts.tolist()]
    lasts = [*(cuts - 1).tolist(), len(table) - 1]
    return [(int(starts[a]), int(ends[b])) for a, b in zip(firsts, lasts, strict=True)]


def make_epoch_table(tables: Mapping[str, pd.DataFrame], session_type: str) -> pd.DataFrame:
    """One row per stimulus block: ``stimulus, start, end`` (frames), in time order.

    ``tables`` maps each stimulus of the file (in ``list_stimuli`` order) to its table.

    Examples
    --------
    >>> import pandas as pd
    >>> make_epoch_table({"spontaneous": pd.DataFrame({"start": [5], "end": [95]})},
    ...                  "three_session_B").values.tolist()
    [['spontaneous', 5, 95]]
    """
    import pandas as pd

    if session_type not in EPOCH_THRESHOLDS:
        raise FormatError(
            f"No epoch threshold for session type {session_type!r}; "
            f"known: {sorted(EPOCH_THRESHOLDS)}."
        )
    owner: dict[tuple[int, int], str] = {}
    intervals: list[tuple[int, int]] = []
    for stimulus, table in tables.items():
        blocks = split_epochs(table, EPOCH_THRESHOLDS[session_type])
        owner.update(dict.fromkeys(blocks, stimulus))
        intervals += blocks
    intervals.sort(key=lambda interval: interval[0])
    return pd.DataFrame(
        {
            "stimulus": [owner[i] for i in intervals],
            "start": np.array([i[0] for i in intervals], dtype=np.int64),
            "end": np.array([i[1] for i in intervals], dtype=np.int64),
        }
    )


def make_master_table(tables: Mapping[str, pd.DataFrame], epochs: pd.DataFrame) -> pd.DataFrame:
    """All stimulus rows that lie inside their stimulus's blocks, with a ``stimulus`` column.

    Columns are the sorted union of the tables' columns; the index is reset.

    Examples
    --------
    >>> import pandas as pd
    >>> spont = pd.DataFrame({"start": [5], "end": [95]})
    >>> make_master_table({"spontaneous": spont}, make_epoch_table(
    ...     {"spontaneous": spont}, "three_session_B")).columns.tolist()
    ['end', 'start', 'stimulus']
    """
    import pandas as pd

    parts: list[Any] = []
    for stimulus, table in tables.items():
        for _, block in epochs[epochs["stimulus"] == stimulus].iterrows():
            inside = (block["start"] <= table["start"]) & (table["end"] <= block["end"])
            part = table[inside].copy()
            part["stimulus"] = stimulus
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["end", "start", "stimulus"])
    return pd.concat(parts, sort=True).reset_index(drop=True)


def _containing(starts: np.ndarray, ends: np.ndarray, frame: int) -> np.ndarray:
    """Rows whose [start, end) holds ``frame`` (or whose zero-length row sits on it)."""
    inside = (starts <= frame) & (frame < ends)
    return np.flatnonzero(inside | ((starts == frame) & (ends == frame)))


def find_row_at_frame(master: pd.DataFrame, epochs: pd.DataFrame, frame: int) -> int | None:
    """Position in ``master`` of the presentation on screen at 2-photon ``frame``.

    Inside a block but between two presentations (e.g. the grey gap after a drifting
    grating), the latest earlier presentation of the block counts, as in AllenSDK. Outside
    every block: None.

    Examples
    --------
    >>> import pandas as pd
    >>> master = pd.DataFrame({"start": [0, 90], "end": [60, 150], "stimulus": ["dg", "dg"]})
    >>> epochs = pd.DataFrame({"stimulus": ["dg"], "start": [0], "end": [150]})
    >>> find_row_at_frame(master, epochs, 75), find_row_at_frame(master, epochs, 200)
    (0, None)
    """
    starts, ends = master["start"].to_numpy(), master["end"].to_numpy()
    block_starts, block_ends = epochs["start"].to_numpy(), epochs["end"].to_numpy()
    first_block = block_starts.min() if len(block_starts) else 0
    while True:
        hits = _containing(starts, ends, frame)
        if hits.size:
            return int(hits[np.argmin(starts[hits])])
        if not _containing(block_starts, block_ends, frame).size or frame < first_block:
            return None
        frame -= 1
