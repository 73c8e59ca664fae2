"""Which sparse-noise patches were fully on screen, given the spherical warp of the stimulus.

The stimulus monitor (1920 x 1200 pixels, 15 cm from the eye) showed the sparse-noise grid
over its central 1260 x 720 pixels, spherically warped so that equal template areas cover
equal visual angles. Warping pulls the picture towards the screen centre, so the outer
template patches were partly or wholly off screen. This module computes, as AllenSDK does,
a boolean on-screen mask per template grid (True = every display pixel of the patch shown);
AllenSDK marks the other patches with the value 64 ("off screen").
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import stimuli as st
from ..errors import check_choice

__all__ = ["LSN_OFF_SCREEN", "warp_display_coords", "screen_mask", "mask_off_screen"]

#: Template value AllenSDK gives patches that were not (fully) on screen.
LSN_OFF_SCREEN = 64
_DISPLAY = (1920, 1200)  # (x, y) monitor pixels
_TEMPLATE_AREA = (1260, 720)  # (x, y) monitor pixels covered by the template grid


def warp_display_coords(
    xy: np.ndarray,
    distance: float = 15.0,
    height_cm: float = 32.5,
    width_cm: float = 51.0,
    resolution: tuple[int, int] = _DISPLAY,
) -> np.ndarray:
    """Map screen pixel offsets from the centre to the texture pixel shown there (warped).

    Parameters
    ----------
    xy : ndarray
        (n, 2) pixel offsets (x, y) from the screen centre.
    distance, height_cm, width_cm : float
        Eye-to-screen distance and screen size in cm (AllenSDK's warp defaults).
    resolution : tuple of int
        Screen size in pixels (x, y).

    Returns
    -------
    ndarray
        (n, 2) texture offsets (x, y) in pixels from the centre.

    Examples
    --------
    >>> warp_display_coords(np.array([[0.0, 0.0], [900.0, 0.0]])).round(1).tolist()
    [[0.0, 0.0], [570.6, 0.0]]
    """
    res_x, res_y = float(resolution[0]), float(resolution[1])
    # screen position in cm relative to the eye point (the screen centre)
    x = (xy[:, 0] / res_x + 0.5) * width_cm - 0.5 * width_cm
    y = (xy[:, 1] / res_y + 0.5) * height_cm - 0.5 * height_cm
    r = np.sqrt(np.square(x) + np.square(y) + np.square(distance))
    azimuth = np.arctan(x / distance)
    altitude = np.arcsin(y / r)
    tx = distance * (1 + x / r) - distance
    ty = distance * (1 + y / r) - distance
    tiny = np.finfo(np.float32).eps
    azimuth[azimuth == 0] = tiny
    altitude[altitude == 0] = tiny
    # arc length on the sphere, laid back onto the screen plane along the same direction
    arc = np.arccos(np.cos(altitude) * np.cos(np.abs(azimuth))) * distance
    theta = np.arctan2(ty, tx)
    u = arc * np.cos(theta) / width_cm * res_x
    v = arc * np.sin(theta) / height_cm * res_y
    return np.column_stack((u, v))


@lru_cache(maxsize=1)
def _display_mask() -> np.ndarray:
    """(1920, 1200) bool: screen pixels whose content lies on the screen after warping."""
    half_x, half_y = _DISPLAY[0] / 2, _DISPLAY[1] / 2
    x, y = np.meshgrid(
        np.arange(_DISPLAY[0]) - half_x, np.arange(_DISPLAY[1]) - half_y, indexing="ij"
    )
    warped = warp_display_coords(np.column_stack((x.ravel(), y.ravel()))).astype(int)
    shown = np.zeros(_DISPLAY, dtype=bool)
    shown[(warped[:, 0] + half_x).astype(int), (warped[:, 1] + half_y).astype(int)] = True
    return shown


@lru_cache(maxsize=4)
def _grid_mask(rows: int, cols: int) -> np.ndarray:
    x, y = np.meshgrid(np.arange(_DISPLAY[0]), np.arange(_DISPLAY[1]), indexing="ij")
    offset_x = -(_DISPLAY[0] - _TEMPLATE_AREA[0]) * 0.5
    offset_y = -(_DISPLAY[1] - _TEMPLATE_AREA[1]) * 0.5
    col = np.rint((x + offset_x) * (cols / _TEMPLATE_AREA[0]) - 0.5).astype(int)
    row = np.rint((y + offset_y) * (rows / _TEMPLATE_AREA[1]) - 0.5).astype(int)
    inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
    patch = (row * cols + col)[inside]
    pixels = np.bincount(patch, minlength=rows * cols)
    shown = np.bincount(patch, weights=_display_mask()[inside], minlength=rows * cols)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = shown / pixels
    return (fraction >= 1.0).reshape(rows, cols)


def screen_mask(stimulus: str) -> np.ndarray:
    """On-screen mask (rows, cols) of a sparse-noise stimulus grid; True = fully shown.

    Examples
    --------
    >>> screen_mask("locally_sparse_noise_8deg").sum()
    np.int64(92)
    """
    check_choice("sparse-noise stimulus", stimulus, st.SPARSE_NOISE)
    return _grid_mask(*st.SPARSE_NOISE_DIMENSIONS[stimulus]).copy()


def mask_off_screen(template: np.ndarray, stimulus: str) -> np.ndarray:
    """A copy of a sparse-noise template with off-screen patches set to 64.

    Examples
    --------
    >>> grey = np.full((1, 8, 14), 127, dtype=np.uint8)
    >>> int((mask_off_screen(grey, "locally_sparse_noise_8deg") == 64).sum())
    20
    """
    out = np.array(template, copy=True)
    out[:, ~screen_mask(stimulus)] = LSN_OFF_SCREEN
    return out
