"""AllenSDK's correlation methods of the grating and scene classes, over
:mod:`brainobs.analysis.correlations`.

The correlations are brainobs'; the p values are the two-sided t test scipy's ``spearmanr`` /
``pearsonr`` report, from the number of values each correlation used. Unlike AllenSDK, every
p-value matrix is filled on both sides of the diagonal (AllenSDK leaves zeros below it in
the noise-correlation p values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._analysis_frames import condition_counts, correlation_pvalues

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.result import StimulusResult

__all__ = ["CorrelationMethods"]


class CorrelationMethods:
    """``get_signal_correlation``, ``get_representational_similarity``, ``get_noise_correlation``.

    Examples
    --------
    >>> corr, p = DriftingGratings(ds).get_signal_correlation()  # doctest: +SKIP
    """

    _name: str
    result: StimulusResult
    stim_table: pd.DataFrame
    numbercells: int

    def _n_conditions(self) -> int:
        response = self.result.response
        if self._name == st.NATURAL_SCENES:
            return int(response.shape[0])
        return int(np.prod(response[:, 1:, ..., 0, 0].shape))

    def get_signal_correlation(self, corr: str = "spearman") -> tuple[np.ndarray, np.ndarray]:
        """Cell-by-cell correlation of the condition means, and its p values.

        Examples
        --------
        >>> signal_corr, signal_p = dg.get_signal_correlation()  # doctest: +SKIP
        """
        from ..analysis.correlations import signal_correlation

        r = signal_correlation(self.result, corr)
        return r, correlation_pvalues(r, self._n_conditions())

    def get_representational_similarity(self, corr: str = "spearman",
                                         ) -> tuple[np.ndarray, np.ndarray]:
        """Condition-by-condition correlation of the population responses, and p values.

        Examples
        --------
        >>> rep_sim, rep_sim_p = dg.get_representational_similarity()  # doctest: +SKIP
        """
        from ..analysis.correlations import representational_similarity

        r = representational_similarity(self.result, corr)
        return r, correlation_pvalues(r, self.numbercells)

    def _trial_counts(self) -> tuple[np.ndarray, int]:
        table = self.stim_table
        if self._name == st.NATURAL_SCENES:
            repeats = int(table.frame.value_counts().min())
            return np.full(len(np.unique(table.frame)), repeats), 0
        if self._name == st.DRIFTING_GRATINGS:
            columns = ["orientation", "temporal_frequency"]
        else:
            columns = ["orientation", "spatial_frequency", "phase"]
        axes = [np.unique(table[c].to_numpy(dtype=float)) for c in columns]
        axes[1] = axes[1][axes[1] != 0]
        blank = int((table[columns[1]] == 0).sum())
        return condition_counts(table, columns, axes), blank

    def get_noise_correlation(self, corr: str = "spearman") -> tuple[Any, ...]:
        """Trial-to-trial correlation of every pair of cells per condition, with p values.

        Returns ``(noise_corr, noise_corr_p, noise_corr_blank, noise_corr_blank_p)`` for
        gratings and ``(noise_corr, noise_corr_p)`` for natural scenes, as AllenSDK.

        Examples
        --------
        >>> noise_corr, noise_p, blank, blank_p = dg.get_noise_correlation()  # doctest: +SKIP
        """
        from ..analysis.correlations import noise_correlation

        counts, n_blank = self._trial_counts()
        r = noise_correlation(self.result, corr)
        p = correlation_pvalues(r, counts[None, None])
        if self._name == st.NATURAL_SCENES:
            return r, p
        blank = noise_correlation(self.result, corr, blank=True)
        return r, p, blank, correlation_pvalues(blank, n_blank)
