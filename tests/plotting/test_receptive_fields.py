"""Receptive-field maps are drawn in degrees, with their polarity named."""

import numpy as np
import pytest

from brainobs import plotting
from brainobs.errors import InvalidChoiceError


def test_map_is_shown_unchanged_over_the_noise_grid():
    field = np.zeros((16, 28))
    field[2, 25] = 7.0
    ax = plotting.plot_receptive_field(field, polarity="off", center=(10.0, -5.0))
    assert np.array_equal(ax.images[0].get_array(), field)
    assert ax.images[0].get_extent() == pytest.approx([-65.1, 65.1, -37.2, 37.2])
    assert ax.get_title() == "OFF subfield (patch black)"
    assert ax.get_lines()[0].get_xydata().tolist() == [[10.0, -5.0]]
    # patch (row 2, col 25): azimuth -65.1 + 25.5 * 4.65 = 53.5, elevation 37.2 - 2.5 * 4.65
    assert "azimuth 53°, elevation 26°" in ax.figure.brainobs_alt_text


def test_polarity_must_be_on_or_off():
    with pytest.raises(InvalidChoiceError, match="'on'"):
        plotting.plot_receptive_field(np.zeros((16, 28)), polarity="ON")
