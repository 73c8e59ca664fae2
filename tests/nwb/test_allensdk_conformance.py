"""brainobs' NWB 1 reader returns what AllenSDK 2.16.2 returns, file by file.

AllenSDK runs in its own interpreter (``BRAINOBS_ALLENSDK_PYTHON``; the tests skip when it is
unset or missing): ``tests/allensdk/sdk_dump.py`` dumps every public ``get_*`` result of
``BrainObservatoryNwbDataSet`` to npz/json, and each check below compares brainobs' answer.
Ids, tables, shapes and metadata must be equal; float arrays equal up to NaN placement.
Files under test: tiny experiments of every session type written by the sample writer, and
every NWB file of the default sample release.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from brainobs.errors import InvalidChoiceError, NoEyeTrackingError
from brainobs.nwb.ophys1 import Ophys1Experiment
from brainobs.sample.nwb1_writer import write_nwb1
from tests.helpers import make_tiny_session

pytestmark = pytest.mark.allensdk

DUMP_SCRIPT = Path(__file__).resolve().parents[1] / "allensdk" / "sdk_dump.py"
TINY_CASES: dict[str, dict[str, Any]] = {
    "A": {"session_type": "three_session_A", "n_trials": 9},
    "B_shuffled_rows": {
        "session_type": "three_session_B",
        "shuffled_rows": True,
        "dff_length_offset": 1,
    },
    "C_no_eye_tracking": {"session_type": "three_session_C", "eye_tracking": False, "seed": 2},
    "C2": {"session_type": "three_session_C2", "seed": 3, "n_cells": 1},
}
TRACES = {  # AllenSDK method -> brainobs method
    "get_fluorescence_traces": "get_fluorescence",
    "get_neuropil_traces": "get_neuropil",
    "get_demixed_traces": "get_demixed",
    "get_corrected_fluorescence_traces": "get_corrected",
    "get_dff_traces": "get_dff",
}
#: Every public get_* of BrainObservatoryNwbDataSet -> what brainobs offers for it.
COUNTERPARTS = {
    **TRACES,
    "get_cell_specimen_ids": "cell_specimen_ids",
    "get_cell_specimen_indices": "cell_indices",
    "get_fluorescence_timestamps": "get_fluorescence_timestamps",
    "get_locally_sparse_noise_stimulus_template": "get_locally_sparse_noise_template",
    "get_max_projection": "get_max_projection",
    "get_metadata": "metadata",
    "get_motion_correction": "get_motion_correction",
    "get_neuropil_r": "get_neuropil_r",
    "get_pupil_location": "get_pupil_location",
    "get_pupil_size": "get_pupil_size",
    "get_roi_ids": "roi_ids",
    "get_roi_mask": "get_roi_masks (AllenSDK's RoiMask objects are not reproduced)",
    "get_roi_mask_array": "get_roi_masks",
    "get_running_speed": "get_running_speed",
    "get_session_type": "session_type",
    "get_stimulus": "get_stimulus_at_frame",
    "get_stimulus_epoch_table": "get_stimulus_epoch_table",
    "get_stimulus_table": "get_stimulus_table",
    "get_stimulus_template": "get_stimulus_template",
}


@dataclass
class SdkDump:
    """What AllenSDK read from one file."""

    record: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @property
    def values(self) -> dict[str, Any]:
        return self.record["values"]

    @property
    def errors(self) -> dict[str, dict[str, str]]:
        return self.record["errors"]


@pytest.fixture(scope="session")
def sdk_python() -> str:
    value = os.environ.get("BRAINOBS_ALLENSDK_PYTHON")
    if not value:
        pytest.skip("BRAINOBS_ALLENSDK_PYTHON is not set (see tests/allensdk/setup_peer.sh)")
    if not Path(value).exists():
        pytest.skip(f"BRAINOBS_ALLENSDK_PYTHON={value} does not exist")
    return value


def run_sdk_dump(python: str, files: list[Path], out_dir: Path) -> dict[str, SdkDump]:
    """Run the dump script over ``files`` in one AllenSDK process."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    command = [python, "-W", "ignore", str(DUMP_SCRIPT), str(out_dir), *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
    assert done.returncode == 0, f"AllenSDK dump failed:\n{done.stderr[-4000:]}"
    dumps = {}
    for path in files:
        record = json.loads((out_dir / f"{path.stem}.json").read_text())
        with np.load(out_dir / f"{path.stem}.npz", allow_pickle=False) as archive:
            dumps[path.stem] = SdkDump(record, {k: archive[k] for k in archive.files})
    return dumps


