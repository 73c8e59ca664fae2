"""AllenSDK's stimulus-analysis classes (``DriftingGratings(data_set).peak`` ...).

Each class computes its stimulus with :mod:`brainobs.analysis` on first use (``.result``) and
exposes AllenSDK 2.16.2's attributes with its values, types and shapes: ``stim_table``,
``peak`` (object columns, index ``0..n-1``), ``response``, ``mean_sweep_response``, ``pval``
and ``sweep_response`` (columns ``'0'..'n-1'``, ``'dx'``), the condition values (``orivals``
...), the sweep lengths, the data-set arrays (``celltraces``, ``dxcm`` ...), and for sparse
noise ``mean_response``, ``receptive_field``, ``LSN`` and ``LSN_mask``. Names listed in
:data:`~brainobs.compat._unsupported.UNSUPPORTED` (plots, speed tuning ...) raise
:class:`~brainobs.compat.NotSupportedError` naming the brainobs way.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._analysis_frames import array_frame, peak_table, sweep_frame
from ._correlations import CorrelationMethods
from ._speed_tuning import SpeedTuningMethods
from ._unsupported import missing_attribute, not_supported

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.result import StimulusResult
    from .data_set import BrainObservatoryNwbDataSet

__all__ = ["StimulusAnalysis", "DriftingGratings", "StaticGratings", "NaturalScenes",
           "NaturalMovie", "LocallySparseNoise", "analysis_for"]


class StimulusAnalysis(SpeedTuningMethods):
    """What every analysis class has: the data set's arrays, ``stim_table`` and ``peak``.

    Examples
    --------
    >>> dg = DriftingGratings(ds)  # doctest: +SKIP
    >>> dg.peak.osi_dg.median()  # doctest: +SKIP
    """

    _name: str = ""
    _kind: str = ""

    def __init__(self, data_set: BrainObservatoryNwbDataSet, **kwargs: Any) -> None:
        self.data_set = data_set
        self._options = kwargs

    def __getattr__(self, name: str) -> Any:
        raise missing_attribute(self, name, (type(self).__name__, "StimulusAnalysis"))

    @cached_property
    def result(self) -> StimulusResult:
        """The brainobs result underneath (:class:`brainobs.analysis.StimulusResult`)."""
        from ..analysis import analyze_stimulus

        return analyze_stimulus(self.data_set.experiment, self._name, **self._options)

    # --- the data set's arrays ------------------------------------------------------------------

    @cached_property
    def _fluorescence(self) -> tuple[np.ndarray, np.ndarray]:
        return self.data_set.get_corrected_fluorescence_traces()

    def get_fluorescence(self) -> None:
        """Read the corrected fluorescence (done on first use anyway).

        Examples
        --------
        >>> dg.get_fluorescence()  # doctest: +SKIP
        """
        _ = self._fluorescence

    @property
    def timestamps(self) -> np.ndarray:
        """Frame times (s)."""
        return self._fluorescence[0]

    @property
    def celltraces(self) -> np.ndarray:
        """Neuropil-corrected fluorescence (cells × frames)."""
        return self._fluorescence[1]

    @property
    def acquisition_rate(self) -> np.float64:
        """Frames per second (from the first two frame times)."""
        return 1 / (self.timestamps[1] - self.timestamps[0])

    @property
    def numbercells(self) -> int:
        """Number of cells."""
        return len(self.celltraces)

    @cached_property
    def cell_id(self) -> np.ndarray:
        """Cell ids, in row order."""
        return self.data_set.get_cell_specimen_ids()

    @cached_property
    def roi_id(self) -> np.ndarray:
        """ROI ids (bytes), in row order."""
        return self.data_set.get_roi_ids()

    @cached_property
    def dfftraces(self) -> np.ndarray:
        """dF/F (cells × frames)."""
        return self.data_set.get_dff_traces()[1]

    @cached_property
    def _speed(self) -> tuple[np.ndarray, np.ndarray]:
        return self.data_set.get_running_speed()

    @property
    def dxcm(self) -> np.ndarray:
        """Running speed (cm/s) on the frame times."""
        return self._speed[0]

    @property
    def dxtime(self) -> np.ndarray:
        """Times of ``dxcm``."""
        return self._speed[1]

    # --- the analysis ---------------------------------------------------------------------------

    @cached_property
    def stim_table(self) -> pd.DataFrame:
        """The stimulus table, as the AllenSDK class uses it."""
        return self.data_set.get_stimulus_table(self._name)

    def populate_stimulus_table(self) -> None:
        """Read the stimulus table (done on first use anyway).

        Examples
        --------
        >>> dg.populate_stimulus_table()  # doctest: +SKIP
        """
        self.__dict__.pop("stim_table", None)
        _ = self.stim_table

    @cached_property
    def peak(self) -> pd.DataFrame:
        """Per-cell metrics: AllenSDK's columns and order, one row per cell (index 0..n-1)."""
        return peak_table(self.result.peak, self._kind, st.SHORT_NAMES.get(self._name, ""))

    def get_peak(self) -> pd.DataFrame:
        """The ``peak`` table (a copy).

        Examples
        --------
        >>> dg.get_peak().columns[0]  # doctest: +SKIP
        'ori_dg'
        """
        return self.peak.copy()

    def row_from_cell_id(self, csid: int | None = None, idx: int | None = None) -> int:
        """Row of a cell id (or ``idx`` itself when no id is given).

        Examples
        --------
        >>> dg.row_from_cell_id(dg.cell_id[3])  # doctest: +SKIP
        3
        """
        if csid is not None and not np.isnan(csid):
            return self.data_set.get_cell_specimen_indices([csid])[0]
        if idx is not None:
            return idx
        raise ValueError("Pass a cell_specimen_id (csid=) or a row (idx=).")

    @staticmethod
    def from_analysis_file(*args: Any, **kwargs: Any) -> StimulusAnalysis:
        """Not supported: analyses are computed from the NWB file, not read from h5 files.

        Examples
        --------
        >>> DriftingGratings.from_analysis_file(ds, "x.h5")  # doctest: +SKIP
        """
        raise not_supported("StimulusAnalysis.from_analysis_file()")


