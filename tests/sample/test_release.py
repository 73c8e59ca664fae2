"""The written release: layout, record shapes (vs the real records), labels, truth, determinism."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from brainobs.errors import InvalidChoiceError
from brainobs.sample.design import SYNTHETIC_KEY
from brainobs.sample.metrics import METRIC_COLUMNS, THUMBNAIL_COLUMNS
from brainobs.sample.release import write_sample_release
from brainobs.sample.truth import CELL_COLUMNS, ROI_COLUMNS
from tests.settings import REAL_VC2P

PIPE = "processing/brain_observatory_pipeline"
JSON_FILES = ("manifest.json", "experiment_containers.json", "ophys_experiments.json",
              "cell_specimens.json", "stimulus_mappings.json")


def _load(root: Path, name: str):
    return json.loads((root / "visual-coding-2p" / name).read_text())


def _csv(path: Path) -> list[dict[str, str]]:
    import csv

    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def _real(name: str):
    path = REAL_VC2P / name
    if not path.exists():
        pytest.skip(f"real records not available ({path})")
    return json.loads(path.read_text())


def test_layout_has_every_file_of_the_real_release(small_release):
    base = small_release / "visual-coding-2p"
    for name in JSON_FILES:
        assert (base / name).is_file()
    experiments = _load(small_release, "ophys_experiments.json")
    for e in experiments:
        assert (base / "ophys_experiment_data" / f"{e['id']}.nwb").is_file()
        assert (base / "ophys_experiment_events" / f"{e['id']}_events.npz").is_file()
    assert sorted(p.name for p in small_release.iterdir()) == ["ground_truth", "visual-coding-2p"]
    assert not list(small_release.parent.glob(".*partial*"))


def test_manifest_is_the_allensdk_v1_3_manifest(small_release):
    entries = _load(small_release, "manifest.json")["manifest"]
    assert entries[0] == {"type": "manifest_version", "value": "1.3"}
    specs = {e["key"]: e["spec"] for e in entries[1:]}
    assert specs["EXPERIMENT_DATA"] == "ophys_experiment_data/%d.nwb"
    assert specs["EVENTS_DATA"] == "ophys_experiment_events/%d_events.npz"
    assert all(e.get("parent_key") == "BASEDIR" for e in entries[2:])
    assert [list(e) for e in entries[1:3]] == [["key", "type", "spec"],
                                               ["key", "type", "spec", "parent_key"]]


@pytest.mark.realdata
def test_container_records_have_the_real_field_names_and_nesting(small_release):
    real = _real("experiment_containers.json")[0]
    ours = _load(small_release, "experiment_containers.json")
    assert len(ours) == 5 and sum(c["failed"] for c in ours) == 1
    for c in ours:
        assert set(real) | {SYNTHETIC_KEY} == set(c)
        assert set(real["specimen"]) == set(c["specimen"])
        assert set(real["specimen"]["donor"]) | {"conditions"} == set(c["specimen"]["donor"])
        assert set(real["specimen"]["donor"]["age"]) == set(c["specimen"]["donor"]["age"])
        assert set(real["targeted_structure"]) == set(c["targeted_structure"])
        assert set(real["isi_experiment"]) == set(c["isi_experiment"])
        for line in c["specimen"]["donor"]["transgenic_lines"]:
            assert set(real["specimen"]["donor"]["transgenic_lines"][0]) == set(line)
        for e in c["ophys_experiments"]:
            assert set(real["ophys_experiments"][0]) | {SYNTHETIC_KEY} == set(e)
            assert e["date_of_acquisition"].endswith("Z")


@pytest.mark.realdata
def test_records_reuse_real_structure_and_line_ids(small_release):
    real = _real("experiment_containers.json")
    structures = {c["targeted_structure"]["acronym"]: c["targeted_structure"]["id"] for c in real}
    lines = {t["name"]: t["id"] for c in real for t in c["specimen"]["donor"]["transgenic_lines"]}
    for c in _load(small_release, "experiment_containers.json"):
        assert structures[c["targeted_structure"]["acronym"]] == c["targeted_structure"]["id"]
        for t in c["specimen"]["donor"]["transgenic_lines"]:
            assert lines[t["name"]] == t["id"]


@pytest.mark.realdata
def test_stimulus_mappings_have_the_real_items(small_release):
    def key(r):
        return (r["id"], r["item"], r["level"], r["stimulus_name"], r["item_type"])

    real = {key(r) for r in _real("stimulus_mappings.json")}
    ours = _load(small_release, "stimulus_mappings.json")
    assert {key(r) for r in ours} == real
    assert {r for r in THUMBNAIL_COLUMNS} == {
        k[1] for k in real if k[4] == "T" and k[2] == "R"}


def test_experiment_records_nest_container_files_structure_and_donor(small_release):
    containers = {c["id"]: c for c in _load(small_release, "experiment_containers.json")}
    for e in _load(small_release, "ophys_experiments.json"):
        c = containers[e["experiment_container_id"]]
        assert e["experiment_container"]["failed"] == c["failed"]
        assert e["targeted_structure"] == c["targeted_structure"]
        assert e["specimen"]["donor"]["transgenic_lines"] == c["specimen"]["donor"][
            "transgenic_lines"]
        kinds = {f["well_known_file_type"]["name"]: f for f in e["well_known_files"]}
        assert set(kinds) == {"NWBOphys", "ObservatoryEventsFile"}
        assert kinds["NWBOphys"]["download_link"].startswith("/api/v2/well_known_file_download/")
        assert e["id"] in {x["id"] for x in c["ophys_experiments"]}


def test_cell_records_have_every_metric_column_and_no_nan(small_release):
    text = (small_release / "visual-coding-2p" / "cell_specimens.json").read_text()
    assert "NaN" not in text and "Infinity" not in text
    cells = json.loads(text)
    identity = {"cell_specimen_id", "specimen_id", "experiment_container_id", "area",
                "imaging_depth", "donor_full_genotype", "tld1_id", "tld1_name", "tld2_id",
                "tld2_name", "tlr1_id", "tlr1_name", "failed_experiment_container", "all_stim"}
    expected = identity | set(METRIC_COLUMNS) | set(THUMBNAIL_COLUMNS) | {SYNTHETIC_KEY}
    for cell in cells:
        assert set(cell) == expected
    ids = [c["cell_specimen_id"] for c in cells]
    assert ids == sorted(ids)


def test_every_record_says_it_is_synthetic(small_release):
    for name in JSON_FILES[1:]:
        for record in _load(small_release, name):
            assert "synthetic" in record[SYNTHETIC_KEY]
    with h5py.File(next((small_release / "visual-coding-2p").rglob("*.nwb")), "r") as f:
        assert b"SYNTHETIC" in f["session_description"][()]


def test_cell_records_match_the_truth_cells_and_container_flags(small_release):
    cells = {c["cell_specimen_id"]: c for c in _load(small_release, "cell_specimens.json")}
    truth = _csv(small_release / "ground_truth" / "cells.csv")
    rois = _csv(small_release / "ground_truth" / "rois.csv")
    seen = {(int(r["cell_specimen_id"]), r["session_type"][-2:].lstrip("_")[0]) for r in rois
            if r["present"] == "1"}
    assert len(truth) == len(cells)
    for row in truth:
        cid = int(row["cell_specimen_id"])
        cell = cells[cid]
        assert cell["failed_experiment_container"] == (row["container_failed"] == "1")
        assert cell["all_stim"] == all((cid, s) in seen for s in "ABC")
        if (cid, "A") not in seen:
            assert cell["pref_dir_dg"] is None and cell["reliability_nm1_a"] is None
        else:
            assert cell["p_dg"] is not None


def test_truth_rows_point_at_the_right_nwb_rows(small_release):
    rois = _csv(small_release / "ground_truth" / "rois.csv")
    assert list(rois[0]) == list(ROI_COLUMNS)
    assert list(_csv(small_release / "ground_truth" / "cells.csv")[0]) == list(CELL_COLUMNS)
    data = small_release / "visual-coding-2p" / "ophys_experiment_data"
    for eid in sorted({r["ophys_experiment_id"] for r in rois}):
        mine = [r for r in rois if r["ophys_experiment_id"] == eid and r["present"] == "1"]
        with h5py.File(data / f"{eid}.nwb", "r") as f:
            ids = f[f"{PIPE}/ImageSegmentation/cell_specimen_ids"][()]
            r = f[f"{PIPE}/Fluorescence/imaging_plane_1_neuropil_response/r"][()]
            roi_ids = [int(x) for x in f[f"{PIPE}/ImageSegmentation/roi_ids"][()]]
        for row in mine:
            k = int(row["row"])
            assert ids[k] == int(row["cell_specimen_id"])
            assert roi_ids[k] == int(row["cell_roi_id"])
            assert abs(r[k] - float(row["r_file"])) < 1e-5
        events = np.load(data.parent / "ophys_experiment_events" / f"{eid}_events.npz")["ev"]
        spikes = np.load(small_release / "ground_truth" / "spikes" / f"{eid}_spikes.npz")
        assert events.shape == spikes["spikes"].shape == (len(ids), events.shape[1])
        assert not events[spikes["spikes"] == 0].any()


def test_failed_eye_tracking_means_no_eye_data_in_the_file(small_release):
    data = small_release / "visual-coding-2p" / "ophys_experiment_data"
    flags = {e["id"]: e["fail_eye_tracking"] for e in _load(small_release,
                                                               "ophys_experiments.json")}
    assert set(flags.values()) == {True, False}
    for eid, failed in flags.items():
        with h5py.File(data / f"{eid}.nwb", "r") as f:
            assert (f"{PIPE}/PupilTracking" in f) is not failed
            assert (f"{PIPE}/EyeTracking" in f) is not failed


def test_release_json_counts_match_the_files(small_release):
    summary = json.loads((small_release / "ground_truth" / "release.json").read_text())
    assert summary["seed"] == 0 and summary["size"] == "small"
    assert summary["counts"]["ophys_experiments"] == len(_load(small_release,
                                                              "ophys_experiments.json"))
    assert summary["counts"]["cell_specimens"] == len(_load(small_release, "cell_specimens.json"))


def test_same_seed_gives_identical_json_and_arrays(small_release, small_release_again):
    for name in JSON_FILES:
        a = (small_release / "visual-coding-2p" / name).read_bytes()
        b = (small_release_again / "visual-coding-2p" / name).read_bytes()
        assert a == b, name
    for name in ("cells.csv", "rois.csv", "release.json"):
        assert (small_release / "ground_truth" / name).read_bytes() == (
            small_release_again / "ground_truth" / name).read_bytes()
    data = "visual-coding-2p/ophys_experiment_data"
    for path in sorted((small_release / data).glob("*.nwb"))[:4]:
        with h5py.File(path, "r") as fa, h5py.File(small_release_again / data / path.name) as fb:
            for key in ("Fluorescence/imaging_plane_1/data", "DfOverF/imaging_plane_1/data",
                        "BehavioralTimeSeries/running_speed/data"):
                assert np.array_equal(fa[f"{PIPE}/{key}"][()], fb[f"{PIPE}/{key}"][()])
            first = sorted(fa["stimulus/presentation"])[0]
            key = f"stimulus/presentation/{first}/frame_duration"
            assert np.array_equal(fa[key][()], fb[key][()])


def test_another_seed_gives_other_cells(small_release, tmp_path):
    other = write_sample_release(tmp_path / "other", seed=1, size="small")
    a = _csv(small_release / "ground_truth" / "cells.csv")
    b = _csv(other / "ground_truth" / "cells.csv")
    assert [r["cell_specimen_id"] for r in a] == [r["cell_specimen_id"] for r in b]
    assert [r["pref_dir_dg"] for r in a] != [r["pref_dir_dg"] for r in b]
    assert "seed 1" in _load(other, "stimulus_mappings.json")[0][SYNTHETIC_KEY]


def test_existing_release_is_kept_unless_overwrite(small_release, tmp_path):
    target = tmp_path / "release"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        write_sample_release(target, size="small")
    assert (target / "keep.txt").read_text() == "mine"
    with pytest.raises(InvalidChoiceError, match="'tiny'"):
        write_sample_release(tmp_path / "x", size="tiny")
    assert not (tmp_path / "x").exists()


def test_importing_the_sample_package_stays_light():
    code = (
        "import sys, brainobs.sample;"
        "print([m for m in ('h5py', 'pandas', 'scipy', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_release_from_an_older_generator_is_not_current(sample_release, tmp_path):
    import json
    import shutil

    from brainobs.sample.release import SAMPLE_FORMAT, TRUTH_FOLDER, sample_is_current

    assert sample_is_current(sample_release)
    old = tmp_path / "old"
    (old / TRUTH_FOLDER).mkdir(parents=True)
    summary = json.loads((sample_release / TRUTH_FOLDER / "release.json").read_text())
    summary["sample_format"] = SAMPLE_FORMAT - 1
    (old / TRUTH_FOLDER / "release.json").write_text(json.dumps(summary))
    assert not sample_is_current(old)
    del summary["sample_format"]  # releases made before the format was recorded
    (old / TRUTH_FOLDER / "release.json").write_text(json.dumps(summary))
    assert not sample_is_current(old)
    shutil.rmtree(old / TRUTH_FOLDER)
    assert not sample_is_current(old)


def test_analysis_files_are_written_for_every_experiment_in_the_real_layout(
        sample_release, tmp_path):
    import shutil

    from brainobs.analysis.analysis_file import read_analysis_arrays
    from brainobs.cli import build_parser
    from brainobs.nwb import open_nwb
    from brainobs.sample.release import RELEASE_FOLDER, write_analysis_files

    data = sample_release / RELEASE_FOLDER / "ophys_experiment_data"
    chosen = None
    for nwb in sorted(data.glob("*.nwb")):
        with open_nwb(nwb) as experiment:
            if experiment.metadata["session_type"] == "three_session_A":
                chosen = nwb
                break
    copy = tmp_path / "release"
    (copy / RELEASE_FOLDER / "ophys_experiment_data").mkdir(parents=True)
    shutil.copy2(chosen, copy / RELEASE_FOLDER / "ophys_experiment_data" / chosen.name)
    [written] = write_analysis_files(copy)
    assert written == (copy / RELEASE_FOLDER / "ophys_experiment_analysis"
                       / f"{chosen.stem}_three_session_A_analysis.h5")
    arrays = read_analysis_arrays(written)
    assert arrays["response_dg"].shape[:2] == (8, 6)
    assert build_parser().parse_args(["sample", "out", "--analysis-files"]).analysis_files
