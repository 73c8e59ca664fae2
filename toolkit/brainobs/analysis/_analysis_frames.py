"""The DataFrames of an analysis file, shaped as AllenSDK's stimulus classes hold them.

Stimulus tables (gratings with blanks filled with 0, movies one row per repeat), sweep
responses (one array per trial and cell: % dF/F around each sweep, running speed in ``dx``;
for movies the dF/F of each repeat), mean sweep responses, and the merged ``peak`` table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st

if TYPE_CHECKING:
    import pandas as pd

    from .inputs import SessionData
    from .result import StimulusResult
    from .speed_tuning import SpeedTuning

__all__ = ["by_short", "stim_table", "sweep_response", "movie_sweep_response",
           "mean_sweep_response", "stimulus_peak", "merged_peak"]

#: Where ``cell_specimen_id`` sits among each stimulus' peak columns (AllenSDK's order).
_ID_AFTER = {st.STATIC_GRATINGS: "time_to_peak_sg", st.NATURAL_SCENES: "time_to_peak_ns"}
_INDEX_COLUMNS = ("ori_dg", "tf_dg", "ori_sg", "sf_sg", "phase_sg", "scene_ns")
#: Metadata the NWB reader gives beyond AllenSDK's ``get_metadata`` (not a peak column).
_NOT_SDK_METADATA = ("synthetic",)
_PEAK_ORDER = {
    "three_session_A": (st.DRIFTING_GRATINGS, st.NATURAL_MOVIE_ONE, st.NATURAL_MOVIE_THREE),
    "three_session_B": (st.STATIC_GRATINGS, st.NATURAL_SCENES, st.NATURAL_MOVIE_ONE),
    "three_session_C": (st.NATURAL_MOVIE_ONE, st.NATURAL_MOVIE_TWO, st.LOCALLY_SPARSE_NOISE),
    "three_session_C2": (st.NATURAL_MOVIE_ONE, st.NATURAL_MOVIE_TWO, "lsn"),
}


def by_short() -> dict[str, str]:
    """Short stimulus name -> full name.

    Examples
    --------
    >>> by_short()["nm1"]
    'natural_movie_one'
    """
    return {short: name for name, short in st.SHORT_NAMES.items()}


def _columns(n_cells: int) -> list[str]:
    return [str(c) for c in range(n_cells)]


def stim_table(data: SessionData, stimulus: str) -> pd.DataFrame:
    """The stimulus table as the SDK's class holds it (gratings: NaN -> 0; movies: frame 0).

    Examples
    --------
    >>> stim_table(data, "natural_movie_one")["frame"].unique().tolist()  # doctest: +SKIP
    [0]
    """
    table = data.table(stimulus)
    if stimulus in (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS):
        return table.fillna(value=0.0)
    if stimulus in st.NATURAL_MOVIES:
        return table[table["frame"] == 0]
    return table


def _object_frame(cells: list[np.ndarray], columns: list[str], index: Any) -> pd.DataFrame:
    """A frame of per-trial arrays: ``cells[j][i]`` is row ``i`` of column ``j``."""
    import pandas as pd

    values = np.empty((len(index), len(columns)), dtype=object)
    for j, column in enumerate(cells):
        for i in range(len(index)):
            values[i, j] = column[i]
    return pd.DataFrame(values, index=index, columns=columns)


def sweep_response(data: SessionData, result: StimulusResult) -> pd.DataFrame:
    """% dF/F sweep of every trial and cell, plus the running speed (``dx``).

    Examples
    --------
    >>> sweep_response(data, dg_result).shape  # doctest: +SKIP
    (628, 36)
    """
    from .sweeps import _take, cut_sweeps, sweep_frames

    stats = result.sweeps
    starts = stats.table["start"].to_numpy(dtype=np.int64)
    sweeps = cut_sweeps(data.corrected, starts, stats.window)
    speed = _take(np.asarray(data.running_speed, dtype=float), sweep_frames(starts, stats.window))
    columns = [*_columns(stats.n_cells), "dx"]
    return _object_frame([*sweeps, speed], columns, stats.table.index.to_numpy())


def movie_sweep_response(data: SessionData, stimulus: str) -> pd.DataFrame:
    """dF/F of every cell over every repeat of a movie (columns = cell indices).

    Examples
    --------
    >>> movie_sweep_response(data, "natural_movie_one").shape  # doctest: +SKIP
    (10, 35)
    """
    from .movies import movie_repeats

    table = data.table(stimulus)
    starts, length = movie_repeats(table)
    repeats = stim_table(data, stimulus)
    cells = [[row[s : s + length] for s in starts] for row in data.dff]
    return _object_frame(cells, _columns(len(data.cell_specimen_ids)), repeats.index.to_numpy())


def mean_sweep_response(result: StimulusResult) -> pd.DataFrame:
    """Mean sweep responses with the SDK's labels (table index; columns ``'0'``…, ``'dx'``).

    Examples
    --------
    >>> mean_sweep_response(dg_result).columns[-1]  # doctest: +SKIP
    'dx'
    """
    import pandas as pd

    stats = result.sweeps
    return pd.DataFrame(stats.mean_sweep, index=stats.table.index.to_numpy(),
                        columns=[*_columns(stats.n_cells), "dx"])


def stimulus_peak(result: StimulusResult) -> pd.DataFrame:
    """A peak table as AllenSDK holds it: index 0 … n−1 and a ``cell_specimen_id`` column.

    Condition indices (``ori_dg``, ``scene_ns``, ``peak_nm1`` ...) are integers, as the SDK
    uses them to index ``orivals`` etc. (kept float only when some cell has none).

    Examples
    --------
    >>> stimulus_peak(dg_result).columns[-1]  # doctest: +SKIP
    'cell_specimen_id'
    """
    peak = result.peak.reset_index(drop=True)
    for column in peak.columns:
        if column in _INDEX_COLUMNS or column.startswith("peak_nm"):
            values = peak[column].to_numpy(dtype=float)
            if np.isfinite(values).all():
                peak[column] = values.astype(np.int64)
    ids = result.cell_specimen_ids.astype(np.int64)
    after = _ID_AFTER.get(result.stimulus)
    position = len(peak.columns) if after is None else peak.columns.get_loc(after) + 1
    peak.insert(position, "cell_specimen_id", ids)
    return peak


def merged_peak(data: SessionData, results: dict[str, StimulusResult], speed: SpeedTuning,
                lsn: str | None) -> pd.DataFrame:
    """``peak_run`` + stimulus peaks (first copy of a column kept) + metadata columns.

    ``lsn`` names the sparse-noise block whose metrics session C2 reports.

    Examples
    --------
    >>> merged_peak(data, results, speed, None).columns[0]  # doctest: +SKIP
    'speed_max_sp'
    """
    import pandas as pd

    parts = [speed.peak_run.reset_index(drop=True)]
    for name in _PEAK_ORDER[data.session_type]:
        parts.append(stimulus_peak(results[lsn if name == "lsn" else name]))
    merged = parts[0]
    for part in parts[1:]:
        merged = pd.concat([merged, part.drop(columns=[c for c in part if c in merged])], axis=1)
    for key, value in data.metadata.items():
        if key in _NOT_SDK_METADATA:
            continue
        merged[key] = pd.Timestamp(value) if hasattr(value, "isoformat") else value
    return merged
