"""The arrays one experiment's analysis needs, checked once: :class:`SessionData`.

Build it from an opened experiment (:meth:`SessionData.from_experiment`) or from arrays you
already hold (the constructor). Every analysis function in :mod:`brainobs.analysis` takes
arrays, so the same code runs on real files, sample files and hand-made examples.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SessionData", "check_array"]

logger = logging.getLogger(__name__)


def check_array(name: str, array: Any, dims: tuple[str, ...], **sizes: int) -> np.ndarray:
    """``array`` as an ndarray with one axis per name in ``dims``, else a ValueError naming
    the expected shape.

    Parameters
    ----------
    name : str
        The argument's name (for the message).
    array : array-like
    dims : tuple of str
        Names of the expected axes, e.g. ``("n_cells", "n_frames")``.
    **sizes : int
        Required lengths of some of those axes, by name.

    Examples
    --------
    >>> check_array("dff", np.ones(4), ("n_cells", "n_frames"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: dff must have shape (n_cells, n_frames), not (4,). ...
    >>> check_array("dff", np.ones((3, 4)), ("n_cells", "n_frames"), n_cells=3).shape
    (3, 4)
    """
    out = np.asarray(array)
    expected = "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
    wanted = "; ".join(f"{dim} = {size}" for dim, size in sizes.items())
    if out.ndim == len(dims) and all(out.shape[dims.index(d)] == n for d, n in sizes.items()):
        return out
    detail = f" with {wanted}" if wanted else ""
    message = f"{name} must have shape {expected}{detail}, not {out.shape}."
    if "n_cells" in dims:
        message += (" Pass one row per cell (in cell_specimen_ids order) and one column per "
                    "frame of the same experiment.")
    raise ValueError(message)


@dataclass
class SessionData:
    """Traces, running speed, stimulus tables and templates of one experiment.

    Attributes
    ----------
    session_type : str
        ``three_session_A``, ``B``, ``C`` or ``C2``.
    cell_specimen_ids : ndarray, shape (n_cells,)
    timestamps : ndarray, shape (n_frames,)
        2-photon frame times (s); the acquisition rate is ``1 / (t[1] - t[0])``.
    corrected : ndarray, shape (n_cells, n_frames)
        Neuropil-corrected fluorescence.
    dff : ndarray, shape (n_cells, n_dff)
        dF/F as stored (used by natural movies and sparse-noise events).
    running_speed : ndarray, shape (n_frames,)
        Running speed on the frame times, NaN where unknown.
    tables : dict
        Stimulus name -> stimulus table (AllenSDK columns and index labels).
    templates : dict
        Sparse-noise name -> template (n, rows, cols), unmasked.
    metadata : dict
        Experiment metadata (``targeted_structure`` picks the sparse-noise block in C2).

    Examples
    --------
    >>> import pandas as pd
    >>> d = SessionData("three_session_A", np.array([1]), np.arange(3) / 30, np.ones((1, 3)),
    ...                 np.zeros((1, 3)), np.zeros(3), {})
    >>> round(d.acquisition_rate, 6)
    30.0
    """

    session_type: str
    cell_specimen_ids: np.ndarray
    timestamps: np.ndarray
    corrected: np.ndarray
    dff: np.ndarray
    running_speed: np.ndarray
    tables: dict[str, pd.DataFrame]
    templates: dict[str, np.ndarray] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        st.check_session_type(self.session_type)
        self.cell_specimen_ids = np.asarray(self.cell_specimen_ids)
        self.corrected = check_array("corrected", self.corrected, ("n_cells", "n_frames"))
        self.timestamps = check_array("timestamps", self.timestamps, ("n_frames",))
        n_cells, n_frames = self.corrected.shape
        if len(self.cell_specimen_ids) != n_cells:
            raise ValueError(
                f"corrected has {n_cells} rows but there are {len(self.cell_specimen_ids)} "
                "cell_specimen_ids: pass one id per trace row, in row order."
            )
        if len(self.timestamps) != n_frames:
            raise ValueError(
                f"corrected has {n_frames} frames but timestamps has {len(self.timestamps)}: "
                "pass the fluorescence timestamps of the same experiment."
            )
        self.dff = check_array("dff", self.dff, ("n_cells", "n_dff_frames"), n_cells=n_cells)
        self.running_speed = self._fit_speed(np.asarray(self.running_speed), n_frames)

    @staticmethod
    def _fit_speed(speed: np.ndarray, n_frames: int) -> np.ndarray:
        if speed.ndim != 1:
            raise ValueError(f"running_speed must be 1-D (one value per frame), not {speed.shape}.")
        if len(speed) < n_frames:
            logger.info("Running speed is %d samples short; padded with NaN.",
                        n_frames - len(speed))
            speed = np.concatenate([speed, np.full(n_frames - len(speed), np.nan)])
        return speed[:n_frames]

    @property
    def acquisition_rate(self) -> float:
        """Frames per second, as the Allen analysis derives it: ``1 / (t[1] - t[0])``."""
        return float(1 / (self.timestamps[1] - self.timestamps[0]))

    @property
    def stimuli(self) -> tuple[str, ...]:
        """Analysable stimuli of this session type (spontaneous activity excluded)."""
        return tuple(s for s in st.stimuli_in_session(self.session_type) if s != st.SPONTANEOUS)

    def table(self, stimulus: str) -> pd.DataFrame:
        """The stimulus table of ``stimulus``; says which session shows it if this one did not.

        Examples
        --------
        >>> d = SessionData("three_session_A", [1], np.arange(3) / 30, np.ones((1, 3)),
        ...                 np.zeros((1, 3)), np.zeros(3), {})
        >>> d.table("natural_scenes")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        brainobs.errors.MissingStimulusError: Stimulus 'natural_scenes' was not shown in ...
        """
        st.check_stimulus_in_session(stimulus, self.session_type)
        if stimulus not in self.tables:
            raise KeyError(f"No {stimulus} table was given to this SessionData.")
        return self.tables[stimulus]

    @classmethod
    def from_experiment(cls, experiment: Any, stimuli: list[str] | None = None) -> SessionData:
        """Read what the analyses need from an opened experiment (``brainobs.nwb`` reader).

        Parameters
        ----------
        experiment : Ophys1Experiment
            An experiment opened with :func:`brainobs.open_nwb` (or any object with the same
            ``get_*`` methods).
        stimuli : list of str, optional
            Stimuli whose tables to read (default: all of the session's).

        Examples
        --------
        >>> with brainobs.open_nwb(path) as exp:  # doctest: +SKIP
        ...     data = SessionData.from_experiment(exp)
        """
        session_type = str(experiment.metadata["session_type"])
        wanted = stimuli or [s for s in st.stimuli_in_session(session_type) if s != st.SPONTANEOUS]
        for name in wanted:
            st.check_stimulus_in_session(name, session_type)
        timestamps, corrected = experiment.get_corrected()
        _, dff = experiment.get_dff()
        speed = experiment.get_running_speed().data
        tables = {name: experiment.get_stimulus_table(name) for name in wanted}
        templates = {name: np.asarray(experiment.get_stimulus_template(name))
                     for name in wanted if name in st.SPARSE_NOISE}
        return cls(session_type, np.asarray(experiment.cell_specimen_ids), timestamps,
                   corrected, dff, speed, tables, templates, dict(experiment.metadata))
