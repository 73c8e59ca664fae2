"""Showing a download's progress: a tqdm bar, a few log lines, any object, or nothing."""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Any

from ..errors import InvalidChoiceError
from .verify import format_size

__all__ = ["Progress", "has_front_end"]

log = logging.getLogger(__name__)

_LOG_STEPS = (25, 50, 75, 100)


def has_front_end() -> bool:
    """True in a Jupyter kernel or when stderr is a terminal (where a live bar can be seen).

    Examples
    --------
    >>> isinstance(has_front_end(), bool)
    True
    """
    ipython = sys.modules.get("IPython")
    if ipython is not None:
        shell = getattr(ipython, "get_ipython", lambda: None)()
        if shell is not None and getattr(shell, "kernel", None) is not None:
            return True
    stream = sys.stderr
    return bool(stream is not None and getattr(stream, "isatty", lambda: False)())


def _load_tqdm() -> Any:
    """``tqdm.auto.tqdm``, or None when tqdm is not installed."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


class Progress:
    """One download's progress report, started again on every try.

    Parameters
    ----------
    progress : bool or object
        ``True``: a ``tqdm.auto`` bar when tqdm is installed and a notebook or terminal shows
        it, else a log line (INFO) at 25, 50, 75 and 100 %. ``False``: nothing. Any object
        with ``update(n)`` (and optionally a ``total`` attribute, ``reset()`` and ``close()``,
        as a tqdm bar has): it is driven like a bar.
    label : str
        What is downloaded (a file name), for the bar and the log lines.

    Examples
    --------
    >>> class Counter:
    ...     total, n = None, 0
    ...     def update(self, k):
    ...         self.n += k
    >>> bar = Counter()
    >>> report = Progress(bar, "x.nwb")
    >>> report.start(total=100, initial=40)
    >>> report.update(60)
    >>> report.close()
    >>> bar.total, bar.n
    (100, 100)
    """

    def __init__(self, progress: bool | Any, label: str) -> None:
        if progress is None or progress is False:
            self._mode = "off"
        elif progress is True:
            self._mode = "bar" if _load_tqdm() is not None and has_front_end() else "log"
        elif callable(getattr(progress, "update", None)):
            self._mode = "object"
        else:
            msg = (
                f"progress={progress!r} is not valid: use True (a bar or log lines), False "
                "(silent), or an object with an update(n) method such as a tqdm bar."
            )
            raise InvalidChoiceError(msg)
        self._target = progress if self._mode == "object" else None
        self._label = label
        self._total: int | None = None
        self._done = 0
        self._logged = 0

    @property
    def mode(self) -> str:
        """``"bar"``, ``"log"``, ``"object"`` or ``"off"``."""
        return self._mode

    def start(self, total: int | None, initial: int = 0) -> None:
        """Begin (or begin again, on a new try) with ``initial`` bytes already on disk.

        Parameters
        ----------
        total : int or None
            Expected size in bytes, if known.
        initial : int, optional
            Bytes already downloaded (a resumed download).

        Examples
        --------
        >>> class Bar:
        ...     total, n = None, 0
        ...     def update(self, k):
        ...         self.n += k
        >>> bar = Bar()
        >>> report = Progress(bar, "x.nwb")
        >>> report.start(total=100, initial=40)
        >>> bar.total, bar.n
        (100, 40)
        """
        self._total, self._done, self._logged = total, initial, 0
        if self._mode == "bar" and self._target is None:
            tqdm = _load_tqdm()
            self._target = tqdm(
                total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=self._label
            )
        if self._mode in ("bar", "object"):
            self._restart_target(total, initial)
        elif self._mode == "log":
            self._log_steps()

    def _restart_target(self, total: int | None, initial: int) -> None:
        target = self._target
        if self._mode == "bar":
            target.reset(total=total)
        else:
            if callable(getattr(target, "reset", None)):
                target.reset()
            with contextlib.suppress(AttributeError):
                target.total = total
        if initial:
            target.update(initial)

    def update(self, n_bytes: int) -> None:
        """Count ``n_bytes`` more bytes received.

        Examples
        --------
        >>> class Bar:
        ...     total, n = None, 0
        ...     def update(self, k):
        ...         self.n += k
        >>> bar = Bar()
        >>> report = Progress(bar, "x.nwb")
        >>> report.start(total=100)
        >>> report.update(25)
        >>> bar.n
        25
        """
        self._done += n_bytes
        if self._mode in ("bar", "object"):
            self._target.update(n_bytes)
        elif self._mode == "log":
            self._log_steps()

    def _log_steps(self) -> None:
        if not self._total:
            return
        percent = 100 * self._done // self._total
        reached = [step for step in _LOG_STEPS if self._logged < step <= percent]
        if reached:
            self._logged = reached[-1]
            log.info(
                "%s: %d %% (%s of %s)",
                self._label,
                self._logged,
                format_size(self._done),
                format_size(self._total),
            )

    def close(self) -> None:
        """Close the bar (if any); an object given by the caller is closed too, if it can be.

        Examples
        --------
        >>> class Bar:
        ...     closed = False
        ...     def update(self, k):
        ...         pass
        ...     def close(self):
        ...         self.closed = True
        >>> bar = Bar()
        >>> Progress(bar, "x.nwb").close()
        >>> bar.closed
        True
        """
        if self._mode in ("bar", "object") and callable(getattr(self._target, "close", None)):
            self._target.close()
        if self._mode == "bar":
            self._target = None
