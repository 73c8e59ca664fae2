"""brainobs.compat's own tables and the analysis skin, without AllenSDK."""

from __future__ import annotations

import importlib
from pathlib import Path

import h5py
import numpy as np
import pytest

from brainobs.analysis import analyze_stimulus, signal_correlation
from brainobs.compat import (
    EQUIVALENTS,
    UNSUPPORTED,
    BrainObservatoryNwbDataSet,
    NaturalScenes,
    NotSupportedError,
    equivalents_table,
    unsupported_table,
)
from brainobs.nwb import ophys1_layout as lay


def _resolve(target: str) -> object:
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(target)


def test_every_equivalent_points_at_an_existing_brainobs_name() -> None:
    for row in EQUIVALENTS:
        assert _resolve(row.target) is not None, row
    assert len(equivalents_table()) == len(EQUIVALENTS)


def test_unsupported_rows_are_distinct_and_name_an_alternative() -> None:
    names = [n for row in UNSUPPORTED for n in row.names]
    assert len(names) == len(set(names))
    assert all(len(row.instead) > 20 for row in UNSUPPORTED)
    assert unsupported_table()["AllenSDK"].tolist() == [row.allensdk for row in UNSUPPORTED]


@pytest.fixture(scope="module")
def scenes_file(sample_release: Path) -> Path:
    from brainobs.nwb import open_nwb

    for path in sorted((sample_release / "visual-coding-2p").rglob("*.nwb")):
        with open_nwb(path) as exp:
            if exp.session_type == "three_session_B":
                return path
    pytest.skip("the sample release has no three_session_B experiment")


def test_roi_names_are_the_files_roi_list_in_cell_order(scenes_file: Path) -> None:
    with h5py.File(scenes_file, "r") as f:
        stored = [v.decode() for v in f[lay.ROI_LIST][()]]
        planes = np.stack([f[f"{lay.PLANE}/{n}/img_mask"][()] != 0 for n in stored])
    with BrainObservatoryNwbDataSet(scenes_file) as ds:
        names = ds.experiment.roi_names
        assert names == stored and len(names) == ds.number_of_cells
        np.testing.assert_array_equal(ds.experiment.get_roi_masks(), planes)
        ids = ds.get_cell_specimen_ids()[[2, 0]]
        assert [m.label for m in ds.get_roi_mask(ids)] == [stored[2].encode(), stored[0].encode()]


def test_natural_scenes_skin_matches_the_brainobs_result(scenes_file: Path) -> None:
    with BrainObservatoryNwbDataSet(scenes_file) as ds:
        ns = NaturalScenes(ds)
        result = analyze_stimulus(ds.experiment, "natural_scenes")
        peak = ns.peak
        assert peak.columns[0] == "scene_ns" and all(str(t) == "object" for t in peak.dtypes)
        np.testing.assert_array_equal(peak.cell_specimen_id.to_numpy(dtype=np.int64),
                                      result.peak.index)
        np.testing.assert_allclose(peak.ptest_ns.to_numpy(dtype=float),
                                   result.peak.ptest_ns.to_numpy())
        assert ns.mean_sweep_response.shape == (len(ns.stim_table), ns.numbercells + 1)
        assert ns.sweep_response.loc[ns.stim_table.index[5], "dx"].shape == (
            ns.interlength * 2 + ns.sweeplength,)
        corr, p = ns.get_signal_correlation()
        np.testing.assert_allclose(corr, signal_correlation(result), equal_nan=True)
        assert np.nanmin(p) >= 0 and np.nanmax(p) <= 1
        with pytest.raises(NotSupportedError, match="brainobs.plotting"):
            ns.plot_time_to_peak()


def test_speed_tuning_attributes_are_brainobs_speed_tuning(scenes_file: Path) -> None:
    from brainobs.analysis.speed_tuning import analyze_speed_tuning

    with BrainObservatoryNwbDataSet(scenes_file) as ds:
        ns = NaturalScenes(ds)
        expected = analyze_speed_tuning(ds.experiment)
        dx_sp, cells_sp, dx_vis, cells_vis, peak_run = ns.get_speed_tuning(binsize=800)
        np.testing.assert_allclose(dx_vis, expected.binned_dx_vis)
        np.testing.assert_allclose(cells_sp, expected.binned_cells_sp, equal_nan=True)
        assert ns.binned_cells_vis.shape == (ns.numbercells, len(dx_vis), 2)
        assert list(ns.peak_run.columns)[:4] == ["speed_max_sp", "speed_min_sp", "ptest_sp",
                                                 "mod_sp"]
        np.testing.assert_allclose(peak_run.ptest_vis.to_numpy(dtype=float),
                                   expected.peak_run.ptest_vis.to_numpy(dtype=float),
                                   equal_nan=True)
        coarse = ns.get_speed_tuning(binsize=400)[2]
        assert len(coarse) > len(dx_vis)  # smaller bins, more of them
