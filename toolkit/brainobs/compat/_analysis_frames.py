"""Reshape brainobs analysis results into AllenSDK's attribute shapes (tables, tuples).

AllenSDK builds ``peak`` cell by cell into an empty DataFrame, so its columns are ``object``
holding numpy scalars (integers for condition indices and ids, floats otherwise), in a fixed
column order per stimulus; sparse noise keeps ``cell_specimen_id`` as ``int64``. The sweep
tables have columns ``'0'..'n-1'`` and ``'dx'`` and the stimulus table's index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PEAK_COLUMNS", "peak_table", "sweep_frame", "array_frame", "correlation_pvalues",
           "condition_counts"]

#: AllenSDK's ``peak`` columns, in its order (``{nm}`` is the movie's short name).
PEAK_COLUMNS: dict[str, tuple[str, ...]] = {
    "dg": ("ori_dg", "tf_dg", "reliability_dg", "osi_dg", "dsi_dg", "peak_dff_dg", "ptest_dg",
           "p_run_dg", "run_modulation_dg", "cv_os_dg", "cv_ds_dg", "tf_index_dg",
           "cell_specimen_id"),
    "sg": ("ori_sg", "sf_sg", "phase_sg", "reliability_sg", "osi_sg", "peak_dff_sg", "ptest_sg",
           "time_to_peak_sg", "cell_specimen_id", "p_run_sg", "cv_os_sg", "run_modulation_sg",
           "sf_index_sg"),
    "ns": ("scene_ns", "reliability_ns", "peak_dff_ns", "ptest_ns", "p_run_ns",
           "run_modulation_ns", "time_to_peak_ns", "cell_specimen_id", "image_selectivity_ns"),
    "nm": ("peak_{nm}", "response_reliability_{nm}", "cell_specimen_id"),
    "lsn": ("rf_center_on_x_lsn", "rf_center_on_y_lsn", "rf_center_off_x_lsn",
            "rf_center_off_y_lsn", "rf_area_on_lsn", "rf_area_off_lsn", "rf_distance_lsn",
            "rf_overlap_index_lsn", "rf_chi2_lsn", "cell_specimen_id"),
}
#: Columns holding integers (condition indices, frames, ids).
_INTEGER = {"ori_dg", "tf_dg", "ori_sg", "sf_sg", "phase_sg", "scene_ns", "peak_nm1",
            "peak_nm2", "peak_nm3", "cell_specimen_id"}


def _object_column(values: np.ndarray, integer: bool) -> np.ndarray:
    kind = np.int64 if integer else np.float64
    out = np.empty(len(values), dtype=object)
    out[:] = [kind(v) for v in values]
    return out


def peak_table(peak: pd.DataFrame, kind: str, short: str = "") -> pd.DataFrame:
    """A brainobs ``peak`` table (indexed by cell id) in AllenSDK's layout.

    Parameters
    ----------
    peak : DataFrame
        ``StimulusResult.peak``.
    kind : str
        ``dg``, ``sg``, ``ns``, ``nm`` or ``lsn``.
    short : str
        The movie's short name (``nm1`` ...) for ``kind="nm"``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"peak_nm1": [3.0], "response_reliability_nm1": [0.5]},
    ...                  index=pd.Index([7], name="cell_specimen_id"))
    >>> t = peak_table(p, "nm", "nm1")
    >>> t.columns.tolist(), t.dtypes.iloc[0], type(t.iloc[0, 0]).__name__
    (['peak_nm1', 'response_reliability_nm1', 'cell_specimen_id'], dtype('O'), 'int64')
    """
    import pandas as pd

    columns = [c.format(nm=short) for c in PEAK_COLUMNS[kind]]
    ids = peak.index.to_numpy(dtype=np.int64)
    table = {}
    for name in columns:
        values = ids if name == "cell_specimen_id" else peak[name].to_numpy(dtype=float)
        if kind == "lsn" and name == "cell_specimen_id":
            table[name] = ids
        else:
            table[name] = _object_column(values, name in _INTEGER)
    return pd.DataFrame(table, index=pd.RangeIndex(len(ids)), columns=columns)


def _columns(n_cells: int, speed: bool = True) -> list[str]:
    return [*(str(i) for i in range(n_cells)), *(["dx"] if speed else [])]


def array_frame(values: np.ndarray, index: pd.Index, speed: bool = True) -> pd.DataFrame:
    """A trials × cells float table (``mean_sweep_response``, ``pval``).

    Examples
    --------
    >>> import pandas as pd
    >>> array_frame(np.zeros((2, 3)), pd.Index([4, 5])).columns.tolist()
    ['0', '1', 'dx']
    """
    import pandas as pd

    n_cells = values.shape[1] - (1 if speed else 0)
    return pd.DataFrame(values, index=pd.Index(index.to_numpy()), columns=_columns(n_cells, speed))


def sweep_frame(cells: np.ndarray, index: pd.Index, speed: np.ndarray | None) -> pd.DataFrame:
    """A trials × cells table whose entries are sweeps (object columns holding arrays).

    Parameters
    ----------
    cells : ndarray, shape (n_cells, n_trials, n_samples)
    index : Index
        The stimulus table's index.
    speed : ndarray, shape (n_trials, n_samples), optional
        Running speed in each sweep window (the ``dx`` column).

    Examples
    --------
    >>> import pandas as pd
    >>> f = sweep_frame(np.zeros((2, 3, 5)), pd.Index([0, 1, 2]), np.ones((3, 5)))
    >>> f.shape, f.loc[1, "dx"].shape
    ((3, 3), (5,))
    """
    import pandas as pd

    columns = _columns(len(cells), speed is not None)
    rows = [*cells, *([speed] if speed is not None else [])]
    data = {}
    for name, block in zip(columns, rows, strict=True):
        column = np.empty(len(block), dtype=object)
        column[:] = list(block)
        data[name] = column
    return pd.DataFrame(data, index=pd.Index(index.to_numpy()), columns=columns)


def correlation_pvalues(r: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """Two-sided p values of correlations ``r`` from ``n`` observations (t distribution).

    This is the test scipy's ``pearsonr`` and ``spearmanr`` report (AllenSDK's p values).

    Examples
    --------
    >>> correlation_pvalues(np.array([0.0, 1.0]), 10).round(3).tolist()
    [1.0, 0.0]
    """
    from scipy.stats import t as t_dist

    r = np.asarray(r, dtype=float)
    dof = np.asarray(n, dtype=float) - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.abs(r) * np.sqrt(dof / ((1 - r) * (1 + r)))
    p = 2 * t_dist.sf(stat, dof)
    return np.where(np.isnan(r) | (dof <= 0), np.nan, p)


def condition_counts(table: pd.DataFrame, columns: list[str], axes: list[np.ndarray]) -> np.ndarray:
    """Trials per condition: ``table`` rows matching each combination of ``axes`` values.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"o": [0, 0, 90], "f": [1, 1, 1]})
    >>> condition_counts(t, ["o", "f"], [np.array([0, 90]), np.array([1])]).tolist()
    [[2], [1]]
    """
    grids = np.meshgrid(*axes, indexing="ij")
    values = [table[c].to_numpy(dtype=float) for c in columns]
    counts = np.zeros(grids[0].shape, dtype=int)
    for position in np.ndindex(counts.shape):
        match = np.logical_and.reduce([v == g[position] for v, g in zip(values, grids,
                                                                         strict=True)])
        counts[position] = int(match.sum())
    return counts
