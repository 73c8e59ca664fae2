"""Write one sample experiment as a Brain Observatory NWB 1 file (the pipeline "3.0" layout).

The file has the layout of the Visual Coding 2P release as AllenSDK reads it: metadata as
fixed-length byte strings under ``/general``, ROI-by-time matrices (n_cells, n_frames) under
``/processing/brain_observatory_pipeline``, stimulus tables under ``/stimulus/presentation``
and templates under ``/stimulus/templates``, with the NWB 1 attributes (``neurodata_type``,
``ancestry``, ``source``, units ...). It also says, in several places, that it is synthetic:
``identifier`` and ``session_description`` start with "SYNTHETIC SAMPLE", the dataset
``/general/brainobs_synthetic_sample`` holds the note, and templates stored smaller than the
real ones carry ``brainobs_reduced_resolution`` and the original size.

Every HDF5 path comes from :mod:`brainobs.nwb.ophys1_layout`, the table the reader uses too.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__, stimuli
from ..nwb import ophys1_layout as lay
from ..nwb.nwb1_build import (
    SOURCE,
    add_interface,
    add_timeseries,
    fixed_text,
    fixed_texts,
    put_dataset,
    set_attrs,
    shared_times,
)
from .session import ExperimentMetadata, SessionContent, StimulusPresentation

__all__ = ["write_nwb1"]

logger = logging.getLogger(__name__)

_DESCRIPTION = "2-photon recording of visual areas in head-fixed mouse with visual stimulus"
_TS = ("TimeSeries",)
_RRS = ("TimeSeries", "RoiResponseSeries")
_MONITOR_PIXEL_M = 0.00027036  # edge of one stimulus-monitor pixel in metres
#: Real template (rows, cols) per stimulus, and the displayed (cols, rows) in monitor pixels.
_REAL_SHAPES: dict[str, tuple[int, int]] = {
    stimuli.NATURAL_SCENES: stimuli.NATURAL_SCENES_PIXELS,
    **{name: stimuli.NATURAL_MOVIE_PIXELS for name in stimuli.NATURAL_MOVIES},
    **stimuli.SPARSE_NOISE_DIMENSIONS,
}
_DISPLAY_PIXELS: dict[str, tuple[int, int]] = {
    stimuli.NATURAL_SCENES: (1174, 918),
    **{name: (1920, 1080) for name in stimuli.NATURAL_MOVIES},
    **{name: (1260, 720) for name in stimuli.SPARSE_NOISE},
}


def write_nwb1(content: SessionContent, path: str | Path) -> Path:
    """Write ``content`` as one Brain Observatory NWB 1 file.

    The file is written to ``<path>.part`` and renamed when complete, so an interrupted run
    never leaves a file that looks finished.

    Parameters
    ----------
    content : SessionContent
        One experiment: metadata, traces, masks, behaviour, stimuli and templates.
        ``content.extra`` may hold ``"template_reduction"`` ({stimulus: (rows, cols) of the
        real template}), ``"template_original_frames"`` ({stimulus: real frame count}) and
        ``"file_create_date"`` (a ctime string; default: now).
    path : str or Path
        Where to write, conventionally ``<ophys_experiment_id>.nwb``.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> write_nwb1(content, "990000001.nwb")  # doctest: +SKIP
    PosixPath('990000001.nwb')
    """
    import h5py

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    started = time.perf_counter()
    with h5py.File(partial, "w") as f:
        _write_root(f, content)
        _write_general(f, content.metadata)
        _write_processing(f, content)
        _write_acquisition(f)
        _write_templates(f, content)
        _write_presentations(f, content.stimuli)
    partial.replace(path)
    logger.info("wrote %s in %.2f s", path, time.perf_counter() - started)
    return path


# --- file sections ---------------------------------------------------------------------------


def _write_root(f: Any, content: SessionContent) -> None:
    meta = content.metadata
    created = str(content.extra.get("file_create_date", time.ctime()))
    identifier = (
        f"{lay.SYNTHETIC_PREFIX} (brainobs) Visual Coding Experiment "
        f"{meta.ophys_experiment_id}; {lay.NWB_VERSION}; {created}"
    )
    f.create_dataset("nwb_version", data=fixed_text(lay.NWB_VERSION))
    f.create_dataset("identifier", data=fixed_text(identifier))
    f.create_dataset(
        "session_description", data=fixed_text(f"{lay.SYNTHETIC_PREFIX}: {_DESCRIPTION}")
    )
    f.create_dataset("session_start_time", data=fixed_text(meta.session_start_time))
    f.create_dataset("file_create_date", data=fixed_texts([created]))
    for name in ("analysis", "epochs", "acquisition/images", "stimulus"):
        f.require_group(name)


def _write_general(f: Any, meta: ExperimentMetadata) -> None:
    values = {
        "age": f"{meta.age_days} days",
        "sex": meta.sex,
        "imaging_depth": f"{meta.imaging_depth_um} microns",
        "targeted_structure": meta.targeted_structure,
        "ophys_experiment_id": str(meta.ophys_experiment_id),
        "device_string": (
            f"{meta.device}. {meta.device_name} Please note: this is synthetic sample data "
            "generated by brainobs; no microscope recorded it."
        ),
        "excitation_lambda": meta.excitation_lambda,
        "indicator": meta.indicator,
        "fov": meta.fov,
        "genotype": meta.genotype,
        "session_type": meta.session_type,
        "specimen_name": meta.specimen_name,
    }
    for key, text in values.items():
        f.create_dataset(lay.METADATA_PATHS[key], data=fixed_text(text))
    general = f["general"]
    general.create_dataset("experiment_container_id", data=np.int64(meta.experiment_container_id))
    general.create_dataset(
        "generated_by", data=fixed_texts(["brainobs", __version__, meta.pipeline_version])
    )
    general.create_dataset("ophys_experiment_id", data=fixed_text(meta.ophys_experiment_id))
    general.create_dataset("targeted_structure", data=fixed_text(meta.targeted_structure))
    general.create_dataset("institution", data=fixed_text("brainobs (synthetic sample release)"))
    general.create_dataset(
        lay.SYNTHETIC_MARK.split("/", 1)[1], data=fixed_text(meta.synthetic_note)
    )
    general.create_dataset("subject/species", data=fixed_text("Mus musculus"))
    general.create_dataset("subject/subject_id", data=fixed_text(meta.specimen_name.split("-")[-1]))
    plane = general["optophysiology/imaging_plane_1"]
    plane.create_dataset("device", data=fixed_text("2-photon microscope"))
    plane.create_dataset("imaging_rate", data=fixed_text("30 Hz"))


def _write_processing(f: Any, c: SessionContent) -> None:
    module = f.create_group(lay.PIPELINE)
    names = ["Fluorescence", "DfOverF", "ImageSegmentation", "MotionCorrection"]
    names += ["BehavioralTimeSeries"]
    if c.pupil_location is not None or c.pupil_location_spherical is not None:
        names.append("EyeTracking")
    if c.pupil_size is not None:
        names.append("PupilTracking")
    set_attrs(module, neurodata_type="Module", interfaces=tuple(names), source=SOURCE)
    stamps = _write_fluorescence(f, c)
    _write_segmentation(f, c)
    mc = add_interface(f[lay.PIPELINE], "MotionCorrection").create_group("2p_image_series")
    xy = add_timeseries(mc, "xy_translation", _TS, c.motion, stamps, unit="pixels")
    xy.create_dataset("feature_description", data=fixed_texts(["x_motion", "y_motion"]))
    _write_behaviour(f, c)


def _write_fluorescence(f: Any, c: SessionContent) -> Any:
    """Raw, neuropil, demixed and dF/F series; returns the shared timestamps dataset."""
    module = f[lay.PIPELINE]
    fluo = add_interface(module, "Fluorescence")
    names = fixed_texts(_roi_names(c))
    raw = add_timeseries(
        fluo, "imaging_plane_1", _RRS, c.raw, c.timestamps, unit="NA", kind="traces"
    )
    stamps = raw["timestamps"]
    neuropil = add_timeseries(
        fluo, lay.NEUROPIL.rsplit("/", 1)[1], _RRS, c.neuropil, stamps, unit="NA", kind="traces"
    )
    demixed = add_timeseries(
        fluo, lay.DEMIXED.rsplit("/", 1)[1], _RRS, c.demixed, stamps, unit="NA", kind="traces"
    )
    for group in (raw, neuropil):
        group.create_dataset("r", data=np.asarray(c.r, dtype=np.float64))
    raw.create_dataset("rmse", data=np.asarray(c.rmse, dtype=np.float64))
    dff_group = add_interface(module, "DfOverF")
    dff = add_timeseries(
        dff_group,
        "imaging_plane_1",
        _RRS,
        c.dff,
        shared_times(c.dff_timestamps, stamps),
        unit="frame",
        kind="traces",
    )
    for group in (raw, neuropil, demixed, dff):
        group.create_dataset("roi_names", data=names)
    return stamps


def _roi_names(c: SessionContent) -> list[str]:
    return [f"roi_{int(roi)}" for roi in c.roi_ids]


def _write_segmentation(f: Any, c: SessionContent) -> None:
    seg = add_interface(f[lay.PIPELINE], "ImageSegmentation")
    seg.create_dataset("roi_ids", data=fixed_texts(int(r) for r in c.roi_ids))
    seg.create_dataset("cell_specimen_ids", data=np.asarray(c.cell_specimen_ids, dtype=np.int64))
    plane = seg.create_group("imaging_plane_1")
    set_attrs(plane, description="Segmentation of imaging_plane_1 (synthetic ROIs)")
    names = _roi_names(c)
    plane.create_dataset("roi_list", data=fixed_texts(names))
    plane.create_dataset("imaging_plane_name", data=fixed_text("imaging_plane_1"))
    plane.create_dataset("description", data=fixed_text("synthetic ROIs"))
    for name, mask in zip(names, c.masks, strict=True):
        roi = plane.create_group(name)
        roi.create_dataset(
            "img_mask",
            data=np.asarray(mask, dtype=np.float32),
            chunks=mask.shape,
            compression="gzip",
            compression_opts=4,
        )
        rows, cols = np.nonzero(mask)
        roi.create_dataset("pix_mask", data=np.column_stack([cols, rows]).astype(np.uint16))
        roi.create_dataset("pix_mask_weight", data=np.ones(rows.size, dtype=np.float32))
        roi.create_dataset("roi_description", data=fixed_text(name))
    mip = plane.create_group("reference_images/maximum_intensity_projection_image")
    set_attrs(mip, neurodata_type="Image", source=SOURCE, description="maximum projection")
    image = put_dataset(mip, "data", c.max_projection, "image")
    set_attrs(image, format="raw", bits_per_pixel=np.int32(8))
    mip.create_dataset("dimension", data=np.array(c.max_projection.shape[::-1], dtype=np.int32))


def _write_behaviour(f: Any, c: SessionContent) -> None:
    module = f[lay.PIPELINE]
    behaviour = add_interface(module, "BehavioralTimeSeries")
    add_timeseries(
        behaviour,
        "running_speed",
        _TS,
        c.running_speed,
        c.running_timestamps,
        unit="frame",
        description="running speed in cm/s, at 2-photon frame times",
    )
    eye = None
    for spherical, data, unit in (
        (False, c.pupil_location, "cm"),
        (True, c.pupil_location_spherical, "degrees"),
    ):
        if data is None:
            continue
        eye = eye if eye is not None else add_interface(module, "EyeTracking")
        name = lay.EYE_TRACKING[spherical].rsplit("/", 1)[1]
        series = add_timeseries(
            eye,
            name,
            ("TimeSeries", "SpatialSeries"),
            data,
            shared_times(c.eye_timestamps, f[f"{lay.FLUORESCENCE}/timestamps"]),
            unit=unit,
            description=f"pupil position ({unit}); (0, 0) is the monitor centre",
        )
        series.create_dataset("reference_frame", data=fixed_text("(0, 0) is the monitor centre"))
    if c.pupil_size is not None:
        pupil = add_interface(module, "PupilTracking")
        times = shared_times(c.eye_timestamps, f[f"{lay.FLUORESCENCE}/timestamps"])
        add_timeseries(pupil, "pupil_size", _TS, c.pupil_size, times, unit="pixels")


def _write_acquisition(f: Any) -> None:
    series = f.create_group(lay.ACQUISITION_2P)
    set_attrs(
        series,
        neurodata_type="TimeSeries",
        ancestry=("TimeSeries", "ImageSeries", "TwoPhotonSeries"),
        source=SOURCE,
        description="2-photon frame times (the sample release has no movie)",
        missing_fields=("data",),
    )
    series["timestamps"] = f[f"{lay.FLUORESCENCE}/timestamps"]
    series.create_dataset("num_samples", data=np.int32(series["timestamps"].shape[0]))


def _write_templates(f: Any, c: SessionContent) -> None:
    parent = f.require_group(lay.TEMPLATES)
    for name, stack in c.templates.items():
        stack = np.asarray(stack)
        ancestry = ("TimeSeries", "ImageSeries", "OpticalSeries")
        group = parent.create_group(lay.template_path(name).rsplit("/", 1)[1])
        set_attrs(
            group,
            neurodata_type="TimeSeries",
            ancestry=ancestry,
            source=SOURCE,
            description=f"{name} template (synthetic images)",
        )
        data = put_dataset(group, "data", stack, "stack")
        set_attrs(data, unit="grayscale", conversion=np.float32(1.0))
        cols, rows = _DISPLAY_PIXELS.get(name, stack.shape[:0:-1])
        group.create_dataset("dimension", data=np.array(stack.shape[:0:-1], dtype=np.int32))
        fov = np.array([cols, rows], dtype=np.float32) * np.float32(_MONITOR_PIXEL_M)
        group.create_dataset("field_of_view", data=fov)
        group.create_dataset("format", data=fixed_text("raw"))
        for obj in (group, data):
            set_attrs(obj, **_reduction_attrs(name, stack, c.extra))


def _reduction_attrs(name: str, stack: np.ndarray, extra: dict[str, Any]) -> dict[str, Any]:
    """Labels for a template stored smaller (pixels or frames) than the real one."""
    shape = tuple(stack.shape[1:])
    original = tuple(
        (extra.get("template_reduction") or {}).get(name, _REAL_SHAPES.get(name, shape))
    )
    frames = (extra.get("template_original_frames") or {}).get(name, len(stack))
    if original == shape and int(frames) == len(stack):
        return {}
    return {
        lay.REDUCED_ATTR: np.int8(1),
        lay.ORIGINAL_SHAPE_ATTR: np.array(original, dtype=np.int32),
        lay.ORIGINAL_FRAMES_ATTR: np.int32(frames),
    }


def _write_presentations(f: Any, presentations: dict[str, StimulusPresentation]) -> None:
    parent = f.require_group(lay.PRESENTATION)
    for name, pres in presentations.items():
        if pres.features is not None:
            ancestry, unit = ("TimeSeries", "AbstractFeatureSeries"), "features"
        elif name == stimuli.SPONTANEOUS:
            ancestry, unit = ("TimeSeries", "IntervalSeries"), "n/a"
        else:
            ancestry, unit = ("TimeSeries", "IndexSeries"), "frame index"
        group = add_timeseries(
            parent,
            lay.presentation_path(name).rsplit("/", 1)[1],
            ancestry,
            pres.data,
            pres.timestamps,
            unit=unit,
            description=name,
        )
        put_dataset(group, "frame_duration", np.asarray(pres.frame_duration, dtype=np.int64))
        if pres.features is not None:
            group.create_dataset("features", data=fixed_texts(pres.features))
        template = lay.template_path(name)
        if ancestry[-1] == "IndexSeries" and template in f:
            group["indexed_timeseries"] = _soft_link("/" + template)


def _soft_link(target: str) -> Any:
    import h5py

    return h5py.SoftLink(target)
