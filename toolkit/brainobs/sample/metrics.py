"""Cell-metric records (``cell_specimens.json``) of the sample release, measured from its files.

Every metric value is what :func:`brainobs.analysis.compute_cell_metrics` (the Allen
definitions, 10,000 shuffles for the sparse-noise tests) gives on the release's own NWB files,
so the published table and the analysis of the files agree exactly. Each column comes from
the session that shows its stimulus: session A gives the drifting-grating columns,
``reliability_nm3`` and ``reliability_nm1_a``; session B the static-grating and natural-scene
columns and ``reliability_nm1_b``; session C or C2 the receptive-field columns,
``reliability_nm2`` and ``reliability_nm1_c`` (in C2 from the 4.65° block for VISp, else the
9.3° block, as AllenSDK's session analysis does).

A metric is null (JSON ``null``, as in the real API) when the cell was not imaged in that
session, or when the analysis gives NaN: run modulation without enough running and stationary
trials at the preferred condition, receptive-field centres, areas, distance and overlap without
significant patches, and so on.

The whitepaper also lists outlier rules for the published table (for example ``osi_dg`` NaN when
``p_dg >= 0.5``). Their threshold and where they were applied are unconfirmed, so they are
**not** applied here: every value is the plain analysis result.

The computation runs while the release is written: :class:`MetricJobs` takes each NWB file as
soon as it exists and analyses it in worker processes (or in this process when there is one
CPU, or no ``fork``). The analysis depends only on the file, so the values are the same
whichever process computes them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .catalog import STIMULUS_MAPPING_ITEMS, TRANSGENIC_LINES
from .design import SYNTHETIC_KEY, ContainerDesign, synthetic_note

if TYPE_CHECKING:
    from concurrent.futures import Future

    import pandas as pd

__all__ = [
    "METRIC_COLUMNS",
    "THUMBNAIL_COLUMNS",
    "N_SHUFFLES",
    "MetricJobs",
    "measure_experiment",
    "session_letter",
    "cell_metric_records",
]

logger = logging.getLogger(__name__)

_SESSION_A = ("dsi_dg", "g_dsi_dg", "g_osi_dg", "osi_dg", "p_dg", "p_run_mod_dg", "peak_dff_dg",
              "pref_dir_dg", "pref_tf_dg", "reliability_dg", "reliability_nm3", "run_mod_dg",
              "tfdi_dg")
_SESSION_B = ("g_osi_sg", "image_sel_ns", "osi_sg", "p_ns", "p_run_mod_ns", "p_run_mod_sg",
              "p_sg", "peak_dff_ns", "peak_dff_sg", "pref_image_ns", "pref_ori_sg",
              "pref_phase_sg", "pref_sf_sg", "reliability_ns", "reliability_sg", "run_mod_ns",
              "run_mod_sg", "sfdi_sg", "time_to_peak_ns", "time_to_peak_sg")
_SESSION_C = ("reliability_nm2", "rf_area_off_lsn", "rf_area_on_lsn", "rf_center_off_x_lsn",
              "rf_center_off_y_lsn", "rf_center_on_x_lsn", "rf_center_on_y_lsn", "rf_chi2_lsn",
              "rf_distance_lsn", "rf_overlap_index_lsn")
#: Every metric column with the session letter whose experiment it comes from.
METRIC_COLUMNS: dict[str, str] = {
    **{name: "A" for name in _SESSION_A},
    **{name: "B" for name in _SESSION_B},
    **{name: "C" for name in _SESSION_C},
    "reliability_nm1_a": "A",
    "reliability_nm1_b": "B",
    "reliability_nm1_c": "C",
}
THUMBNAIL_COLUMNS = tuple(i[1] for i in STIMULUS_MAPPING_ITEMS if i[4] == "T" and i[2] == "R")
#: Shuffles of the sparse-noise tests (the Allen value).
N_SHUFFLES = 10_000


def session_letter(session_type: str) -> str:
    """Session letter of a session type: ``A``, ``B``, or ``C`` (for C and C2).

    Examples
    --------
    >>> session_letter("three_session_C2"), session_letter("three_session_B")
    ('C', 'B')
    """
    return "C" if session_type.startswith("three_session_C") else session_type[-1]


def measure_experiment(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The metric columns of one experiment, computed from its NWB file.

    Parameters
    ----------
    path : str or PathLike
        The experiment's NWB file.

    Returns
    -------
    DataFrame
        Indexed by ``cell_specimen_id`` (the cells of the file), one column per metric of
        :data:`METRIC_COLUMNS` that the session provides; NaN where the analysis gives none.

    Examples
    --------
    >>> table = measure_experiment("920010003.nwb")  # doctest: +SKIP
    >>> table.columns[:3].tolist()  # doctest: +SKIP
    ['osi_dg', 'dsi_dg', 'pref_dir_dg']
    """
    import warnings

    from ..analysis import compute_cell_metrics

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NaN means of cells without responses
        table = compute_cell_metrics(path, n_shuffles=N_SHUFFLES)
    logger.info("metrics of %s (%s): %d cells in %.1f s", Path(path).name,
                table.attrs.get("session_type"), len(table), time.perf_counter() - started)
    return table[[c for c in table.columns if c in METRIC_COLUMNS]]


