"""Field-of-view images: the maximum projection with ROI outlines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ._base import PALETTE, describe, get_axes, mark_synthetic

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_max_projection"]


def plot_max_projection(
    image: np.ndarray,
    masks: np.ndarray | None = None,
    *,
    highlight: Sequence[int] | None = None,
    outline_color: str = PALETTE[1],
    highlight_color: str = PALETTE[2],
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Show a maximum-intensity projection with the outlines of ROI masks.

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        The maximum projection.
    masks : ndarray of bool, shape (n_rois, rows, cols), optional
        ROI masks; each is outlined.
    highlight : sequence of int, optional
        Row positions (into ``masks``) of ROIs drawn filled in ``highlight_color``.
    outline_color, highlight_color : str
        Colours of the outlines and of the highlighted ROIs.
    synthetic : bool, optional
        Mark the figure as synthetic sample data.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> image = np.random.default_rng(0).random((64, 64))
    >>> masks = np.zeros((1, 64, 64), bool); masks[0, 20:30, 20:30] = True
    >>> ax = plot_max_projection(image, masks, highlight=[0])
    """
    ax = get_axes(ax, figsize=(5.0, 5.0))
    ax.imshow(image, cmap="gray", interpolation="nearest")
    n_rois = 0 if masks is None else len(masks)
    if n_rois:
        ax.contour(masks.any(axis=0), levels=[0.5], colors=outline_color, linewidths=0.6)
    chosen = [] if highlight is None else list(highlight)
    if chosen and masks is not None:
        union = masks[chosen].any(axis=0)
        overlay = np.zeros((*union.shape, 4))
        overlay[union] = (*_rgb(highlight_color), 0.6)
        ax.imshow(overlay, interpolation="nearest")
    ax.set_axis_off()
    describe(
        ax,
        f"Maximum projection of the imaging field ({image.shape[0]} x {image.shape[1]} pixels)"
        f" with {n_rois} ROI outlines" + (f", {len(chosen)} highlighted." if chosen else "."),
    )
    return mark_synthetic(ax, synthetic)


def _rgb(color: str) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    return to_rgb(color)
