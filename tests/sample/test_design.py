"""The release design: containers, lines, areas, depths, sessions, ids, cell presence."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.errors import InvalidChoiceError
from brainobs.sample.design import SIZES, design_release, rng_for, synthetic_note


@pytest.fixture(scope="module")
def default_design():
    return design_release(0, "default")


def test_default_design_covers_the_foundation_requirements(default_design):
    passed = [c for c in default_design if not c.failed]
    assert len(passed) >= 4
    assert sum(c.failed for c in default_design) >= 1
    assert len({c.cre_line for c in passed}) >= 3
    assert len({c.targeted_structure for c in passed}) >= 3
    assert len({c.imaging_depth for c in passed}) >= 2


def test_each_container_has_sessions_a_b_and_c_or_c2(default_design):
    seen_third = set()
    for c in default_design:
        types = sorted(e.session_type for e in c.experiments)
        assert types[:2] == ["three_session_A", "three_session_B"]
        assert types[2] in ("three_session_C", "three_session_C2")
        seen_third.add(types[2])
    assert seen_third == {"three_session_C", "three_session_C2"}


def test_ids_are_unique_and_far_from_real_allen_ids(default_design):
    ids = []
    for c in default_design:
        ids += [c.experiment_container_id, c.specimen_id, c.donor_id, c.isi_experiment_id]
        ids += [e.ophys_experiment_id for e in c.experiments]
        ids += c.cell_specimen_ids.tolist()
        ids += [int(r) for e in c.experiments for r in c.roi_ids(e.index)]
    assert len(ids) == len(set(ids))
    assert min(ids) >= 900_000_000 - 4


def test_every_cell_is_in_at_least_one_session_and_some_miss_one(default_design):
    present = np.vstack([c.present for c in default_design])
    assert present.any(axis=1).all()
    assert (~present).any(), "some cells should be missing from some sessions"
    assert 0.75 < present.mean() < 0.95


def test_acquisition_ages_and_names_are_consistent(default_design):
    for c in default_design:
        for e in c.experiments:
            assert 60 < e.age_days < 200
            assert e.name.split("_")[1] == c.donor_name
            assert e.name.endswith("3Stim" + e.session_type.rsplit("_", 1)[1])
        assert int(c.donor_age[1:]) >= max(e.age_days for e in c.experiments)


def test_large_design_has_one_container_of_more_than_200_cells():
    (container,) = design_release(0, "large")
    assert container.present.sum(axis=0).min() >= 200


def test_unknown_size_names_the_valid_sizes():
    with pytest.raises(InvalidChoiceError, match=r"Unknown sample release size 'huge'.*default"):
        design_release(0, "huge")


def test_random_streams_depend_on_keys_not_on_order():
    a = rng_for(3, "traces", 920010001).random(4)
    rng_for(3, "other").random(100)
    b = rng_for(3, "traces", 920010001).random(4)
    c = rng_for(3, "traces", 920010002).random(4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_presence_depends_on_the_seed():
    a = np.vstack([c.present for c in design_release(0, "default")])
    b = np.vstack([c.present for c in design_release(1, "default")])
    assert not np.array_equal(a, b)
    assert "seed 7" in synthetic_note(7)


def test_sizes_keep_at_least_ten_movie_repeats():
    assert all(size.movie_repeats >= 10 for size in SIZES.values())
