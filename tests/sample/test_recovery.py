"""Planted preferences are recoverable from the files with Allen-style response windows.

Reads the corrected fluorescence (demixed - r x neuropil) of every passed container of the
default release and computes, per trial, the mean response relative to the 1 s before onset
(drifting gratings: the 2 s grating; static gratings and scenes: the 0.5 s after onset), as
AllenSDK does. The condition with the largest mean must be the planted one for >= 90 % of the
strongly tuned cells.
"""

from __future__ import annotations

import csv
import json

import h5py
import numpy as np
import pytest

from brainobs import stimuli as st

PIPE = "processing/brain_observatory_pipeline"


def _corrected(f: h5py.File) -> np.ndarray:
    demixed = f[f"{PIPE}/Fluorescence/imaging_plane_1_demixed_signal/data"][()].astype(float)
    neuropil = f[f"{PIPE}/Fluorescence/imaging_plane_1_neuropil_response/data"][()]
    r = f[f"{PIPE}/Fluorescence/imaging_plane_1_neuropil_response/r"][()]
    return demixed - r[:, None] * neuropil


def _trial_responses(trace: np.ndarray, starts: np.ndarray, before: int, during: int) -> (
    np.ndarray
):
    index = starts[:, None] + np.arange(-before, during)[None, :]
    windows = trace[:, index]  # (cells, trials, frames)
    base = windows[:, :, :before].mean(axis=2)
    return 100 * (windows[:, :, before:].mean(axis=2) / base - 1)


def _best(responses: np.ndarray, keys: list[tuple], valid) -> list[tuple]:
    """Per cell, the key with the largest mean response over its trials."""
    groups = sorted({k for k in keys if valid(k)})
    index = {k: i for i, k in enumerate(groups)}
    sums = np.zeros((responses.shape[0], len(groups)))
    counts = np.zeros(len(groups))
    for j, k in enumerate(keys):
        if k in index:
            sums[:, index[k]] += responses[:, j]
            counts[index[k]] += 1
    return [groups[i] for i in (sums / counts).argmax(axis=1)]


@pytest.fixture(scope="module")
def recovered(sample_release):
    base = sample_release / "visual-coding-2p"
    truth = {int(r["cell_specimen_id"]): r
             for r in csv.DictReader(open(sample_release / "ground_truth" / "cells.csv"))}
    failed = {c["id"] for c in json.loads((base / "experiment_containers.json").read_text())
              if c["failed"]}
    hits: dict[str, list[bool]] = {"dg": [], "sg": [], "ns": []}
    for exp in json.loads((base / "ophys_experiments.json").read_text()):
        if exp["experiment_container_id"] in failed or exp["stimulus_name"] == "three_session_C":
            continue
        with h5py.File(base / "ophys_experiment_data" / f"{exp['id']}.nwb", "r") as f:
            ids = f[f"{PIPE}/ImageSegmentation/cell_specimen_ids"][()]
            strong = np.array([truth[int(i)]["response_class"] == "strong" for i in ids])
            trace = _corrected(f)
            pres = f["stimulus/presentation"]
            if f"{st.DRIFTING_GRATINGS}_stimulus" in pres:
                g = pres[f"{st.DRIFTING_GRATINGS}_stimulus"]
                resp = _trial_responses(trace, g["frame_duration"][:, 0], 30, 60)
                keys = [tuple(row[:2]) for row in g["data"][()]]
                best = _best(resp, keys, lambda k: not np.isnan(k[0]))
                for i in np.flatnonzero(strong):
                    t = truth[int(ids[i])]
                    hits["dg"].append(best[i] == (float(t["pref_tf_dg"]), float(t["pref_dir_dg"])))
            if f"{st.STATIC_GRATINGS}_stimulus" in pres:
                g = pres[f"{st.STATIC_GRATINGS}_stimulus"]
                resp = _trial_responses(trace, g["frame_duration"][:, 0], 28, 14)
                keys = [tuple(row) for row in g["data"][()]]
                best = _best(resp, keys, lambda k: not np.isnan(k[0]))
                for i in np.flatnonzero(strong):
                    t = truth[int(ids[i])]
                    hits["sg"].append(best[i][:2] == (float(t["pref_ori_sg"]),
                                                      float(t["pref_sf_sg"])))
                g = pres[f"{st.NATURAL_SCENES}_stimulus"]
                resp = _trial_responses(trace, g["frame_duration"][:, 0], 28, 14)
                keys = [(int(k),) for k in g["data"][()]]
                best = _best(resp, keys, lambda k: k[0] >= 0)
                for i in np.flatnonzero(strong):
                    hits["ns"].append(best[i][0] == int(truth[int(ids[i])]["pref_image_ns"]))
    return {k: (float(np.mean(v)), len(v)) for k, v in hits.items()}


@pytest.mark.parametrize("stimulus", ["dg", "sg", "ns"])
def test_strongly_tuned_cells_show_their_planted_preference(recovered, stimulus):
    fraction, n = recovered[stimulus]
    assert n >= 40, f"too few strongly tuned cells to judge ({n})"
    assert fraction >= 0.9, f"{stimulus}: {fraction:.1%} of {n} strong cells recovered"
