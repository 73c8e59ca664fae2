"""Grading one answer: not attempted, wrong (with a hint) or correct.

Every check of :mod:`brainobs.exercises` ends in :func:`grade`: it never raises for an empty
answer (``...`` or ``None``) or an answer of the wrong type, recognises the usual mistakes by
comparing the answer with what each mistake would have produced, and otherwise gives graded
hints — a nudge on the first wrong attempt, the concept on the second, the exact step from
the third on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "NOT_ATTEMPTED",
    "WRONG",
    "CORRECT",
    "Feedback",
    "Hints",
    "Mistake",
    "AnswerTypeError",
    "grade",
    "is_unanswered",
    "same_values",
    "reset_attempts",
]

NOT_ATTEMPTED = "not attempted"
WRONG = "wrong"
CORRECT = "correct"

_attempts: dict[str, int] = {}


class AnswerTypeError(TypeError):
    """An answer cannot be read as the expected kind of value; the message says what is expected.

    A ``convert`` function given to :func:`grade` raises it; :func:`grade` turns it into a
    "wrong type" verdict instead of letting it propagate.

    Examples
    --------
    >>> def to_float(answer):
    ...     if isinstance(answer, str):
    ...         raise AnswerTypeError("give a number, not text")
    ...     return float(answer)
    >>> hints = Hints("Add them.", "Sum means +.", "answer = 1 + 2")
    >>> grade("sum", "3", convert=to_float, expected=lambda: 3.0, mistakes=list,
    ...       hints=hints).hint
    'Wrong type of answer: give a number, not text'
    """


@dataclass(frozen=True)
class Hints:
    """The three graded hints of a check: a nudge, the concept, the exact step.

    Examples
    --------
    >>> Hints("Look again.", "The DSI compares two directions.", "dsi = (a - b) / (a + b)").at(2)
    'The DSI compares two directions.'
    """

    nudge: str
    concept: str
    step: str

    def at(self, level: int) -> str:
        """The hint of a level (1 nudge, 2 concept, 3 or more the exact step).

        Parameters
        ----------
        level : int
            The graded-hint level; values below 1 give the nudge, above 3 the exact step.

        Returns
        -------
        str

        Examples
        --------
        >>> hints = Hints("Look again.", "The DSI compares two directions.", "dsi = ...")
        >>> hints.at(1), hints.at(7)
        ('Look again.', 'dsi = ...')
        """
        return (self.nudge, self.concept, self.step)[min(max(level, 1), 3) - 1]


@dataclass(frozen=True)
class Mistake:
    """A usual mistake: a short key, what the answer would be after it, and what to say.

    Examples
    --------
    >>> Mistake("radians", 0.3, "np.cos takes radians, not degrees.").key
    'radians'
    """

    key: str
    value: Any
    message: str


@dataclass(frozen=True)
class Feedback:
    """The verdict of a check. Shown in a notebook as a few lines of text.

    Attributes
    ----------
    exercise : str
        Which answer was checked.
    status : str
        ``"not attempted"``, ``"wrong"`` or ``"correct"``.
    hint : str
        What to do next ('' when correct).
    mistake : str or None
        Key of the recognised mistake (``"off_by_one"``, ``"wrong_axis"``, ``"radians"``,
        ``"raw_fluorescence"`` ...), if any.
    level : int
        Graded-hint level given (1 nudge, 2 concept, 3 exact step; 0 when none).

    Examples
    --------
    >>> Feedback("DSI", "not attempted").passed
    False
    """

    exercise: str
    status: str
    hint: str = ""
    mistake: str | None = None
    level: int = 0

    @property
    def passed(self) -> bool:
        """True when the answer is correct."""
        return self.status == CORRECT

    def __repr__(self) -> str:
        if self.status == NOT_ATTEMPTED:
            return (f"{self.exercise}: not attempted yet. Replace the ... in the answer cell "
                    "with your code, run that cell, then run this check again.")
        if self.status == CORRECT:
            return f"{self.exercise}: correct! {self.hint}".rstrip()
        return f"{self.exercise}: not quite.\n{self.hint}"


def is_unanswered(answer: Any) -> bool:
    """True for the placeholder ``...`` and for ``None``.

    Examples
    --------
    >>> is_unanswered(...), is_unanswered(0.0)
    (True, False)
    """
    return answer is Ellipsis or answer is None


def same_values(a: Any, b: Any, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    """Equal shapes and values within tolerance (NaN equals NaN); False for unlike things.

    Examples
    --------
    >>> same_values(np.array([1.0, np.nan]), [1.0 + 1e-9, np.nan]), same_values([1, 2], [1])
    (True, False)
    """
    if a is None or b is None:
        return False
    try:
        x = np.asarray(a, dtype=float)
        y = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    if x.shape != y.shape:
        return False
    return bool(np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True))


def reset_attempts(exercise: str | None = None) -> None:
    """Forget the wrong attempts counted for graded hints (of one exercise, or of all).

    Examples
    --------
    >>> reset_attempts()
    """
    if exercise is None:
        _attempts.clear()
    else:
        _attempts.pop(exercise, None)


def _shape_note(value: Any, right: Any) -> str:
    """A sentence when an array answer has another shape than the right one, else ''."""
    if not isinstance(right, np.ndarray) or isinstance(value, frozenset):
        return ""
    shape = np.shape(value)
    if shape == right.shape:
        return ""
    return f"Your answer has shape {shape}; the right one has shape {right.shape}."


def _wrong(exercise: str, hints: Hints, mistake: Mistake | None, note: str = "") -> Feedback:
    level = _attempts.get(exercise, 0) + 1
    _attempts[exercise] = level
    kinds = ("nudge", "concept", "exact step")
    graded = f"Hint {min(level, 3)} of 3 ({kinds[min(level, 3) - 1]}): {hints.at(level)}"
    first = mistake.message if mistake else note
    text = f"{first}\n{graded}" if first else graded
    return Feedback(exercise, WRONG, text, mistake.key if mistake else None, min(level, 3))


def grade(
    exercise: str,
    answer: Any,
    *,
    convert: Callable[[Any], Any],
    expected: Callable[[], Any],
    mistakes: Callable[[], Sequence[Mistake]],
    hints: Hints,
    compare: Callable[[Any, Any], bool] = same_values,
    praise: str = "",
) -> Feedback:
    """Grade an answer: not attempted, a type hint, correct, a named mistake or a graded hint.

    Parameters
    ----------
    exercise : str
        Name shown in the feedback (also the key of the attempt count).
    answer : object
        What the student gave.
    convert : callable
        Turns the answer into a comparable value; raises :class:`AnswerTypeError` (or
        TypeError / ValueError) with a message saying what is expected.
    expected : callable
        Computes the right answer (called only for a real answer).
    mistakes : callable
        Computes the usual mistakes (called only for a wrong answer).
    hints : Hints
    compare : callable
        ``compare(converted_answer, reference) -> bool``.
    praise : str
        Added to a correct verdict.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> hints = Hints("Add them.", "Sum means +.", "answer = 1 + 2")
    >>> grade("sum", ..., convert=float, expected=lambda: 3.0, mistakes=list, hints=hints).status
    'not attempted'
    >>> grade("sum", 3, convert=float, expected=lambda: 3.0, mistakes=list, hints=hints).passed
    True
    """
    if is_unanswered(answer):
        return Feedback(exercise, NOT_ATTEMPTED)
    try:
        value = convert(answer)
    except (TypeError, ValueError) as err:
        return Feedback(exercise, WRONG, f"Wrong type of answer: {err}", "type")
    right = expected()
    if compare(value, right):
        reset_attempts(exercise)
        return Feedback(exercise, CORRECT, praise)
    for mistake in mistakes():
        if not compare(mistake.value, right) and compare(value, mistake.value):
            return _wrong(exercise, hints, mistake)
    return _wrong(exercise, hints, None, _shape_note(value, right))
