"""Plotting helpers (matplotlib): each takes ``ax=`` and returns the Axes it drew on."""

from ._base import PALETTE, describe, mark_synthetic
from .images import plot_max_projection
from .traces import plot_running_speed, plot_traces, shade_epochs

__all__ = [
    "PALETTE",
    "describe",
    "mark_synthetic",
    "plot_max_projection",
    "plot_running_speed",
    "plot_traces",
    "shade_epochs",
]
