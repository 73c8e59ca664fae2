"""Workshop exercises: checks with graded hints, and the notebooks built from one source each.

Every ``check_*`` function compares an answer with the right one, computed from the data in
use (the sample release or the real one), and returns a :class:`Feedback` shown as a few
lines of text: *not attempted yet* while the answer is still ``...``, *correct*, or *not
quite* with a hint — one naming the mistake when it is a usual one (one frame too many,
the wrong axis, degrees instead of radians, raw fluorescence instead of dF/F ...), else a
graded hint that gets more precise with each attempt (nudge, concept, exact step).

* :mod:`.check_traces` — containers, dF/F, stimulus-locked response, running vs stationary
* :mod:`.check_tuning` — tuning curve, DSI, global DSI, preferred images
* :mod:`.check_population` — receptive-field map, decoding natural scenes
* :mod:`.build` — student and solution notebooks from ``exercises/source/*.py``
  (``brainobs exercises build``); :mod:`.book` — the book pages

Examples
--------
>>> from brainobs.exercises import check_dsi
>>> check_dsi(..., experiment_id=920010003, cell_specimen_id=940010010).status
'not attempted'
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "Feedback": "feedback",
    "reset_attempts": "feedback",
    "check_containers": "check_traces",
    "check_dff": "check_traces",
    "check_stimulus_locked": "check_traces",
    "check_running": "check_traces",
    "check_tuning_curve": "check_tuning",
    "check_dsi": "check_tuning",
    "check_global_dsi": "check_tuning",
    "check_preferred_images": "check_tuning",
    "check_receptive_field": "check_population",
    "check_decoding": "check_population",
    "split_trials": "check_population",
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
