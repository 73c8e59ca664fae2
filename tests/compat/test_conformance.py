"""The compat classes return what AllenSDK 2.16.2 returns, on every sample-release file.

Needs ``BRAINOBS_ALLENSDK_PYTHON`` (AllenSDK's interpreter); skipped otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from brainobs.compat import BrainObservatoryCache, BrainObservatoryNwbDataSet
from brainobs.errors import InvalidChoiceError, NoEyeTrackingError
from tests.nwb.test_allensdk_conformance import (
    TRACES,
    SdkDump,
    raised,
    run_sdk_dump,
    same_array,
    same_table,
)

pytestmark = pytest.mark.allensdk

HERE = Path(__file__).resolve().parent


def check_plain(ds: BrainObservatoryNwbDataSet, dump: SdkDump) -> None:
    theirs = dump.values["get_metadata"]
    mine = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in ds.get_metadata().items()}
    assert mine == theirs
    assert ds.get_session_type() == dump.values["get_session_type"]
    assert ds.number_of_cells == dump.values["number_of_cells"]
    assert ds.list_stimuli() == dump.values["list_stimuli"]
    for key in ("get_fluorescence_timestamps", "get_cell_specimen_ids", "get_max_projection"):
        same_array(getattr(ds, key)(), dump.arrays[key], key)
    same_array(ds.get_roi_ids(), dump.arrays["get_roi_ids"], "roi ids")
    subset = dump.record["subset"]
    assert ds.get_cell_specimen_indices(subset) == dump.values["get_cell_specimen_indices:subset"]
    with pytest.raises(ValueError):
        ds.get_cell_specimen_indices([-1])


def check_traces(ds: BrainObservatoryNwbDataSet, dump: SdkDump) -> None:
    for name in TRACES:
        for suffix, ids in (("", None), (":subset", dump.record["subset"])):
            result = getattr(ds, name)(ids)
            assert isinstance(result, tuple) and len(result) == 2
            same_array(result[0], dump.arrays[f"{name}{suffix}/timestamps"], name)
            same_array(result[1], dump.arrays[f"{name}{suffix}/data"], name)
        same_array(ds.get_neuropil_r(), dump.arrays["get_neuropil_r"], "neuropil r")


def check_masks(ds: BrainObservatoryNwbDataSet, dump: SdkDump) -> None:
    for suffix, ids in (("", None), (":subset", dump.record["subset"])):
        array = ds.get_roi_mask_array(ids)
        same_array(array, dump.arrays["get_roi_mask_array" + suffix], "roi mask array")
        rois = ds.get_roi_mask(ids)
        assert [str(r.label) for r in rois] == dump.values["get_roi_mask" + suffix]
        planes = np.stack([r.get_mask_plane() for r in rois])
        same_array(planes.astype(np.uint8), array, "RoiMask planes")


def check_behaviour(ds: BrainObservatoryNwbDataSet, dump: SdkDump) -> None:
    dxcm, dxtime = ds.get_running_speed()
    same_array(dxcm, dump.arrays["get_running_speed/speed"], "speed", exact_dtype=False)
    same_array(dxtime, dump.arrays["get_running_speed/timestamps"], "speed times")
    for key, read in (("get_pupil_location", ds.get_pupil_location),
                      ("get_pupil_size", ds.get_pupil_size)):
        if raised(dump, key):
            with pytest.raises(NoEyeTrackingError):
                read()
            continue
        times, data = read()
        same_array(times, dump.arrays[f"{key}/timestamps"], key)
        same_array(data, dump.arrays[f"{key}/data"], key)
    same_table(ds.get_motion_correction(), dump, "get_motion_correction")


def check_stimuli(ds: BrainObservatoryNwbDataSet, dump: SdkDump) -> None:
    for name in [*ds.list_stimuli(), "master"]:
        same_table(ds.get_stimulus_table(name), dump, f"get_stimulus_table:{name}")
    same_table(ds.get_stimulus_epoch_table(), dump, "get_stimulus_epoch_table")
    for name in ds.list_stimuli():
        key = f"get_stimulus_template:{name}"
        if raised(dump, key):
            with pytest.raises(InvalidChoiceError):
                ds.get_stimulus_template(name)
            continue
        same_array(ds.get_stimulus_template(name), dump.arrays[key], key)
        if name.startswith("locally_sparse_noise"):
            key = f"get_locally_sparse_noise_stimulus_template:{name}"
            template, mask = ds.get_locally_sparse_noise_stimulus_template(name)
            same_array(template, dump.arrays[f"{key}/template"], key)
            same_array(mask, dump.arrays[f"{key}/mask"], key)
    for frame, theirs in dump.values["get_stimulus"].items():
        found, image = ds.get_stimulus(int(frame))
        if theirs is None:
            assert found is None and image is None
            continue
        row = {k: (None if v != v else v) for k, v in found[2].to_dict().items()}
        assert row == {k: (None if v != v else v) for k, v in theirs.items()}
        key = f"get_stimulus:{frame}/image"
        if key in dump.arrays and found[2].get("frame", 0) != -1:
            same_array(image, dump.arrays[key], key)


CHECKS = [check_plain, check_traces, check_masks, check_behaviour, check_stimuli]


def test_data_set_matches_allensdk_on_sample_release(
    sdk_python: str, sample_release: Path, tmp_path: Path
) -> None:
    files = sorted((sample_release / "visual-coding-2p" / "ophys_experiment_data").glob("*.nwb"))
    assert files
    dumps = run_sdk_dump(sdk_python, files, tmp_path)
    failures = []
    for path in files:
        with BrainObservatoryNwbDataSet(path) as ds:
            assert sorted(dumps[path.stem].record["methods"]) == sorted(
                m for m in dir(ds) if m.startswith("get_"))
            for check in CHECKS:
                try:
                    check(ds, dumps[path.stem])
                except (AssertionError, pytest.fail.Exception) as err:
                    failures.append(f"{path.name} {check.__name__}: {err}")
    assert not failures, "\n".join(failures)


def _sdk_cache(python: str, manifest: Path, out: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    command = [python, "-W", "ignore", str(HERE / "sdk_cache_dump.py"), str(manifest), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(out.read_text())


def test_cache_matches_allensdk(
    sdk_python: str, sample_release: Path, release_json: Path, tmp_path: Path
) -> None:
    theirs = _sdk_cache(sdk_python, release_json, tmp_path / "boc.json")
    assert not theirs["errors"], theirs["errors"]
    boc = BrainObservatoryCache(manifest_file=sample_release.parent / "manifest.json")
    filters = [{"field": "p_ns", "op": "<", "value": 0.05},
               {"field": "area", "op": "in", "value": ["VISp", "VISl"]}]
    ours = {
        "get_all_cre_lines": boc.get_all_cre_lines(),
        "get_all_targeted_structures": boc.get_all_targeted_structures(),
        "get_all_imaging_depths": boc.get_all_imaging_depths(),
        "get_all_reporter_lines": boc.get_all_reporter_lines(),
        "get_all_stimuli": boc.get_all_stimuli(),
        "get_experiment_containers": boc.get_experiment_containers(),
        "get_experiment_containers:visp": boc.get_experiment_containers(
            targeted_structures=["VISp"]),
        "get_cell_specimens": boc.get_cell_specimens(),
        "get_cell_specimens:filters": boc.get_cell_specimens(filters=filters),
    }
    for key, value in theirs["values"].items():
        assert ours[key] == value, key
    assert 0 < len(ours["get_cell_specimens:filters"]) < len(ours["get_cell_specimens"])
