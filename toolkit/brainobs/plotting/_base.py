"""Shared pieces of the plotting helpers: axes creation, palette, the synthetic-sample mark."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "PALETTE",
    "LINE_PALETTE",
    "SYNTHETIC_MARK_GID",
    "get_axes",
    "mark_synthetic",
    "describe",
]

#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: The palette for thin lines on white: without the yellow, which is too light there.
LINE_PALETTE = tuple(c for c in PALETTE if c != "#F0E442")
SYNTHETIC_MARK_GID = "brainobs-synthetic-mark"


def get_axes(ax: Axes | None, figsize: tuple[float, float] = (6.0, 4.0)) -> Axes:
    """Return ``ax``, or the Axes of a new figure of ``figsize`` inches.

    Examples
    --------
    >>> ax = get_axes(None, figsize=(3, 2))
    >>> ax.figure.get_size_inches().tolist()
    [3.0, 2.0]
    """
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize)
    return new


def mark_synthetic(ax: Axes, synthetic: bool | None) -> Axes:
    """Write a small "synthetic sample" mark in the corner of ``ax`` when ``synthetic`` is true.

    Examples
    --------
    >>> ax = mark_synthetic(get_axes(None), True)
    >>> [t.get_text() for t in ax.texts]
    ['synthetic sample']
    """
    if synthetic and not any(t.get_gid() == SYNTHETIC_MARK_GID for t in ax.texts):
        ax.text(
            0.995,
            0.005,
            "synthetic sample",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=7,
            color="0.35",
            alpha=0.9,
            gid=SYNTHETIC_MARK_GID,
        )
    return ax


def describe(ax: Axes, text: str) -> Axes:
    """Attach a plain-language description of what ``ax`` shows (alt text for the figure).

    The description is kept on the figure (``fig.brainobs_alt_text``) and accumulates over
    the Axes of a figure. In a notebook the figure then shows it as the alt text of its
    image and as its plain-text display (:func:`~brainobs.plotting._display.attach_display`).

    Examples
    --------
    >>> ax = describe(get_axes(None), "A line plot of dF/F over time.")
    >>> ax.figure.brainobs_alt_text
    'A line plot of dF/F over time.'
    """
    from ._display import attach_display

    fig = ax.figure
    previous = getattr(fig, "brainobs_alt_text", "")
    fig.brainobs_alt_text = f"{previous} {text}".strip()
    attach_display(fig)
    return ax
