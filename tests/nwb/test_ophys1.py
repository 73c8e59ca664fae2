"""Ophys1Experiment returns exactly what the writer was given (round trips), lazily and sliced."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from brainobs.errors import (
    FormatError,
    InvalidChoiceError,
    MissingStimulusError,
    NoEyeTrackingError,
)
from brainobs.nwb.ophys1 import Ophys1Experiment, align_running_speed
from brainobs.nwb.sparse_noise import LSN_OFF_SCREEN


@pytest.fixture
def exp_b(tiny_b):
    with Ophys1Experiment(tiny_b[1]) as exp:
        yield tiny_b[0], exp


def test_metadata_is_parsed_like_allensdk(exp_b):
    content, exp = exp_b
    meta = exp.metadata
    assert meta["age_days"] == content.metadata.age_days
    assert meta["imaging_depth_um"] == 175
    assert meta["cre_line"] == "Cux2-CreERT2/wt"
    assert meta["device"] == "Nikon A1R-MP multiphoton microscope"
    assert meta["device_name"] == "CAM2P.1"
    assert meta["pipeline_version"] == "3.0"
    assert meta["session_start_time"] == datetime.datetime(2017, 2, 16, 16, 0, 7)
    assert meta["experiment_container_id"] == content.metadata.experiment_container_id
    assert meta["synthetic"] is True and exp.synthetic


def test_repr_says_synthetic_and_has_no_address(exp_b):
    _, exp = exp_b
    text = repr(exp)
    assert "SYNTHETIC SAMPLE" in text and "three_session_B" in text and "5 cells" in text
    assert "0x" not in text
    exp.close()
    assert "closed" in repr(exp)
    with pytest.raises(ValueError, match="closed"):
        exp.get_dff()
    exp.close()  # twice is fine


def test_ids(exp_b):
    content, exp = exp_b
    np.testing.assert_array_equal(exp.cell_specimen_ids, content.cell_specimen_ids)
    np.testing.assert_array_equal(exp.roi_ids, content.roi_ids)
    assert exp.number_of_cells == 5 and exp.n_frames == content.n_frames
    ids = content.cell_specimen_ids
    assert exp.cell_indices([ids[3], ids[0]]) == [3, 0]
    assert exp.cell_indices(ids[2]) == [2]
    with pytest.raises(InvalidChoiceError, match="123"):
        exp.cell_indices([ids[0], 123])


@pytest.mark.parametrize(
    ("method", "field"),
    [("get_fluorescence", "raw"), ("get_neuropil", "neuropil"), ("get_demixed", "demixed")],
)
def test_traces_round_trip(exp_b, method, field):
    content, exp = exp_b
    times, data = getattr(exp, method)()
    np.testing.assert_array_equal(times, content.timestamps)
    np.testing.assert_array_equal(data, getattr(content, field))
    assert data.dtype == np.float32


def test_dff_uses_its_own_timestamps(exp_b):
    content, exp = exp_b
    times, dff = exp.get_dff()
    assert len(times) == content.n_frames - 1
    np.testing.assert_array_equal(times, content.dff_timestamps)
    np.testing.assert_array_equal(dff, content.dff)


def test_corrected_is_demixed_minus_r_neuropil(exp_b):
    content, exp = exp_b
    expected = content.demixed - content.neuropil * content.r[:, None]
    np.testing.assert_allclose(exp.get_corrected().data, expected, rtol=1e-12)
    np.testing.assert_array_equal(exp.get_neuropil_r(), content.r)


def test_cells_in_any_order_with_repeats(exp_b):
    content, exp = exp_b
    ids = content.cell_specimen_ids[[4, 1, 4, 0]]
    np.testing.assert_array_equal(exp.get_dff(ids).data, content.dff[[4, 1, 4, 0]])
    np.testing.assert_array_equal(exp.get_neuropil_r(ids), content.r[[4, 1, 4, 0]])
    corrected = exp.get_corrected(ids).data
    np.testing.assert_allclose(
        corrected, (content.demixed - content.neuropil * content.r[:, None])[[4, 1, 4, 0]]
    )
    assert exp.get_fluorescence([]).data.shape == (0, content.n_frames)


def test_time_window_and_frame_window(exp_b):
    content, exp = exp_b
    t = content.timestamps
    times, data = exp.get_fluorescence(content.cell_specimen_ids[1:3], start=t[100], stop=t[160])
    np.testing.assert_array_equal(times, t[100:160])
    np.testing.assert_array_equal(data, content.raw[1:3, 100:160])
    same = exp.get_fluorescence(content.cell_specimen_ids[1:3], frames=slice(100, 160))
    np.testing.assert_array_equal(same.data, data)
    assert exp.get_dff(start=t[-1] + 10).data.shape == (5, 0)
    with pytest.raises(ValueError, match="not both"):
        exp.get_dff(start=1.0, frames=slice(0, 3))
    with pytest.raises(ValueError, match="step"):
        exp.get_dff(frames=slice(0, 10, 2))


def test_masks_and_max_projection(exp_b):
    content, exp = exp_b
    masks = exp.get_roi_masks()
    assert masks.dtype == bool
    np.testing.assert_array_equal(masks, content.masks)
    np.testing.assert_array_equal(
        exp.get_roi_masks(content.cell_specimen_ids[[2, 0]]), content.masks[[2, 0]]
    )
    np.testing.assert_array_equal(exp.get_max_projection(), content.max_projection)


def test_running_speed_is_padded_to_the_frame_clock(exp_b):
    content, exp = exp_b
    times, speed = exp.get_running_speed()
    np.testing.assert_array_equal(times, content.timestamps)
    assert np.isnan(speed[:3]).all() and np.isnan(speed[-4:]).all()
    np.testing.assert_array_equal(speed[3:-4], content.running_speed)


def test_running_speed_off_the_frame_clock_is_a_format_error():
    with pytest.raises(FormatError, match="frame clock"):
        align_running_speed(np.ones(2), np.array([0.15, 0.25]), np.array([0.0, 0.1, 0.2]))


def test_eye_tracking_round_trip(exp_b):
    content, exp = exp_b
    times, location = exp.get_pupil_location()
    np.testing.assert_array_equal(times, content.eye_timestamps)
    np.testing.assert_array_equal(location, content.pupil_location_spherical)
    np.testing.assert_array_equal(exp.get_pupil_location(False).data, content.pupil_location)
    np.testing.assert_array_equal(exp.get_pupil_size().data, content.pupil_size)


def test_no_eye_tracking_error(write_tiny):
    content, path = write_tiny(session_type="three_session_A", eye_tracking=False, n_trials=6)
    with Ophys1Experiment(path) as exp:
        for call in (exp.get_pupil_size, exp.get_pupil_location):
            with pytest.raises(NoEyeTrackingError, match=str(content.metadata.ophys_experiment_id)):
                call()


def test_motion_correction_table(exp_b):
    content, exp = exp_b
    table = exp.get_motion_correction()
    assert table.columns.tolist() == ["x_motion", "y_motion", "timestamp"]
    np.testing.assert_array_equal(table[["x_motion", "y_motion"]].to_numpy(), content.motion)
    np.testing.assert_array_equal(table["timestamp"].to_numpy(), content.timestamps)


def test_stimulus_tables_sort_rows_and_keep_file_positions(exp_b):
    content, exp = exp_b
    assert exp.list_stimuli() == sorted(content.stimuli)
    scenes = exp.get_stimulus_table("natural_scenes")
    stored = content.stimuli["natural_scenes"]
    assert scenes.columns.tolist() == ["frame", "start", "end"]
    assert scenes["start"].is_monotonic_increasing
    assert scenes.index.tolist() != list(range(len(scenes)))  # rows were stored shuffled
    for label in scenes.index[:10]:
        assert scenes.loc[label, "frame"] == stored.data[label]
        assert scenes.loc[label, "start"] == stored.frame_duration[label, 0]
    gratings = exp.get_stimulus_table("static_gratings")
    assert gratings.columns.tolist() == [
        "orientation",
        "spatial_frequency",
        "phase",
        "start",
        "end",
    ]
    movie = exp.get_stimulus_table("natural_movie_one")
    assert movie.columns.tolist() == ["frame", "start", "end", "repeat"]
    assert movie["repeat"].tolist() == [0] * 10 + [1] * 10
    spont = exp.get_stimulus_table("spontaneous")
    assert spont.columns.tolist() == ["start", "end"] and len(spont) == 1


def test_epoch_and_master_tables(write_tiny):
    expected_epochs = {
        "three_session_A": 7,
        "three_session_B": 8,
        "three_session_C": 7,
        "three_session_C2": 10,
    }
    for session_type, n_epochs in expected_epochs.items():
        content, path = write_tiny(session_type=session_type, n_trials=6)
        with Ophys1Experiment(path) as exp:
            epochs = exp.get_stimulus_epoch_table()
            assert epochs.columns.tolist() == ["stimulus", "start", "end"]
            assert len(epochs) == n_epochs and epochs["start"].is_monotonic_increasing
            master = exp.get_stimulus_table("master")
            assert master.columns.tolist() == sorted(master.columns)
            n_rows = sum(len(p.data) for p in content.stimuli.values())
            n_spont = len(content.stimuli["spontaneous"].data) // 2
            assert len(master) == n_rows - n_spont  # spontaneous: one row per +1/-1 pair
            assert master.index.tolist() == list(range(len(master)))


def test_tables_are_copies(exp_b):
    _, exp = exp_b
    table = exp.get_stimulus_table("natural_scenes")
    table.loc[:, "frame"] = 99
    assert (exp.get_stimulus_table("natural_scenes")["frame"] != 99).all()


def test_unknown_stimuli_say_where_to_look(exp_b):
    _, exp = exp_b
    with pytest.raises(MissingStimulusError, match="three_session_A") as info:
        exp.get_stimulus_table("drifting_gratings")
    assert "natural_scenes" in str(info.value)  # lists what this file has
    with pytest.raises(InvalidChoiceError, match="Did you mean 'natural_scenes'"):
        exp.get_stimulus_table("natural_scene")
    with pytest.raises(InvalidChoiceError, match="no template"):
        exp.get_stimulus_template("static_gratings")
    with pytest.raises(MissingStimulusError, match="three_session_C"):
        exp.get_stimulus_template("locally_sparse_noise")


def test_templates_and_their_reduced_resolution_label(exp_b):
    content, exp = exp_b
    np.testing.assert_array_equal(
        exp.get_stimulus_template("natural_scenes"), content.templates["natural_scenes"]
    )
    np.testing.assert_array_equal(
        exp.get_stimulus_template("natural_movie_one", frames=3),
        content.templates["natural_movie_one"][3],
    )
    info = exp.get_stimulus_template_info("natural_scenes")
    assert info["reduced_resolution"] and info["original_shape"] == (918, 1174)
    assert info["shape"] == content.templates["natural_scenes"].shape
    assert info["original_frames"] == len(content.templates["natural_scenes"])
    movie = exp.get_stimulus_template_info("natural_movie_one")
    assert movie["original_frames"] == 900 and movie["shape"][0] == 10


def test_sparse_noise_template_masks_off_screen_patches(write_tiny):
    content, path = write_tiny(session_type="three_session_C2", n_trials=6)
    with Ophys1Experiment(path) as exp:
        info = exp.get_stimulus_template_info("locally_sparse_noise_8deg")
        assert not info["reduced_resolution"] and info["original_shape"] == (8, 14)
        plain = content.templates["locally_sparse_noise_8deg"]
        template, mask = exp.get_locally_sparse_noise_template("locally_sparse_noise_8deg")
        assert mask.shape == (8, 14) and mask.sum() == 92
        assert (template[:, ~mask] == LSN_OFF_SCREEN).all()
        np.testing.assert_array_equal(template[:, mask], plain[:, mask])
        unmasked, _ = exp.get_locally_sparse_noise_template("locally_sparse_noise_8deg", False)
        np.testing.assert_array_equal(unmasked, plain)
        with pytest.raises(InvalidChoiceError, match="sparse-noise"):
            exp.get_locally_sparse_noise_template("natural_movie_one")


def test_stimulus_at_frame(exp_b):
    content, exp = exp_b
    scenes = exp.get_stimulus_table("natural_scenes")
    shown = scenes[scenes["frame"] >= 0].iloc[3]
    row, image = exp.get_stimulus_at_frame(int(shown["start"]) + 2)
    assert row["stimulus"] == "natural_scenes" and row["frame"] == shown["frame"]
    np.testing.assert_array_equal(image, content.templates["natural_scenes"][int(shown["frame"])])
    assert exp.get_stimulus_at_frame(0) == (None, None)  # before the first block
    blank = scenes[scenes["frame"] == -1].iloc[0]
    assert exp.get_stimulus_at_frame(int(blank["start"]))[1] is None
    spont = exp.get_stimulus_table("spontaneous").iloc[0]
    row, image = exp.get_stimulus_at_frame(int(spont["start"]) + 5)
    assert row["stimulus"] == "spontaneous" and image is None


def test_stimulus_at_frame_in_a_grating_gap_is_the_previous_trial(write_tiny):
    _, path = write_tiny(session_type="three_session_A", n_trials=6)
    with Ophys1Experiment(path) as exp:
        first = exp.get_stimulus_table("drifting_gratings").iloc[0]
        row, image = exp.get_stimulus_at_frame(int(first["end"]) + 10)  # the grey second
        assert row["start"] == first["start"] and image is None
