"""Dump what AllenSDK 2.16.2 reads from NWB 1 files, for the conformance tests.

Run with the AllenSDK interpreter (never imports brainobs)::

    python -W ignore sdk_dump.py OUT_DIR FILE.nwb [FILE.nwb ...]

For each file, writes ``OUT_DIR/<stem>.npz`` (arrays; no pickle) and ``OUT_DIR/<stem>.json``:
``methods`` (every public ``get_*`` of ``BrainObservatoryNwbDataSet``), ``values`` (JSON-able
results), ``arrays`` (names of npz entries), ``tables`` (columns, dtypes and npz keys of each
DataFrame), ``errors`` (exception type and message per call that raised) and ``subset`` (the
cell ids used for the subset calls). Keys are ``<method>`` or ``<method>:<argument>``.
"""

from __future__ import annotations

import datetime
import functools
import json
import sys
import traceback
import zipfile
from pathlib import Path

import allensdk.brain_observatory.stimulus_info as stimulus_info
import numpy as np
import pandas as pd
from allensdk.core.brain_observatory_nwb_data_set import BrainObservatoryNwbDataSet

# The warped-screen mask takes ~3 s and depends on nothing: compute it once per process
# (AllenSDK only reads it), not once per sparse-noise template.
stimulus_info.make_display_mask = functools.lru_cache(maxsize=1)(stimulus_info.make_display_mask)

TRACE_METHODS = (
    "get_fluorescence_traces",
    "get_neuropil_traces",
    "get_demixed_traces",
    "get_corrected_fluorescence_traces",
    "get_dff_traces",
)
PROBE_FRAMES = 12  # frames probed with get_stimulus(frame)