class _TrialAnalysis(StimulusAnalysis):
    """Stimuli cut into trials: sweep lengths, sweep tables and the condition responses."""

    @property
    def sweeplength(self) -> np.int64:
        """Frames of one trial (``end - start`` of the second trial)."""
        return self.stim_table["end"].iloc[1] - self.stim_table["start"].iloc[1]

    @property
    def interlength(self) -> np.int64:
        """Frames before (and after) the trial in each sweep: 4 trials."""
        return 4 * self.sweeplength

    @property
    def extralength(self) -> np.int64:
        """Frames after the trial added to the response window: 1 trial."""
        return self.sweeplength

    def _sweeps(self) -> Any:
        sweeps = self.result.sweeps
        if len(sweeps.table) != len(self.stim_table):
            raise ValueError(f"{self._name}: the analysis and the stimulus table differ.")
        return sweeps

    @property
    def response(self) -> np.ndarray:
        """Mean, SEM and significant-trial count per condition (last cell = running speed)."""
        return self.result.response

    def get_response(self) -> np.ndarray:
        """The ``response`` array.

        Examples
        --------
        >>> dg.get_response().shape  # doctest: +SKIP
        (8, 6, 36, 3)
        """
        return self.response

    @cached_property
    def mean_sweep_response(self) -> pd.DataFrame:
        """Mean % dF/F of every trial in the response window (columns ``'0'..``, ``'dx'``)."""
        return array_frame(self._sweeps().mean_sweep, self.stim_table.index)

    @cached_property
    def pval(self) -> pd.DataFrame:
        """Per-trial ANOVA p values (response window vs baseline)."""
        return array_frame(self._sweeps().pval, self.stim_table.index)

    @cached_property
    def sweep_response(self) -> pd.DataFrame:
        """% dF/F sweep of every trial and cell (an array per entry); ``dx`` the running speed."""
        from ..analysis.sweeps import cut_sweeps, sweep_frames

        stats = self._sweeps()
        starts = self.stim_table["start"].to_numpy(dtype=np.int64)
        cells = cut_sweeps(stats.traces, starts, stats.window)
        frames = np.clip(sweep_frames(starts, stats.window), 0, len(self.dxcm) - 1)
        return sweep_frame(cells, self.stim_table.index, self.dxcm[frames])

    def get_sweep_response(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """``(sweep_response, mean_sweep_response, pval)``.

        Examples
        --------
        >>> sweeps, means, pvals = dg.get_sweep_response()  # doctest: +SKIP
        """
        return self.sweep_response, self.mean_sweep_response, self.pval


class DriftingGratings(CorrelationMethods, _TrialAnalysis):
    """Drifting gratings: ``peak``, ``response`` (8, 6, n+1, 3), ``orivals``, ``tfvals``.

    Examples
    --------
    >>> DriftingGratings(ds).orivals  # doctest: +SKIP
    array([  0,  45,  90, 135, 180, 225, 270, 315])
    """

    _name = st.DRIFTING_GRATINGS
    _kind = "dg"
    sweeplength = 60
    interlength = 30
    extralength = 0

    @cached_property
    def stim_table(self) -> pd.DataFrame:
        """The stimulus table with blank sweeps' NaN set to 0, as AllenSDK."""
        return self.data_set.get_stimulus_table(self._name).fillna(value=0.0)

    @property
    def orivals(self) -> np.ndarray:
        """Directions (degrees)."""
        return np.unique(self.stim_table.orientation).astype(int)

    @property
    def tfvals(self) -> np.ndarray:
        """Temporal frequencies (Hz), 0 = blank."""
        return np.unique(self.stim_table.temporal_frequency).astype(int)

    @property
    def number_ori(self) -> int:
        """Number of directions."""
        return len(self.orivals)

    @property
    def number_tf(self) -> int:
        """Number of temporal frequencies (blank included)."""
        return len(self.tfvals)


class StaticGratings(CorrelationMethods, _TrialAnalysis):
    """Static gratings: ``peak``, ``response`` (6, 6, 4, n+1, 3), ``orivals``, ``sfvals``.

    Examples
    --------
    >>> StaticGratings(ds).sfvals  # doctest: +SKIP
    array([0.  , 0.02, 0.04, 0.08, 0.16, 0.32])
    """

    _name = st.STATIC_GRATINGS
    _kind = "sg"

    @cached_property
    def stim_table(self) -> pd.DataFrame:
        """The stimulus table with blank sweeps' NaN set to 0, as AllenSDK."""
        return self.data_set.get_stimulus_table(self._name).fillna(value=0.0)

    @property
    def orivals(self) -> np.ndarray:
        """Orientations (degrees)."""
        return np.unique(self.stim_table.orientation.dropna())

    @property
    def sfvals(self) -> np.ndarray:
        """Spatial frequencies (cycles/degree), 0 = blank."""
        return np.unique(self.stim_table.spatial_frequency.dropna())

    @property
    def phasevals(self) -> np.ndarray:
        """Phases."""
        return np.unique(self.stim_table.phase.dropna())

    @property
    def number_ori(self) -> int:
        """Number of orientations."""
        return len(self.orivals)

    @property
    def number_sf(self) -> int:
        """Number of spatial frequencies (blank included)."""
        return len(self.sfvals)

    @property
    def number_phase(self) -> int:
        """Number of phases."""
        return len(self.phasevals)


class NaturalScenes(CorrelationMethods, _TrialAnalysis):
    """Natural scenes: ``peak`` (``scene_ns`` ...), ``response`` (119, n+1, 3).

    Examples
    --------
    >>> NaturalScenes(ds).number_scenes  # doctest: +SKIP
    119
    """

    _name = st.NATURAL_SCENES
    _kind = "ns"

    @property
    def number_scenes(self) -> int:
        """Images plus the blank."""
        return len(np.unique(self.stim_table.frame))


class NaturalMovie(StimulusAnalysis):
    """A natural movie: ``peak`` (``peak_nm1`` ...) and ``sweep_response`` (one row per repeat).

    Parameters
    ----------
    data_set : BrainObservatoryNwbDataSet
    movie_name : str
        ``natural_movie_one``, ``_two`` or ``_three``.

    Examples
    --------
    >>> NaturalMovie(ds, "natural_movie_one").peak.head()  # doctest: +SKIP
    """

    _kind = "nm"

    def __init__(self, data_set: BrainObservatoryNwbDataSet, movie_name: str,
                 **kwargs: Any) -> None:
        super().__init__(data_set, **kwargs)
        self._name = st.check_choice("movie_name", movie_name, st.NATURAL_MOVIES)
        self.movie_name = movie_name

    @cached_property
    def stim_table(self) -> pd.DataFrame:
        """The first frame of every repeat."""
        table = self.data_set.get_stimulus_table(self.movie_name)
        return table[table.frame == 0]

    @property
    def sweeplength(self) -> np.int64:
        """Frames of one repeat."""
        return self.stim_table.start.iloc[1] - self.stim_table.start.iloc[0]

    @cached_property
    def sweep_response(self) -> pd.DataFrame:
        """dF/F of every repeat and cell (an array per entry; no running-speed column)."""
        starts = self.stim_table["start"].to_numpy(dtype=np.int64)
        frames = starts[:, None] + np.arange(self.sweeplength)
        return sweep_frame(self.dfftraces[:, frames], self.stim_table.index, None)

    def get_sweep_response(self) -> pd.DataFrame:
        """The ``sweep_response`` table.

        Examples
        --------
        >>> NaturalMovie(ds, "natural_movie_one").get_sweep_response().shape  # doctest: +SKIP
        (10, 35)
        """
        return self.sweep_response

    @property
    def response(self) -> Any:
        """Not supported (see :data:`UNSUPPORTED`)."""
        raise not_supported("NaturalMovie.response")

    @property
    def mean_sweep_response(self) -> Any:
        """Not supported (see :data:`UNSUPPORTED`)."""
        raise not_supported("NaturalMovie.mean_sweep_response")

    @property
    def pval(self) -> Any:
        """Not supported (see :data:`UNSUPPORTED`)."""
        raise not_supported("NaturalMovie.pval")


class LocallySparseNoise(_TrialAnalysis):
    """Locally sparse noise: ``peak`` (``rf_*_lsn``), ``mean_response``, ``receptive_field``.

    ``n_shuffles=`` (keyword) sets the shuffles of the receptive-field test (default 10,000).

    Examples
    --------
    >>> LocallySparseNoise(ds, "locally_sparse_noise").peak.rf_chi2_lsn  # doctest: +SKIP
    """

    _kind = "lsn"
    LSN_ON = 255
    LSN_OFF = 0
    LSN_GREY = 127
    LSN_OFF_SCREEN = 64

    def __init__(self, data_set: BrainObservatoryNwbDataSet, stimulus: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(data_set, **kwargs)
        self.stimulus = st.check_choice("stimulus", stimulus or st.LOCALLY_SPARSE_NOISE,
                                        st.SPARSE_NOISE)
        self._name = self.stimulus
        self.nrows, self.ncols = (int(n) for n in st.SPARSE_NOISE_DIMENSIONS[self.stimulus])

    @property
    def sweeplength(self) -> np.int64:
        """Frames of one trial (``end - start`` of the trial labelled 1)."""
        return self.stim_table["end"][1] - self.stim_table["start"][1]

    @cached_property
    def _template(self) -> tuple[np.ndarray, np.ndarray]:
        return self.data_set.get_locally_sparse_noise_stimulus_template(
            self._name, mask_off_screen=False)

    @property
    def LSN(self) -> np.ndarray:  # noqa: N802  (AllenSDK's name)
        """The sparse-noise template (frames × rows × cols)."""
        return self._template[0]

    @property
    def LSN_mask(self) -> np.ndarray:  # noqa: N802  (AllenSDK's name)
        """Patches on the screen (rows × cols)."""
        return self._template[1]

    @property
    def response(self) -> Any:
        """Not supported (see :data:`UNSUPPORTED`)."""
        raise not_supported("LocallySparseNoise.response")

    def get_response(self) -> Any:
        """Not supported (see :data:`UNSUPPORTED`).

        Examples
        --------
        >>> lsn.get_response()  # doctest: +SKIP
        """
        raise not_supported("LocallySparseNoise.get_response()")

    @property
    def mean_response(self) -> np.ndarray:
        """Mean response per patch, ON and OFF: (rows, cols, n+1, 2)."""
        return self.result.response

    def get_mean_response(self) -> np.ndarray:
        """The ``mean_response`` array.

        Examples
        --------
        >>> lsn.get_mean_response().shape[-1]  # doctest: +SKIP
        2
        """
        return self.mean_response

    @property
    def receptive_field(self) -> np.ndarray:
        """Receptive fields (rows, cols, n, 2): the smoothed ON/OFF maps, NaN outside the field."""
        return self.result.extra["receptive_field"]

    def get_receptive_field(self) -> np.ndarray:
        """The ``receptive_field`` array.

        Examples
        --------
        >>> lsn.get_receptive_field().shape[-1]  # doctest: +SKIP
        2
        """
        return self.receptive_field


def analysis_for(data_set: BrainObservatoryNwbDataSet, stimulus: str) -> StimulusAnalysis:
    """The analysis class for a stimulus name (as ``get_ophys_experiment_analysis`` picks it).

    Examples
    --------
    >>> type(analysis_for(ds, "natural_scenes")).__name__  # doctest: +SKIP
    'NaturalScenes'
    """
    classes = {st.DRIFTING_GRATINGS: DriftingGratings, st.STATIC_GRATINGS: StaticGratings,
               st.NATURAL_SCENES: NaturalScenes}
    if stimulus in classes:
        return classes[stimulus](data_set)
    if stimulus in st.NATURAL_MOVIES:
        return NaturalMovie(data_set, stimulus)
    st.check_choice("stimulus", stimulus, [*classes, *st.NATURAL_MOVIES, *st.SPARSE_NOISE])
    return LocallySparseNoise(data_set, stimulus)
