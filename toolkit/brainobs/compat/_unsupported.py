"""The error raised by AllenSDK names that brainobs does not offer, naming what to use instead."""

from __future__ import annotations

from ..errors import BrainobsError

__all__ = ["NotSupportedError", "not_supported"]


class NotSupportedError(BrainobsError, NotImplementedError):
    """An AllenSDK method or argument that :mod:`brainobs.compat` does not support.

    Examples
    --------
    >>> issubclass(NotSupportedError, NotImplementedError)
    True
    """


def not_supported(what: str, instead: str) -> NotSupportedError:
    """Word the error for an unsupported AllenSDK name: what it was and the brainobs way.

    Parameters
    ----------
    what : str
        The AllenSDK call, e.g. ``"BrainObservatoryCache.get_eye_tracking()"``.
    instead : str
        What to do in brainobs instead (one sentence).

    Examples
    --------
    >>> str(not_supported("f()", "Use g()."))
    'f() is not supported by brainobs.compat. Use g().'
    """
    return NotSupportedError(f"{what} is not supported by brainobs.compat. {instead}")
