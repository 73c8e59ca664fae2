"""The sample writer makes the real NWB 1 layout, labelled as synthetic, compressed, chunked."""

from __future__ import annotations

import re

import h5py
import numpy as np
import pytest

from brainobs.nwb import ophys1_layout as lay
from brainobs.sample.nwb1_writer import write_nwb1
from tests.helpers import make_tiny_session

# The objects AllenSDK touches (formats doc, section 8), for pipeline 3.0.
REQUIRED = [
    "session_start_time",
    "nwb_version",
    "identifier",
    "session_description",
    "file_create_date",
    *lay.METADATA_PATHS.values(),
    f"{lay.FLUORESCENCE}/data",
    f"{lay.FLUORESCENCE}/timestamps",
    f"{lay.FLUORESCENCE}/r",
    f"{lay.FLUORESCENCE}/rmse",
    f"{lay.FLUORESCENCE}/roi_names",
    f"{lay.NEUROPIL}/data",
    f"{lay.NEUROPIL}/timestamps",
    f"{lay.NEUROPIL}/r",
    f"{lay.DEMIXED}/data",
    f"{lay.DEMIXED}/timestamps",
    f"{lay.DFF}/data",
    f"{lay.DFF}/timestamps",
    lay.ROI_IDS,
    lay.CELL_SPECIMEN_IDS,
    lay.ROI_LIST,
    lay.MAX_PROJECTION,
    f"{lay.MOTION}/data",
    f"{lay.MOTION}/timestamps",
    f"{lay.MOTION}/feature_description",
    f"{lay.RUNNING_SPEED}/data",
    f"{lay.RUNNING_SPEED}/timestamps",
    f"{lay.EYE_TRACKING[True]}/data",
    f"{lay.EYE_TRACKING[False]}/timestamps",
    f"{lay.PUPIL_SIZE}/data",
    f"{lay.ACQUISITION_2P}/timestamps",
]
SCALAR_TEXT = [p for k, p in lay.METADATA_PATHS.items() if k != "generated_by"]
SCALAR_TEXT = [p for p in SCALAR_TEXT if not p.endswith("experiment_container_id")]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    content = make_tiny_session(session_type="three_session_B", seed=4)
    path = write_nwb1(content, tmp_path_factory.mktemp("w") / "990000004.nwb")
    with h5py.File(path, "r") as f:
        yield content, path, f


def test_every_object_the_sdk_reads_is_there(written):
    content, path, f = written
    missing = [p for p in REQUIRED if p not in f]
    assert not missing
    for name, presentation in content.stimuli.items():
        group = f[lay.presentation_path(name)]
        for key in ("data", "frame_duration", "timestamps", "num_samples"):
            assert key in group
        assert ("features" in group) == (presentation.features is not None)
    for name in content.templates:
        for key in ("data", "dimension", "field_of_view", "format"):
            assert key in f[lay.template_path(name)]
    assert not path.with_name(path.name + ".part").exists()


def test_metadata_strings_are_fixed_length_bytes(written):
    _, _, f = written
    for path in SCALAR_TEXT:
        info = h5py.check_string_dtype(f[path].dtype)
        assert info is not None and info.length is not None, path  # fixed length
        assert f[path].shape == ()
        assert isinstance(f[path][()], np.bytes_)
    generated_by = f["general/generated_by"][()]
    assert generated_by.ndim == 1 and generated_by.dtype.kind == "S"
    assert generated_by[-1] == b"3.0"


def test_metadata_strings_parse_with_the_sdk_patterns(written):
    content, _, f = written
    device = f["general/devices/2-photon microscope"][()].decode()
    assert re.match(r"(.*?)\.\s(.*?)\sPlease*", device).groups() == (
        "Nikon A1R-MP multiphoton microscope",
        "CAM2P.1",
    )
    assert f["general/optophysiology/imaging_plane_1/imaging depth"][()] == b"175 microns"
    assert f["general/subject/age"][()] == f"{content.metadata.age_days} days".encode()
    assert f["general/session_id"][()] == str(content.metadata.ophys_experiment_id).encode()


def test_file_says_it_is_synthetic(written):
    content, _, f = written
    assert f["session_description"][()].startswith(b"SYNTHETIC SAMPLE")
    assert b"SYNTHETIC SAMPLE" in f["identifier"][()]
    assert f[lay.SYNTHETIC_MARK][()].decode() == content.metadata.synthetic_note


