"""Sparse-noise receptive fields: each vectorised step against a literal reference of the Allen
recipe, and planted receptive fields recovered end to end."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from scipy.interpolate import RegularGridInterpolator

from brainobs.analysis._rf_chi2 import chi_square_pvalues, exclusion_masks, smoothing_operators
from brainobs.analysis._rf_design import blurred_design_matrix, holm_sidak, shuffle_pvalues
from brainobs.analysis._rf_fit import components, fit_gaussian, gaussian_image
from brainobs.analysis.receptive_fields import analyze_locally_sparse_noise

RNG = np.random.default_rng(11)


def _frames(n: int, rows: int, cols: int) -> np.ndarray:
    frames = np.full((n, rows, cols), 127, dtype=np.uint8)
    spots = RNG.random(frames.shape)
    frames[spots < 0.02] = 255
    frames[spots > 0.98] = 0
    return frames


def _bilinear(image: np.ndarray, rows_at: np.ndarray, cols_at: np.ndarray) -> np.ndarray:
    grid = (np.arange(image.shape[0]), np.arange(image.shape[1]))
    r = np.clip(rows_at, 0, image.shape[0] - 1)
    c = np.clip(cols_at, 0, image.shape[1] - 1)
    points = np.stack(np.meshgrid(r, c, indexing="ij"), axis=-1)
    return RegularGridInterpolator(grid, image)(points)


def _allen_blur(image: np.ndarray) -> np.ndarray:
    """The Allen blur of one map, step by step (pad, upsample, Gaussian, block sum, rescale)."""
    rows, cols = image.shape
    if image.sum() == 0:
        return image
    up, offset = (4, -0.375) if rows == 16 else (8, -0.4375)
    padded = np.zeros((3 * rows, 3 * cols))
    padded[rows : 2 * rows, cols : 2 * cols] = image
    fine = _bilinear(padded, offset + np.arange(0, 3 * rows, 1 / up),
                     offset + np.arange(0, 3 * cols, 1 / up))
    blurred = ndimage.gaussian_filter(fine, 4.0, mode="constant")
    blocks = blurred.reshape(3 * rows, up, 3 * cols, up).sum(axis=(1, 3))
    blocks = blocks / blocks.sum() * image.sum()
    return blocks[rows : 2 * rows, cols : 2 * cols]


@pytest.mark.parametrize("shape", [(16, 28), (8, 14)])
def test_separable_blur_equals_the_step_by_step_recipe(shape):
    frames = _frames(6, *shape)
    got = blurred_design_matrix(frames)
    p = shape[0] * shape[1]
    for t in range(6):
        on, off = (frames[t] > 127).astype(float), (frames[t] < 127).astype(float)
        np.testing.assert_allclose(got[:p, t], _allen_blur(on).ravel(), rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(got[p:, t], _allen_blur(off).ravel(), rtol=1e-10, atol=1e-15)


def test_shuffle_pvalues_reproduce_the_seeded_draws_cell_by_cell():
    a = RNG.random((10, 200))
    events = np.zeros((3, 200), bool)
    events[0, RNG.choice(200, 25, replace=False)] = True
    events[1, :7] = True  # cell 2 has no events
    got = shuffle_pvalues(a, events, n_shuffles=300)
    for c in range(3):
        n = events[c].sum()
        rs = np.random.RandomState(1)
        below = np.zeros(10)
        with np.errstate(invalid="ignore", divide="ignore"):
            observed = a @ events[c] / n
            for _ in range(300):
                size = n + int(np.round(0.1 * n * rs.randn()))
                chosen = rs.choice(range(200), size=size, replace=False)
                below += a[:, chosen].sum(axis=1) / size < observed
        np.testing.assert_array_equal(got[c], 1 - below / 300)
    assert (got[2] == 1).all()


def test_holm_sidak_matches_the_step_down_definition():
    p = np.r_[RNG.random(30) ** 4, 0.0, 1.0, 0.5, 0.5]
    got = holm_sidak(p)
    order = np.argsort(p, kind="stable")
    m, running = len(p), 0.0
    want = np.empty(m)
    for k, i in enumerate(order):
        running = max(running, 1 - (1 - p[i]) ** (m - k))
        want[i] = min(running, 1.0)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-15)


def test_components_are_8_connected_and_ordered_by_last_patch():
    mask = np.zeros((6, 6), bool)
    mask[[0, 1, 2], [0, 1, 2]] = True  # a diagonal line: one component ending at patch 14
    mask[0, 5] = True  # alone, patch 5
    mask[5, 4:6] = True  # last, ends at patch 35
    stack, n = components(mask)
    assert n == 3
    assert [int(np.flatnonzero(s.ravel()).max()) for s in stack] == [5, 14, 35]
    empty, n0 = components(np.zeros((4, 4), bool))
    assert n0 == 0 and empty.shape == (1, 4, 4) and not empty.any()


def test_gaussian_fit_recovers_a_rotated_gaussian():
    truth = np.array([2.0, 37.0, 60.0, 3.0, 7.0, 30.0])
    image = gaussian_image(truth, (75, 131))
    fit = fit_gaussian(image)
    np.testing.assert_allclose(fit[:3], truth[:3], atol=1e-2)
    assert np.pi * 1.5**2 * fit[3] * fit[4] == pytest.approx(np.pi * 1.5**2 * 21.0, rel=1e-2)


def test_smoothing_operators_equal_upsample_blur_subsample():
    counts = RNG.poisson(2.0, (16, 28)).astype(float)
    mr, mc = smoothing_operators(16, 28)
    fine = _bilinear(counts, np.arange(0, 15.01, 0.25), np.arange(0, 27.01, 0.25))
    want = ndimage.gaussian_filter(fine, 0.75)[::4, ::4]
    np.testing.assert_allclose(mr @ counts @ mc.T, want, rtol=1e-12)


def test_chi_square_equals_the_literal_sum_over_each_mask():
    from scipy.stats import chi2

    template = _frames(600, 8, 14)
    events = RNG.random((2, 500)) < np.array([[0.05], [0.01]])
    events[1] |= template[:500, 3, 5] == 255  # a cell driven by one patch
    got = chi_square_pvalues(events, template)
    masks = exclusion_masks(template)
    mr, mc = smoothing_operators(8, 14)
    shown = template[:500]
    trials = np.stack([(shown == 255).sum(0), (shown == 0).sum(0)], -1).astype(float)
    for c in range(2):
        counts = np.stack([events[c] @ (shown == v).reshape(500, -1).astype(float)
                           for v in (255, 0)], -1)
        smooth = np.stack([mr @ counts[:, k].reshape(8, 14) @ mc.T for k in (0, 1)], -1)
        for y, x in ((0, 0), (3, 5), (7, 13)):
            m = masks[y, x][..., None] * np.ones(2)
            expected = m * trials * ((m * smooth).sum() / (m * trials).sum())
            with np.errstate(invalid="ignore", divide="ignore"):
                stat = np.nansum((m * smooth - expected) ** 2 / expected)
            assert got[c, y, x] == pytest.approx(1 - chi2.cdf(stat, m.sum() - 1), abs=1e-9)
    assert got[1, 3, 5] < 1e-6 < got[0].min()


def test_planted_receptive_fields_are_found(synthetic_session):
    content, _, data = synthetic_session("three_session_C")
    stimulus = "locally_sparse_noise"
    result = analyze_locally_sparse_noise(
        stimulus, data.table(stimulus), data.templates[stimulus], data.corrected, data.dff,
        data.running_speed, data.acquisition_rate, data.cell_specimen_ids, n_shuffles=1000)
    truth = content.extra["truth"]
    centre = truth["rf_centre"][stimulus] * 4.65  # patches -> degrees from the top-left
    strong, silent = truth["amp"] > 0.2, truth["amp"] == 0
    peak = result.peak
    assert result.response.shape == (16, 28, len(peak) + 1, 2)
    assert (peak["rf_chi2_lsn"][strong] < 0.05).all() and (peak["rf_chi2_lsn"][silent] > 0.05).all()
    np.testing.assert_allclose(peak["rf_center_on_y_lsn"][strong], centre[strong, 0], atol=4.65)
    np.testing.assert_allclose(peak["rf_center_on_x_lsn"][strong], centre[strong, 1], atol=4.65)
    assert peak["rf_area_on_lsn"][silent].isna().all()
    events = result.extra["events"]
    assert events[silent].sum() == 0 and (events[strong].sum(axis=1) > 10).all()
    field = result.extra["receptive_field"]
    assert field.shape == (16, 28, len(peak), 2)
    assert np.isfinite(field[..., strong, 0]).any(axis=(0, 1)).all()
