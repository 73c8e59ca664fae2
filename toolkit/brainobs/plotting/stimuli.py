"""What the mouse saw: natural scenes, movie frames, sparse-noise frames and grating sketches.

Templates come from ``experiment.get_stimulus_template(name, frames=i)``; gratings have no
template, so :func:`plot_grating` draws one from its parameters (a schematic: orientation 0°
is drawn as vertical bars, angles turn counter-clockwise, and a drifting grating's direction
0° moves to the right).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import stimuli as st
from ..errors import check_choice
from ._base import PALETTE, describe, get_axes, mark_synthetic

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "plot_natural_scene",
    "plot_movie_frame",
    "plot_sparse_noise_frame",
    "plot_grating",
    "sparse_noise_extent",
]

#: Template value of sparse-noise patches that were not fully on screen (AllenSDK's mask).
OFF_SCREEN = 64


def _show_gray(ax: Axes, image: np.ndarray, title: str) -> None:
    ax.imshow(np.asarray(image), cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()


def plot_natural_scene(
    image: np.ndarray,
    *,
    index: int | None = None,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Show one natural-scene template image (grey levels 0-255).

    Parameters
    ----------
    image : ndarray, shape (rows, cols)
        A frame of the ``natural_scenes`` template (``frame`` column of the stimulus table).
    index : int, optional
        Its template index, for the title (-1 is the blank grey screen).
    synthetic : bool, optional
        Mark the figure as synthetic sample data.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_natural_scene(np.full((30, 40), 127.0), index=5)
    >>> ax.get_title()
    'natural scene 5'
    """
    ax = get_axes(ax, figsize=(5.0, 4.0))
    image = np.asarray(image)
    title = "natural scene" if index is None else f"natural scene {index}"
    _show_gray(ax, image, title)
    describe(ax, f"Greyscale {title} ({image.shape[0]} x {image.shape[1]} pixels).")
    return mark_synthetic(ax, synthetic)


