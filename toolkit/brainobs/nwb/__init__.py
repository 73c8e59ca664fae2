"""NWB readers behind one entry point, :func:`open_nwb`.

Each reader is registered with a name, a one-line description, ``can_open(path)`` and
``open(path)``. :func:`open_nwb` first checks the file (it exists, it is HDF5, it is not
truncated, which NWB generation it is), then hands it to the first reader that can open it.
Only the Brain Observatory NWB 1 reader (``"ophys1"``) is registered so far. Importing this
package is cheap: h5py and pandas load when a file is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FormatError, check_choice
from .detect import inspect_nwb, unsupported_message

__all__ = ["NwbReader", "open_nwb", "register_reader", "list_readers", "inspect_nwb"]


@dataclass(frozen=True)
class NwbReader:
    """A registered reader: ``can_open(path) -> bool`` and ``open(path) -> experiment``.

    Examples
    --------
    >>> [reader.name for reader in list_readers()]
    ['ophys1']
    """

    name: str
    description: str
    can_open: Callable[[Path], bool]
    open: Callable[[Path], Any]


_READERS: dict[str, NwbReader] = {}


def register_reader(reader: NwbReader) -> NwbReader:
    """Add (or replace) a reader in the registry; returns it.

    Examples
    --------
    >>> register_reader(list_readers()[0]).name
    'ophys1'
    """
    _READERS[reader.name] = reader
    return reader


def list_readers() -> list[NwbReader]:
    """The registered readers, in the order :func:`open_nwb` tries them.

    Examples
    --------
    >>> list_readers()[0].description
    'Allen Brain Observatory Visual Coding 2P experiment files (NWB 1, h5py)'
    """
    return list(_READERS.values())


def open_nwb(path: str | Path, *, reader: str | None = None) -> Any:
    """Open an NWB file with the reader that understands it.

    Parameters
    ----------
    path : str or Path
        The file, e.g. ``.../ophys_experiment_data/<ophys_experiment_id>.nwb``.
    reader : str, optional
        Name of the reader to use (see :func:`list_readers`); guessed when omitted.

    Returns
    -------
    object
        The reader's experiment object, e.g. :class:`~brainobs.nwb.ophys1.Ophys1Experiment`.
        Close it (or use ``with``) when done.

    Raises
    ------
    FileNotFoundError
        Nothing at ``path``.
    FormatError
        Not an NWB file (says what it looks like), truncated or damaged, or an NWB
        generation no registered reader handles (e.g. NWB 2).

    Examples
    --------
    >>> with open_nwb("990000000.nwb") as experiment:  # doctest: +SKIP
    ...     timestamps, dff = experiment.get_dff()
    """
    info = inspect_nwb(path)
    if reader is not None:
        check_choice("NWB reader", reader, _READERS)
        return _READERS[reader].open(info.path)
    for candidate in _READERS.values():
        if candidate.can_open(info.path):
            return candidate.open(info.path)
    raise FormatError(unsupported_message(info, [r.name for r in _READERS.values()]))


def _can_open_ophys1(path: Path) -> bool:
    from . import ophys1_layout
    from .detect import open_hdf5

    if inspect_nwb(path).generation != 1:
        return False
    with open_hdf5(path) as f:
        return ophys1_layout.PIPELINE in f


def _open_ophys1(path: Path) -> Any:
    from .ophys1 import Ophys1Experiment

    return Ophys1Experiment(path)


register_reader(
    NwbReader(
        name="ophys1",
        description="Allen Brain Observatory Visual Coding 2P experiment files (NWB 1, h5py)",
        can_open=_can_open_ophys1,
        open=_open_ophys1,
    )
)
