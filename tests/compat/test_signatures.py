"""Every public name of AllenSDK 2.16.2's classes exists in brainobs.compat with the same
parameters, or is listed as not supported (and then raises ``NotSupportedError``).

The AllenSDK side is ``allensdk_api.json``, the output of ``tests/allensdk/sdk_signatures.py``
(committed, so this runs without AllenSDK); ``test_committed_api_is_current`` regenerates it
with AllenSDK when ``BRAINOBS_ALLENSDK_PYTHON`` is set.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

import brainobs.compat as compat
from brainobs.compat import NotSupportedError
from brainobs.compat._unsupported import unsupported_for

HERE = Path(__file__).resolve().parent
API = json.loads((HERE / "allensdk_api.json").read_text())
SCRIPT = HERE.parent / "allensdk" / "sdk_signatures.py"
ANALYSES = {"DriftingGratings", "StaticGratings", "NaturalScenes", "NaturalMovie",
            "LocallySparseNoise"}


def owners(cls_name: str) -> tuple[str, ...]:
    return (cls_name, "StimulusAnalysis") if cls_name in ANALYSES else (cls_name,)


def listed(cls_name: str, name: str) -> bool:
    return any(unsupported_for(owner, name) is not None for owner in owners(cls_name))


def describe(cls: type, name: str) -> dict[str, Any] | None:
    try:
        raw = inspect.getattr_static(cls, name)
    except AttributeError:
        return None
    if isinstance(raw, property | cached_property):
        return {"kind": "property"}
    if isinstance(raw, staticmethod):
        return {"kind": "staticmethod"}
    if callable(raw):
        params = [[p.name, p.kind.name, None if p.default is inspect.Parameter.empty
                   else repr(p.default)] for p in inspect.signature(raw).parameters.values()]
        return {"kind": "method", "parameters": params}
    return {"kind": "attribute"}


@pytest.mark.parametrize("cls_name", sorted(API))
def test_every_allensdk_name_exists_or_is_listed_unsupported(cls_name: str) -> None:
    cls = getattr(compat, cls_name)
    problems = []
    for name, theirs in API[cls_name].items():
        ours = describe(cls, name)
        if ours is None:
            if not listed(cls_name, name):
                problems.append(f"{name}: missing and not in UNSUPPORTED")
            continue
        if theirs["kind"] == "method" and ours != theirs:
            problems.append(f"{name}: {ours} != AllenSDK {theirs}")
        elif theirs["kind"] != "method" and ours["kind"] != theirs["kind"]:
            if {ours["kind"], theirs["kind"]} != {"property", "attribute"}:
                problems.append(f"{name}: a {ours['kind']}, AllenSDK has a {theirs['kind']}")
    assert not problems, f"{cls_name}:\n" + "\n".join(problems)


def test_unsupported_names_raise_naming_the_brainobs_way(sample_release: Path) -> None:
    files = sorted((sample_release / "visual-coding-2p" / "ophys_experiment_data").glob("*.nwb"))
    boc = compat.BrainObservatoryCache(manifest_file=sample_release.parent / "manifest.json")
    with compat.BrainObservatoryNwbDataSet(files[0]) as ds:
        objects = {"BrainObservatoryCache": boc, "BrainObservatoryNwbDataSet": ds}
        objects |= {"NaturalMovie": compat.NaturalMovie(ds, "natural_movie_one"),
                    "LocallySparseNoise": compat.LocallySparseNoise(ds)}
        objects |= {n: getattr(compat, n)(ds) for n in ANALYSES - set(objects)}
        checked = 0
        for cls_name, obj in objects.items():
            for name in API[cls_name]:
                if describe(type(obj), name) is None:
                    with pytest.raises(NotSupportedError, match="brainobs.compat. .+"):
                        getattr(obj, name)
                    checked += 1
    assert checked > 50


def test_committed_api_is_current(sdk_python: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    out = tmp_path / "api.json"
    done = subprocess.run([sdk_python, "-W", "ignore", str(SCRIPT), str(out)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    assert json.loads(out.read_text()) == API, (
        "AllenSDK's API differs from tests/compat/allensdk_api.json: regenerate it with "
        "tests/allensdk/sdk_signatures.py")
