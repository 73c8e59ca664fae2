"""Sparse-noise on-screen masks (values checked against AllenSDK in the conformance tests)."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs.errors import InvalidChoiceError
from brainobs.nwb.sparse_noise import mask_off_screen, screen_mask, warp_display_coords


def test_warp_keeps_the_centre_and_pulls_edges_inwards():
    warped = warp_display_coords(np.array([[0.0, 0.0], [900.0, 0.0], [0.0, -550.0]]))
    assert np.allclose(warped[0], 0.0, atol=1e-3)
    assert 0 < warped[1, 0] < 900 and abs(warped[1, 1]) < 1e-9
    assert -550 < warped[2, 1] < 0


@pytest.mark.parametrize(
    ("stimulus", "shape", "on_screen"),
    [
        ("locally_sparse_noise", (16, 28), 376),
        ("locally_sparse_noise_4deg", (16, 28), 376),
        ("locally_sparse_noise_8deg", (8, 14), 92),
    ],
)
def test_screen_masks(stimulus, shape, on_screen):
    mask = screen_mask(stimulus)
    assert mask.shape == shape and mask.sum() == on_screen
    assert mask[shape[0] // 2, shape[1] // 2] and not mask[0, 0] and not mask[-1, -1]
    np.testing.assert_array_equal(mask, mask[:, ::-1])  # left-right symmetric


def test_mask_off_screen_leaves_the_input_alone():
    template = np.full((2, 8, 14), 127, dtype=np.uint8)
    masked = mask_off_screen(template, "locally_sparse_noise_8deg")
    assert (template == 127).all()
    assert (masked == 64).sum() == 2 * (8 * 14 - 92)


def test_unknown_stimulus():
    with pytest.raises(InvalidChoiceError, match="locally_sparse_noise_8deg"):
        screen_mask("locally_sparse_noise_16deg")
