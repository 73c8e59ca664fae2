"""AllenSDK 2.16.2 reads the sample release as it reads the real one, and finds the truth.

AllenSDK runs in its own interpreter (``BRAINOBS_ALLENSDK_PYTHON``; skipped when unset or
missing) on the default release: its cache lists containers, experiments and cells from the JSON
records; every NWB file parses (metadata, epochs, events); its tuning analyses find the planted
preferences of the strongly tuned cells.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.allensdk

SCRIPT = Path(__file__).with_name("sdk_sample_check.py")
EPOCHS = {"three_session_A": 7, "three_session_B": 8, "three_session_C": 7,
          "three_session_C2": 10}


@pytest.fixture(scope="module")
def sdk(sample_release):
    python = os.environ.get("BRAINOBS_ALLENSDK_PYTHON", "")
    if not python or not Path(python).exists():
        pytest.skip("AllenSDK peer interpreter not available (set BRAINOBS_ALLENSDK_PYTHON)")
    out = subprocess.run([python, "-W", "ignore", str(SCRIPT), str(sample_release)],
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def truth(sample_release):
    with open(sample_release / "ground_truth" / "cells.csv", newline="") as f:
        return {int(r["cell_specimen_id"]): r for r in csv.DictReader(f)}


def test_cache_lists_what_the_records_hold(sdk, sample_release):
    records = json.loads((sample_release / "visual-coding-2p" / "cell_specimens.json").read_text())
    assert len(sdk["containers"]) == 4 and sdk["containers_all"] == 5
    assert len(sdk["structures"]) >= 3 and len(sdk["cre_lines"]) >= 3 and len(sdk["depths"]) >= 2
    assert sdk["session_types"] == ["three_session_A", "three_session_B", "three_session_C",
                                    "three_session_C2"]
    assert len(sdk["experiments"]) == 12
    assert sdk["cells_all"] == len(records)
    assert sdk["cells"] == sum(not r["failed_experiment_container"] for r in records)
    assert 0 < sdk["strong_dg_filter"] < sdk["cells"]
    simple = sdk["containers"][0]
    assert set(simple) >= {"id", "cre_line", "reporter_line", "donor_name", "tags", "failed"}


def test_every_file_parses_with_the_real_epoch_structure(sdk, sample_release):
    assert len(sdk["files"]) == 15
    for eid, info in sdk["files"].items():
        assert len(info["epochs"]) == EPOCHS[info["session_type"]], eid
        assert info["events_shape"][0] == info["n_cells"]
        assert info["cre_line"].endswith("/wt")


def _fraction(pairs: list[bool]) -> float:
    return float(np.mean(pairs)) if pairs else float("nan")


def test_allensdk_analyses_find_the_planted_preferences(sdk, truth):
    found: dict[str, list[bool]] = {"dg": [], "sg": [], "ns": []}
    reliable: list[float] = []
    other: list[float] = []
    for result in sdk["analysis"].values():
        for k, cid in enumerate(result["cells"]):
            t = truth[cid]
            strong = t["response_class"] == "strong"
            if "dir" in result:
                if strong:
                    found["dg"].append(result["dir"][k] == float(t["pref_dir_dg"])
                                       and result["tf"][k] == float(t["pref_tf_dg"]))
                rel = result["reliability_nm1"][k]
                (reliable if t["movie_class"] == "reliable" else other).append(rel)
            elif strong:
                found["sg"].append(result["ori"][k] == float(t["pref_ori_sg"])
                                   and result["sf"][k] == float(t["pref_sf_sg"]))
                found["ns"].append(result["image"][k] == int(t["pref_image_ns"]))
    for name, hits in found.items():
        assert len(hits) >= 8, name
        assert _fraction(hits) >= 0.75, f"{name}: {_fraction(hits):.0%} of {len(hits)}"
    assert np.median(reliable) > 0.3 > np.median(other)
