"""The per-cell receptive-field groups of a sparse-noise analysis file (AllenSDK's layout).

``analysis/<stimulus>/<cell index>/`` mirrors the dictionary AllenSDK's
``compute_receptive_field_with_postprocessing`` returns: datasets named ``data`` under
``event_vector``, ``on|off/{pvalues, fdr_corrected, fdr_mask, rts_convolution, rts,
gaussian_fit}`` and ``chi_squared_analysis/{best_exclusion_region_mask, pvalues}``, with
the scalar results as attributes (Python ``None`` stored as NaN). ``gaussian_fit`` exists
only for a polarity with at least one fitted subunit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import h5py

    from .result import StimulusResult

__all__ = ["write_receptive_field_groups"]

_FIT_KEYS = ("height", "center_y", "center_x", "width_y", "width_x", "rotation", "area")


def _floats(values: Any) -> np.ndarray:
    """A float array with None as NaN (lists of lists become 2-D)."""
    array = np.array(values, dtype=object)
    array[np.equal(array, None)] = np.nan
    return array.astype(float)


def _pair_table(fields: dict[str, Any], key: str, polarity: str) -> np.ndarray:
    """``distance`` / ``overlap`` seen from one polarity: (own subunits, other subunits)."""
    n_on, n_off = len(fields["on"]["fits"]["area"]), len(fields["off"]["fits"]["area"])
    table = _floats(fields[key]).reshape(n_on, n_off)
    return table if polarity == "on" else table.T


def _polarity(group: h5py.Group, result: StimulusResult, cell: int, k: int, key: str,
              alpha: float) -> None:
    extra, fields = result.extra, result.extra["fields"][cell]
    fdr = extra["fdr_corrected"][cell, k]
    stack = fields[key]["fdr_mask"]
    group[f"{key}/pvalues/data"] = extra["pvalues"][cell, k]
    group[f"{key}/fdr_corrected/data"] = fdr
    group[f"{key}/fdr_corrected"].attrs.update({"alpha": alpha, "min_p": fdr.min()})
    group[f"{key}/fdr_mask/data"] = stack
    group[f"{key}/fdr_mask"].attrs.update({
        "alpha": alpha, "number_of_components": fields[key]["number_of_components"],
        "number_of_pixels": stack.sum(axis=1).sum(axis=1)})
    group[f"{key}/rts_convolution/data"] = extra["rts_convolution"][cell, k]
    group[f"{key}/rts/data"] = extra["rts"][cell, k]
    fits = fields[key]["fits"]
    if not fits["area"]:
        return
    group[f"{key}/gaussian_fit/data"] = np.array(fits["data"])
    attrs = {name: _floats(fits[name]) for name in _FIT_KEYS}
    attrs["distance"] = _pair_table(fields, "distance", key)
    attrs["overlap"] = _pair_table(fields, "overlap", key)
    group[f"{key}/gaussian_fit"].attrs.update(attrs)


def write_receptive_field_groups(parent: h5py.Group, result: StimulusResult,
                                 alpha: float = 0.05) -> None:
    """Write ``analysis/<stimulus>/<cell>/…`` for every cell of a sparse-noise result.

    Parameters
    ----------
    parent : h5py.Group
        The ``analysis`` group.
    result : StimulusResult
        From :func:`brainobs.analysis.analyze_locally_sparse_noise`.
    alpha : float
        The FDR / chi-square alpha the result was computed with.

    Examples
    --------
    >>> write_receptive_field_groups(f["analysis"], lsn_result)  # doctest: +SKIP
    """
    extra = result.extra
    top = parent.create_group(result.stimulus)
    for cell in range(len(result.cell_specimen_ids)):
        group = top.create_group(str(cell))
        group.attrs.update({"cell_index": cell, "stimulus": result.stimulus})
        events = np.asarray(extra["events"][cell])
        group["event_vector/data"] = events
        group["event_vector"].attrs["number_of_events"] = events.sum()
        for k, key in enumerate(("on", "off")):
            _polarity(group, result, cell, k, key, alpha)
        chi = group.create_group("chi_squared_analysis")
        chi["best_exclusion_region_mask/data"] = extra["chi2_best_region"][cell]
        chi["pvalues/data"] = extra["chi2_pvalues"][cell]
        chi.attrs.update({"significant": bool(extra["chi2_significant"][cell]), "alpha": alpha,
                          "min_p": float(result.peak["rf_chi2_lsn"].iloc[cell])})
