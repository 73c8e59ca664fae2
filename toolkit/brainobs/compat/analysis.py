"""AllenSDK's stimulus-analysis classes (``DriftingGratings(data_set).peak`` ...).

Each class computes its stimulus with :mod:`brainobs.analysis` on first use and exposes the
attributes course notebooks use, shaped as AllenSDK's: ``stim_table``, ``peak`` (index 0..n-1
with a ``cell_specimen_id`` column), ``response``, ``mean_sweep_response`` and
``sweep_response`` (columns ``'0'..'n-1'``, ``'dx'``), the condition values (``orivals`` ...).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.result import StimulusResult
    from .data_set import BrainObservatoryNwbDataSet

__all__ = [
    "StimulusAnalysis",
    "DriftingGratings",
    "StaticGratings",
    "NaturalScenes",
    "NaturalMovie",
    "LocallySparseNoise",
    "analysis_for",
]


class StimulusAnalysis:
    """Common attributes of the analysis classes (computed lazily).

    Examples
    --------
    >>> dg = DriftingGratings(ds)  # doctest: +SKIP
    >>> dg.peak.osi_dg.median()  # doctest: +SKIP
    """

    stimulus: str = ""

    def __init__(self, data_set: BrainObservatoryNwbDataSet, **kwargs: Any) -> None:
        self.data_set = data_set
        self._options = kwargs

    @cached_property
    def result(self) -> StimulusResult:
        """The brainobs result underneath (:class:`brainobs.analysis.StimulusResult`)."""
        from ..analysis import analyze_stimulus

        return analyze_stimulus(self.data_set.experiment, self.stimulus, **self._options)

    @property
    def cell_id(self) -> np.ndarray:
        """Cell ids, in row order."""
        return self.data_set.get_cell_specimen_ids()

    @property
    def numbercells(self) -> int:
        """Number of cells."""
        return self.data_set.number_of_cells

    @cached_property
    def stim_table(self) -> pd.DataFrame:
        """The stimulus table the analysis used."""
        sweeps = self.result.sweeps
        if sweeps is not None:
            return sweeps.table.copy()
        return self.data_set.get_stimulus_table(self.stimulus)

    @cached_property
    def peak(self) -> pd.DataFrame:
        """Per-cell metrics, AllenSDK's columns, one row per cell (index 0..n-1)."""
        peak = self.result.peak.reset_index()
        columns = [c for c in peak.columns if c != "cell_specimen_id"] + ["cell_specimen_id"]
        return peak[columns]

    @property
    def response(self) -> np.ndarray:
        """Mean, SEM and significant-trial count per condition (last cell = running speed)."""
        if self.result.response is None:
            raise AttributeError(f"{type(self).__name__} has no response array.")
        return self.result.response

    def _sweep_frame(self, values: np.ndarray) -> pd.DataFrame:
        import pandas as pd

        columns = [*(str(i) for i in range(self.numbercells)), "dx"]
        return pd.DataFrame(values, index=self.stim_table.index, columns=columns)

    @cached_property
    def mean_sweep_response(self) -> pd.DataFrame:
        """Mean % dF/F of every trial in the response window (columns ``'0'..``, ``'dx'``)."""
        return self._sweep_frame(self._sweeps().mean_sweep)

    @cached_property
    def pval(self) -> pd.DataFrame:
        """Per-trial ANOVA p values (response window vs baseline)."""
        return self._sweep_frame(self._sweeps().pval)

    @cached_property
    def sweep_response(self) -> pd.DataFrame:
        """% dF/F sweep of every trial and cell (an array per entry); ``dx`` the speed."""
        from ..analysis.sweeps import cut_sweeps, sweep_frames

        stats = self._sweeps()
        starts = stats.table["start"].to_numpy(dtype=np.int64)
        cells = cut_sweeps(stats.traces, starts, stats.window)
        speed = self.data_set.get_running_speed()[0]
        frames = np.clip(sweep_frames(starts, stats.window), 0, len(speed) - 1)
        table = {str(i): list(cells[i]) for i in range(self.numbercells)}
        table["dx"] = list(speed[frames])
        import pandas as pd

        return pd.DataFrame(table, index=self.stim_table.index)

    def _sweeps(self) -> Any:
        if self.result.sweeps is None:
            raise AttributeError(f"{type(self).__name__} has no per-trial sweeps.")
        return self.result.sweeps