def test_reduced_templates_are_labelled_with_the_original_size(written):
    content, _, f = written
    scenes = f[f"{lay.template_path('natural_scenes')}/data"]
    assert scenes.attrs[lay.REDUCED_ATTR] == 1
    assert scenes.attrs[lay.ORIGINAL_SHAPE_ATTR].tolist() == [918, 1174]
    assert f[lay.template_path("natural_scenes")].attrs[lay.REDUCED_ATTR] == 1
    movie = f[f"{lay.template_path('natural_movie_one')}/data"]
    assert movie.attrs[lay.ORIGINAL_FRAMES_ATTR] == 900
    assert movie.attrs[lay.ORIGINAL_SHAPE_ATTR].tolist() == [304, 608]
    rows, cols = content.templates["natural_scenes"].shape[1:]
    assert abs(cols / rows - 1174 / 918) < 0.05  # same aspect ratio as the real images


def test_full_size_sparse_noise_is_not_labelled(tmp_path):
    content = make_tiny_session(session_type="three_session_C", n_trials=6)
    with h5py.File(write_nwb1(content, tmp_path / "c.nwb"), "r") as f:
        data = f[f"{lay.template_path('locally_sparse_noise')}/data"]
        assert lay.REDUCED_ATTR not in data.attrs


def test_roi_order_and_ids(written):
    content, _, f = written
    roi_ids = [int(v) for v in f[lay.ROI_IDS][()]]
    assert roi_ids == content.roi_ids.tolist()
    assert f[lay.ROI_IDS].dtype.kind == "S"
    names = [v.decode() for v in f[lay.ROI_LIST][()]]
    assert names == [f"roi_{r}" for r in content.roi_ids]  # roi_list order = cell order
    for name, mask in zip(names, content.masks, strict=True):
        np.testing.assert_array_equal(f[f"{lay.PLANE}/{name}/img_mask"][()] != 0, mask)
        xy = f[f"{lay.PLANE}/{name}/pix_mask"][()]
        assert mask[xy[:, 1], xy[:, 0]].all() and len(xy) == mask.sum()


def test_running_timestamps_are_a_run_of_frame_times(written):
    _, _, f = written
    frames = f[f"{lay.FLUORESCENCE}/timestamps"][()]
    running = f[f"{lay.RUNNING_SPEED}/timestamps"][()]
    first = int(np.flatnonzero(frames == running[0])[0])
    np.testing.assert_array_equal(frames[first : first + len(running)], running)


def test_nothing_else_named_like_table_data_below_presentations(written):
    _, _, f = written
    for name in f[lay.PRESENTATION]:
        group = f[f"{lay.PRESENTATION}/{name}"]
        found: list[str] = []
        group.visititems(lambda path, _obj, out=found: out.append(path))
        for key in ("data", "features", "frame_duration"):
            assert sum(p.split("/")[-1] == key for p in found) <= 1, (name, key)


def test_nwb1_attributes(written):
    _, _, f = written
    module = f[lay.PIPELINE]
    assert module.attrs["neurodata_type"] == b"Module"
    assert f[f"{lay.PIPELINE}/Fluorescence"].attrs["neurodata_type"] == b"Interface"
    series = f[lay.FLUORESCENCE]
    assert series.attrs["neurodata_type"] == b"TimeSeries"
    assert series.attrs["ancestry"].tolist() == [b"TimeSeries", b"RoiResponseSeries"]
    assert "source" in series.attrs and "description" in series.attrs
    assert series["data"].attrs["conversion"] == np.float32(1.0)
    assert series["timestamps"].attrs["unit"] == b"Seconds"
    assert series["timestamps"].attrs["interval"] == 1
    assert f[f"{lay.DFF}/data"].attrs["unit"] == b"frame"
    scenes = f[lay.presentation_path("natural_scenes")]
    assert scenes.attrs["ancestry"][-1] == b"IndexSeries"
    assert f[lay.presentation_path("static_gratings")].attrs["ancestry"][-1] == (
        b"AbstractFeatureSeries"
    )


def test_traces_are_compressed_in_small_chunks(tmp_path):
    content = make_tiny_session(session_type="three_session_A", n_cells=9, n_trials=40)
    path = write_nwb1(content, tmp_path / "a.nwb")
    with h5py.File(path, "r") as f:
        for group in (lay.FLUORESCENCE, lay.NEUROPIL, lay.DEMIXED, lay.DFF):
            data = f[f"{group}/data"]
            assert data.shape == (9, content.n_frames)
            assert data.compression == "gzip" and data.shuffle
            assert data.chunks[0] <= 4 and data.chunks[1] <= 8192
            assert data.chunks[1] < content.n_frames  # a time window reads part of a row
            assert data.id.get_storage_size() < 0.9 * data.nbytes
        assert f[f"{lay.template_path('natural_movie_one')}/data"].chunks[0] == 1
