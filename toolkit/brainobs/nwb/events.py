"""Read an experiment's events file (``<ophys_experiment_id>_events.npz``, key ``"ev"``).

The array is (n_cells, n_frames): rows in ``cell_specimen_ids`` order, frames on the
fluorescence time base, event magnitude at event frames and 0 elsewhere (NaN rows for cells
whose dF/F has NaN). Loaded without pickle, as AllenSDK does.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ..errors import FormatError
from .detect import check_file_exists, describe_content

__all__ = ["read_events"]

_KEY = "ev"
_REDOWNLOAD = "Delete it and download it again."


def read_events(path: str | Path) -> np.ndarray:
    """Load the events array of one experiment.

    Parameters
    ----------
    path : str or Path
        The ``<ophys_experiment_id>_events.npz`` file.

    Returns
    -------
    ndarray
        (n_cells, n_frames) float event magnitudes.

    Raises
    ------
    FileNotFoundError
        Nothing at ``path``.
    FormatError
        Not an npz archive (says what it looks like), truncated, without an ``"ev"`` array,
        or holding Python objects (never unpickled).

    Examples
    --------
    >>> events = read_events("990000000_events.npz")  # doctest: +SKIP
    >>> events.shape  # doctest: +SKIP
    (5, 2048)
    """
    path = check_file_exists(path)
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            head = handle.read(4096)
        what = describe_content(head)
        if head.startswith(b"PK"):
            what = "is a damaged or truncated ZIP archive"
        raise FormatError(f"'{path}' is not an events .npz file: it {what}. {_REDOWNLOAD}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if _KEY not in archive.files:
                raise FormatError(
                    f"'{path}' has no {_KEY!r} array (it has {archive.files}); "
                    "it is not a Brain Observatory events file."
                )
            events = archive[_KEY]
    except ValueError as err:
        if isinstance(err, FormatError):
            raise
        raise FormatError(
            f"'{path}' holds Python objects, which brainobs does not unpickle; events files hold "
            f"a plain float array. {_REDOWNLOAD}"
        ) from err
    except (OSError, zipfile.BadZipFile, EOFError) as err:
        raise FormatError(f"'{path}' is damaged or truncated ({err}). {_REDOWNLOAD}") from err
    if events.ndim != 2:
        raise FormatError(f"'{path}': events array has shape {events.shape}; expected 2-D.")
    return events
