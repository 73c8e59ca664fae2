"""Dump AllenSDK 2.16.2's stimulus-analysis attributes, for the brainobs.compat tests.

Run with the AllenSDK interpreter (never imports brainobs)::

    python -W ignore sdk_analysis_dump.py [--only=STIMULUS,...] OUT_DIR FILE.nwb [FILE.nwb ...]

For each file and each stimulus of its session (or those named by ``--only``), builds
``DriftingGratings``, ``StaticGratings``, ``NaturalScenes``, ``NaturalMovie`` or
``LocallySparseNoise`` and writes ``OUT_DIR/<stem>.npz`` (arrays, no pickle) and
``OUT_DIR/<stem>.json``. Keys are ``<stimulus>/<attribute>``. The JSON holds ``scalars``
(value and type name), ``arrays`` (dtype and shape of each npz entry), ``tables`` (columns,
dtypes, index dtype and, for object columns, the type names of the values), ``errors``
(attribute -> exception type) and ``seconds`` (time per stimulus). The grating and scene
classes' correlation methods go to
``<stimulus>/correlation/<signal|representational|noise>/<position in the returned tuple>``.
Table columns go to the npz as float (object cells holding arrays are stacked; of the sweep
tables, only the first two cells and ``dx``).
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
from allensdk.brain_observatory import stimulus_info as si
from allensdk.brain_observatory.drifting_gratings import DriftingGratings
from allensdk.brain_observatory.locally_sparse_noise import LocallySparseNoise
from allensdk.brain_observatory.natural_movie import NaturalMovie
from allensdk.brain_observatory.natural_scenes import NaturalScenes
from allensdk.brain_observatory.static_gratings import StaticGratings
from allensdk.core.brain_observatory_nwb_data_set import BrainObservatoryNwbDataSet

TABLES = ("stim_table", "peak", "mean_sweep_response", "pval", "sweep_response")
ARRAYS = ("response", "mean_response", "receptive_field", "orivals", "tfvals", "sfvals",
          "phasevals", "cell_id", "roi_id", "timestamps", "dxcm", "dxtime", "LSN", "LSN_mask")
SCALARS = ("numbercells", "sweeplength", "interlength", "extralength", "number_ori",
           "number_tf", "number_sf", "number_phase", "number_scenes", "acquisition_rate",
           "nrows", "ncols", "stimulus", "movie_name")
CORRELATED = (si.DRIFTING_GRATINGS, si.STATIC_GRATINGS, si.NATURAL_SCENES)
#: Sweep-response columns dumped in full (every row): enough to check the cutting.
SWEEP_COLUMNS = 2


def build(data_set, stimulus):
    if stimulus == si.DRIFTING_GRATINGS:
        return DriftingGratings(data_set)
    if stimulus == si.STATIC_GRATINGS:
        return StaticGratings(data_set)
    if stimulus == si.NATURAL_SCENES:
        return NaturalScenes(data_set)
    if stimulus in si.NATURAL_MOVIE_STIMULUS_TYPES:
        return NaturalMovie(data_set, stimulus)
    return LocallySparseNoise(data_set, stimulus)


class Out:
    """Collects one file's results."""

    def __init__(self) -> None:
        self.arrays, self.scalars, self.tables, self.errors = {}, {}, {}, {}

    def get(self, key, analysis, name):
        try:
            return getattr(analysis, name)
        except Exception as err:  # recorded, compared by the tests
            self.errors[key] = type(err).__name__
            return None

    def array(self, key, value):
        value = np.array(value, copy=True)
        if value.dtype == object:
            value = value.astype(str)
        self.arrays[key] = value

    def table(self, key, frame):
        columns = [str(c) for c in frame.columns]
        kinds = {}
        for position, (name, column) in enumerate(zip(columns, frame.columns, strict=True)):
            values = frame[column].to_numpy()
            if values.dtype == object:
                kinds[name] = sorted({type(v).__name__ for v in values})
                if len(values) and isinstance(values[0], np.ndarray):
                    if name != "dx" and position >= SWEEP_COLUMNS:
                        continue
                    values = np.stack(values)
            self.array(f"{key}/column/{name}", np.asarray(values, dtype=float))
        self.array(f"{key}/index", frame.index.to_numpy())
        self.tables[key] = {"columns": columns, "dtypes": [str(t) for t in frame.dtypes],
                            "index_dtype": str(frame.index.dtype), "kinds": kinds,
                            "shape": list(frame.shape)}


def dump_analysis(out, stimulus, analysis):
    for name in TABLES:
        key = f"{stimulus}/{name}"
        frame = out.get(key, analysis, name)
        if isinstance(frame, pd.DataFrame):
            out.table(key, frame)
        elif frame is not None:  # NaturalMovie unpacks its sweep table into three names
            out.errors[key] = f"not a table: {type(frame).__name__}"
    for name in ARRAYS:
        key = f"{stimulus}/{name}"
        value = out.get(key, analysis, name)
        if value is not None:
            out.array(key, value)
    for name in SCALARS:
        key = f"{stimulus}/{name}"
        value = out.get(key, analysis, name)
        if value is not None:
            plain = value.item() if isinstance(value, np.generic) else value
            out.scalars[key] = {"value": plain, "type": type(value).__name__}


def dump_correlations(out, stimulus, analysis):
    calls = {"signal": analysis.get_signal_correlation,
             "representational": analysis.get_representational_similarity,
             "noise": analysis.get_noise_correlation}
    for name, call in calls.items():
        key = f"{stimulus}/correlation/{name}"
        try:
            values = call()
        except Exception as err:  # recorded, compared by the tests
            out.errors[key] = type(err).__name__
            continue
        for position, value in enumerate(values):
            out.array(f"{key}/{position}", value)


def dump_file(path, out_dir, only):
    data_set = BrainObservatoryNwbDataSet(str(path))
    session = data_set.get_session_type()
    out = Out()
    seconds = {}
    for stimulus in si.SESSION_STIMULUS_MAP[session]:
        if stimulus != si.SPONTANEOUS_ACTIVITY and (not only or stimulus in only):
            start = time.perf_counter()
            analysis = build(data_set, stimulus)
            dump_analysis(out, stimulus, analysis)
            if stimulus in CORRELATED:
                dump_correlations(out, stimulus, analysis)
            seconds[stimulus] = round(time.perf_counter() - start, 2)
    np.savez(out_dir / f"{path.stem}.npz", **out.arrays)
    record = {"file": str(path), "session_type": session, "scalars": out.scalars,
              "arrays": {k: [str(v.dtype), list(v.shape)] for k, v in out.arrays.items()},
              "tables": out.tables, "errors": out.errors, "seconds": seconds}
    (out_dir / f"{path.stem}.json").write_text(json.dumps(record, indent=1, sort_keys=True))


def main(argv):
    only = []
    if len(argv) > 1 and argv[1].startswith("--only="):
        only = argv.pop(1).split("=", 1)[1].split(",")
    if len(argv) < 3:
        sys.stderr.write(__doc__ or "")
        return 2
    out_dir = Path(argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    status = 0
    for name in argv[2:]:
        try:
            dump_file(Path(name), out_dir, only)
        except Exception:
            traceback.print_exc()
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
