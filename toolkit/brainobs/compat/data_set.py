"""AllenSDK's ``BrainObservatoryNwbDataSet`` over :class:`~brainobs.nwb.ophys1.Ophys1Experiment`.

Same method names, arguments and return shapes as AllenSDK 2.16.2: traces as
``(timestamps, traces)``, running speed as ``(dxcm, dxtime)`` (speed first, as in AllenSDK),
ROI masks as :class:`RoiMask` objects or a uint8 array. Differences, on purpose: errors are
brainobs' (they subclass the same built-ins AllenSDK's do: ``ValueError``, ``KeyError``,
``LookupError``); ``get_stimulus`` gives no image for a blank natural-scenes sweep (AllenSDK
returns the last scene); ``get_metadata`` has no ``synthetic`` key (see ``.synthetic``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from ._unsupported import missing_attribute, not_supported

if TYPE_CHECKING:
    import pandas as pd

    from ..nwb.ophys1 import Ophys1Experiment

__all__ = ["BrainObservatoryNwbDataSet", "RoiMask"]


class RoiMask:
    """One ROI's mask as AllenSDK's ``RoiMask``: a bounding box and the mask inside it.

    Parameters
    ----------
    plane : ndarray
        Image-sized mask (non-zero inside the ROI).
    label : bytes or str
        The ROI's name in the file.

    Attributes
    ----------
    x, y, width, height : int
        Bounding box (column, row of the top-left pixel; size).
    mask : ndarray of bool
        The mask inside the box.
    img_rows, img_cols : int
        Size of the image plane.

    Examples
    --------
    >>> plane = np.zeros((4, 5), dtype=bool); plane[1:3, 2] = True
    >>> m = RoiMask(plane, "roi_0")
    >>> (m.x, m.y, m.width, m.height)
    (2, 1, 1, 2)
    >>> m.get_mask_plane().sum()
    np.float64(2.0)
    """

    def __init__(self, plane: np.ndarray, label: bytes | str, mask_group: int = -1) -> None:
        plane = np.asarray(plane) != 0
        self.img_rows, self.img_cols = plane.shape
        self.label = label
        self.mask_group = mask_group
        self.flags: set[str] = set()
        self.x = self.y = self.width = self.height = 0
        self.mask: np.ndarray | None = None
        pixels = np.argwhere(plane)
        if not len(pixels):
            self.flags.add("zero_pixels")
            return
        (top, left), (bottom, right) = pixels.min(0), pixels.max(0)
        self.x, self.y = int(left), int(top)
        self.width, self.height = int(right - left + 1), int(bottom - top + 1)
        self.mask = plane[top : bottom + 1, left : right + 1]

    @property
    def overlaps_motion_border(self) -> bool:
        """Whether the ROI touches the motion border (always False: no border is applied)."""
        return "overlaps_motion_border" in self.flags

    def get_mask_plane(self) -> np.ndarray:
        """The mask on the full image plane (float, 1 inside), as AllenSDK returns it.

        Examples
        --------
        >>> RoiMask(np.eye(3), "r").get_mask_plane().shape
        (3, 3)
        """
        plane = np.zeros((self.img_rows, self.img_cols))
        if self.mask is not None:
            plane[self.y : self.y + self.height, self.x : self.x + self.width] = self.mask
        return plane

    def __repr__(self) -> str:
        return f"<RoiMask {self.label!r}: TL={self.x},{self.y} w,h={self.width},{self.height}>"


class BrainObservatoryNwbDataSet:
    """An experiment's NWB file with AllenSDK's ``BrainObservatoryNwbDataSet`` methods.

    Parameters
    ----------
    nwb_file : str or path
        The ``<ophys_experiment_id>.nwb`` file (NWB 1, as published).

    Attributes
    ----------
    experiment : Ophys1Experiment
        The brainobs reader underneath (``get_dff()``, ``get_roi_masks()`` ...).

    Examples
    --------
    >>> ds = BrainObservatoryNwbDataSet("920020002.nwb")  # doctest: +SKIP
    >>> timestamps, dff = ds.get_dff_traces()  # doctest: +SKIP
    """

    PIPELINE_DATASET = "brain_observatory_pipeline"
    SUPPORTED_PIPELINE_VERSION = "3.0"
    STIMULUS_TABLE_TYPES = {
        "abstract_feature_series": ["drifting_gratings", "static_gratings"],
        "indexed_time_series": [
            "natural_scenes",
            "locally_sparse_noise",
            "locally_sparse_noise_4deg",
            "locally_sparse_noise_8deg",
        ],
        "repeated_indexed_time_series": [
            "natural_movie_one",
            "natural_movie_two",
            "natural_movie_three",
        ],
    }

    def __init__(self, nwb_file: str | os.PathLike[str]) -> None:
        from ..nwb import open_nwb

        self.nwb_file = str(nwb_file)
        self.experiment: Ophys1Experiment = open_nwb(nwb_file)
        self.pipeline_version = self.experiment.pipeline_version

    def __repr__(self) -> str:
        return f"<BrainObservatoryNwbDataSet over {self.experiment!r}>"

    def __getattr__(self, name: str) -> Any:
        raise missing_attribute(self, name, ("BrainObservatoryNwbDataSet",))

    def close(self) -> None:
        """Close the file (AllenSDK opens it per call; brainobs keeps one handle).

        Examples
        --------
        >>> ds.close()  # doctest: +SKIP
        """
        self.experiment.close()

    def __enter__(self) -> BrainObservatoryNwbDataSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def synthetic(self) -> bool:
        """True for brainobs sample data."""
        return self.experiment.synthetic

    # --- identity and metadata ----------------------------------------------------------------

    def get_metadata(self) -> dict[str, Any]:
        """Experiment metadata, AllenSDK's keys and types.

        Examples
        --------
        >>> ds.get_metadata()["session_type"]  # doctest: +SKIP
        'three_session_B'
        """
        return {k: v for k, v in self.experiment.metadata.items() if k != "synthetic"}

    def get_session_type(self) -> str:
        """The session type (``three_session_A`` ...).

        Examples
        --------
        >>> ds.get_session_type()  # doctest: +SKIP
        'three_session_B'
        """
        return self.experiment.session_type

    @property
    def number_of_cells(self) -> int:
        """Number of cells."""
        return self.experiment.number_of_cells

    def get_cell_specimen_ids(self) -> np.ndarray:
        """Cell ids in file order.

        Examples
        --------
        >>> ds.get_cell_specimen_ids()[:2]  # doctest: +SKIP
        """
        return self.experiment.cell_specimen_ids

    def get_cell_specimen_indices(self, cell_specimen_ids: Any) -> list[int]:
        """Row positions of cells (a ``ValueError`` names unknown ids).

        Examples
        --------
        >>> ds.get_cell_specimen_indices(ds.get_cell_specimen_ids()[:1])  # doctest: +SKIP
        [0]
        """
        return self.experiment.cell_indices(cell_specimen_ids)

    def get_roi_ids(self) -> np.ndarray:
        """ROI ids as byte strings (as stored, as AllenSDK returns them), in cell order.

        Examples
        --------
        >>> ds.get_roi_ids()[0]  # doctest: +SKIP
        """
        return np.array([str(v).encode() for v in self.experiment.roi_ids])

    def get_fluorescence_timestamps(self) -> np.ndarray:
        """Times (s) of the 2-photon frames.

        Examples
        --------
        >>> ds.get_fluorescence_timestamps()[:2]  # doctest: +SKIP
        """
        return self.experiment.get_fluorescence_timestamps()

    # --- traces ---------------------------------------------------------------------------------

    def get_fluorescence_traces(self, cell_specimen_ids: Any = None) -> tuple[Any, Any]:
        """Raw fluorescence: ``(timestamps, traces)``.

        Examples
        --------
        >>> timestamps, traces = ds.get_fluorescence_traces()  # doctest: +SKIP
        """
        return tuple(self.experiment.get_fluorescence(cell_specimen_ids))

    def get_neuropil_traces(self, cell_specimen_ids: Any = None) -> tuple[Any, Any]:
        """Neuropil fluorescence: ``(timestamps, traces)``.

        Examples
        --------
        >>> timestamps, traces = ds.get_neuropil_traces()  # doctest: +SKIP
        """
        return tuple(self.experiment.get_neuropil(cell_specimen_ids))

    def get_demixed_traces(self, cell_specimen_ids: Any = None) -> tuple[Any, Any]:
        """Demixed fluorescence: ``(timestamps, traces)``.

        Examples
        --------
        >>> timestamps, traces = ds.get_demixed_traces()  # doctest: +SKIP
        """
        return tuple(self.experiment.get_demixed(cell_specimen_ids))

    def get_corrected_fluorescence_traces(self, cell_specimen_ids: Any = None) -> tuple[Any, Any]:
        """Neuropil-corrected fluorescence: ``(timestamps, traces)``.

        Examples
        --------
        >>> timestamps, traces = ds.get_corrected_fluorescence_traces()  # doctest: +SKIP
        """
        return tuple(self.experiment.get_corrected(cell_specimen_ids))

    def get_dff_traces(self, cell_specimen_ids: Any = None) -> tuple[Any, Any]:
        """dF/F: ``(timestamps, dff)``.

        Examples
        --------
        >>> timestamps, dff = ds.get_dff_traces()  # doctest: +SKIP
        """
        return tuple(self.experiment.get_dff(cell_specimen_ids))

    def get_neuropil_r(self, cell_specimen_ids: Any = None) -> np.ndarray:
        """Neuropil contamination ratio per cell.

        Examples
        --------
        >>> ds.get_neuropil_r().shape  # doctest: +SKIP
        """
        return self.experiment.get_neuropil_r(cell_specimen_ids)

    # --- images ---------------------------------------------------------------------------------

    def get_max_projection(self) -> np.ndarray:
        """Maximum-intensity projection image.

        Examples
        --------
        >>> ds.get_max_projection().shape  # doctest: +SKIP
        (512, 512)
        """
        return self.experiment.get_max_projection()

    def get_roi_mask_array(self, cell_specimen_ids: Any = None) -> np.ndarray:
        """ROI masks as a uint8 array (n_cells, rows, cols), 1 inside.

        Examples
        --------
        >>> ds.get_roi_mask_array().dtype  # doctest: +SKIP
        dtype('uint8')
        """
        return self.experiment.get_roi_masks(cell_specimen_ids).astype(np.uint8)

    def get_roi_mask(self, cell_specimen_ids: Any = None) -> list[RoiMask]:
        """ROI masks as :class:`RoiMask` objects labelled with their ROI names (bytes, as AllenSDK).

        Examples
        --------
        >>> [m.label for m in ds.get_roi_mask()][:1]  # doctest: +SKIP
        """
        exp = self.experiment
        ids = exp.cell_specimen_ids if cell_specimen_ids is None else cell_specimen_ids
        rows = exp.cell_indices(ids)
        names = [name.encode() for name in exp.roi_names]
        masks = exp.get_roi_masks(ids)
        return [RoiMask(plane, names[row]) for plane, row in zip(masks, rows, strict=True)]

    # --- behaviour ------------------------------------------------------------------------------

    def get_running_speed(self) -> tuple[np.ndarray, np.ndarray]:
        """Running speed on the frame times: ``(dxcm, dxtime)`` — speed first, as AllenSDK.

        Examples
        --------
        >>> dxcm, dxtime = ds.get_running_speed()  # doctest: +SKIP
        """
        timestamps, speed = self.experiment.get_running_speed()
        return speed, timestamps

    def get_pupil_location(self, as_spherical: bool = True) -> tuple[Any, Any]:
        """Pupil position: ``(timestamps, locations)``; NoEyeTrackingError if absent.

        Examples
        --------
        >>> timestamps, locations = ds.get_pupil_location()  # doctest: +SKIP
        """
        return tuple(self.experiment.get_pupil_location(as_spherical))

    def get_pupil_size(self) -> tuple[Any, Any]:
        """Pupil area: ``(timestamps, sizes)``; NoEyeTrackingError if absent.

        Examples
        --------
        >>> timestamps, sizes = ds.get_pupil_size()  # doctest: +SKIP
        """
        return tuple(self.experiment.get_pupil_size())

    def get_motion_correction(self) -> pd.DataFrame:
        """Motion-correction shifts: ``x_motion, y_motion, timestamp``.

        Examples
        --------
        >>> ds.get_motion_correction().columns.tolist()  # doctest: +SKIP
        ['x_motion', 'y_motion', 'timestamp']
        """
        return self.experiment.get_motion_correction()

    # --- stimuli --------------------------------------------------------------------------------

    def list_stimuli(self) -> list[str]:
        """Stimuli of this experiment (alphabetical).

        Examples
        --------
        >>> ds.list_stimuli()  # doctest: +SKIP
        """
        return self.experiment.list_stimuli()

    def get_stimulus_table(self, stimulus_name: str) -> pd.DataFrame:
        """A stimulus table (or ``'master'``), AllenSDK's columns and index.

        Examples
        --------
        >>> ds.get_stimulus_table("natural_scenes").columns.tolist()  # doctest: +SKIP
        ['frame', 'start', 'end']
        """
        return self.experiment.get_stimulus_table(stimulus_name)

    def get_stimulus_epoch_table(self) -> pd.DataFrame:
        """Stimulus blocks: ``stimulus, start, end``.

        Examples
        --------
        >>> ds.get_stimulus_epoch_table().stimulus[0]  # doctest: +SKIP
        """
        return self.experiment.get_stimulus_epoch_table()

    def get_stimulus_template(self, stimulus_name: str) -> np.ndarray:
        """Template images (n, rows, cols) of a scene, movie or sparse-noise stimulus.

        Examples
        --------
        >>> ds.get_stimulus_template("natural_scenes").ndim  # doctest: +SKIP
        3
        """
        return self.experiment.get_stimulus_template(stimulus_name)

    def get_locally_sparse_noise_stimulus_template(
        self, stimulus: str, mask_off_screen: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sparse-noise template and on-screen mask: ``(template, mask)``.

        Examples
        --------
        >>> template, mask = ds.get_locally_sparse_noise_stimulus_template(  # doctest: +SKIP
        ...     "locally_sparse_noise")
        """
        return self.experiment.get_locally_sparse_noise_template(stimulus, mask_off_screen)

    def get_stimulus(self, frame_ind: int) -> tuple[Any, np.ndarray | None]:
        """What was shown at a frame: ``((start, end, row), image)`` or ``(None, None)``.

        ``row`` is the master stimulus table's row; spontaneous activity gives
        ``(None, None)`` as in AllenSDK.

        Examples
        --------
        >>> found, image = ds.get_stimulus(1000)  # doctest: +SKIP
        """
        row, image = self.experiment.get_stimulus_at_frame(frame_ind)
        if row is None or row["stimulus"] == "spontaneous":
            return None, None
        return (row["start"], row["end"], row), image

    @property
    def stimulus_search(self) -> Any:
        """Not supported (AllenSDK's interval search tree)."""
        raise not_supported("BrainObservatoryNwbDataSet.stimulus_search")

    def save_analysis_arrays(self, *datasets: Any) -> None:
        """Not supported: brainobs never writes into NWB files.

        Examples
        --------
        >>> ds.save_analysis_arrays()  # doctest: +SKIP
        """
        raise not_supported("BrainObservatoryNwbDataSet.save_analysis_arrays()")

    def save_analysis_dataframes(self, *tables: Any) -> None:
        """Not supported: brainobs never writes into NWB files.

        Examples
        --------
        >>> ds.save_analysis_dataframes()  # doctest: +SKIP
        """
        raise not_supported("BrainObservatoryNwbDataSet.save_analysis_dataframes()")

