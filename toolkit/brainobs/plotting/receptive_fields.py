"""Receptive-field maps from locally sparse noise: one ON or OFF subfield per Axes.

A map holds one value per sparse-noise patch (rows x columns of the template), for example
the mean response when that patch was white (ON) or black (OFF): the ``mean_response`` of
:func:`brainobs.analysis.analyze_locally_sparse_noise`, or its ``receptive_field`` maps.
The map is drawn in degrees of visual angle from the screen centre.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import stimuli as st
from ..errors import check_choice
from ._base import describe, get_axes, mark_synthetic
from .stimuli import sparse_noise_extent
from .tuning import signed_colormap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_receptive_field"]

_POLARITY = {"on": "ON subfield (patch white)", "off": "OFF subfield (patch black)"}


def plot_receptive_field(
    field: np.ndarray,
    *,
    polarity: str = "on",
    stimulus: str = st.LOCALLY_SPARSE_NOISE,
    unit: str = "% dF/F",
    colorbar: bool = True,
    center: tuple[float, float] | None = None,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Show an ON or OFF receptive-field map over the sparse-noise grid, in degrees.

    Parameters
    ----------
    field : ndarray, shape (rows, cols)
        One value per sparse-noise patch (NaN for patches without data).
    polarity : {"on", "off"}
        Which subfield the map is (sets the title).
    stimulus : str
        The sparse-noise stimulus (sets the patch size in degrees).
    unit : str
        Unit of the map values (colour bar label).
    colorbar : bool
        Add a colour bar.
    center : (float, float), optional
        A point to mark (azimuth, elevation in degrees), e.g. a fitted centre.
    synthetic : bool, optional
        Mark the figure as synthetic sample data.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> field = np.zeros((16, 28)); field[6:9, 10:13] = 5.0
    >>> ax = plot_receptive_field(field, polarity="on")
    >>> ax.get_title()
    'ON subfield (patch white)'
    """
    check_choice("polarity", polarity, _POLARITY)
    ax = get_axes(ax, figsize=(6.0, 3.6))
    data = np.asarray(field, dtype=float)
    if data.size == 0:
        return ax
    image = ax.imshow(data, extent=sparse_noise_extent(stimulus, data.shape),
                      interpolation="nearest", **signed_colormap(data))
    if center is not None:
        ax.plot(*center, marker="+", ms=12, mew=2, color="black", label="centre")
    ax.set_title(_POLARITY[polarity], fontsize=9)
    ax.set_xlabel("azimuth (°)")
    ax.set_ylabel("elevation (°)")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=unit, shrink=0.8)
    peak = "no data"
    if np.isfinite(data).any():
        row, col = np.unravel_index(np.nanargmax(data), data.shape)
        left, _, _, top = sparse_noise_extent(stimulus, data.shape)
        size = st.SPARSE_NOISE_PIXEL_SIZE_DEG[stimulus]
        peak = f"largest at azimuth {left + (col + 0.5) * size:.0f}°, " \
               f"elevation {top - (row + 0.5) * size:.0f}°"
    describe(ax, f"{polarity.upper()} receptive-field map ({unit}) over a {data.shape[0]} x "
                 f"{data.shape[1]} sparse-noise grid, {peak}.")
    return mark_synthetic(ax, synthetic)
