"""Natural scenes: planted preferred images are recovered; image selectivity behaves."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.analysis.scenes import analyze_natural_scenes, image_selectivity


@pytest.fixture(scope="module")
def ns(synthetic_session):
    content, _, data = synthetic_session("three_session_B")
    result = analyze_natural_scenes(data.table("natural_scenes"), data.corrected,
                                    data.running_speed, data.acquisition_rate,
                                    data.cell_specimen_ids)
    return content.extra["truth"], result


def test_preferred_image_and_significance(ns):
    truth, result = ns
    responsive = truth["amp"] > 0
    peak = result.peak
    assert result.response.shape == (119, len(peak) + 1, 3)
    np.testing.assert_array_equal(peak["scene_ns"][responsive], truth["pref_image"][responsive])
    assert (peak["ptest_ns"][responsive] < 1e-10).all()
    assert (peak["image_selectivity_ns"][responsive] > 0.5).all()
    assert (peak["image_selectivity_ns"][~responsive].abs() < 0.3).all()
    # peak dF/F is the mean response to the preferred image
    cells = np.arange(len(peak))
    np.testing.assert_array_equal(peak["peak_dff_ns"],
                                  result.response[peak["scene_ns"].to_numpy(int) + 1, cells, 0])


def test_image_selectivity_limits():
    flat = np.ones((1, 118))
    one = np.zeros((1, 118))
    one[0, 3] = 5.0
    ramp = np.linspace(0, 1, 118)[None, :]
    got = image_selectivity(np.vstack([flat, one, ramp]))
    assert got[0] == 1.0  # all equal: fmin == fmax, no image above any threshold (Allen quirk)
    assert got[1] == pytest.approx(1 - 2 / 118)  # one image above every threshold
    assert abs(got[2]) < 0.02  # uniform spread of responses: S near 0