def plot_movie_frame(
    frame: np.ndarray,
    *,
    index: int | None = None,
    frame_rate: float = 30.0,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Show one natural-movie frame, titled with its index and time in the movie (s).

    Parameters
    ----------
    frame : ndarray, shape (rows, cols)
        A frame of a natural-movie template.
    index : int, optional
        Its frame index in the movie.
    frame_rate : float
        Movie frames per second (30 in Visual Coding).
    synthetic : bool, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_movie_frame(np.zeros((30, 60)), index=90)
    >>> ax.get_title()
    'movie frame 90 (3.00 s)'
    """
    ax = get_axes(ax, figsize=(6.0, 3.5))
    frame = np.asarray(frame)
    title = "movie frame" if index is None else f"movie frame {index} ({index / frame_rate:.2f} s)"
    _show_gray(ax, frame, title)
    describe(ax, f"Greyscale {title}, {frame.shape[0]} x {frame.shape[1]} pixels.")
    return mark_synthetic(ax, synthetic)


def sparse_noise_extent(
    stimulus: str, shape: tuple[int, int]
) -> tuple[float, float, float, float]:
    """``(left, right, bottom, top)`` of a sparse-noise grid in degrees from screen centre.

    Examples
    --------
    >>> sparse_noise_extent("locally_sparse_noise_8deg", (8, 14))
    (-65.10000000000001, 65.10000000000001, -37.2, 37.2)
    """
    check_choice("sparse-noise stimulus", stimulus, st.SPARSE_NOISE)
    size = st.SPARSE_NOISE_PIXEL_SIZE_DEG[stimulus]
    half_w, half_h = shape[1] * size / 2, shape[0] * size / 2
    return (-half_w, half_w, -half_h, half_h)


def plot_sparse_noise_frame(
    frame: np.ndarray,
    *,
    stimulus: str = st.LOCALLY_SPARSE_NOISE,
    on_color: str = PALETTE[1],
    off_color: str = PALETTE[0],
    legend: bool = True,
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Show one locally-sparse-noise frame with ON (white) and OFF (black) patches coloured.

    Parameters
    ----------
    frame : ndarray, shape (rows, cols)
        Template frame: 255 = ON (white), 0 = OFF (black), 127 = grey, 64 = off screen.
    stimulus : str
        The sparse-noise stimulus (sets the patch size in degrees).
    on_color, off_color : str
        Colours of the ON and OFF patches (colour-blind-safe orange and blue by default).
    legend : bool
        Add a legend naming the colours.
    synthetic : bool, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> frame = np.full((16, 28), 127); frame[3, 4] = 255; frame[10, 20] = 0
    >>> ax = plot_sparse_noise_frame(frame)
    >>> ax.get_xlabel()
    'azimuth (°)'
    """
    from matplotlib.colors import to_rgb
    from matplotlib.patches import Patch

    ax = get_axes(ax, figsize=(6.0, 3.8))
    frame = np.asarray(frame)
    rgb = np.empty((*frame.shape, 3))
    rgb[:] = to_rgb("0.75")
    layers = [(frame == st.LSN_ON, on_color, "ON (white)"), (frame == st.LSN_OFF, off_color,
              "OFF (black)"), (frame == OFF_SCREEN, "0.35", "off screen")]
    for where, color, _ in layers:
        rgb[where] = to_rgb(color)
    ax.imshow(rgb, extent=sparse_noise_extent(stimulus, frame.shape), interpolation="nearest")
    ax.set_xlabel("azimuth (°)")
    ax.set_ylabel("elevation (°)")
    if legend:
        handles = [Patch(color=c, label=lab) for where, c, lab in layers if where.any()]
        ax.legend(handles=handles, loc="upper right", fontsize=7, framealpha=0.8)
    n_on, n_off = int(layers[0][0].sum()), int(layers[1][0].sum())
    describe(ax, f"Sparse-noise frame ({stimulus}): {n_on} ON and {n_off} OFF patches on grey.")
    return mark_synthetic(ax, synthetic)


def _grating_title(
    orientation: float, spatial_frequency: float, phase: float, temporal_frequency: float | None
) -> str:
    if temporal_frequency is not None:
        return (f"direction {orientation:g}°, {temporal_frequency:g} Hz, "
                f"{spatial_frequency:g} cycles/deg")
    return f"orientation {orientation:g}°, {spatial_frequency:g} cycles/deg, phase {phase:g}"


def plot_grating(
    orientation: float,
    *,
    spatial_frequency: float = st.DRIFTING_GRATINGS_SPATIAL_FREQUENCY,
    phase: float = 0.0,
    temporal_frequency: float | None = None,
    size_deg: tuple[float, float] = (60.0, 100.0),
    arrow_color: str = PALETTE[1],
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw a grating from its parameters; with a temporal frequency, an arrow shows the drift.

    Parameters
    ----------
    orientation : float
        Orientation (static gratings) or drift direction (drifting gratings) in degrees;
        NaN draws the blank (mean-grey) screen.
    spatial_frequency : float
        Cycles per degree.
    phase : float
        Spatial phase as a fraction of a cycle (0, 0.25, 0.5, 0.75 in static gratings).
    temporal_frequency : float, optional
        Drift rate in Hz: marks a drifting grating (arrow along the drift direction).
    size_deg : (float, float)
        Height and width of the patch drawn, in degrees.
    arrow_color : str
        Colour of the drift arrow.
    synthetic : bool, optional
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_grating(90, temporal_frequency=2.0)
    >>> ax.get_title()
    'direction 90°, 2 Hz, 0.04 cycles/deg'
    """
    ax = get_axes(ax, figsize=(5.0, 3.2))
    height, width = size_deg
    x = np.linspace(-width / 2, width / 2, 400)
    y = np.linspace(-height / 2, height / 2, max(2, int(400 * height / width)))
    xx, yy = np.meshgrid(x, y)
    blank = not np.isfinite(orientation)
    if blank:
        image = np.full_like(xx, 0.5)
        title = "blank (mean-grey screen)"
    else:
        theta = np.deg2rad(orientation)
        along = xx * np.cos(theta) + yy * np.sin(theta)
        image = 0.5 + 0.4 * np.cos(2 * np.pi * (spatial_frequency * along + phase))
        title = _grating_title(orientation, spatial_frequency, phase, temporal_frequency)
    ax.imshow(image, cmap="gray", vmin=0, vmax=1, origin="lower",
              extent=(-width / 2, width / 2, -height / 2, height / 2))
    if temporal_frequency is not None and not blank:
        dx, dy = 0.3 * width * np.cos(theta), 0.3 * width * np.sin(theta)
        ax.annotate("", xy=(dx / 2, dy / 2), xytext=(-dx / 2, -dy / 2),
                    arrowprops={"arrowstyle": "-|>", "color": arrow_color, "lw": 2.5})
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("azimuth (°)")
    ax.set_ylabel("elevation (°)")
    describe(ax, f"Sketch of a grating: {title}.")
    return mark_synthetic(ax, synthetic)