class Dump:
    """Collects one file's results."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.values: dict[str, object] = {}
        self.tables: dict[str, dict[str, object]] = {}
        self.errors: dict[str, dict[str, str]] = {}

    def call(self, key: str, func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception as err:  # recorded, compared by the tests
            self.errors[key] = {"type": type(err).__name__, "message": str(err)}
            return None

    def array(self, key: str, value) -> None:
        value = np.array(value, copy=True)  # AllenSDK edits some cached arrays in place later
        if value.dtype == object:
            value = value.astype(str)
        self.arrays[key] = value

    def table(self, key: str, frame: pd.DataFrame) -> None:
        columns = [str(c) for c in frame.columns]
        for name, column in zip(columns, frame.columns, strict=True):
            self.array(f"{key}/column/{name}", frame[column].to_numpy())
        self.array(f"{key}/index", frame.index.to_numpy())
        self.tables[key] = {
            "columns": columns,
            "dtypes": [str(t) for t in frame.dtypes],
            "index_name": frame.index.name,
        }


def jsonable(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def dump_traces(ds: BrainObservatoryNwbDataSet, out: Dump, subset: list[int]) -> None:
    for method in TRACE_METHODS:
        for suffix, ids in (("", None), (":subset", subset)):
            result = out.call(method + suffix, getattr(ds, method), ids)
            if result is not None:
                out.array(f"{method}{suffix}/timestamps", result[0])
                out.array(f"{method}{suffix}/data", result[1])
    for suffix, ids in (("", None), (":subset", subset)):
        result = out.call("get_neuropil_r" + suffix, ds.get_neuropil_r, ids)
        if result is not None:
            out.array("get_neuropil_r" + suffix, result)
        masks = out.call("get_roi_mask_array" + suffix, ds.get_roi_mask_array, ids)
        if masks is not None:
            out.array("get_roi_mask_array" + suffix, masks)
        rois = out.call("get_roi_mask" + suffix, ds.get_roi_mask, ids)
        if rois is not None:
            out.values["get_roi_mask" + suffix] = [str(r.label) for r in rois]


def dump_plain(ds: BrainObservatoryNwbDataSet, out: Dump) -> list[int]:
    meta = out.call("get_metadata", ds.get_metadata)
    out.values["get_metadata"] = jsonable(meta)
    out.values["get_session_type"] = out.call("get_session_type", ds.get_session_type)
    out.values["number_of_cells"] = out.call("number_of_cells", lambda: ds.number_of_cells)
    out.values["list_stimuli"] = out.call("list_stimuli", ds.list_stimuli)
    for key in (
        "get_fluorescence_timestamps",
        "get_roi_ids",
        "get_cell_specimen_ids",
        "get_max_projection",
    ):
        result = out.call(key, getattr(ds, key))
        if result is not None:
            out.array(key, result)
    ids = [int(i) for i in ds.get_cell_specimen_ids()]
    subset = ids[::2]  # AllenSDK needs file order (h5py wants increasing indices)
    out.values["get_cell_specimen_indices:subset"] = out.call(
        "get_cell_specimen_indices:subset", ds.get_cell_specimen_indices, subset
    )
    out.call("get_cell_specimen_indices:unknown", ds.get_cell_specimen_indices, [-1])
    speed = out.call("get_running_speed", ds.get_running_speed)
    if speed is not None:
        out.array("get_running_speed/speed", speed[0])
        out.array("get_running_speed/timestamps", speed[1])
    for key, func in (
        ("get_pupil_location", lambda: ds.get_pupil_location()),
        ("get_pupil_location:cm", lambda: ds.get_pupil_location(as_spherical=False)),
        ("get_pupil_size", ds.get_pupil_size),
    ):
        result = out.call(key, func)
        if result is not None:
            out.array(f"{key}/timestamps", result[0])
            out.array(f"{key}/data", result[1])
    motion = out.call("get_motion_correction", ds.get_motion_correction)
    if motion is not None:
        out.table("get_motion_correction", motion)
    return subset


def dump_stimuli(ds: BrainObservatoryNwbDataSet, out: Dump) -> None:
    stimuli = ds.list_stimuli() or []
    for name in [*stimuli, "master"]:
        table = out.call(f"get_stimulus_table:{name}", ds.get_stimulus_table, name)
        if table is not None:
            out.table(f"get_stimulus_table:{name}", table)
    out.call("get_stimulus_table:no_such_stimulus", ds.get_stimulus_table, "no_such_stimulus")
    epochs = out.call("get_stimulus_epoch_table", ds.get_stimulus_epoch_table)
    if epochs is not None:
        out.table("get_stimulus_epoch_table", epochs)
    for name in stimuli:  # plain templates first: the sparse-noise call edits the cached ones
        template = out.call(f"get_stimulus_template:{name}", ds.get_stimulus_template, name)
        if template is not None:
            out.array(f"get_stimulus_template:{name}", template)
    dump_stimulus_lookup(ds, out)  # before the sparse-noise call below edits cached templates
    for name in stimuli:
        if not name.startswith("locally_sparse_noise"):
            continue
        # mask_off_screen=False returns the plain template with the same mask (and takes
        # as long: several seconds per call), so only the masked call is dumped.
        key = f"get_locally_sparse_noise_stimulus_template:{name}"
        result = out.call(key, ds.get_locally_sparse_noise_stimulus_template, name)
        if result is not None:
            out.array(f"{key}/template", result[0])
            out.array(f"{key}/mask", result[1])


def dump_stimulus_lookup(ds: BrainObservatoryNwbDataSet, out: Dump) -> None:
    n_frames = len(ds.get_fluorescence_timestamps())
    frames = np.linspace(0, n_frames - 1, PROBE_FRAMES).astype(int).tolist()
    found = {}
    for frame in frames:
        result = out.call(f"get_stimulus:{frame}", ds.get_stimulus, frame)
        if result is None:
            continue
        search, image = result
        found[str(frame)] = None if search is None else jsonable(dict(search[2]))
        if image is not None:
            out.array(f"get_stimulus:{frame}/image", image)
    out.values["get_stimulus"] = found


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed`` but with fast (level 1) compression; ``np.load`` reads it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for key, value in arrays.items():
            with archive.open(f"{key}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, value, allow_pickle=False)


def dump_file(path: Path, out_dir: Path) -> None:
    # The template cache is keyed by object id, which a new data set can reuse: start clean.
    BrainObservatoryNwbDataSet.get_stimulus_template.cache_clear()
    ds = BrainObservatoryNwbDataSet(str(path))
    out = Dump()
    subset = dump_plain(ds, out)
    dump_traces(ds, out, subset)
    dump_stimuli(ds, out)
    methods = sorted(
        name
        for name in dir(BrainObservatoryNwbDataSet)
        if name.startswith("get_") and callable(getattr(BrainObservatoryNwbDataSet, name))
    )
    save_npz(out_dir / f"{path.stem}.npz", out.arrays)
    record = {
        "file": str(path),
        "methods": methods,
        "values": jsonable(out.values),
        "arrays": sorted(out.arrays),
        "tables": out.tables,
        "errors": out.errors,
        "subset": subset,
    }
    (out_dir / f"{path.stem}.json").write_text(json.dumps(record, indent=1, sort_keys=True))


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        sys.stderr.write(__doc__ or "")
        return 2
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in argv[2:]:
        try:
            dump_file(Path(name), out_dir)
        except Exception:
            traceback.print_exc()
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