@pytest.fixture(scope="module")
def tiny(sdk_python: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("tiny_nwb")
    files = [
        write_nwb1(make_tiny_session(**kw), folder / f"{name}.nwb")
        for name, kw in TINY_CASES.items()
    ]
    return {
        "files": {f.stem: f for f in files},
        "dumps": run_sdk_dump(sdk_python, files, folder / "dump"),
    }


# --- comparison helpers -----------------------------------------------------------------------


def same_array(ours: Any, theirs: Any, what: str, *, exact_dtype: bool = True) -> None:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} vs AllenSDK {theirs.shape}"
    if exact_dtype:
        assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype} vs AllenSDK {theirs.dtype}"
    if ours.dtype.kind in "fc" or theirs.dtype.kind in "fc":
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(ours, theirs, err_msg=what)


def same_table(ours: Any, dump: SdkDump, key: str) -> None:
    meta = dump.record["tables"][key]
    assert [str(c) for c in ours.columns] == meta["columns"], f"{key}: columns"
    same_array(ours.index.to_numpy(), dump.arrays[f"{key}/index"], f"{key}: index")
    for column, dtype in zip(meta["columns"], meta["dtypes"], strict=True):
        theirs = dump.arrays[f"{key}/column/{column}"]
        if dtype == "object":
            assert [str(v) for v in ours[column]] == theirs.tolist(), f"{key}: {column}"
        else:
            assert str(ours[column].dtype) == dtype, f"{key}: dtype of {column}"
            same_array(ours[column].to_numpy(), theirs, f"{key}: {column}")


def raised(dump: SdkDump, key: str) -> str | None:
    return dump.errors.get(key, {}).get("type")


# --- checks (each compares one group of methods) ---------------------------------------------


def check_metadata(exp: Ophys1Experiment, dump: SdkDump) -> None:
    theirs = dump.values["get_metadata"]
    assert set(exp.metadata) - set(theirs) == {"synthetic"}
    for key, value in theirs.items():
        mine = exp.metadata[key]
        mine = mine.isoformat() if isinstance(mine, datetime.datetime) else mine
        assert mine == value and type(mine) is type(value), f"metadata[{key!r}]: {mine!r}"
    assert exp.synthetic is True
    assert exp.session_type == dump.values["get_session_type"]
    assert exp.number_of_cells == dump.values["number_of_cells"]
    assert exp.list_stimuli() == dump.values["list_stimuli"]


def check_ids(exp: Ophys1Experiment, dump: SdkDump) -> None:
    same_array(exp.cell_specimen_ids, dump.arrays["get_cell_specimen_ids"], "cell_specimen_ids")
    roi_ids = [int(v) for v in dump.arrays["get_roi_ids"]]
    assert exp.roi_ids.tolist() == roi_ids
    same_array(
        exp.get_fluorescence_timestamps(),
        dump.arrays["get_fluorescence_timestamps"],
        "fluorescence timestamps",
    )
    subset = dump.record["subset"]
    assert exp.cell_indices(subset) == dump.values["get_cell_specimen_indices:subset"]
    assert raised(dump, "get_cell_specimen_indices:unknown") == "ValueError"
    with pytest.raises(ValueError, match="-1"):
        exp.cell_indices([-1])


def check_traces(exp: Ophys1Experiment, dump: SdkDump) -> None:
    for sdk_name, name in TRACES.items():
        for suffix, ids in (("", None), (":subset", dump.record["subset"])):
            key = sdk_name + suffix
            assert raised(dump, key) is None, f"AllenSDK failed on {key}: {dump.errors[key]}"
            times, data = getattr(exp, name)(ids)
            same_array(times, dump.arrays[f"{key}/timestamps"], f"{key} timestamps")
            same_array(data, dump.arrays[f"{key}/data"], f"{key} data")
    same_array(exp.get_neuropil_r(), dump.arrays["get_neuropil_r"], "neuropil r")
    same_array(
        exp.get_neuropil_r(dump.record["subset"]),
        dump.arrays["get_neuropil_r:subset"],
        "neuropil r (subset)",
    )


def check_images(exp: Ophys1Experiment, dump: SdkDump) -> None:
    same_array(exp.get_max_projection(), dump.arrays["get_max_projection"], "max projection")
    for suffix, ids in (("", None), (":subset", dump.record["subset"])):
        masks = exp.get_roi_masks(ids)
        assert masks.dtype == bool
        same_array(masks.astype(np.uint8), dump.arrays["get_roi_mask_array" + suffix], "masks")


