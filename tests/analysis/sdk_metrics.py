"""Run AllenSDK 2.16.2's stimulus analyses on one NWB 1 file and dump the results (no pickle).

Run with the AllenSDK interpreter (never imports brainobs)::

    python -W ignore tests/analysis/sdk_metrics.py FILE.nwb OUT.npz [stimulus ...]

For every stimulus the session has (or the ones named), writes into OUT.npz:
``<short>/peak/<column>`` (float; None → NaN), ``<short>/response``,
``<short>/mean_sweep_response`` and ``<short>/pval`` (trials × cells+1, last column dx),
and for sparse noise ``<short>/mean_response``, ``<short>/receptive_field`` plus per-cell
``<short>/rf/<key>`` stacks (events, shuffle p values, FDR-corrected p values,
rts_convolution, chi-square p values). ``OUT.json`` next to it lists the seconds each
analysis took and the peak columns.
"""

import json
import sys
import time

import numpy as np
import pandas as pd
from allensdk.brain_observatory import stimulus_info as si
from allensdk.brain_observatory.drifting_gratings import DriftingGratings
from allensdk.brain_observatory.locally_sparse_noise import LocallySparseNoise
from allensdk.brain_observatory.natural_movie import NaturalMovie
from allensdk.brain_observatory.natural_scenes import NaturalScenes
from allensdk.brain_observatory.static_gratings import StaticGratings
from allensdk.core.brain_observatory_nwb_data_set import BrainObservatoryNwbDataSet

SHORT = {
    "drifting_gratings": "dg", "static_gratings": "sg", "natural_scenes": "ns",
    "natural_movie_one": "nm1", "natural_movie_two": "nm2", "natural_movie_three": "nm3",
    "locally_sparse_noise": "lsn", "locally_sparse_noise_4deg": "lsn4",
    "locally_sparse_noise_8deg": "lsn8",
}


def as_float(frame):
    return {c: pd.to_numeric(frame[c], errors="coerce").astype(float).to_numpy()
            for c in frame.columns}


def build(data_set, stimulus):
    if stimulus == "drifting_gratings":
        return DriftingGratings(data_set)
    if stimulus == "static_gratings":
        return StaticGratings(data_set)
    if stimulus == "natural_scenes":
        return NaturalScenes(data_set)
    if stimulus.startswith("natural_movie"):
        return NaturalMovie(data_set, stimulus)
    return LocallySparseNoise(data_set, stimulus)


def dump_sweeps(out, key, analysis):
    out[key + "/mean_sweep_response"] = analysis.mean_sweep_response.to_numpy(dtype=float)
    out[key + "/pval"] = analysis.pval.to_numpy(dtype=float)


def dump_fields(out, key, analysis):
    fields = analysis.cell_index_receptive_field_analysis_data
    cells = [fields[str(i)] for i in range(len(fields))]
    out[key + "/rf/events"] = np.array([c["event_vector"]["data"] for c in cells])
    for part in ("pvalues", "fdr_corrected", "rts_convolution", "rts"):
        out[key + "/rf/" + part] = np.array(
            [[c[k][part]["data"] for k in ("on", "off")] for c in cells])
    out[key + "/rf/chi2_pvalues"] = np.array(
        [c["chi_squared_analysis"]["pvalues"]["data"] for c in cells])
    out[key + "/rf/n_components"] = np.array(
        [[c[k]["fdr_mask"]["attrs"]["number_of_components"] for k in ("on", "off")]
         for c in cells])


def main(path, target, names):
    data_set = BrainObservatoryNwbDataSet(path)
    session = data_set.get_metadata()["session_type"]
    names = names or [s for s in si.SESSION_STIMULUS_MAP[session] if s != "spontaneous"]
    out, info = {}, {"seconds": {}, "columns": {}}
    for stimulus in names:
        key = SHORT[stimulus]
        start = time.perf_counter()
        analysis = build(data_set, stimulus)
        peak = analysis.peak
        if not stimulus.startswith("natural_movie") and not stimulus.startswith("locally"):
            _ = analysis.response
        info["seconds"][stimulus] = time.perf_counter() - start
        info["columns"][stimulus] = list(peak.columns)
        for column, values in as_float(peak).items():
            out[key + "/peak/" + column] = values
        if stimulus.startswith("natural_movie"):
            continue
        dump_sweeps(out, key, analysis)
        if stimulus.startswith("locally"):
            out[key + "/mean_response"] = analysis.mean_response
            out[key + "/receptive_field"] = analysis.receptive_field
            dump_fields(out, key, analysis)
        else:
            out[key + "/response"] = analysis.response
    np.savez(target, **out)
    with open(str(target).rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
