"""AllenSDK names that brainobs does not offer, each with what to use instead: one table.

Every ``NotSupportedError`` raised by :mod:`brainobs.compat` is worded from :data:`UNSUPPORTED`,
and the book's migration page prints the same table, so the two cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..errors import BrainobsError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NotSupportedError", "Unsupported", "UNSUPPORTED", "missing_attribute",
           "not_supported", "unsupported_for", "unsupported_table"]


class NotSupportedError(BrainobsError, NotImplementedError):
    """An AllenSDK method or argument that :mod:`brainobs.compat` does not support.

    Examples
    --------
    >>> issubclass(NotSupportedError, NotImplementedError)
    True
    """


class Unsupported(NamedTuple):
    """One row of the table: the AllenSDK call(s), and the brainobs way.

    Attributes
    ----------
    allensdk : str
        The AllenSDK call(s), as shown in the table.
    instead : str
        What to use instead (the end of the error message).
    names : tuple of str
        The ``Owner.name`` keys it covers (``*`` at the end matches by prefix).

    Examples
    --------
    >>> unsupported_for("BrainObservatoryCache", "get_eye_tracking").names
    ('BrainObservatoryCache.get_eye_tracking',)
    """

    allensdk: str
    instead: str
    names: tuple[str, ...]


_PLOTS = ("Use brainobs.plotting with the analysis result (`.result`): plot_result_tuning, "
          "plot_result_heatmap, plot_result_preferred, plot_trial_average, "
          "plot_receptive_field.")
_RF_DATA = ("`.result.extra` holds the per-cell arrays: events, pvalues, fdr_corrected, rts, "
            "rts_convolution, chi2_pvalues and fields (components and Gaussian fits).")

UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported("BrainObservatoryCache(base_uri=..., api=...)",
                "Choose the data source with $BRAINOBS_SOURCE (s3, api, sample, a mirror URL "
                "or a folder), or use brainobs.VisualCoding2P(source=...).",
                ("BrainObservatoryCache.base_uri",)),
    Unsupported("BrainObservatoryCache.get_*(file_name=...)",
                "brainobs keeps its own copies in the cache folder: drop file_name (choose the "
                "folder with manifest_file= or $BRAINOBS_CACHE_DIR).",
                ("BrainObservatoryCache.file_name",)),
    Unsupported("BrainObservatoryCache.get_*(simple=False)",
                "The raw Allen API records are not kept; brainobs.VisualCoding2P's "
                "containers(), experiments() and cells() tables have every derived field.",
                ("BrainObservatoryCache.simple",)),
    Unsupported("BrainObservatoryCache.get_eye_tracking()",
                "Use ds.get_pupil_location() and ds.get_pupil_size() on the experiment's data "
                "set (brainobs: vc.experiment(id).get_pupil_location()).",
                ("BrainObservatoryCache.get_eye_tracking",)),
    Unsupported("BrainObservatoryCache.get_ophys_pupil_data()",
                "Use ds.get_pupil_location() and ds.get_pupil_size() on the experiment's data "
                "set.", ("BrainObservatoryCache.get_ophys_pupil_data",)),
    Unsupported("BrainObservatoryCache.get_cache_path(), load_manifest(), cache_json(), ... "
                "(the cache machinery AllenSDK's cache inherits)",
                "brainobs manages its own cache folder: vc.plan(ids) lists the files and where "
                "they go, vc.verify() checks them; choose the folder with $BRAINOBS_CACHE_DIR.",
                tuple(f"BrainObservatoryCache.{n}" for n in (
                    "add_manifest_paths", "cache_csv", "cache_csv_dataframe", "cache_csv_json",
                    "cache_json", "cache_json_dataframe", "cacher", "csv_writer",
                    "get_cache_path", "json_remove_keys", "json_rename_columns", "load_csv",
                    "load_json", "load_manifest", "manifest_dataframe", "nocache_dataframe",
                    "nocache_json", "pathfinder", "remove_keys", "rename_columns", "wrap"))),
    Unsupported("BrainObservatoryNwbDataSet.FILE_METADATA_MAPPING, .MOTION_CORRECTION_DATASETS",
                "The NWB 1 paths brainobs reads are in brainobs.nwb.ophys1_layout; the "
                "metadata is ds.get_metadata().",
                ("BrainObservatoryNwbDataSet.FILE_METADATA_MAPPING",
                 "BrainObservatoryNwbDataSet.MOTION_CORRECTION_DATASETS")),
    Unsupported("BrainObservatoryNwbDataSet.stimulus_search",
                "Use ds.get_stimulus(frame) or ds.experiment.get_stimulus_at_frame(frame).",
                ("BrainObservatoryNwbDataSet.stimulus_search",)),
    Unsupported("BrainObservatoryNwbDataSet.save_analysis_arrays(), .save_analysis_dataframes()",
                "brainobs never edits data files; save results with numpy.save or "
                "DataFrame.to_csv.",
                ("BrainObservatoryNwbDataSet.save_analysis_arrays",
                 "BrainObservatoryNwbDataSet.save_analysis_dataframes")),
    Unsupported("<analysis>.plot_*(), .open_*_plot()", _PLOTS,
                ("StimulusAnalysis.plot_*", "StimulusAnalysis.open_*")),
    Unsupported("<analysis>.from_analysis_file(), .save_*(), .read_*()",
                "Analyses are computed from the NWB file (brainobs.analysis.analyze_stimulus); "
                "construct the class from the data set instead.",
                ("StimulusAnalysis.from_analysis_file", "StimulusAnalysis.save_*",
                 "StimulusAnalysis.read_*")),
    Unsupported("<analysis>.reshape_response_array()",
                "Use .get_noise_correlation() (brainobs.analysis.noise_correlation) or group "
                ".mean_sweep_response by the .stim_table columns.",
                ("StimulusAnalysis.reshape_response_array",)),
    Unsupported("NaturalMovie.response, .get_response(), .mean_sweep_response, .pval",
                "AllenSDK does not compute these for movies either; use .sweep_response (one "
                "dF/F trace per repeat) or result.extra['mean_trace'].",
                ("NaturalMovie.response", "NaturalMovie.get_response",
                 "NaturalMovie.mean_sweep_response",
                 "NaturalMovie.pval")),
    Unsupported("LocallySparseNoise.response, .get_response()",
                "Use .mean_response (ON and OFF per patch).",
                ("LocallySparseNoise.response", "LocallySparseNoise.get_response")),
    Unsupported("LocallySparseNoise.cell_index_receptive_field_analysis_data, "
                ".get_receptive_field_attribute_df(), .sort_trials()", _RF_DATA,
                ("LocallySparseNoise.cell_index_receptive_field_analysis_data",
                 "LocallySparseNoise.get_receptive_field_analysis_data",
                 "LocallySparseNoise.get_receptive_field_attribute_df",
                 "LocallySparseNoise.sort_trials", "LocallySparseNoise.merge_mean_response")),
)

_BY_NAME: dict[str, Unsupported] = {n: row for row in UNSUPPORTED for n in row.names}


def unsupported_for(owner: str, name: str) -> Unsupported | None:
    """The table row for ``owner.name`` (wildcards ``plot_*`` ... match by prefix), or None.

    Examples
    --------
    >>> unsupported_for("StimulusAnalysis", "plot_direction_selectivity").allensdk
    '<analysis>.plot_*(), .open_*_plot()'
    >>> unsupported_for("StimulusAnalysis", "peak") is None
    True
    """
    key = f"{owner}.{name}"
    if key in _BY_NAME:
        return _BY_NAME[key]
    for pattern, row in _BY_NAME.items():
        if pattern.endswith("*") and key.startswith(pattern[:-1]):
            return row
    return None


def missing_attribute(obj: object, name: str, owners: tuple[str, ...]) -> Exception:
    """The error for a failed attribute lookup: NotSupportedError if the table lists the name.

    Examples
    --------
    >>> type(missing_attribute(object(), "get_eye_tracking", ("BrainObservatoryCache",)))
    <class 'brainobs.compat._unsupported.NotSupportedError'>
    >>> type(missing_attribute(object(), "nothing", ("BrainObservatoryCache",)))
    <class 'AttributeError'>
    """
    for owner in owners:
        if not name.startswith("_") and unsupported_for(owner, name) is not None:
            return not_supported(f"{owners[0]}.{name}", owner, name)
    return AttributeError(f"{type(obj).__name__!r} object has no attribute {name!r}")


def not_supported(what: str, owner: str | None = None, name: str | None = None,
                  ) -> NotSupportedError:
    """The error for an unsupported AllenSDK name, worded from :data:`UNSUPPORTED`.

    Parameters
    ----------
    what : str
        The call as the user wrote it, e.g. ``"DriftingGratings.plot_direction_selectivity()"``.
    owner, name : str, optional
        The table key (default: ``what`` split at its first dot, without ``()``).

    Examples
    --------
    >>> str(not_supported("BrainObservatoryCache.get_eye_tracking()")).split(".")[1]
    'get_eye_tracking() is not supported by brainobs'
    """
    if owner is None or name is None:
        owner, _, name = what.rstrip("()").partition(".")
    row = unsupported_for(owner, name)
    if row is None:
        raise KeyError(f"{owner}.{name} is missing from brainobs.compat's UNSUPPORTED table.")
    return NotSupportedError(f"{what} is not supported by brainobs.compat. {row.instead}")


def unsupported_table() -> pd.DataFrame:
    """The table as a DataFrame: ``AllenSDK`` and ``Use instead`` (for the migration page).

    Examples
    --------
    >>> unsupported_table().columns.tolist()
    ['AllenSDK', 'Use instead']
    """
    import pandas as pd

    return pd.DataFrame([(r.allensdk, r.instead) for r in UNSUPPORTED],
                        columns=["AllenSDK", "Use instead"])
