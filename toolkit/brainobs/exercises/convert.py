"""Reading answers: numbers, arrays, sets of ids and per-cell values, with clear type messages.

Each converter raises :class:`~brainobs.exercises.feedback.AnswerTypeError` naming what is
expected, which the checks turn into a hint instead of an exception.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .feedback import AnswerTypeError

__all__ = ["as_number", "as_array", "as_id_set", "as_per_cell"]


def _kind(answer: Any) -> str:
    return type(answer).__name__


def as_number(answer: Any) -> float:
    """A single number (a numpy scalar or a one-element array is fine).

    Examples
    --------
    >>> as_number(np.float32(0.5))
    0.5
    """
    if isinstance(answer, bool | str | bytes):
        raise AnswerTypeError(f"expected one number (a float), got {_kind(answer)} {answer!r}.")
    try:
        values = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise AnswerTypeError(f"expected one number (a float), got a {_kind(answer)}.") from None
    if values.size != 1:
        raise AnswerTypeError(f"expected one number (a float), got {values.size} values with "
                              f"shape {values.shape}.")
    return float(values.reshape(-1)[0])


def as_array(answer: Any, what: str) -> np.ndarray:
    """A numeric array (a list, a pandas Series or DataFrame is fine).

    Parameters
    ----------
    answer : object
    what : str
        How the expected array is described in the message (e.g. "a 2-D array (cells × frames)").

    Examples
    --------
    >>> as_array([1, 2], "a list of numbers").tolist()
    [1.0, 2.0]
    """
    if isinstance(answer, str | bytes | dict) or np.isscalar(answer):
        raise AnswerTypeError(f"expected {what}, got {_kind(answer)} {answer!r}.")
    try:
        values = np.asarray(getattr(answer, "to_numpy", lambda: answer)(), dtype=float)
    except (TypeError, ValueError):
        raise AnswerTypeError(f"expected {what}, got a {_kind(answer)} that is not "
                              "numeric.") from None
    return values


def as_id_set(answer: Any, what: str = "ids") -> frozenset[int]:
    """A set of integer ids, from a list, array, pandas Index or a table (its index).

    Examples
    --------
    >>> sorted(as_id_set([3, 1, 3.0]))
    [1, 3]
    """
    if hasattr(answer, "columns") and hasattr(answer, "index"):  # a DataFrame: use its ids
        answer = answer.index
    if isinstance(answer, int | np.integer):
        answer = [answer]
    if isinstance(answer, str | bytes | dict) or np.isscalar(answer):
        raise AnswerTypeError(f"expected a list of {what} (integers), got {_kind(answer)} "
                              f"{answer!r}.")
    values = np.asarray(list(answer))
    whole = np.issubdtype(values.dtype, np.floating) and bool(np.all(values == np.round(values)))
    if values.size and not (np.issubdtype(values.dtype, np.integer) or whole):
        raise AnswerTypeError(f"expected a list of {what} (integers), got values of type "
                              f"{values.dtype}.")
    return frozenset(int(v) for v in values.reshape(-1))


def as_per_cell(answer: Any, cell_specimen_ids: np.ndarray, what: str) -> np.ndarray:
    """One value per cell, in the order of ``cell_specimen_ids``.

    A pandas Series or a dict indexed by ``cell_specimen_id`` is reordered; anything else is
    read as an array in the experiment's cell order (a different length is kept, so the
    checks can recognise answers computed along the wrong axis).

    Examples
    --------
    >>> import pandas as pd
    >>> as_per_cell(pd.Series({8: 1.0, 7: 2.0}), np.array([7, 8]), "x").tolist()
    [2.0, 1.0]
    """
    if isinstance(answer, dict):
        keys = set(answer)
        if keys == {int(c) for c in cell_specimen_ids}:
            return np.array([answer[int(c)] for c in cell_specimen_ids], dtype=float)
        raise AnswerTypeError(f"expected {what}: a dict keyed by the cell_specimen_ids of "
                              "this experiment.")
    index = getattr(answer, "index", None)
    if index is not None and getattr(answer, "ndim", 0) == 1:
        ids = {int(c) for c in cell_specimen_ids}
        try:
            labels = {int(v) for v in index}
        except (TypeError, ValueError):
            labels = set()
        if labels == ids and len(index) == len(ids):
            return as_array(answer.loc[list(cell_specimen_ids)], what)
    return as_array(answer, what)
