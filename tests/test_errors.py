import pytest

from brainobs.errors import (
    BrainobsError,
    InvalidChoiceError,
    MissingStimulusError,
    check_choice,
    format_choice_error,
)


def test_check_choice_returns_valid_value():
    valid = ["Cux2-CreERT2", "Sst-IRES-Cre"]
    assert check_choice("cre line", "Cux2-CreERT2", valid) == "Cux2-CreERT2"


def test_unknown_value_lists_valid_ones_and_closest_match():
    with pytest.raises(InvalidChoiceError) as info:
        check_choice("cre line", "Cux2-CreER", ["Cux2-CreERT2", "Sst-IRES-Cre", "Vip-IRES-Cre"])
    text = str(info.value)
    assert "Unknown cre line 'Cux2-CreER'" in text
    assert "['Cux2-CreERT2', 'Sst-IRES-Cre', 'Vip-IRES-Cre']" in text
    assert "Did you mean 'Cux2-CreERT2'?" in text


def test_substring_fallback_suggests_a_match():
    text = format_choice_error("cre line", "sst", ["Cux2-CreERT2", "Sst-IRES-Cre"])
    assert "Did you mean 'Sst-IRES-Cre'?" in text


def test_long_choice_lists_are_shortened_with_a_count():
    text = format_choice_error("id", 5, range(100, 200))
    assert "(100 in all)" in text and "..." in text


def test_errors_subclass_builtins():
    assert issubclass(InvalidChoiceError, ValueError)
    assert issubclass(InvalidChoiceError, BrainobsError)
    assert issubclass(MissingStimulusError, KeyError)
    assert str(MissingStimulusError("plain message")) == "plain message"
