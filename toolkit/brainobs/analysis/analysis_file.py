"""The precomputed analysis file of one experiment, in the Allen layout AllenSDK reads.

The Allen release ships ``ophys_experiment_analysis/<id>_<session_type>_analysis.h5`` per
experiment: stimulus tables, sweep responses, mean sweep responses, the merged ``peak``
table (DataFrames in pandas' HDF5 "fixed" layout), response arrays, speed tuning,
correlations and, for sparse noise, one receptive-field group per cell.
:func:`write_analysis_file` writes that file from brainobs' analyses with h5py alone, so that
AllenSDK's ``DriftingGratings.from_analysis_file`` (and the other stimulus classes') load it.
:func:`read_analysis_arrays` reads it back with h5py, without unpickling anything.

Contents per session (``analysis/…``):

* A: ``stim_table_dg, sweep_response_dg, mean_sweep_response_dg, peak, sweep_response_nm1,
  stim_table_nm1, sweep_response_nm3``; arrays ``response_dg, binned_*, noise_corr_dg,
  signal_corr_dg, rep_similarity_dg``
* B: static gratings and natural scenes likewise, plus ``sweep_response_nm1, stim_table_nm1``
* C: ``stim_table_lsn, sweep_response_nm1, peak, sweep_response_nm2, sweep_response_lsn,
  mean_sweep_response_lsn``; arrays ``receptive_field_lsn, mean_response_lsn, binned_*``;
  group ``locally_sparse_noise``
* C2: the same for the 4.65° and 9.3° blocks (``…_lsn4``, ``…_lsn8``), plus
  ``merge_mean_response``

``peak`` joins natural movie one's speed tuning (``peak_run``), the stimulus peak tables
(indexed 0 … n−1, with a ``cell_specimen_id`` column) and one column per metadata entry.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._analysis_frames import (
    by_short,
    mean_sweep_response,
    merged_peak,
    movie_sweep_response,
    stim_table,
    sweep_response,
)
from ._hdf_frames import mark_pytables_root, read_frame, write_frame
from .inputs import SessionData

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd

    from .result import StimulusResult
    from .speed_tuning import SpeedTuning

__all__ = ["write_analysis_file", "read_analysis_arrays", "analysis_file_name"]

logger = logging.getLogger(__name__)

_SHORT = st.SHORT_NAMES
#: DataFrames per session, in the order AllenSDK writes them.
_FRAMES = {
    "three_session_A": ("stim_table_dg", "sweep_response_dg", "mean_sweep_response_dg", "peak",
                        "sweep_response_nm1", "stim_table_nm1", "sweep_response_nm3"),
    "three_session_B": ("stim_table_sg", "sweep_response_sg", "mean_sweep_response_sg",
                        "sweep_response_nm1", "stim_table_nm1", "sweep_response_ns",
                        "stim_table_ns", "mean_sweep_response_ns", "peak"),
    "three_session_C": ("stim_table_lsn", "sweep_response_nm1", "peak", "sweep_response_nm2",
                        "sweep_response_lsn", "mean_sweep_response_lsn"),
    "three_session_C2": ("stim_table_lsn4", "stim_table_lsn8", "sweep_response_nm1", "peak",
                         "sweep_response_nm2", "sweep_response_lsn4", "sweep_response_lsn8",
                         "mean_sweep_response_lsn4", "mean_sweep_response_lsn8"),
}


def analysis_file_name(ophys_experiment_id: int, session_type: str) -> str:
    """The release's file name: ``<id>_<session_type>_analysis.h5``.

    Examples
    --------
    >>> analysis_file_name(501498760, "three_session_B")
    '501498760_three_session_B_analysis.h5'
    """
    return f"{int(ophys_experiment_id)}_{st.check_session_type(session_type)}_analysis.h5"


def _frames(data: SessionData, results: dict[str, StimulusResult], speed: SpeedTuning,
            lsn: str | None) -> Iterator[tuple[str, pd.DataFrame]]:
    """(name, DataFrame) in AllenSDK's order, built one at a time."""
    stimuli = by_short()
    for name in _FRAMES[data.session_type]:
        if name == "peak":
            yield name, merged_peak(data, results, speed, lsn)
            continue
        kind, short = name.rsplit("_", 1)
        stimulus = stimuli[short]
        if kind == "stim_table":
            yield name, stim_table(data, stimulus)
        elif kind == "mean_sweep_response":
            yield name, mean_sweep_response(results[stimulus])
        elif stimulus in st.NATURAL_MOVIES:
            yield name, movie_sweep_response(data, stimulus)
        else:
            yield name, sweep_response(data, results[stimulus])


