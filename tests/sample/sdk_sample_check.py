"""Read a sample release with AllenSDK 2.16.2 (run with the AllenSDK interpreter, never brainobs).

    python -W ignore sdk_sample_check.py RELEASE_ROOT

Prints one JSON object: what BrainObservatoryCache lists from the release's JSON files, the
metadata and epoch table of every NWB file, and the preferred conditions that AllenSDK's
DriftingGratings / StaticGratings / NaturalScenes / NaturalMovie analyses find in the first
experiment of each kind.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from allensdk.brain_observatory.drifting_gratings import DriftingGratings
from allensdk.brain_observatory.natural_movie import NaturalMovie
from allensdk.brain_observatory.natural_scenes import NaturalScenes
from allensdk.brain_observatory.static_gratings import StaticGratings
from allensdk.core.brain_observatory_cache import BrainObservatoryCache


def main(root: Path) -> dict:
    boc = BrainObservatoryCache(manifest_file=str(root / "visual-coding-2p" / "manifest.json"))
    boc.api.template_query = lambda *args, **kwargs: []  # the eye-tracking query needs the web
    out: dict = {
        "containers": boc.get_experiment_containers(),
        "containers_all": len(boc.get_experiment_containers(include_failed=True)),
        "structures": boc.get_all_targeted_structures(),
        "cre_lines": boc.get_all_cre_lines(),
        "depths": [int(d) for d in boc.get_all_imaging_depths()],
        "session_types": boc.get_all_session_types(),
        "experiments": boc.get_ophys_experiments(),
        "cells": len(boc.get_cell_specimens()),
        "cells_all": len(boc.get_cell_specimens(include_failed=True)),
        "strong_dg_filter": len(boc.get_cell_specimens(
            filters=[{"field": "p_dg", "op": "<=", "value": 0.001}])),
        "files": {},
        "analysis": {},
    }
    done: set[str] = set()
    for exp in boc.get_ophys_experiments(include_failed=True):
        eid = exp["id"]
        data = boc.get_ophys_experiment_data(eid)
        events = boc.get_ophys_experiment_events(eid)
        epochs = data.get_stimulus_epoch_table()
        meta = data.get_metadata()
        out["files"][str(eid)] = {
            "session_type": meta["session_type"],
            "age_days": meta["age_days"],
            "cre_line": meta["cre_line"],
            "imaging_depth_um": meta["imaging_depth_um"],
            "epochs": epochs.stimulus.tolist(),
            "n_cells": len(data.get_cell_specimen_ids()),
            "events_shape": list(events.shape),
        }
        kind = meta["session_type"]
        if kind in done or kind not in ("three_session_A", "three_session_B"):
            continue
        done.add(kind)
        out["analysis"][str(eid)] = analyse(data, kind)
    return out


def analyse(data, kind: str) -> dict:
    result: dict = {}
    if kind == "three_session_A":
        dg = DriftingGratings(data)
        peak = dg.peak
        result["cells"] = [int(c) for c in peak.cell_specimen_id]
        result["dir"] = [float(dg.orivals[int(i)]) for i in peak.ori_dg]
        result["tf"] = [float(dg.tfvals[int(i)]) for i in peak.tf_dg]
        nm = NaturalMovie(data, "natural_movie_one").get_peak()
        result["reliability_nm1"] = [float(x) for x in nm.response_reliability_nm1]
    else:
        sg = StaticGratings(data)
        peak = sg.peak
        result["cells"] = [int(c) for c in peak.cell_specimen_id]
        result["ori"] = [float(sg.orivals[int(i)]) for i in peak.ori_sg]
        result["sf"] = [float(sg.sfvals[int(i)]) for i in peak.sf_sg]
        ns = NaturalScenes(data)
        result["image"] = [int(i) for i in ns.peak.scene_ns]
    return result


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


if __name__ == "__main__":
    sys.stdout.write(json.dumps(_plain(main(Path(sys.argv[1])))) + "\n")