def _default_workers() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    """Worker processes are forked (no re-import of ``__main__``): Linux, not in a daemon."""
    return (sys.platform.startswith("linux")
            and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


class MetricJobs:
    """Compute experiments' metric tables while the rest of the release is being written.

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: one per available CPU). With 1, or where processes cannot
        be forked, the tables are computed in this process when :meth:`results` is called.

    Examples
    --------
    >>> with MetricJobs(workers=1) as jobs:  # doctest: +SKIP
    ...     jobs.submit(920010003, "920010003.nwb")
    ...     tables = jobs.results()
    >>> sorted(tables)  # doctest: +SKIP
    [920010003]
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, int(workers if workers is not None else _default_workers()))
        self._pending: dict[int, Path] = {}
        self._futures: dict[int, Future[pd.DataFrame]] = {}
        self._pool: Any = None
        if self.workers > 1 and _can_fork():
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)

    @property
    def in_workers(self) -> bool:
        """Whether the tables are computed in worker processes.

        Examples
        --------
        >>> MetricJobs(workers=1).in_workers
        False
        """
        return self._pool is not None

    def __enter__(self) -> MetricJobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, experiment_id: int, path: str | os.PathLike[str]) -> None:
        """Queue the NWB file of an experiment (its analysis starts now if there are workers).

        Examples
        --------
        >>> MetricJobs(workers=1).submit(1, "1.nwb")  # doctest: +SKIP
        """
        if self._pool is None:
            self._pending[experiment_id] = Path(path)
        else:
            self._futures[experiment_id] = self._pool.submit(measure_experiment, Path(path))

    def results(self) -> dict[int, pd.DataFrame]:
        """Wait for every queued experiment: experiment id -> metric table.

        Examples
        --------
        >>> MetricJobs(workers=1).results()
        {}
        """
        tables = {eid: measure_experiment(path) for eid, path in self._pending.items()}
        tables.update({eid: future.result() for eid, future in self._futures.items()})
        return dict(sorted(tables.items()))

    def close(self) -> None:
        """Stop the workers (queued work that has not started is dropped).

        Examples
        --------
        >>> MetricJobs(workers=1).close()
        """
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _clean(value: Any) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _column_values(tables: Mapping[str, pd.DataFrame], cid: int) -> dict[str, float | None]:
    """One cell's metric columns from the tables of its container's sessions (letter -> table)."""
    out: dict[str, float | None] = dict.fromkeys(METRIC_COLUMNS)
    for name, letter in METRIC_COLUMNS.items():
        table = tables.get(letter)
        if table is not None and name in table.columns and cid in table.index:
            out[name] = _clean(table.at[cid, name])
    return out


def cell_metric_records(
    design: ContainerDesign, tables: Mapping[str, pd.DataFrame], seed: int
) -> list[dict[str, object]]:
    """ApiCamCellMetric records of a container's cells (the raw API shape).

    Parameters
    ----------
    design : ContainerDesign
        The container (ids, area, genotype, which sessions saw which cells).
    tables : mapping
        Session letter (``"A"``, ``"B"``, ``"C"``) -> that session's metric table
        (:func:`measure_experiment`), indexed by ``cell_specimen_id``.
    seed : int
        Release seed.

    Returns
    -------
    list of dict
        One record per cell, every real metric column present; null for a session the cell
        is missing from and where the table holds NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> from brainobs.sample.design import design_release
    >>> c = design_release(0, "small")[0]
    >>> a = pd.DataFrame({"p_dg": [0.01]}, index=c.cell_specimen_ids[:1])
    >>> recs = cell_metric_records(c, {"A": a}, 0)
    >>> recs[0]["area"], recs[0]["p_dg"], recs[1]["p_dg"]
    ('VISp', 0.01, None)
    """
    cre = TRANSGENIC_LINES[design.cre_line]
    seen = design.present.all(axis=1)
    records = []
    for i, cid in enumerate(design.cell_specimen_ids):
        record: dict[str, object] = {
            "all_stim": bool(seen[i]),
            "area": design.targeted_structure,
            "cell_specimen_id": int(cid),
            "donor_full_genotype": design.genotype,
            "experiment_container_id": design.experiment_container_id,
            "failed_experiment_container": design.failed,
            "imaging_depth": design.imaging_depth,
            "specimen_id": design.specimen_id,
            "tld1_id": cre[0],
            "tld1_name": design.cre_line,
            "tld2_id": TRANSGENIC_LINES["Camk2a-tTA"][0],
            "tld2_name": "Camk2a-tTA",
            "tlr1_id": TRANSGENIC_LINES["Ai93(TITL-GCaMP6f)"][0],
            "tlr1_name": "Ai93(TITL-GCaMP6f)",
        }
        record.update(_column_values(tables, int(cid)))
        record.update({name: None for name in THUMBNAIL_COLUMNS})
        record[SYNTHETIC_KEY] = synthetic_note(seed)
        records.append(record)
    return records
