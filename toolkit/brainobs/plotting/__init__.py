"""Plotting helpers (matplotlib): each takes ``ax=`` and returns the Axes it drew on.

Every helper takes arrays or tables (never a file or an experiment), labels its axes with
units, uses colour-blind-safe colours, marks sample data when ``synthetic=True`` and stores a
plain-language description of the figure (``fig.brainobs_alt_text``). With ``ax=None`` a new
figure is made. The widgets in :mod:`brainobs.widgets` draw with these same helpers.

* :mod:`.images` — field of view; :mod:`.traces` — traces over time, running speed
* :mod:`.stimuli` — scenes, movie frames, sparse-noise frames, grating sketches
* :mod:`.tuning` — tuning curves, cells x conditions heatmaps, preferred-condition histograms
* :mod:`.receptive_fields` — ON / OFF maps; :mod:`.responses` — rasters and trial averages
* :mod:`.metadata` — containers by cre line and area; :mod:`.results` — analysis results

In a notebook, a figure drawn with these helpers shows its description as the alt text of its
image, and as its plain-text display (see :mod:`brainobs.plotting._display`).
"""

from ._base import LINE_PALETTE, PALETTE, describe, mark_synthetic
from .images import plot_max_projection
from .metadata import plot_container_counts
from .receptive_fields import plot_receptive_field
from .responses import plot_response_raster, plot_trial_average
from .results import cell_tuning, plot_result_heatmap, plot_result_preferred, plot_result_tuning
from .stimuli import plot_grating, plot_movie_frame, plot_natural_scene, plot_sparse_noise_frame
from .traces import plot_running_speed, plot_traces, shade_epochs
from .tuning import plot_condition_heatmap, plot_preferred_histogram, plot_tuning_curve

__all__ = [
    "LINE_PALETTE",
    "PALETTE",
    "cell_tuning",
    "describe",
    "mark_synthetic",
    "plot_condition_heatmap",
    "plot_container_counts",
    "plot_grating",
    "plot_max_projection",
    "plot_movie_frame",
    "plot_natural_scene",
    "plot_preferred_histogram",
    "plot_receptive_field",
    "plot_response_raster",
    "plot_result_heatmap",
    "plot_result_preferred",
    "plot_result_tuning",
    "plot_running_speed",
    "plot_sparse_noise_frame",
    "plot_traces",
    "plot_trial_average",
    "plot_tuning_curve",
    "shade_epochs",
]
