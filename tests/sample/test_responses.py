"""Planted tuning -> evoked rates: each cell's strongest condition is its planted preference."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs import stimuli as st
from brainobs.sample.responses import condition_responses, movie_drives
from brainobs.sample.templates import make_sparse_noise
from brainobs.sample.tuning import CLASSES, MOVIE_CLASSES, plant_tuning


@pytest.fixture(scope="module")
def tuning():
    return plant_tuning(np.arange(300), np.random.default_rng(5))


def test_classes_and_parameters_are_plausible(tuning):
    counts = {c: int((tuning.cls == c).sum()) for c in CLASSES}
    assert all(n > 30 for n in counts.values()), counts
    assert set(tuning.movie_class) <= set(MOVIE_CLASSES)
    assert (tuning.amp[tuning.cls == "unresponsive"] == 0).all()
    assert tuning.amp[tuning.cls == "strong"].min() > tuning.amp[tuning.cls == "weak"].max()
    assert 0.6 < np.median(tuning.r_true) < 0.8
    assert ((tuning.tau_decay >= 0.2) & (tuning.tau_decay <= 0.4)).all()


def test_drifting_grating_peak_is_the_planted_direction_and_frequency(tuning):
    rates = condition_responses(tuning, st.DRIFTING_GRATINGS)
    responsive = tuning.amp > 0
    best = rates[:, :40].argmax(axis=1)
    dirs = np.asarray(st.DRIFTING_GRATINGS_DIRECTIONS)[best // 5]
    tfs = np.asarray(st.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES)[best % 5]
    assert np.array_equal(dirs[responsive], tuning.dg_dir[responsive])
    assert np.array_equal(tfs[responsive], tuning.dg_tf[responsive])
    assert (rates[:, 40] == 0).all()
    assert (rates[~responsive] == 0).all()


def test_static_grating_peak_is_the_planted_orientation_frequency_and_phase(tuning):
    rates = condition_responses(tuning, st.STATIC_GRATINGS)
    responsive = tuning.amp > 0
    best = rates[:, :120].argmax(axis=1)
    assert np.array_equal(np.asarray(st.STATIC_GRATINGS_ORIENTATIONS)[best // 20][responsive],
                          tuning.sg_ori[responsive])
    assert np.array_equal(
        np.asarray(st.STATIC_GRATINGS_SPATIAL_FREQUENCIES)[(best // 4) % 5][responsive],
        tuning.sg_sf[responsive])
    selective = responsive & (tuning.sg_phase_mod > 0.05)
    assert np.array_equal(np.asarray(st.STATIC_GRATINGS_PHASES)[best % 4][selective],
                          tuning.sg_phase[selective])


def test_natural_scene_peak_is_the_planted_image_and_the_blank_evokes_nothing(tuning):
    rates = condition_responses(tuning, st.NATURAL_SCENES)
    responsive = tuning.amp > 0
    assert rates.shape[1] == 119
    assert np.array_equal(rates[:, :118].argmax(axis=1)[responsive], tuning.ns_pref[responsive])
    assert (rates[:, 118] == 0).all()


@pytest.mark.parametrize("name", st.SPARSE_NOISE)
def test_sparse_noise_drives_cells_whose_field_the_spots_hit(tuning, name):
    template = make_sparse_noise(name, 400)
    rates = condition_responses(tuning, name, template)
    i = int(np.flatnonzero((tuning.cls == "strong") & np.isfinite(tuning.rf_on_row))[0])
    scale = 16 // st.SPARSE_NOISE_DIMENSIONS[name][0]
    r = int(np.clip(round((tuning.rf_on_row[i] + 0.5) / scale - 0.5), 0, 15 // scale))
    c = int(np.clip(round((tuning.rf_on_col[i] + 0.5) / scale - 0.5), 0, 27 // scale))
    hit = template[:, r, c] == st.LSN_ON
    far = (template == st.LSN_GREY).reshape(len(template), -1).all(axis=1)
    assert rates[i, hit].mean() > 3 * max(rates[i, ~hit].mean(), 1e-9)
    assert (rates[tuning.amp == 0] == 0).all()
    assert far.sum() == 0 or rates[i, far].max() == 0


def test_movie_responses_repeat_only_for_reliable_cells(tuning):
    drives = movie_drives(tuning, 300, 10, np.random.default_rng(0))
    for i in range(tuning.n_cells):
        kind = tuning.movie_class[i]
        if kind == "none":
            assert (drives[i] == 0).all()
        elif kind == "reliable":
            assert np.allclose(drives[i], drives[i, :1]) and drives[i].max() > 0
        else:
            assert not np.allclose(drives[i], drives[i, :1])
