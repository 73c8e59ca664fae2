"""One call from an experiment to its cell-metrics table, with the Allen API column names.

``compute_cell_metrics(experiment)`` analyses every stimulus of the session and returns one
row per cell (index ``cell_specimen_id``) with the columns of the Allen ``cell_specimens``
table that the session provides (``osi_dg``, ``pref_dir_dg``, ``p_sg``, ``rf_chi2_lsn`` ...).
``merge_container_metrics`` joins the tables of a container's sessions. ``analyze_stimulus``
and ``analyze_session`` give the full per-stimulus results (responses, sweeps, peak tables
with AllenSDK's column names) for teaching and for an AllenSDK-compatible skin.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ..errors import check_choice
from .inputs import SessionData

if TYPE_CHECKING:
    import pandas as pd

    from .result import StimulusResult

__all__ = [
    "analyze_stimulus",
    "analyze_session",
    "compute_cell_metrics",
    "metrics_from_results",
    "merge_container_metrics",
    "API_COLUMNS",
]

logger = logging.getLogger(__name__)

#: API column -> (peak column, values key or None) per stimulus.
API_COLUMNS: dict[str, dict[str, tuple[str, str | None]]] = {
    st.DRIFTING_GRATINGS: {
        "osi_dg": ("osi_dg", None), "dsi_dg": ("dsi_dg", None),
        "pref_dir_dg": ("ori_dg", "orivals"), "pref_tf_dg": ("tf_dg", "tfvals"),
        "p_dg": ("ptest_dg", None), "g_osi_dg": ("cv_os_dg", None),
        "g_dsi_dg": ("cv_ds_dg", None), "reliability_dg": ("reliability_dg", None),
        "tfdi_dg": ("tf_index_dg", None), "run_mod_dg": ("run_modulation_dg", None),
        "p_run_mod_dg": ("p_run_dg", None), "peak_dff_dg": ("peak_dff_dg", None),
    },
    st.STATIC_GRATINGS: {
        "osi_sg": ("osi_sg", None), "pref_ori_sg": ("ori_sg", "orivals"),
        "pref_sf_sg": ("sf_sg", "sfvals"), "pref_phase_sg": ("phase_sg", "phasevals"),
        "p_sg": ("ptest_sg", None), "time_to_peak_sg": ("time_to_peak_sg", None),
        "run_mod_sg": ("run_modulation_sg", None), "p_run_mod_sg": ("p_run_sg", None),
        "g_osi_sg": ("cv_os_sg", None), "sfdi_sg": ("sf_index_sg", None),
        "peak_dff_sg": ("peak_dff_sg", None), "reliability_sg": ("reliability_sg", None),
    },
    st.NATURAL_SCENES: {
        "pref_image_ns": ("scene_ns", None), "p_ns": ("ptest_ns", None),
        "time_to_peak_ns": ("time_to_peak_ns", None),
        "image_sel_ns": ("image_selectivity_ns", None),
        "reliability_ns": ("reliability_ns", None), "run_mod_ns": ("run_modulation_ns", None),
        "p_run_mod_ns": ("p_run_ns", None), "peak_dff_ns": ("peak_dff_ns", None),
    },
    "lsn": {name: (name, None) for name in (
        "rf_chi2_lsn", "rf_area_on_lsn", "rf_center_on_x_lsn", "rf_center_on_y_lsn",
        "rf_area_off_lsn", "rf_center_off_x_lsn", "rf_center_off_y_lsn", "rf_distance_lsn",
        "rf_overlap_index_lsn")},
}
_NM1_SUFFIX = {"three_session_A": "a", "three_session_B": "b", "three_session_C": "c",
               "three_session_C2": "c"}


def _as_session_data(source: Any, stimuli: list[str] | None = None) -> SessionData:
    if isinstance(source, SessionData):
        return source
    if isinstance(source, str | os.PathLike):
        from ..nwb import open_nwb

        with open_nwb(source) as experiment:
            return SessionData.from_experiment(experiment, stimuli)
    return SessionData.from_experiment(source, stimuli)


def analyze_stimulus(source: Any, stimulus: str, *, n_shuffles: int = 10000) -> StimulusResult:
    """Analyse one stimulus of an experiment (path, opened experiment or :class:`SessionData`).

    Raises
    ------
    MissingStimulusError
        The session did not show ``stimulus`` (the message names the session types that did).
    InvalidChoiceError
        ``stimulus`` is not a stimulus name, or is ``spontaneous`` (nothing to analyse).

    Examples
    --------
    >>> result = analyze_stimulus("990000000.nwb", "drifting_gratings")  # doctest: +SKIP
    >>> result.peak[["osi_dg", "dsi_dg"]].head()  # doctest: +SKIP
    """
    if stimulus == st.SPONTANEOUS:
        check_choice("stimulus to analyse", stimulus, sorted(set(st.ALL_STIMULI) - {stimulus}),
                     hint="Spontaneous activity has no stimulus-locked analysis.")
    data = _as_session_data(source, None if isinstance(source, SessionData) else [stimulus])
    table = data.table(stimulus)
    args = (data.corrected, data.running_speed, data.acquisition_rate, data.cell_specimen_ids)
    if stimulus == st.DRIFTING_GRATINGS:
        from .gratings import analyze_drifting_gratings

        return analyze_drifting_gratings(table, *args)
    if stimulus == st.STATIC_GRATINGS:
        from .gratings import analyze_static_gratings

        return analyze_static_gratings(table, *args)
    if stimulus == st.NATURAL_SCENES:
        from .scenes import analyze_natural_scenes

        return analyze_natural_scenes(table, *args)
    if stimulus in st.NATURAL_MOVIES:
        from .movies import analyze_natural_movie

        return analyze_natural_movie(stimulus, table, data.dff, data.cell_specimen_ids)
    from .receptive_fields import analyze_locally_sparse_noise

    return analyze_locally_sparse_noise(
        stimulus, table, data.templates[stimulus], data.corrected, data.dff, data.running_speed,
        data.acquisition_rate, data.cell_specimen_ids, n_shuffles=n_shuffles,
    )


def analyze_session(
    source: Any, stimuli: list[str] | None = None, *, n_shuffles: int = 10000
) -> dict[str, StimulusResult]:
    """Analyse every stimulus of a session (or those named): stimulus -> result.

    Examples
    --------
    >>> results = analyze_session("990000000.nwb")  # doctest: +SKIP
    >>> sorted(results)  # doctest: +SKIP
    ['drifting_gratings', 'natural_movie_one', 'natural_movie_three']
    """
    data = _as_session_data(source, stimuli)
    names = stimuli or list(data.stimuli)
    return {name: analyze_stimulus(data, name, n_shuffles=n_shuffles) for name in names}


def _lsn_source(session_type: str, metadata: dict[str, Any]) -> str:
    if session_type == "three_session_C":
        return st.LOCALLY_SPARSE_NOISE
    if metadata.get("targeted_structure") == "VISp":
        return st.LOCALLY_SPARSE_NOISE_4DEG
    return st.LOCALLY_SPARSE_NOISE_8DEG


def metrics_from_results(
    results: dict[str, StimulusResult], session_type: str, metadata: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Rename and convert per-stimulus peak tables into API cell-metric columns.

    Preferences become stimulus values (``pref_dir_dg`` in degrees, ``pref_tf_dg`` in Hz ...);
    natural movie one's reliability goes to ``reliability_nm1_a/b/c`` by session; in session
    C2 the sparse-noise metrics come from the 4.65° block for VISp, else the 9.3° block.

    Examples
    --------
    >>> import pandas as pd
    >>> from brainobs.analysis.result import StimulusResult
    >>> peak = pd.DataFrame({"peak_nm1": [3.0], "response_reliability_nm1": [0.2]}, index=[7])
    >>> m = metrics_from_results({"natural_movie_one": StimulusResult("natural_movie_one", peak)},
    ...                          "three_session_B")
    >>> m.columns.tolist()
    ['reliability_nm1_b']
    """
    import pandas as pd

    columns: dict[str, np.ndarray] = {}
    lsn = _lsn_source(session_type, metadata or {}) if session_type.startswith("three_session_C") \
        else None
    index = None
    for name, result in results.items():
        peak = result.peak
        index = peak.index
        if name in st.NATURAL_MOVIES:
            short = st.SHORT_NAMES[name]
            api = f"reliability_nm1_{_NM1_SUFFIX[session_type]}" if short == "nm1" \
                else f"reliability_{short}"
            columns[api] = peak[f"response_reliability_{short}"].to_numpy()
            continue
        if name in st.SPARSE_NOISE and name != lsn:
            continue
        for api, (source, values) in API_COLUMNS.get(name, API_COLUMNS["lsn"]).items():
            raw = peak[source].to_numpy(dtype=float)
            if values is not None:
                lookup = np.asarray(result.values[values], dtype=float)
                safe = np.where(np.isnan(raw), 0, raw).astype(np.int64)
                raw = np.where(np.isnan(raw), np.nan, lookup[safe])
            columns[api] = raw
    return pd.DataFrame(columns, index=index)


