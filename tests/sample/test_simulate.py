"""One simulated experiment: a complete, plausible SessionContent in the file conventions."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs import stimuli as st
from brainobs.sample.design import SIZES, design_release
from brainobs.sample.imaging import FOV
from brainobs.sample.release import _lsn_lengths
from brainobs.sample.simulate import build_container, simulate_experiment
from brainobs.sample.templates import make_templates

SIZE = SIZES["small"]


@pytest.fixture(scope="module")
def container():
    designs = design_release(0, "small")
    templates = make_templates(SIZE, _lsn_lengths(designs, "small"))
    # container 2 (Rorb, VISl, session C) has no eye tracking in session A
    model = build_container(designs[1], SIZE, 0)
    results = {e.session_type: simulate_experiment(model, e, SIZE, templates, 0)
               for e in model.design.experiments}
    return model, results


def test_content_matches_the_design(container):
    model, results = container
    for exp in model.design.experiments:
        c = results[exp.session_type].content
        rows = results[exp.session_type].rows
        assert sorted(rows) == np.flatnonzero(model.design.present[:, exp.index - 1]).tolist()
        assert np.array_equal(c.cell_specimen_ids, model.design.cell_specimen_ids[rows])
        assert c.metadata.ophys_experiment_id == exp.ophys_experiment_id
        assert c.metadata.session_type == exp.session_type
        assert "SYNTHETIC" in c.metadata.synthetic_note
        assert set(c.stimuli) == set(st.stimuli_in_session(exp.session_type))
        for trace in (c.raw, c.neuropil, c.demixed, c.dff, c.events):
            assert trace.shape == (c.n_cells, c.n_frames)


def test_eye_tracking_is_absent_exactly_where_it_failed(container):
    model, results = container
    for exp in model.design.experiments:
        c = results[exp.session_type].content
        if exp.fail_eye_tracking:
            assert c.pupil_size is None and c.pupil_location is None
        else:
            assert c.pupil_size.shape == c.timestamps.shape
            assert c.pupil_location_spherical.shape == (c.n_frames, 2)
            assert np.isnan(c.pupil_size).any()  # blinks
    assert any(e.fail_eye_tracking for e in model.design.experiments)
    assert not all(e.fail_eye_tracking for e in model.design.experiments)


def test_masks_look_like_cells_and_keep_their_place_across_sessions(container):
    model, results = container
    a = results["three_session_A"]
    areas = a.content.masks.reshape(a.content.n_cells, -1).sum(axis=1)
    assert ((areas > 40) & (areas < 200)).all()  # 8-15 px across
    b = results["three_session_B"]
    for k, mask in enumerate(a.content.masks):
        rows, cols = np.nonzero(mask)
        assert np.ptp(rows) <= 16 and np.ptp(cols) <= 16
        centre = np.array([rows.mean(), cols.mean()])
        assert np.hypot(*(centre - model.footprints.centres[a.rows[k]])) < 3
        same = np.flatnonzero(b.content.cell_specimen_ids == a.content.cell_specimen_ids[k])
        if same.size:
            rows_b, cols_b = np.nonzero(b.content.masks[same[0]])
            assert np.hypot(rows_b.mean() - centre[0], cols_b.mean() - centre[1]) < 4.5


def test_max_projection_is_brighter_on_the_cells(container):
    _, results = container
    c = results["three_session_B"].content
    assert c.max_projection.dtype == np.uint8 and c.max_projection.shape == (FOV, FOV)
    inside = c.masks.any(axis=0)
    assert c.max_projection[inside].mean() > c.max_projection[~inside].mean() + 20


def test_behaviour_is_plausible(container):
    _, results = container
    c = results["three_session_A"].content
    assert np.array_equal(c.running_timestamps, c.timestamps[1:])
    assert c.running_speed.max() > 8 and np.median(c.running_speed) < 5
    assert c.running_speed.min() < 0  # encoder noise at rest
    assert np.abs(c.motion).max() <= 12 and np.array_equal(c.motion, np.round(c.motion))
    b = results["three_session_B"].content
    fast = b.running_speed > 10
    pupil = b.pupil_size[1:]
    assert np.nanmean(pupil[fast]) > np.nanmean(pupil[~fast])


def test_templates_and_their_reductions_are_recorded(container):
    _, results = container
    c = results["three_session_B"].content
    assert set(c.templates) == {st.NATURAL_SCENES, st.NATURAL_MOVIE_ONE}
    assert c.extra["template_reduction"][st.NATURAL_SCENES] == st.NATURAL_SCENES_PIXELS
    assert c.extra["template_original_frames"] == {st.NATURAL_MOVIE_ONE: 900}
    lsn = results["three_session_C"].content.templates[st.LOCALLY_SPARSE_NOISE]
    shown = results["three_session_C"].content.stimuli[st.LOCALLY_SPARSE_NOISE].data
    assert shown.max() < len(lsn)
