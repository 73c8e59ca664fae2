"""The result of analysing one stimulus of one experiment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from .sweeps import SweepStatistics

__all__ = ["StimulusResult", "peak_frame"]

_AXIS_NAMES = {"orivals": "orientation", "tfvals": "temporal_frequency",
               "sfvals": "spatial_frequency", "phasevals": "phase", "frames": "frame",
               "rows": "row", "cols": "col"}


@dataclass
class StimulusResult:
    """Everything one stimulus analysis produced, with the Allen (AllenSDK) names.

    Attributes
    ----------
    stimulus : str
        Stimulus name.
    peak : DataFrame
        One row per cell (index ``cell_specimen_id``), with the SDK's ``peak`` columns
        (``ori_dg``, ``osi_dg``, ``ptest_dg`` ...). Condition columns hold indices into
        ``values``.
    response : ndarray or None
        Mean / SEM / significant-trial count per condition, cells on the second-to-last axis
        (the last "cell" is running speed), as the SDK's ``response`` array.
    sweeps : SweepStatistics or None
        Per-trial mean sweep responses and p values (None for natural movies).
    values : dict
        Condition values along each axis of ``response`` (``orivals``, ``tfvals`` ...).
    extra : dict
        Stimulus-specific arrays (receptive fields, movie sweeps ...).

    Examples
    --------
    >>> import pandas as pd
    >>> r = StimulusResult("drifting_gratings", pd.DataFrame({"osi_dg": [0.5]}, index=[7]))
    >>> r.peak.loc[7, "osi_dg"]
    np.float64(0.5)
    """

    stimulus: str
    peak: pd.DataFrame
    response: np.ndarray | None = None
    sweeps: SweepStatistics | None = None
    values: dict[str, np.ndarray] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def cell_specimen_ids(self) -> np.ndarray:
        """Ids of the cells, in row order of the traces."""
        return self.peak.index.to_numpy()

    def response_frame(self) -> pd.DataFrame:
        """``response`` as a tidy table: one row per condition and cell (running speed left out).

        Columns: the condition values (``orientation``, ``temporal_frequency`` ...; for sparse
        noise ``row``, ``col``), ``cell_specimen_id``, then ``mean``, ``sem`` and
        ``n_significant`` (for sparse noise: ``on`` and ``off`` mean responses).

        Examples
        --------
        >>> import pandas as pd
        >>> r = StimulusResult("natural_scenes", pd.DataFrame(index=[7, 8]),
        ...                    np.zeros((3, 3, 3)), values={"frames": np.array([-1, 0, 1])})
        >>> r.response_frame().columns.tolist()
        ['frame', 'cell_specimen_id', 'mean', 'sem', 'n_significant']
        """
        import pandas as pd

        if self.response is None:
            raise ValueError(f"{self.stimulus} has no condition responses (natural movies are "
                             "summarised per repeat: see extra['mean_trace']).")
        axes = [_AXIS_NAMES.get(k, k) for k in self.values]
        ids = self.cell_specimen_ids
        data = self.response[..., : len(ids), :]
        grids = np.meshgrid(*self.values.values(), ids, indexing="ij")
        frame = pd.DataFrame({name: g.ravel() for name, g in zip([*axes, "cell_specimen_id"],
                                                                 grids, strict=True)})
        last = ("on", "off") if data.shape[-1] == 2 else ("mean", "sem", "n_significant")
        for k, name in enumerate(last):
            frame[name] = data[..., k].ravel()
        return frame


def peak_frame(columns: dict[str, np.ndarray], cell_specimen_ids: np.ndarray) -> pd.DataFrame:
    """A peak table: the given columns (in order), indexed by ``cell_specimen_id``.

    Examples
    --------
    >>> peak_frame({"osi_dg": np.array([0.2])}, np.array([5])).index.name
    'cell_specimen_id'
    """
    import pandas as pd

    index = pd.Index(np.asarray(cell_specimen_ids), name="cell_specimen_id")
    return pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in columns.items()}, index=index)
