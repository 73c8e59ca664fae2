"""brainobs.compat on the sample release: the classic lesson, errors, manifest, filters."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from brainobs.compat import BrainObservatoryCache, NotSupportedError
from brainobs.errors import InvalidChoiceError, MissingStimulusError

LESSON = Path(__file__).resolve().parent / "classic_lesson.py"
SDK_IMPORT = "from allensdk.core.brain_observatory_cache import BrainObservatoryCache"


@pytest.fixture(scope="module")
def boc(sample_release: Path) -> BrainObservatoryCache:
    return BrainObservatoryCache(manifest_file=sample_release.parent / "manifest.json")


def test_classic_lesson_runs_with_only_the_import_changed(sample_release: Path) -> None:
    source = LESSON.read_text()
    assert SDK_IMPORT in source
    swapped = source.replace(SDK_IMPORT, "from brainobs.compat import BrainObservatoryCache")
    space = {"MANIFEST": str(sample_release.parent / "manifest.json")}
    exec(compile(swapped, str(LESSON), "exec"), space)
    results = space["RESULTS"]
    assert results["cre_lines"] and "VISp" in results["targeted_structures"]
    assert results["dff"].shape[1] == len(results["timestamps"])
    assert results["max_projection"].ndim == 2
    assert results["pref_image_counts"].sum() == results["n_sig_cells"]
    assert list(results["stim_table"].columns) == ["frame", "start", "end"]


def test_manifest_is_written_like_allensdk(
    boc: BrainObservatoryCache, sample_release: Path
) -> None:
    manifest = json.loads((sample_release.parent / "manifest.json").read_text())["manifest"]
    assert manifest[0] == {"type": "manifest_version", "value": "1.3"}
    specs = {e.get("key"): e.get("spec") for e in manifest}
    assert specs["EXPERIMENT_DATA"] == "ophys_experiment_data/%d.nwb"


def test_string_where_a_list_is_expected_is_accepted(boc: BrainObservatoryCache) -> None:
    assert boc.get_experiment_containers(targeted_structures="VISp") == (
        boc.get_experiment_containers(targeted_structures=["VISp"]))


def test_unknown_value_names_the_valid_ones(boc: BrainObservatoryCache) -> None:
    with pytest.raises(InvalidChoiceError, match="VISp"):
        boc.get_experiment_containers(targeted_structures=["VISq"])


def test_unsupported_names_the_brainobs_way(boc: BrainObservatoryCache) -> None:
    with pytest.raises(NotSupportedError, match="get_pupil_location"):
        boc.get_eye_tracking(920010001)
    with pytest.raises(NotImplementedError, match="simple=False"):
        boc.get_experiment_containers(simple=False)


def test_experiment_records_and_stimuli(boc: BrainObservatoryCache) -> None:
    exps = boc.get_ophys_experiments(stimuli=["natural_scenes"])
    assert exps and {e["session_type"] for e in exps} == {"three_session_B"}
    assert all(isinstance(e["acquisition_age_days"], int) for e in exps)
    assert boc.get_ophys_experiment_stimuli(exps[0]["id"])[1] == "natural_scenes"
    assert boc.get_ophys_experiment_stimuli(1) is None
    path = boc.get_nwb_filepath(exps[0]["id"])
    assert path is not None and path.endswith(f"{exps[0]['id']}.nwb")


def test_cell_filters_between_and_equals(boc: BrainObservatoryCache) -> None:
    cells = boc.get_cell_specimens()
    p = np.array([c["p_ns"] if c["p_ns"] is not None else np.nan for c in cells])
    between = boc.get_cell_specimens(filters=[{"field": "p_ns", "op": "between",
                                               "value": [0.0, 0.05]}])
    assert len(between) == int(np.sum((p >= 0) & (p <= 0.05)))
    visp = boc.get_cell_specimens(filters=[{"field": "area", "op": "=", "value": "VISp"}])
    assert visp and {c["area"] for c in visp} == {"VISp"}
    assert not any(k.endswith("_large") for k in cells[0])


def test_analysis_and_events(boc: BrainObservatoryCache) -> None:
    eid = boc.get_ophys_experiments(stimuli=["natural_scenes"])[0]["id"]
    ns = boc.get_ophys_experiment_analysis(eid, "natural_scenes")
    assert ns.response.shape[0] == 119 and ns.response.shape[1] == ns.numbercells + 1
    assert ns.peak.columns[0] == "scene_ns" and "cell_specimen_id" in ns.peak.columns
    assert list(ns.mean_sweep_response.columns)[-1] == "dx"
    with pytest.raises(MissingStimulusError, match="three_session_A"):
        boc.get_ophys_experiment_analysis(eid, "drifting_gratings")
    events = boc.get_ophys_experiment_events(eid)
    assert events.shape[0] == ns.numbercells