def check_behaviour(exp: Ophys1Experiment, dump: SdkDump) -> None:
    times, speed = exp.get_running_speed()
    same_array(speed, dump.arrays["get_running_speed/speed"], "running speed", exact_dtype=False)
    same_array(times, dump.arrays["get_running_speed/timestamps"], "running speed times")
    readers: dict[str, Callable[[], Any]] = {
        "get_pupil_location": exp.get_pupil_location,
        "get_pupil_location:cm": lambda: exp.get_pupil_location(as_spherical=False),
        "get_pupil_size": exp.get_pupil_size,
    }
    for key, read in readers.items():
        if raised(dump, key):
            assert raised(dump, key) == "NoEyeTrackingException"
            with pytest.raises(NoEyeTrackingError, match="no pupil"):
                read()
            continue
        times, data = read()
        same_array(times, dump.arrays[f"{key}/timestamps"], f"{key} timestamps")
        same_array(data, dump.arrays[f"{key}/data"], f"{key} data")
    same_table(exp.get_motion_correction(), dump, "get_motion_correction")


def check_stimulus_tables(exp: Ophys1Experiment, dump: SdkDump) -> None:
    for name in [*exp.list_stimuli(), "master"]:
        key = f"get_stimulus_table:{name}"
        assert raised(dump, key) is None, f"AllenSDK failed on {key}: {dump.errors.get(key)}"
        same_table(exp.get_stimulus_table(name), dump, key)
    same_table(exp.get_stimulus_epoch_table(), dump, "get_stimulus_epoch_table")
    assert raised(dump, "get_stimulus_table:no_such_stimulus") == "MissingStimulusException"
    with pytest.raises(InvalidChoiceError, match=exp.list_stimuli()[0]):
        exp.get_stimulus_table("no_such_stimulus")


def check_templates(exp: Ophys1Experiment, dump: SdkDump) -> None:
    for name in exp.list_stimuli():
        key = f"get_stimulus_template:{name}"
        if raised(dump, key):
            with pytest.raises(InvalidChoiceError, match="no template"):
                exp.get_stimulus_template(name)
            continue
        same_array(exp.get_stimulus_template(name), dump.arrays[key], key)
        if name.startswith("locally_sparse_noise"):
            key = f"get_locally_sparse_noise_stimulus_template:{name}"
            template, mask = exp.get_locally_sparse_noise_template(name)
            same_array(template, dump.arrays[f"{key}/template"], f"{key} template")
            same_array(mask, dump.arrays[f"{key}/mask"], f"{key} mask")


def check_stimulus_lookup(exp: Ophys1Experiment, dump: SdkDump) -> None:
    for frame, theirs in dump.values["get_stimulus"].items():
        row, image = exp.get_stimulus_at_frame(int(frame))
        if theirs is None:  # AllenSDK says None for spontaneous activity too
            assert row is None or row["stimulus"] == "spontaneous", f"frame {frame}: {row}"
            continue
        assert row is not None, f"frame {frame}: AllenSDK found {theirs}"
        mine = {k: (None if v != v else v) for k, v in row.to_dict().items()}
        assert mine == {k: (None if v != v else v) for k, v in theirs.items()}, f"frame {frame}"
        key = f"get_stimulus:{frame}/image"
        if row.get("frame", 0) == -1:  # AllenSDK returns the last scene for a blank
            assert image is None
        elif key in dump.arrays:
            same_array(image, dump.arrays[key], key)
        else:
            assert image is None, f"frame {frame}: image where AllenSDK has none"


CHECKS = [
    check_metadata,
    check_ids,
    check_traces,
    check_images,
    check_behaviour,
    check_stimulus_tables,
    check_templates,
    check_stimulus_lookup,
]


# --- tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(TINY_CASES))
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_tiny_file_matches_allensdk(tiny: dict[str, Any], case: str, check: Callable) -> None:
    with Ophys1Experiment(tiny["files"][case]) as exp:
        check(exp, tiny["dumps"][case])


def test_every_allensdk_getter_has_a_counterpart(tiny: dict[str, Any]) -> None:
    for dump in tiny["dumps"].values():
        assert sorted(COUNTERPARTS) == dump.record["methods"]


def test_sample_release_matches_allensdk(
    sdk_python: str, sample_release: Path, tmp_path: Path
) -> None:
    files = sorted((sample_release / "visual-coding-2p" / "ophys_experiment_data").glob("*.nwb"))
    assert files, f"no NWB files under {sample_release}"
    dumps = run_sdk_dump(sdk_python, files, tmp_path)
    failures = []
    for path in files:
        with Ophys1Experiment(path) as exp:
            for check in CHECKS:
                try:
                    check(exp, dumps[path.stem])
                except (AssertionError, pytest.fail.Exception) as err:
                    failures.append(f"{path.name} {check.__name__}: {err}")
    assert not failures, "\n".join(failures)
