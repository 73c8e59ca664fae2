"""List the public API of AllenSDK 2.16.2's Brain Observatory classes, as JSON.

Run with the AllenSDK interpreter (never imports brainobs)::

    python -W ignore sdk_signatures.py OUT.json

For ``BrainObservatoryCache``, ``BrainObservatoryNwbDataSet`` and the five stimulus-analysis
classes: every public name (and ``__init__``) with its kind (``method``, ``staticmethod``,
``property`` or ``attribute``) and, for callables, the parameters as
``[name, kind, default]`` (default ``null`` when there is none; else its ``repr``
without memory addresses).
``tests/compat/allensdk_api.json`` is this script's output.
"""

import inspect
import json
import re
import sys

from allensdk.brain_observatory.drifting_gratings import DriftingGratings
from allensdk.brain_observatory.locally_sparse_noise import LocallySparseNoise
from allensdk.brain_observatory.natural_movie import NaturalMovie
from allensdk.brain_observatory.natural_scenes import NaturalScenes
from allensdk.brain_observatory.static_gratings import StaticGratings
from allensdk.core.brain_observatory_cache import BrainObservatoryCache
from allensdk.core.brain_observatory_nwb_data_set import BrainObservatoryNwbDataSet

CLASSES = (BrainObservatoryCache, BrainObservatoryNwbDataSet, DriftingGratings,
           StaticGratings, NaturalScenes, NaturalMovie, LocallySparseNoise)


def parameters(func):
    out = []
    for p in inspect.signature(func).parameters.values():
        default = None
        if p.default is not inspect.Parameter.empty:  # object reprs carry memory addresses
            default = re.sub(r" at 0x[0-9a-f]+", "", repr(p.default))
        out.append([p.name, p.kind.name, default])
    return out


def describe(cls):
    names = {}
    for name in sorted(dir(cls)):
        if name.startswith("_") and name != "__init__":
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, property):
            names[name] = {"kind": "property"}
        elif isinstance(raw, staticmethod):
            names[name] = {"kind": "staticmethod", "parameters": parameters(raw.__func__)}
        elif callable(raw):
            func = getattr(raw, "__wrapped__", raw)
            names[name] = {"kind": "method", "parameters": parameters(func)}
        else:
            names[name] = {"kind": "attribute"}
    return names


def main(out):
    api = {cls.__name__: describe(cls) for cls in CLASSES}
    with open(out, "w") as handle:
        json.dump(api, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
