"""Where things live in a Brain Observatory NWB 1 file: every HDF5 path in one table.

The reader (:mod:`brainobs.nwb.ophys1`) and the sample writer
(:mod:`brainobs.sample.nwb1_writer`) both take their paths from here, so the two cannot drift
apart. Paths are relative to the file root and follow the Visual Coding 2P release (pipeline
"3.0"); the few older-pipeline alternatives are named ``LEGACY_*``. No I/O in this module.
"""

from __future__ import annotations

__all__ = [
    "NWB_VERSION",
    "PIPELINE",
    "FLUORESCENCE",
    "NEUROPIL",
    "DEMIXED",
    "DFF",
    "SEGMENTATION",
    "ROI_IDS",
    "CELL_SPECIMEN_IDS",
    "PLANE",
    "ROI_LIST",
    "MAX_PROJECTION",
    "MOTION",
    "LEGACY_MOTION",
    "RUNNING_SPEED",
    "EYE_TRACKING",
    "PUPIL_SIZE",
    "ACQUISITION_2P",
    "PRESENTATION",
    "TEMPLATES",
    "LEGACY_NEUROPIL_DATA",
    "LEGACY_NEUROPIL_R",
    "METADATA_PATHS",
    "SYNTHETIC_MARK",
    "REDUCED_ATTR",
    "ORIGINAL_SHAPE_ATTR",
    "ORIGINAL_FRAMES_ATTR",
    "SYNTHETIC_PREFIX",
    "presentation_path",
    "template_path",
]

#: Value of the root ``nwb_version`` dataset written for the sample release.
NWB_VERSION = "NWB-1.0.5"

PIPELINE = "processing/brain_observatory_pipeline"

# Roi-by-time series (rows = cells in ``cell_specimen_ids`` order).
FLUORESCENCE = f"{PIPELINE}/Fluorescence/imaging_plane_1"
NEUROPIL = f"{PIPELINE}/Fluorescence/imaging_plane_1_neuropil_response"
DEMIXED = f"{PIPELINE}/Fluorescence/imaging_plane_1_demixed_signal"
DFF = f"{PIPELINE}/DfOverF/imaging_plane_1"

# Pipeline < 2.0 kept neuropil traces and r beside the raw fluorescence.
LEGACY_NEUROPIL_DATA = f"{FLUORESCENCE}/neuropil_traces"
LEGACY_NEUROPIL_R = f"{FLUORESCENCE}/r"

# Segmentation.
SEGMENTATION = f"{PIPELINE}/ImageSegmentation"
ROI_IDS = f"{SEGMENTATION}/roi_ids"
CELL_SPECIMEN_IDS = f"{SEGMENTATION}/cell_specimen_ids"
PLANE = f"{SEGMENTATION}/imaging_plane_1"
ROI_LIST = f"{PLANE}/roi_list"
MAX_PROJECTION = f"{PLANE}/reference_images/maximum_intensity_projection_image/data"

# Motion correction (pipeline 0.9 used the plural name).
MOTION = f"{PIPELINE}/MotionCorrection/2p_image_series/xy_translation"
LEGACY_MOTION = f"{PIPELINE}/MotionCorrection/2p_image_series/xy_translations"

# Behaviour.
RUNNING_SPEED = f"{PIPELINE}/BehavioralTimeSeries/running_speed"
#: ``as_spherical`` -> group holding ``data`` (n, 2) and ``timestamps``.
EYE_TRACKING = {
    True: f"{PIPELINE}/EyeTracking/pupil_location_spherical",
    False: f"{PIPELINE}/EyeTracking/pupil_location",
}
PUPIL_SIZE = f"{PIPELINE}/PupilTracking/pupil_size"

ACQUISITION_2P = "acquisition/timeseries/2p_image_series"

PRESENTATION = "stimulus/presentation"
TEMPLATES = "stimulus/templates"

#: Metadata key (as AllenSDK names it before parsing) -> path of a scalar string dataset.
METADATA_PATHS: dict[str, str] = {
    "age": "general/subject/age",
    "sex": "general/subject/sex",
    "imaging_depth": "general/optophysiology/imaging_plane_1/imaging depth",
    "targeted_structure": "general/optophysiology/imaging_plane_1/location",
    "ophys_experiment_id": "general/session_id",
    "experiment_container_id": "general/experiment_container_id",
    "device_string": "general/devices/2-photon microscope",
    "excitation_lambda": "general/optophysiology/imaging_plane_1/excitation_lambda",
    "indicator": "general/optophysiology/imaging_plane_1/indicator",
    "fov": "general/fov",
    "genotype": "general/subject/genotype",
    "session_start_time": "session_start_time",
    "session_type": "general/session_type",
    "specimen_name": "general/specimen_name",
    "generated_by": "general/generated_by",
}

#: Dataset that marks a brainobs sample file (holds the synthetic note).
SYNTHETIC_MARK = "general/brainobs_synthetic_sample"
#: ``session_description`` of sample files starts with this.
SYNTHETIC_PREFIX = "SYNTHETIC SAMPLE"
#: Attribute (on a template group and its data) set to 1 when the template was shrunk.
REDUCED_ATTR = "brainobs_reduced_resolution"
#: Attribute with the (rows, cols) of the real template a reduced one stands for.
ORIGINAL_SHAPE_ATTR = "brainobs_original_shape"
#: Attribute with the frame count of the real template a shortened movie stands for.
ORIGINAL_FRAMES_ATTR = "brainobs_original_frames"


def presentation_path(stimulus: str) -> str:
    """Path of a stimulus presentation group.

    Examples
    --------
    >>> presentation_path("natural_scenes")
    'stimulus/presentation/natural_scenes_stimulus'
    """
    return f"{PRESENTATION}/{stimulus}_stimulus"


def template_path(stimulus: str) -> str:
    """Path of a stimulus template group (its pixels are in ``<path>/data``).

    Examples
    --------
    >>> template_path("natural_movie_one")
    'stimulus/templates/natural_movie_one_image_stack'
    """
    return f"{TEMPLATES}/{stimulus}_image_stack"
