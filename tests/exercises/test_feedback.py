"""Grading: not attempted, wrong types, named mistakes, graded hints that escalate."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.exercises.convert import as_id_set, as_number, as_per_cell
from brainobs.exercises.feedback import (
    CORRECT,
    NOT_ATTEMPTED,
    WRONG,
    AnswerTypeError,
    Hints,
    Mistake,
    grade,
    same_values,
)

HINTS = Hints("nudge text", "concept text", "step text")


def _grade(answer, mistakes=()):
    return grade("Sum", answer, convert=as_number, expected=lambda: 3.0,
                 mistakes=lambda: list(mistakes), hints=HINTS)


@pytest.mark.parametrize("answer", [..., None])
def test_unanswered_is_not_attempted(answer):
    feedback = _grade(answer)
    assert feedback.status == NOT_ATTEMPTED and not feedback.passed
    assert "not attempted yet" in repr(feedback)


def test_unanswered_computes_nothing():
    def explode():
        raise AssertionError("the right answer must not be computed for an empty answer")

    feedback = grade("Sum", ..., convert=as_number, expected=explode, mistakes=explode,
                     hints=HINTS)
    assert feedback.status == NOT_ATTEMPTED


@pytest.mark.parametrize("answer", ["3", [1.0, 2.0], {"a": 1}, object()])
def test_wrong_type_gets_a_type_hint_not_an_exception(answer):
    feedback = _grade(answer)
    assert feedback.status == WRONG and feedback.mistake == "type"
    assert "expected one number" in feedback.hint


def test_correct_answer_passes_and_resets_the_hints():
    assert _grade(2.0).level == 1
    feedback = _grade(np.float32(3.0))
    assert feedback.passed and feedback.status == CORRECT
    assert "correct" in repr(feedback)
    assert _grade(2.0).level == 1  # counting starts again after a correct answer


def test_graded_hints_escalate_nudge_concept_step():
    levels = [_grade(1.0) for _ in range(4)]
    assert [f.level for f in levels] == [1, 2, 3, 3]
    assert "nudge text" in levels[0].hint and "concept" not in levels[0].hint
    assert "concept text" in levels[1].hint
    assert "step text" in levels[2].hint and "step text" in levels[3].hint


def test_a_usual_mistake_is_named():
    mistake = Mistake("percent", 300.0, "Give a fraction, not a percentage.")
    feedback = _grade(300.0, [mistake])
    assert feedback.mistake == "percent"
    assert feedback.hint.startswith("Give a fraction")
    assert "Hint 1 of 3" in feedback.hint


def test_a_mistake_equal_to_the_right_answer_is_ignored():
    feedback = _grade(2.0, [Mistake("same", 3.0, "never shown")])
    assert feedback.mistake is None and "never shown" not in feedback.hint


def test_shape_is_named_when_no_mistake_matches():
    feedback = grade("Trace", np.zeros(3), convert=np.asarray, expected=lambda: np.zeros((3, 4)),
                     mistakes=list, hints=HINTS)
    assert "shape (3,)" in feedback.hint and "(3, 4)" in feedback.hint


def test_same_values_tolerates_rounding_and_nan_but_not_shapes():
    assert same_values([1.0, np.nan], np.array([1.0 + 1e-9, np.nan]))
    assert not same_values([1.0, 2.0], [1.0, 2.1])
    assert not same_values(np.zeros((2, 3)), np.zeros((3, 2)))
    assert not same_values("abc", [1.0])


def test_converters():
    import pandas as pd

    assert as_id_set(pd.DataFrame(index=[5, 3])) == {3, 5}
    assert as_id_set(np.int64(4)) == {4}
    with pytest.raises(AnswerTypeError, match="integers"):
        as_id_set([1.5, 2.0])
    series = pd.Series({20: 2.0, 10: 1.0})
    assert as_per_cell(series, np.array([10, 20]), "x").tolist() == [1.0, 2.0]
    assert as_per_cell({10: 1, 20: 2}, np.array([20, 10]), "x").tolist() == [2.0, 1.0]
    with pytest.raises(AnswerTypeError, match="one number"):
        as_number(np.zeros(2))
