"""brainobs: the Allen Brain Observatory for teaching, in Jupyter.

Names are imported lazily so that ``import brainobs`` stays fast; heavy libraries (pandas,
h5py, matplotlib) load only when a feature that needs them is used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "VisualCoding2P": "brainobs.cache.observatory",
    "describe_source": "brainobs.config",
    "open_nwb": "brainobs.nwb",
    "write_sample_release": "brainobs.sample.release",
}
_SUBMODULES = (
    "analysis",
    "cache",
    "compat",
    "errors",
    "exercises",
    "nwb",
    "plotting",
    "sample",
    "sources",
    "stimuli",
    "widgets",
)

__all__ = sorted([*_LAZY, *_SUBMODULES, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"brainobs.{name}")
    raise AttributeError(f"module 'brainobs' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
