"""The planted tuning of the sample release comes back through the Allen analysis.

On the default sample release (containers that passed QC), for the strongly tuned cells of the
ground truth, the preferred direction (drifting gratings), orientation (static gratings) and
image (natural scenes) must be the planted ones for >= 90 % of the cells, both in the published
``cell_specimens.json`` and in ``compute_cell_metrics`` of the files; cells planted as
unresponsive must mostly not be significant (also in the sparse-noise chi-square test, where
most strong cells must be). The measured rates are printed (``pytest -rA``).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from brainobs.analysis import compute_cell_metrics

#: published column -> (session letter, ground-truth column)
PREFERENCES = {
    "pref_dir_dg": ("A", "pref_dir_dg"),
    "pref_ori_sg": ("B", "pref_ori_sg"),
    "pref_image_ns": ("B", "pref_image_ns"),
}
#: p-value column -> least fraction of strongly tuned cells that must be significant
P_VALUES = {"p_dg": 0.9, "p_sg": 0.9, "p_ns": 0.9, "rf_chi2_lsn": 0.75}
MIN_HIT_RATE = 0.9
MAX_FALSE_POSITIVE_RATE = 0.15


def _report(message: str) -> None:
    """Show the measured rate in the test's captured output (``pytest -rA``)."""
    sys.stdout.write(message + "\n")


def _json(path: Path) -> list[dict]:
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def release(sample_release) -> dict:
    base = sample_release / "visual-coding-2p"
    summary = json.loads((sample_release / "ground_truth" / "release.json").read_text())
    if "cell_metrics" not in summary:
        pytest.fail(f"The sample release in {sample_release} predates measured cell metrics; "
                    "delete that folder so that it is written again.")
    with open(sample_release / "ground_truth" / "cells.csv", newline="") as f:
        truth = {int(r["cell_specimen_id"]): r for r in csv.DictReader(f)}
    failed = {c["id"] for c in _json(base / "experiment_containers.json") if c["failed"]}
    analysed: dict[str, dict[int, dict]] = {"A": {}, "B": {}}
    for e in _json(base / "ophys_experiments.json"):
        letter = e["stimulus_name"][-1]
        if e["experiment_container_id"] in failed or letter not in analysed:
            continue
        table = compute_cell_metrics(base / "ophys_experiment_data" / f"{e['id']}.nwb")
        analysed[letter].update(table.to_dict(orient="index"))
    published = {c["cell_specimen_id"]: c for c in _json(base / "cell_specimens.json")
                 if c["experiment_container_id"] not in failed}
    return {"truth": truth, "published": published, "analysed": analysed}


def _hit_rate(release: dict, column: str, source: str) -> tuple[float, int]:
    letter, truth_column = PREFERENCES[column]
    hits = []
    for cid, cell in release["published"].items():
        planted = release["truth"][cid]
        if planted["response_class"] != "strong" or cid not in release["analysed"][letter]:
            continue
        row = cell if source == "published" else release["analysed"][letter][cid]
        hits.append(row[column] == float(planted[truth_column]))
    return float(np.mean(hits)), len(hits)


@pytest.mark.parametrize("source", ["published", "analysis"])
@pytest.mark.parametrize("column", list(PREFERENCES))
def test_strongly_tuned_cells_show_their_planted_preference(release, column, source):
    rate, n = _hit_rate(release, column, source)
    message = f"{column} ({source}): planted preference in {rate:.1%} of {n} strong cells"
    _report(message)
    assert n >= 40, f"too few strongly tuned cells to judge: {message}"
    assert rate >= MIN_HIT_RATE, message


@pytest.mark.parametrize("column", list(P_VALUES))
def test_unresponsive_cells_are_mostly_not_significant(release, column):
    by_class: dict[str, list[bool]] = {}
    for cid, cell in release["published"].items():
        if cell[column] is not None:
            cls = release["truth"][cid]["response_class"]
            by_class.setdefault(cls, []).append(cell[column] < 0.05)
    rates = {cls: f"{np.mean(v):.1%} of {len(v)}" for cls, v in sorted(by_class.items())}
    message = f"{column} < 0.05 by planted class: {rates}"
    _report(message)
    unresponsive = np.mean(by_class["unresponsive"])
    assert len(by_class["unresponsive"]) >= 20, message
    assert unresponsive <= MAX_FALSE_POSITIVE_RATE, message
    assert np.mean(by_class["strong"]) >= P_VALUES[column], message
