"""The sample release: synthetic Visual Coding 2P cells with a known truth, in the real layouts.

``write_sample_release(root)`` writes Allen API JSON records, NWB 1 files and events files in
the folder layout of the public release, plus the planted truth in ``root/ground_truth``. Every
record and file says it is synthetic. Importing this package loads no heavy library.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["write_sample_release", "SIZES"]

_LAZY = {"write_sample_release": "brainobs.sample.release", "SIZES": "brainobs.sample.design"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'brainobs.sample' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *globals()])
