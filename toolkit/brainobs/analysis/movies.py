"""Natural movies: per-repeat dF/F traces, peak frame and reliability (Allen definitions).

Unlike the other stimuli, movie responses use the NWB **dF/F** traces as stored (a fraction,
no local baseline). One "sweep" is a whole repeat: ``dff[:, s : s + L]`` with ``s`` the start
of movie frame 0 and ``L`` the frames between the first two repeats. Metrics:

* ``peak_nm*`` — frame (within the repeat) of the maximum of the trial-averaged trace;
* ``response_reliability_nm*`` — mean Pearson r over pairs of the **first 10** repeats.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from .. import stimuli as st
from ._stats import mean_pairwise_pearson
from .inputs import check_array
from .result import StimulusResult, peak_frame
from .sweeps import _take

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["analyze_natural_movie", "movie_repeats", "N_RELIABILITY_REPEATS"]

logger = logging.getLogger(__name__)

#: Repeats entering the movie reliability (fixed in the Allen analysis).
N_RELIABILITY_REPEATS = 10


def movie_repeats(table: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Start frame of every repeat and the repeat length in frames.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"frame": [0, 1, 0, 1], "start": [10, 11, 12, 13]})
    >>> starts, length = movie_repeats(t)
    >>> starts.tolist(), length
    ([10, 12], 2)
    """
    starts = table.loc[table["frame"] == 0, "start"].to_numpy(dtype=np.int64)
    if len(starts) < 2:
        raise ValueError("A movie table needs at least two repeats (two rows with frame 0).")
    return starts, int(starts[1] - starts[0])


def analyze_natural_movie(
    stimulus: str,
    table: pd.DataFrame,
    dff: np.ndarray,
    cell_specimen_ids: np.ndarray,
) -> StimulusResult:
    """Peak frame and reliability of every cell for one natural movie.

    Parameters
    ----------
    stimulus : str
        ``natural_movie_one``, ``natural_movie_two`` or ``natural_movie_three``.
    table : DataFrame
        The movie's stimulus table (``frame, start, end, repeat``).
    dff : ndarray, shape (n_cells, n_frames)
        dF/F traces as stored in the NWB file (its dtype is kept for the averaged trace).
    cell_specimen_ids : ndarray, shape (n_cells,)

    Returns
    -------
    StimulusResult
        ``peak`` has columns ``peak_nm<k>`` and ``response_reliability_nm<k>``;
        ``extra["repeat_starts"]`` and ``extra["repeat_length"]`` describe the sweeps.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"frame": np.tile([0, 1, 2], 10), "start": np.arange(30)})
    >>> dff = np.tile(np.array([[0.0, 1.0, 0.2]], dtype=np.float32), (1, 11))
    >>> r = analyze_natural_movie("natural_movie_one", t, dff, np.array([3]))
    >>> r.peak.iloc[0].round(6).tolist()
    [1.0, 1.0]
    """
    if stimulus not in st.NATURAL_MOVIES:
        raise ValueError(f"{stimulus!r} is not a natural movie; use one of {st.NATURAL_MOVIES}.")
    dff = check_array("dff", dff, ("n_cells", "n_frames"), n_cells=len(cell_specimen_ids))
    starts, length = movie_repeats(table)
    sweeps = _take(dff, starts[:, None] + np.arange(length))  # (cell, repeat, time)
    total = np.add.reduce(sweeps, axis=1, dtype=sweeps.dtype)
    mean_trace = total / sweeps.dtype.type(len(starts))
    n_rel = min(N_RELIABILITY_REPEATS, len(starts))
    if n_rel < N_RELIABILITY_REPEATS:
        logger.warning("%s has %d repeats; reliability uses all of them (normally the first 10).",
                       stimulus, n_rel)
    short = st.SHORT_NAMES[stimulus]
    columns = {
        f"peak_{short}": np.argmax(mean_trace, axis=1),
        f"response_reliability_{short}": mean_pairwise_pearson(sweeps[:, :n_rel]),
    }
    return StimulusResult(
        stimulus, peak_frame(columns, cell_specimen_ids),
        extra={"repeat_starts": starts, "repeat_length": length, "mean_trace": mean_trace},
    )
