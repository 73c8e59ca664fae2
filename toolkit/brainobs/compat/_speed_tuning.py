"""AllenSDK's speed tuning of every analysis class, over :mod:`brainobs.analysis.speed_tuning`.

Running speed tuning is session-wide (the same for every stimulus of an experiment): dF/F binned
by running speed, during spontaneous activity and during visual stimulation.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SpeedTuningMethods"]


class SpeedTuningMethods:
    """``get_speed_tuning``, ``binned_dx_sp`` ... ``peak_run``.

    Examples
    --------
    >>> DriftingGratings(ds).peak_run.mod_vis.sum()  # doctest: +SKIP
    """

    data_set: Any

    def get_speed_tuning(self, binsize: int) -> tuple[Any, ...]:
        """Speed tuning: ``(binned_dx_sp, binned_cells_sp, binned_dx_vis, binned_cells_vis,
        peak_run)``, computed by :func:`brainobs.analysis.speed_tuning.analyze_speed_tuning`.

        The shuffles behind ``mod_sp`` / ``mod_vis`` are seeded here (AllenSDK leaves them
        unseeded), so those two columns are reproducible.

        Examples
        --------
        >>> dx_sp, cells_sp, dx_vis, cells_vis, run = dg.get_speed_tuning(800)  # doctest: +SKIP
        """
        from ..analysis.speed_tuning import analyze_speed_tuning

        tuning = analyze_speed_tuning(self.data_set.experiment, binsize=binsize)
        return (tuning.binned_dx_sp, tuning.binned_cells_sp, tuning.binned_dx_vis,
                tuning.binned_cells_vis, tuning.peak_run)

    @cached_property
    def _speed_tuning(self) -> tuple[Any, ...]:
        return self.get_speed_tuning(binsize=800)

    @property
    def binned_dx_sp(self) -> np.ndarray:
        """Running speed per bin during spontaneous activity: (bins, 2) mean and SEM."""
        return self._speed_tuning[0]

    @property
    def binned_cells_sp(self) -> np.ndarray:
        """dF/F per cell and speed bin during spontaneous activity: (cells, bins, 2)."""
        return self._speed_tuning[1]

    @property
    def binned_dx_vis(self) -> np.ndarray:
        """Running speed per bin during visual stimulation: (bins, 2) mean and SEM."""
        return self._speed_tuning[2]

    @property
    def binned_cells_vis(self) -> np.ndarray:
        """dF/F per cell and speed bin during visual stimulation: (cells, bins, 2)."""
        return self._speed_tuning[3]

    @property
    def peak_run(self) -> pd.DataFrame:
        """Speed-tuning metrics per cell (``speed_max_sp`` ... ``mod_vis``)."""
        return self._speed_tuning[4]

