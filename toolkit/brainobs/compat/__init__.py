"""AllenSDK names over brainobs: run an AllenSDK notebook by changing its import line.

``from brainobs.compat import BrainObservatoryCache`` gives a cache with AllenSDK's methods,
parameters and return shapes (lists of dicts, ``(timestamps, array)`` tuples, DataFrames with
the same columns), built over :class:`brainobs.VisualCoding2P`. The data come from brainobs'
source (``$BRAINOBS_SOURCE``: the public bucket, a mirror, or the offline sample release).

Differences, on purpose: a bare string is accepted where AllenSDK wants a list (AllenSDK raises
TypeError); an unknown filter value raises :class:`~brainobs.errors.InvalidChoiceError` naming
the valid ones (AllenSDK returns an empty list); an unsupported method raises
:class:`NotSupportedError` (a ``NotImplementedError``) naming the brainobs way.
``unsupported_table()`` lists those names; ``equivalents_table()`` maps every AllenSDK call
to brainobs' own API.

Examples
--------
>>> from brainobs.compat import BrainObservatoryCache
>>> boc = BrainObservatoryCache()  # doctest: +SKIP
>>> boc.get_all_targeted_structures()  # doctest: +SKIP
['VISal', 'VISl', 'VISp', 'VISpm']
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "BrainObservatoryCache": "cache",
    "BrainObservatoryNwbDataSet": "data_set",
    "RoiMask": "data_set",
    "NotSupportedError": "_unsupported",
    "DriftingGratings": "analysis",
    "StaticGratings": "analysis",
    "NaturalScenes": "analysis",
    "NaturalMovie": "analysis",
    "LocallySparseNoise": "analysis",
    "dataframe_query": "query",
    "UNSUPPORTED": "_unsupported",
    "unsupported_table": "_unsupported",
    "EQUIVALENTS": "equivalents",
    "equivalents_table": "equivalents",
}
_SUBMODULES = ("stimulus_info",)

__all__ = sorted([*_LAZY, *_SUBMODULES])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