def _arrays(data: SessionData, results: dict[str, StimulusResult],
            speed: SpeedTuning) -> list[tuple[str, np.ndarray]]:
    """(name, array) in AllenSDK's order."""
    from .correlations import noise_correlation, representational_similarity, signal_correlation

    out: list[tuple[str, np.ndarray]] = []
    binned = [(n, getattr(speed, n)) for n in ("binned_cells_sp", "binned_cells_vis",
                                                "binned_dx_sp", "binned_dx_vis")]
    for stimulus in (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS, st.NATURAL_SCENES):
        if stimulus in results:
            out.append((f"response_{_SHORT[stimulus]}", results[stimulus].response))
    if data.session_type in ("three_session_A", "three_session_B"):
        out.extend(binned)
        for stimulus in (st.DRIFTING_GRATINGS, st.STATIC_GRATINGS, st.NATURAL_SCENES):
            if stimulus in results:
                short, result = _SHORT[stimulus], results[stimulus]
                out.extend([(f"noise_corr_{short}", noise_correlation(result)),
                            (f"signal_corr_{short}", signal_correlation(result)),
                            (f"rep_similarity_{short}", representational_similarity(result))])
        return out
    sparse = [s for s in st.SPARSE_NOISE if s in results]
    for kind in ("receptive_field", "mean_response"):
        for stimulus in sparse:
            value = results[stimulus].extra["receptive_field"] if kind == "receptive_field" \
                else results[stimulus].response
            out.append((f"{kind}_{_SHORT[stimulus]}", value))
    if data.session_type == "three_session_C2":
        from scipy.ndimage import zoom

        big, small = (results[s].response for s in sparse)
        if small.shape[0] > big.shape[0]:
            big, small = small, big
        out.append(("merge_mean_response",
                    big + zoom(small, np.array(big.shape) / np.array(small.shape), order=0)))
    return out + binned


def _session_inputs(source: Any) -> SessionData:
    """SessionData with the spontaneous table (``tables["spontaneous"]``)."""
    if isinstance(source, SessionData):
        if st.SPONTANEOUS not in source.tables:
            raise ValueError("The SessionData has no 'spontaneous' table (speed tuning needs "
                             "it): add it to .tables, or pass the NWB path instead.")
        return source
    if isinstance(source, str | os.PathLike):
        from ..nwb import open_nwb

        with open_nwb(source) as experiment:
            return _session_inputs(experiment)
    data = SessionData.from_experiment(source)
    data.tables[st.SPONTANEOUS] = source.get_stimulus_table(st.SPONTANEOUS)
    return data


def write_analysis_file(source: Any, path: str | os.PathLike, *,
                        results: dict[str, StimulusResult] | None = None,
                        n_shuffles: int = 10000, seed: int = 0) -> Path:
    """Write the Allen-layout analysis HDF5 of one experiment (sessions A, B, C, C2).

    Parameters
    ----------
    source : str, Path, opened experiment or SessionData
        The experiment (a SessionData needs ``tables["spontaneous"]``).
    path : str or Path
        File to write (replaced atomically: written next to it, then renamed).
    results : dict, optional
        Stimulus name -> StimulusResult already computed (``analyze_session``); the missing
        ones are computed here.
    n_shuffles : int
        Shuffles of the sparse-noise test, for results computed here (Allen: 10,000).
    seed : int
        Seed of the speed-tuning shuffles.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> write_analysis_file("990000000.nwb",
    ...                     "990000000_three_session_A_analysis.h5")  # doctest: +SKIP
    """
    import h5py

    from ._rf_groups import write_receptive_field_groups
    from .metrics import analyze_stimulus
    from .speed_tuning import compute_speed_tuning

    data = _session_inputs(source)
    results = dict(results or {})
    for stimulus in data.stimuli:
        if stimulus not in results:
            results[stimulus] = analyze_stimulus(data, stimulus, n_shuffles=n_shuffles)
    speed = compute_speed_tuning(data.dff, data.running_speed, data.tables[st.SPONTANEOUS],
                                 data.cell_specimen_ids, seed=seed)
    lsn = None
    if data.session_type == "three_session_C2":
        lsn = st.LOCALLY_SPARSE_NOISE_4DEG if data.metadata.get("targeted_structure") == "VISp" \
            else st.LOCALLY_SPARSE_NOISE_8DEG
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with h5py.File(partial, "w") as f:
            mark_pytables_root(f)
            for name, frame in _frames(data, results, speed, lsn):
                write_frame(f, f"analysis/{name}", frame)
            for name, value in _arrays(data, results, speed):
                f.create_dataset(f"analysis/{name}", data=value)
            for stimulus in st.SPARSE_NOISE:
                if stimulus in results:
                    write_receptive_field_groups(f["analysis"], results[stimulus])
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    logger.info("Wrote %s (%.1f MB)", target, target.stat().st_size / 1e6)
    return target


def read_analysis_arrays(path: str | os.PathLike) -> dict[str, Any]:
    """Read an analysis file's arrays and numeric tables with h5py (no PyTables needed).

    Pickled columns (the per-trial ``sweep_response_*`` tables and the text metadata
    columns of ``peak``) are **not read**: unpickling data can run code, so it is never
    done here. Use ``pandas.read_hdf`` for those if you trust the file.

    Returns
    -------
    dict
        Array name -> ndarray (``response_dg``, ``binned_cells_vis``, ``noise_corr_sg`` ...)
        and table name -> DataFrame for tables without pickled columns (``mean_sweep_response_*``,
        ``stim_table_*``) or with some (``peak``: its numeric columns).

    Examples
    --------
    >>> arrays = read_analysis_arrays("990000000_three_session_A_analysis.h5")  # doctest: +SKIP
    >>> arrays["response_dg"].shape  # doctest: +SKIP
    (8, 6, 36, 3)
    """
    import h5py

    out: dict[str, Any] = {}
    with h5py.File(path, "r") as f:
        for name, node in f["analysis"].items():
            if isinstance(node, h5py.Dataset):
                out[name] = node[()]
            elif node.attrs.get("pandas_type") == b"frame":
                frame = read_frame(f["analysis"], name)
                if len(frame.columns):
                    out[name] = frame
    return out
