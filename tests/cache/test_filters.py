"""Every filter's bad input names the valid choices, on the sample release served by a mirror."""

from __future__ import annotations

import pytest

from brainobs import VisualCoding2P
from brainobs.errors import InvalidChoiceError


@pytest.fixture(scope="module")
def vc(mirror, tmp_path_factory):
    _, url = mirror
    return VisualCoding2P(url, cache_dir=tmp_path_factory.mktemp("cache"), progress=False)


@pytest.mark.parametrize(
    ("keyword", "value", "expected"),
    [
        ("targeted_structures", "VISpp", "Did you mean 'VISp"),
        ("targeted_structures", "visp", r"Valid: \['VIS"),
        ("cre_lines", "Cux2", "Did you mean 'Cux2-CreERT2'"),
        ("imaging_depths", 176, r"Unknown imaging depth 176\. Valid: \[175,"),
        ("reporter_lines", "Ai94", r"Unknown reporter line 'Ai94'\. Valid: \['Ai"),
        ("transgenic_lines", "Camk2a", "Did you mean 'Camk2a-tTA'"),
        ("ids", 1, r"Unknown id 1\. Valid: \[9"),
    ],
)
def test_bad_container_filters(vc, keyword, value, expected):
    with pytest.raises(InvalidChoiceError, match=expected):
        vc.containers(**{keyword: value})


@pytest.mark.parametrize(
    ("keyword", "value", "expected"),
    [
        ("session_types", "three_session_D", "Did you mean 'three_session_"),
        ("stimuli", "natural_scene", "Did you mean 'natural_scenes'"),
        ("experiment_container_ids", 42, r"Unknown experiment container id 42\. Valid: \[9"),
        ("cell_specimen_ids", 42, r"Unknown cell specimen id 42\. Valid: \[9"),
        ("ids", "abc", r"Unknown id 'abc'\. Valid: \[9"),
    ],
)
def test_bad_experiment_filters(vc, keyword, value, expected):
    with pytest.raises(InvalidChoiceError, match=expected):
        vc.experiments(**{keyword: value})


@pytest.mark.parametrize(
    ("keyword", "value", "expected"),
    [
        ("ids", 7, r"Unknown cell specimen id 7\. Valid: \[9.*in all\)"),
        ("experiment_container_ids", 7, r"Unknown experiment container id 7\. Valid: \[9"),
    ],
)
def test_bad_cell_filters(vc, keyword, value, expected):
    with pytest.raises(InvalidChoiceError, match=expected):
        vc.cells(**{keyword: value})


@pytest.mark.parametrize("method", ["containers", "experiments", "cells"])
def test_unknown_keywords_name_the_filters(vc, method):
    with pytest.raises(InvalidChoiceError, match=r"Unknown filter 'id'\. Valid: .*Did you mean"):
        getattr(vc, method)(id=1)


def test_good_values_select_what_they_name(vc):
    cells = vc.cells()
    some = list(cells.index[:3])
    assert list(vc.cells(ids=some).index) == some
    container = int(cells["experiment_container_id"].iloc[0])
    mine = vc.cells(experiment_container_ids=str(container))
    assert set(mine["experiment_container_id"]) == {container}
    assert set(vc.experiments(cell_specimen_ids=some)["experiment_container_id"]) == set(
        cells.loc[some, "experiment_container_id"]
    )
    failed = vc.containers(include_failed=True).query("failed").index
    assert not vc.cells()["experiment_container_id"].isin(failed).any()
    assert vc.cells(include_failed=True)["experiment_container_id"].isin(failed).any()
