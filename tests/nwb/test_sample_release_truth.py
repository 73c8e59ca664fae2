"""The reader on every file of the default sample release equals what the release planted.

Where the truth is exact — ids, row order, r values, metadata, shapes, stimulus blocks and
parameter sets, eye tracking present or not, events — the reader must return it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from brainobs import VisualCoding2P, stimuli
from brainobs.errors import NoEyeTrackingError
from brainobs.nwb.events import read_events
from brainobs.sample.schedule import BLOCK_ORDER


@pytest.fixture(scope="module")
def vc(sample_release):
    return VisualCoding2P(source=sample_release)


@pytest.fixture(scope="module")
def rois(sample_release):
    return pd.read_csv(sample_release / "ground_truth" / "rois.csv")


def _experiment_ids(sample_release):
    table = VisualCoding2P(source=sample_release).experiments(include_failed=True)
    return list(table.index)


def test_release_has_the_planned_composition(vc):
    containers = vc.containers(include_failed=True)
    assert len(containers) >= 5 and containers["failed"].sum() >= 1
    passed = containers[~containers["failed"]]
    assert passed["cre_line"].nunique() >= 3
    assert passed["targeted_structure"].nunique() >= 3
    assert passed["imaging_depth"].nunique() >= 2
    sessions = vc.experiments(include_failed=True).groupby("experiment_container_id")
    for _, group in sessions:
        kinds = set(group["session_type"])
        assert {"three_session_A", "three_session_B"} <= kinds
        assert len(kinds & {"three_session_C", "three_session_C2"}) == 1
    every = set(vc.experiments(include_failed=True)["session_type"])
    assert {"three_session_C", "three_session_C2"} <= every


def test_every_file_matches_its_records_and_truth(vc, rois, sample_release):
    experiments = vc.experiments(include_failed=True)
    for eid, row in experiments.iterrows():
        with vc.experiment(eid) as exp:
            meta = exp.metadata
            assert meta["synthetic"] is True
            assert meta["ophys_experiment_id"] == eid
            assert meta["experiment_container_id"] == row.experiment_container_id
            assert meta["session_type"] == row.session_type
            assert meta["targeted_structure"] == row.targeted_structure
            assert meta["imaging_depth_um"] == row.imaging_depth
            assert meta["cre_line"].split("/")[0] == row.cre_line

            truth = rois[(rois.ophys_experiment_id == eid) & (rois.present == 1)]
            truth = truth.sort_values("row")
            assert list(exp.cell_specimen_ids) == list(truth.cell_specimen_id)
            assert list(exp.roi_ids) == list(truth.cell_roi_id)
            np.testing.assert_allclose(exp.get_neuropil_r(), truth.r_file, atol=1e-6)

            n_cells, n_frames = len(truth), exp.n_frames
            for getter in (exp.get_fluorescence, exp.get_neuropil, exp.get_demixed):
                times, traces = getter()
                assert traces.shape == (n_cells, n_frames) and len(times) == n_frames
            _, dff = exp.get_dff()
            assert dff.shape[0] == n_cells
            assert exp.get_roi_masks().shape == (n_cells, 512, 512)
            assert exp.get_max_projection().shape == (512, 512)
            assert read_events(vc.events_path(eid)).shape == (n_cells, n_frames)

            if row.fail_eye_tracking:
                with pytest.raises(NoEyeTrackingError):
                    exp.get_pupil_size()
            else:
                times, size = exp.get_pupil_size()
                assert len(times) == len(size) > 0


@pytest.mark.parametrize("session_type", stimuli.SESSION_TYPES)
def test_stimulus_blocks_follow_the_real_session_order(vc, session_type):
    ids = vc.experiments(include_failed=True, session_types=[session_type]).index
    for eid in ids:
        with vc.experiment(eid) as exp:
            assert sorted(exp.list_stimuli()) == sorted(stimuli.stimuli_in_session(session_type))
            epochs = exp.get_stimulus_epoch_table()
            assert tuple(epochs["stimulus"]) == BLOCK_ORDER[session_type]


def test_stimulus_parameters_are_the_real_sets(vc):
    by_session = vc.experiments(include_failed=True).groupby("session_type").head(1)
    for eid, row in by_session.iterrows():
        with vc.experiment(eid) as exp:
            if row.session_type == "three_session_A":
                table = exp.get_stimulus_table("drifting_gratings")
                shown = table[table.blank_sweep == 0]
                assert set(shown.orientation) == set(stimuli.DRIFTING_GRATINGS_DIRECTIONS)
                assert set(shown.temporal_frequency) == set(
                    stimuli.DRIFTING_GRATINGS_TEMPORAL_FREQUENCIES
                )
                assert table[table.blank_sweep == 1].orientation.isna().all()
                assert ((table.end - table.start) == 60).all()
            if row.session_type == "three_session_B":
                table = exp.get_stimulus_table("static_gratings").dropna()
                assert set(table.orientation) == set(stimuli.STATIC_GRATINGS_ORIENTATIONS)
                assert set(table.spatial_frequency) == set(
                    stimuli.STATIC_GRATINGS_SPATIAL_FREQUENCIES
                )
                assert set(table.phase) == set(stimuli.STATIC_GRATINGS_PHASES)
                scenes = exp.get_stimulus_table("natural_scenes")
                assert set(scenes.frame) == set(range(-1, stimuli.N_NATURAL_SCENES))
                template = exp.get_stimulus_template("natural_scenes")
                assert template.shape[0] == stimuli.N_NATURAL_SCENES
            movie = exp.get_stimulus_table("natural_movie_one")
            frames = exp.get_stimulus_template("natural_movie_one").shape[0]
            assert movie.repeat.nunique() == 10
            for _, one_repeat in movie.groupby("repeat"):
                assert list(one_repeat.frame) == list(range(frames))
            for name in set(exp.list_stimuli()) & set(stimuli.SPARSE_NOISE):
                noise = exp.get_stimulus_template(name)
                assert noise.shape[1:] == stimuli.SPARSE_NOISE_DIMENSIONS[name]
                assert set(np.unique(noise)) <= {stimuli.LSN_OFF, stimuli.LSN_GREY, stimuli.LSN_ON}


def test_cells_shared_across_sessions_and_some_missing(rois):
    per_cell = rois[rois.present == 1].groupby("cell_specimen_id").ophys_experiment_id.nunique()
    assert (per_cell == 3).any() and (per_cell < 3).any()
