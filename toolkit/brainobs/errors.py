"""The exceptions users see, and the one helper that words "unknown value" errors.

Every exception subclasses :class:`BrainobsError` *and* the matching built-in, so code that
catches ``ValueError`` or ``OSError`` keeps working. No heavy imports here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "BrainobsError",
    "InvalidChoiceError",
    "FormatError",
    "MissingStimulusError",
    "NoEyeTrackingError",
    "DownloadError",
    "IntegrityError",
    "UnsafeKeyError",
    "check_choice",
    "format_choice_error",
]


class BrainobsError(Exception):
    """Base class of every error raised on purpose by brainobs.

    Catch it to handle any brainobs error in one place.

    Examples
    --------
    >>> try:
    ...     check_choice("stimulus", "gratings", ["drifting_gratings", "static_gratings"])
    ... except BrainobsError as exc:
    ...     type(exc).__name__
    'InvalidChoiceError'
    """


class InvalidChoiceError(BrainobsError, ValueError):
    """A value is not one of the valid choices (a cre line, a stimulus name, ...).

    Also a ``ValueError``; :func:`check_choice` raises it with a helpful message.

    Examples
    --------
    >>> isinstance(InvalidChoiceError("Unknown cre line 'Cux2'."), ValueError)
    True
    """


class FormatError(BrainobsError, ValueError):
    """A file is not what it should be: wrong type, wrong NWB version, truncated or damaged.

    Also a ``ValueError``.

    Examples
    --------
    >>> raise FormatError("x.nwb is not an NWB 1 file.")
    Traceback (most recent call last):
    ...
    brainobs.errors.FormatError: x.nwb is not an NWB 1 file.
    """


class MissingStimulusError(InvalidChoiceError, KeyError):
    """A stimulus was asked of a session that did not show it.

    Also a ``KeyError`` (and a ``ValueError``); unlike a plain ``KeyError``, its message is
    shown without quotes.

    Examples
    --------
    >>> str(MissingStimulusError("This session did not show natural_scenes."))
    'This session did not show natural_scenes.'
    >>> issubclass(MissingStimulusError, KeyError)
    True
    """

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class NoEyeTrackingError(BrainobsError, LookupError):
    """The experiment has no eye tracking (pupil position or size).

    Also a ``LookupError``.

    Examples
    --------
    >>> issubclass(NoEyeTrackingError, LookupError)
    True
    """


class DownloadError(BrainobsError, OSError):
    """A download failed for good: the message says what failed on each try and what to do.

    Also an ``OSError``.

    Examples
    --------
    >>> isinstance(DownloadError("GET http://127.0.0.1:8000/x failed after 1 try."), OSError)
    True
    """


class IntegrityError(BrainobsError, OSError):
    """A file's bytes are not the expected ones (size, hash or content check failed).

    Also an ``OSError``.

    Examples
    --------
    >>> issubclass(IntegrityError, OSError)
    True
    """


class UnsafeKeyError(BrainobsError, ValueError):
    """A file key would point outside its folder (``..``, an absolute path, a drive).

    Also a ``ValueError``.

    Examples
    --------
    >>> from brainobs.sources.paths import safe_join
    >>> try:
    ...     safe_join("/data", "../etc/passwd")
    ... except UnsafeKeyError:
    ...     "refused"
    'refused'
    """


_MAX_LISTED = 30


def format_choice_error(name: str, value: Any, choices: Iterable[Any], hint: str = "") -> str:
    """Word the message for a value that is not among ``choices``.

    Parameters
    ----------
    name : str
        What the value is, in the field's words (``"cre line"``, ``"stimulus"``).
    value : object
        The value that was given.
    choices : iterable
        The valid values.
    hint : str, optional
        A last sentence naming the next step.

    Returns
    -------
    str
        ``"Unknown cre line 'Cux2'. Valid: [...]. Did you mean 'Cux2-CreERT2'?"``

    Examples
    --------
    >>> msg = format_choice_error("stimulus", "natural_scene", ["natural_scenes", "spontaneous"])
    >>> msg.endswith("Did you mean 'natural_scenes'?")
    True
    >>> msg.startswith("Unknown stimulus 'natural_scene'")
    True
    """
    valid = sorted(choices, key=str)
    shown = valid if len(valid) <= _MAX_LISTED else [*valid[:_MAX_LISTED], "..."]
    count = "" if len(valid) <= _MAX_LISTED else f" ({len(valid)} in all)"
    msg = f"Unknown {name} {value!r}. Valid: {shown}{count}."
    close = difflib.get_close_matches(str(value), [str(c) for c in valid], n=1, cutoff=0.5)
    if not close:
        lowered = {str(c).lower(): str(c) for c in valid}
        hit = [v for k, v in lowered.items() if str(value).lower() in k]
        close = hit[:1]
    if close:
        msg += f" Did you mean {close[0]!r}?"
    if hint:
        msg += f" {hint}"
    return msg


def check_choice(
    name: str,
    value: Any,
    choices: Iterable[Any],
    *,
    error: type[InvalidChoiceError] = InvalidChoiceError,
    hint: str = "",
) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise a helpful error.

    Parameters
    ----------
    name : str
        What the value is (``"targeted structure"``).
    value : object
        The value to check.
    choices : iterable
        The valid values.
    error : type, optional
        The exception class to raise (a subclass of :class:`InvalidChoiceError`).
    hint : str, optional
        A sentence naming the next step, added to the message.

    Returns
    -------
    object
        ``value``, unchanged.

    Raises
    ------
    InvalidChoiceError
        Naming the bad value, the valid ones and the closest match.

    Examples
    --------
    >>> check_choice("targeted structure", "VISp", ["VISp", "VISl"])
    'VISp'
    """
    choices = list(choices)
    if value in choices:
        return value
    raise error(format_choice_error(name, value, choices, hint))