def compute_cell_metrics(
    source: Any, stimuli: list[str] | None = None, *, n_shuffles: int = 10000
) -> pd.DataFrame:
    """The cell-metrics table of one experiment (Allen API column names).

    Parameters
    ----------
    source : str, Path, opened experiment or SessionData
        The experiment.
    stimuli : list of str, optional
        Only these stimuli (default: all that the session showed; in session C2 only the
        sparse-noise block the table takes its receptive fields from).
    n_shuffles : int
        Shuffles of the sparse-noise test (the Allen value is 10,000).

    Returns
    -------
    DataFrame
        Indexed by ``cell_specimen_id``; ``attrs`` holds ``session_type`` and
        ``mean_running_speed``.

    Examples
    --------
    >>> metrics = compute_cell_metrics("990000000.nwb")  # doctest: +SKIP
    >>> metrics[["osi_dg", "pref_dir_dg", "p_dg"]].head()  # doctest: +SKIP
    """
    data = _as_session_data(source, stimuli)
    if stimuli is None and data.session_type == "three_session_C2":
        used = _lsn_source(data.session_type, data.metadata)
        stimuli = [s for s in data.stimuli if s not in st.SPARSE_NOISE or s == used]
    results = analyze_session(data, stimuli, n_shuffles=n_shuffles)
    table = metrics_from_results(results, data.session_type, data.metadata)
    table.index.name = "cell_specimen_id"
    table.attrs["session_type"] = data.session_type
    with np.errstate(invalid="ignore"):
        table.attrs["mean_running_speed"] = float(np.nanmean(data.running_speed))
    return table


def merge_container_metrics(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Join the cell-metric tables of a container's sessions on ``cell_specimen_id``.

    Cells missing from a session get NaN in that session's columns.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"osi_dg": [0.5]}, index=pd.Index([7], name="cell_specimen_id"))
    >>> b = pd.DataFrame({"osi_sg": [0.2]}, index=pd.Index([8], name="cell_specimen_id"))
    >>> merge_container_metrics([a, b]).shape
    (2, 2)
    """
    import pandas as pd

    if not tables:
        raise ValueError("No session tables to merge: pass one table per session.")
    merged = pd.concat(tables, axis=1, join="outer", sort=True)
    duplicated = merged.columns[merged.columns.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"Columns {duplicated} come from more than one session table.")
    merged.index.name = "cell_specimen_id"
    return merged
