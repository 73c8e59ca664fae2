"""Stimulus pictures: templates shown as given, noise patches coloured, gratings drawn right."""

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from brainobs import plotting
from brainobs import stimuli as st
from brainobs.errors import InvalidChoiceError


def test_scene_and_movie_frame_show_the_template_unchanged():
    image = np.arange(12.0).reshape(3, 4) * 20
    ax = plotting.plot_natural_scene(image, index=7)
    assert np.array_equal(ax.images[0].get_array(), image)
    assert ax.images[0].get_clim() == (0, 255)
    assert ax.get_title() == "natural scene 7"
    ax = plotting.plot_movie_frame(image, index=45, frame_rate=30.0)
    assert ax.get_title() == "movie frame 45 (1.50 s)"


def test_sparse_noise_patches_are_coloured_in_place_in_degrees():
    frame = np.full((16, 28), st.LSN_GREY)
    frame[2, 5], frame[10, 20], frame[0, 0] = st.LSN_ON, st.LSN_OFF, 64
    ax = plotting.plot_sparse_noise_frame(frame, on_color="#E69F00", off_color="#0072B2")
    rgb = np.asarray(ax.images[0].get_array())
    assert tuple(rgb[2, 5]) == pytest.approx(to_rgb("#E69F00"))
    assert tuple(rgb[10, 20]) == pytest.approx(to_rgb("#0072B2"))
    assert tuple(rgb[5, 5]) == pytest.approx(to_rgb("0.75"))
    assert ax.images[0].get_extent() == pytest.approx([-65.1, 65.1, -37.2, 37.2])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["ON (white)", "OFF (black)", "off screen"]
    assert ax.get_xlabel() == "azimuth (°)" and ax.get_ylabel() == "elevation (°)"
    assert "1 ON and 1 OFF" in ax.figure.brainobs_alt_text


def test_eight_degree_noise_has_larger_patches():
    frame = np.full((8, 14), 127)
    ax = plotting.plot_sparse_noise_frame(frame, stimulus=st.LOCALLY_SPARSE_NOISE_8DEG)
    left, right, _, _ = ax.images[0].get_extent()
    assert right - left == pytest.approx(14 * 9.3)
    with pytest.raises(InvalidChoiceError, match="Valid"):
        plotting.plot_sparse_noise_frame(np.zeros((8, 14)), stimulus="natural_scenes")


def _bars(ax):
    return np.asarray(ax.images[0].get_array())


def test_orientation_zero_is_vertical_bars_with_the_right_period():
    ax = plotting.plot_grating(0.0, spatial_frequency=0.04, size_deg=(60.0, 100.0))
    image = _bars(ax)
    assert np.allclose(image, image[0])  # constant down each column: vertical bars
    row = image[0]
    x = np.linspace(-50, 50, row.size)
    peaks = x[1:-1][(row[1:-1] > row[:-2]) & (row[1:-1] >= row[2:])]
    assert np.diff(peaks).mean() == pytest.approx(1 / 0.04, rel=0.02)  # 25° per cycle


def test_orientation_ninety_is_horizontal_bars_and_phase_shifts_them():
    image = _bars(plotting.plot_grating(90.0))
    assert np.allclose(image, image[:, :1])
    shifted = _bars(plotting.plot_grating(90.0, phase=0.5))
    assert np.allclose(shifted - 0.5, -(image - 0.5))  # half a cycle inverts the bars


def test_drifting_grating_arrow_points_along_the_direction():
    for direction in (0.0, 135.0, 270.0):
        ax = plotting.plot_grating(direction, temporal_frequency=2.0)
        (arrow,) = ax.texts
        dx, dy = np.subtract(arrow.xy, arrow.xyann)
        assert np.degrees(np.arctan2(dy, dx)) % 360 == pytest.approx(direction)
        assert ax.get_title().startswith(f"direction {direction:g}°, 2 Hz")


def test_blank_sweep_is_a_grey_screen():
    ax = plotting.plot_grating(float("nan"), temporal_frequency=float("nan"))
    assert np.allclose(_bars(ax), 0.5) and not ax.texts
    assert ax.get_title() == "blank (mean-grey screen)"