class DriftingGratings(StimulusAnalysis):
    """Drifting gratings: ``peak``, ``response`` (8, 6, n+1, 3), ``orivals``, ``tfvals``.

    Examples
    --------
    >>> DriftingGratings(ds).orivals  # doctest: +SKIP
    array([  0,  45,  90, 135, 180, 225, 270, 315])
    """

    stimulus = st.DRIFTING_GRATINGS

    @property
    def orivals(self) -> np.ndarray:
        """Directions (degrees)."""
        return np.asarray(self.result.values["orivals"]).astype(int)

    @property
    def tfvals(self) -> np.ndarray:
        """Temporal frequencies (Hz), 0 = blank."""
        return np.asarray(self.result.values["tfvals"]).astype(int)


class StaticGratings(StimulusAnalysis):
    """Static gratings: ``peak``, ``response`` (6, 6, 4, n+1, 3), ``orivals``, ``sfvals``.

    Examples
    --------
    >>> StaticGratings(ds).sfvals  # doctest: +SKIP
    """

    stimulus = st.STATIC_GRATINGS

    @property
    def orivals(self) -> np.ndarray:
        """Orientations (degrees)."""
        return np.asarray(self.result.values["orivals"])

    @property
    def sfvals(self) -> np.ndarray:
        """Spatial frequencies (cycles/degree), 0 = blank."""
        return np.asarray(self.result.values["sfvals"])

    @property
    def phasevals(self) -> np.ndarray:
        """Phases."""
        return np.asarray(self.result.values["phasevals"])


class NaturalScenes(StimulusAnalysis):
    """Natural scenes: ``peak`` (``scene_ns`` ...), ``response`` (119, n+1, 3).

    Examples
    --------
    >>> NaturalScenes(ds).number_scenes  # doctest: +SKIP
    119
    """

    stimulus = st.NATURAL_SCENES

    @property
    def number_scenes(self) -> int:
        """Images plus the blank."""
        return int(self.response.shape[0])


class NaturalMovie(StimulusAnalysis):
    """A natural movie: ``peak`` (``peak_nm1``, ``response_reliability_nm1`` ...).

    Parameters
    ----------
    data_set : BrainObservatoryNwbDataSet
    movie_name : str
        ``natural_movie_one``, ``_two`` or ``_three``.

    Examples
    --------
    >>> NaturalMovie(ds, "natural_movie_one").peak.head()  # doctest: +SKIP
    """

    def __init__(self, data_set: BrainObservatoryNwbDataSet, movie_name: str) -> None:
        super().__init__(data_set)
        self.stimulus = st.check_stimulus(movie_name)
        self.movie_name = movie_name


class LocallySparseNoise(StimulusAnalysis):
    """Locally sparse noise: ``peak`` (``rf_*_lsn``), ``mean_response``, ``receptive_field``.

    Examples
    --------
    >>> LocallySparseNoise(ds, "locally_sparse_noise").peak.rf_chi2_lsn  # doctest: +SKIP
    """

    def __init__(
        self, data_set: BrainObservatoryNwbDataSet, stimulus: str = st.LOCALLY_SPARSE_NOISE,
        **kwargs: Any,
    ) -> None:
        super().__init__(data_set, **kwargs)
        self.stimulus = stimulus

    @property
    def mean_response(self) -> np.ndarray:
        """Mean response per patch, ON and OFF: (rows, cols, n+1, 2)."""
        return self.response

    @property
    def receptive_field(self) -> Any:
        """Receptive fields (rows, cols, n, 2), as computed by brainobs."""
        return self.result.extra.get("receptive_field")


def analysis_for(data_set: BrainObservatoryNwbDataSet, stimulus: str) -> StimulusAnalysis:
    """The analysis class for a stimulus name (as ``get_ophys_experiment_analysis`` picks it).

    Examples
    --------
    >>> type(analysis_for(ds, "natural_scenes")).__name__  # doctest: +SKIP
    'NaturalScenes'
    """
    if stimulus == st.DRIFTING_GRATINGS:
        return DriftingGratings(data_set)
    if stimulus == st.STATIC_GRATINGS:
        return StaticGratings(data_set)
    if stimulus == st.NATURAL_SCENES:
        return NaturalScenes(data_set)
    if stimulus in st.NATURAL_MOVIES:
        return NaturalMovie(data_set, stimulus)
    st.check_choice("stimulus", stimulus, [*st.SPARSE_NOISE, *st.NATURAL_MOVIES,
                                         st.DRIFTING_GRATINGS, st.STATIC_GRATINGS,
                                         st.NATURAL_SCENES])
    return LocallySparseNoise(data_set, stimulus)
