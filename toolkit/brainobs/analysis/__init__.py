"""What are those cells doing? Stimulus-locked responses and tuning metrics, Allen definitions.

The numbers equal AllenSDK 2.16.2's ``StimulusAnalysis`` classes (checked by the conformance
tests), computed with vectorised numpy on arrays:

* :mod:`.sweeps` — sweep windows, % dF/F sweeps, mean sweep responses, per-trial p values
* :mod:`.gratings`, :mod:`.scenes`, :mod:`.movies`, :mod:`.receptive_fields` — per stimulus
* :mod:`.metrics` — ``compute_cell_metrics(experiment)``: the whole cell-metrics table
* :mod:`.correlations` — signal and noise correlations, representational similarity
* :mod:`.speed_tuning` — running-speed tuning, spontaneous vs visually driven
* :mod:`.analysis_file` — the release's per-experiment analysis HDF5 (write / read)
* :mod:`.decoding` — which stimulus was shown? Cross-validated population decoding

Names below are imported lazily (pandas and scipy load on first use).

Examples
--------
>>> from brainobs.analysis import compute_cell_metrics
>>> metrics = compute_cell_metrics("990000000.nwb")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "SessionData": "inputs",
    "SweepWindow": "sweeps",
    "sweep_window": "sweeps",
    "compute_sweep_statistics": "sweeps",
    "stimulus_locked_responses": "sweeps",
    "StimulusResult": "result",
    "analyze_drifting_gratings": "gratings",
    "analyze_static_gratings": "gratings",
    "analyze_natural_scenes": "scenes",
    "analyze_natural_movie": "movies",
    "analyze_locally_sparse_noise": "receptive_fields",
    "analyze_stimulus": "metrics",
    "analyze_session": "metrics",
    "compute_cell_metrics": "metrics",
    "merge_container_metrics": "metrics",
    "signal_correlation": "correlations",
    "noise_correlation": "correlations",
    "representational_similarity": "correlations",
    "SpeedTuning": "speed_tuning",
    "compute_speed_tuning": "speed_tuning",
    "analyze_speed_tuning": "speed_tuning",
    "write_analysis_file": "analysis_file",
    "read_analysis_arrays": "analysis_file",
    "DecodingResult": "decoding",
    "trial_matrix": "decoding",
    "decode_nearest_mean": "decoding",
    "decode_by_population_size": "decoding",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
