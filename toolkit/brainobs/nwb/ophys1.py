"""One Brain Observatory Visual Coding 2P experiment from its NWB 1 file, read lazily.

Opening reads the metadata only and keeps one h5py handle; every ``get_*`` reads just what it
returns (the rows of the cells asked for, the frames of the time window asked for). Values and
tables match AllenSDK's ``BrainObservatoryNwbDataSet`` (checked by the conformance tests); the
differences are deliberate: time series come back as ``(timestamps, data)`` named tuples (also
running speed), ROI masks as booleans, ROI ids as integers, and errors say what to do.

Examples
--------
>>> from brainobs.nwb import open_nwb
>>> with open_nwb("990000000.nwb") as exp:  # doctest: +SKIP
...     t, dff = exp.get_dff(exp.cell_specimen_ids[:3], start=60.0, stop=120.0)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..errors import FormatError, InvalidChoiceError, NoEyeTrackingError
from . import ophys1_layout as lay
from .detect import damaged_file_error, inspect_nwb, open_hdf5, unsupported_message
from .ophys1_metadata import decode_value, read_metadata
from .ophys1_stimuli import StimulusReader
from .slicing import frame_window, read_rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TimeSeries", "Ophys1Experiment", "align_running_speed"]


class TimeSeries(NamedTuple):
    """Sample times (seconds) and values; unpacks as ``timestamps, data = series``.

    Examples
    --------
    >>> timestamps, data = TimeSeries(np.arange(3) / 30, np.zeros(3))
    """

    timestamps: np.ndarray
    data: np.ndarray


def align_running_speed(
    speed: np.ndarray, speed_times: np.ndarray, frame_times: np.ndarray
) -> TimeSeries:
    """Put running speed on the 2-photon frame times, NaN where it was not measured.

    Speed samples must sit exactly on a run of ``frame_times`` (as in the release).

    Examples
    --------
    >>> align_running_speed(np.array([1.0, 2.0]), np.array([0.1, 0.2]),
    ...                     np.array([0.0, 0.1, 0.2, 0.3])).data.tolist()
    [nan, 1.0, 2.0, nan]
    """
    speed, speed_times = np.asarray(speed, dtype=float), np.asarray(speed_times)
    if speed.ndim == 2:  # pipeline 0.9 stored (n, 1)
        speed = speed[:, 0]
    if len(speed_times) and speed_times[0] != frame_times[0]:
        hits = np.flatnonzero(frame_times == speed_times[0])
        if not len(hits):
            raise FormatError(
                "Running-speed timestamps are not on the 2-photon frame clock "
                f"(first speed sample at {speed_times[0]!r} s matches no frame time)."
            )
        speed_times = np.concatenate([frame_times[: hits[0]], speed_times])
        speed = np.concatenate([np.full(hits[0], np.nan), speed])
    missing = len(frame_times) - len(speed_times)
    if missing > 0:
        speed_times = np.concatenate([speed_times, frame_times[-missing:]])
        speed = np.concatenate([speed, np.full(missing, np.nan)])
    return TimeSeries(speed_times, speed)


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", str(text))[:3]) or (0,)


class Ophys1Experiment(StimulusReader):
    """A Visual Coding 2P experiment file (NWB 1), opened lazily.

    Parameters
    ----------
    path : str or Path
        The ``<ophys_experiment_id>.nwb`` file.

    Attributes
    ----------
    path : Path
        The file.
    metadata : dict
        AllenSDK's ``get_metadata()`` keys and types, plus ``synthetic`` (bool).

    Examples
    --------
    >>> exp = Ophys1Experiment("990000000.nwb")  # doctest: +SKIP
    >>> exp.number_of_cells  # doctest: +SKIP
    5
    >>> exp.close()  # doctest: +SKIP
    """

    def __init__(self, path: str | Path) -> None:
        info = inspect_nwb(path)
        if info.generation != 1:
            raise FormatError(unsupported_message(info, ["ophys1"]))
        self.path = info.path
        self._h5 = open_hdf5(self.path)
        self._cache: dict[str, Any] = {}
        try:
            if lay.PIPELINE not in self._h5:
                raise FormatError(unsupported_message(info, ["ophys1"]))
            self.metadata: dict[str, Any] = read_metadata(self._h5)
        except BaseException:
            self._h5.close()
            raise

    # --- file handling ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file handle (safe to call twice).

        Examples
        --------
        >>> exp.close()  # doctest: +SKIP
        """
        if self._h5.id.valid:
            self._h5.close()

    def __enter__(self) -> Ophys1Experiment:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        m = self.metadata
        parts = [
            f"ophys_experiment_id={m.get('ophys_experiment_id')}",
            str(m.get("session_type")),
            f"{m.get('targeted_structure')} {m.get('imaging_depth_um')} um",
            str(m.get("cre_line")),
        ]
        if self._h5.id.valid:
            parts.append(f"{self.number_of_cells} cells x {self.n_frames} frames")
        else:
            parts.append("closed")
        if self.synthetic:
            parts.append("SYNTHETIC SAMPLE")
        return f"<Ophys1Experiment {' | '.join(parts)} | file {self.path.name!r}>"

    def _file(self) -> Any:
        if not self._h5.id.valid:
            raise ValueError(f"{self.path.name} is closed; open it again with open_nwb(path).")
        return self._h5

    def _dataset(self, path: str) -> Any:
        try:
            return self._file()[path]
        except KeyError:
            raise FormatError(
                f"'{self.path}' has no '{path}': it is not a complete Brain Observatory NWB 1 "
                "file. Delete it and download it again."
            ) from None
        except OSError as err:
            raise damaged_file_error(self.path, err) from err

    def _read(self, path: str, index: Any = ()) -> Any:
        try:
            return self._dataset(path)[index]
        except OSError as err:
            raise damaged_file_error(self.path, err) from err

    def _has(self, path: str) -> bool:
        return path in self._file()

    # --- identity -----------------------------------------------------------------------------

    @property
    def synthetic(self) -> bool:
        """True for brainobs sample data (never for files of the real release)."""
        return bool(self.metadata.get("synthetic"))

    @property
    def ophys_experiment_id(self) -> int | None:
        """The experiment's id (``general/session_id``)."""
        return self.metadata.get("ophys_experiment_id")

    @property
    def session_type(self) -> str:
        """``three_session_A``, ``B``, ``C`` or ``C2``."""
        return str(self.metadata.get("session_type"))

    @property
    def pipeline_version(self) -> str:
        """Processing pipeline version ("3.0" for the current release)."""
        return str(self.metadata.get("pipeline_version"))

    @property
    def cell_specimen_ids(self) -> np.ndarray:
        """Cell ids, in the row order of every trace matrix."""
        if "ids" not in self._cache:
            self._cache["ids"] = np.asarray(self._read(lay.CELL_SPECIMEN_IDS, ()))
        return self._cache["ids"].copy()

    @property
    def roi_ids(self) -> np.ndarray:
        """ROI ids as integers (the file stores decimal strings), in cell order."""
        return np.array([int(v) for v in decode_value(self._read(lay.ROI_IDS, ()))], dtype=np.int64)

    @property
    def roi_names(self) -> list[str]:
        """ROI names as stored in the segmentation (``roi_list``), in cell order.

        They name each ROI's group in the file; AllenSDK labels its ``RoiMask`` objects with
        them.

        Examples
        --------
        >>> exp.roi_names[:2]  # doctest: +SKIP
        ['roi_0', 'roi_1']
        """
        if "roi_names" not in self._cache:
            self._cache["roi_names"] = [str(v) for v in decode_value(self._read(lay.ROI_LIST, ()))]
        return list(self._cache["roi_names"])

    @property
    def number_of_cells(self) -> int:
        """Number of cells (rows of every trace matrix)."""
        return int(self._dataset(lay.CELL_SPECIMEN_IDS).shape[0])

    @property
    def n_frames(self) -> int:
        """Number of 2-photon frames (length of the fluorescence time base)."""
        return int(self._dataset(f"{lay.FLUORESCENCE}/timestamps").shape[0])

    def cell_indices(self, cell_specimen_ids: Any) -> list[int]:
        """Row positions of cells, in the order given.

        Raises
        ------
        InvalidChoiceError
            Naming the ids this experiment does not have.

        Examples
        --------
        >>> exp.cell_indices(exp.cell_specimen_ids[[2, 0]])  # doctest: +SKIP
        [2, 0]
        """
        wanted = np.atleast_1d(np.asarray(cell_specimen_ids)).ravel()
        ids = self.cell_specimen_ids
        lookup = {int(cell): row for row, cell in enumerate(ids)}
        unknown = [v.item() for v in wanted if v.item() not in lookup]
        if unknown:
            raise InvalidChoiceError(
                f"Unknown cell_specimen_id(s) {unknown} for experiment {self.ophys_experiment_id} "
                f"({len(ids)} cells, e.g. {ids[:3].tolist()}). A cell can be missing from some "
                "sessions of its container; see .cell_specimen_ids for the cells of this one."
            )
        return [lookup[v.item()] for v in wanted]

    # --- traces -------------------------------------------------------------------------------

    def _times(self, key: str, path: str) -> np.ndarray:
        if key not in self._cache:
            self._cache[key] = np.asarray(self._read(path, ()), dtype=np.float64)
        return self._cache[key]

    def get_fluorescence_timestamps(self) -> np.ndarray:
        """Times (s) of the 2-photon frames: the time base of every trace except dF/F.

        Examples
        --------
        >>> len(exp.get_fluorescence_timestamps()) == exp.n_frames  # doctest: +SKIP
        True
        """
        return self._times("t_fluo", f"{lay.FLUORESCENCE}/timestamps").copy()

    def _traces(
        self, path: str, times: np.ndarray, ids: Any, start: Any, stop: Any, frames: Any
    ) -> TimeSeries:
        window = frame_window(times, start, stop, frames)
        rows = None if ids is None else np.asarray(self.cell_indices(ids), dtype=np.int64)
        try:
            data = read_rows(self._dataset(path), rows, window)
        except OSError as err:
            raise damaged_file_error(self.path, err) from err
        return TimeSeries(times[window].copy(), data)

    def _fluo(self, path: str, ids: Any, start: Any, stop: Any, frames: Any) -> TimeSeries:
        times = self._times("t_fluo", f"{lay.FLUORESCENCE}/timestamps")
        return self._traces(path, times, ids, start, stop, frames)

    def get_dff(
        self,
        cell_specimen_ids: Any = None,
        start: float | None = None,
        stop: float | None = None,
        *,
        frames: slice | None = None,
    ) -> TimeSeries:
        """dF/F traces (a fraction), (n_cells, n_time), on the dF/F series' own timestamps.

        Parameters
        ----------
        cell_specimen_ids : sequence of int, optional
            Cells to read, in the order wanted; default all (file order).
        start, stop : float, optional
            Time window in seconds, ``start <= t < stop``.
        frames : slice, optional
            Frame window instead of a time window, e.g. ``slice(row.start, row.end)``.

        Examples
        --------
        >>> timestamps, dff = exp.get_dff(start=100.0, stop=160.0)  # doctest: +SKIP
        """
        times = self._times("t_dff", f"{lay.DFF}/timestamps")
        return self._traces(f"{lay.DFF}/data", times, cell_specimen_ids, start, stop, frames)

    def get_fluorescence(
        self,
        cell_specimen_ids: Any = None,
        start: float | None = None,
        stop: float | None = None,
        *,
        frames: slice | None = None,
    ) -> TimeSeries:
        """Raw ROI fluorescence (same arguments as :meth:`get_dff`).

        Examples
        --------
        >>> timestamps, raw = exp.get_fluorescence(frames=slice(0, 300))  # doctest: +SKIP
        """
        return self._fluo(f"{lay.FLUORESCENCE}/data", cell_specimen_ids, start, stop, frames)

    def _after_demixing(self) -> bool:
        return _version_tuple(self.pipeline_version) >= (2, 0)

    def get_neuropil(
        self,
        cell_specimen_ids: Any = None,
        start: float | None = None,
        stop: float | None = None,
        *,
        frames: slice | None = None,
    ) -> TimeSeries:
        """Neuropil fluorescence around each ROI (same arguments as :meth:`get_dff`).

        Examples
        --------
        >>> neuropil = exp.get_neuropil(exp.cell_specimen_ids[:2]).data  # doctest: +SKIP
        """
        path = f"{lay.NEUROPIL}/data" if self._after_demixing() else lay.LEGACY_NEUROPIL_DATA
        return self._fluo(path, cell_specimen_ids, start, stop, frames)

    def get_demixed(
        self,
        cell_specimen_ids: Any = None,
        start: float | None = None,
        stop: float | None = None,
        *,
        frames: slice | None = None,
    ) -> TimeSeries:
        """Demixed ROI fluorescence (same arguments as :meth:`get_dff`).

        Examples
        --------
        >>> demixed = exp.get_demixed(start=0.0, stop=60.0).data  # doctest: +SKIP
        """
        if not self._has(f"{lay.DEMIXED}/data"):
            raise FormatError(
                f"{self.path.name} has no demixed traces (a few experiments lack them); "
                "use get_fluorescence() for the raw traces."
            )
        return self._fluo(f"{lay.DEMIXED}/data", cell_specimen_ids, start, stop, frames)

    def get_neuropil_r(self, cell_specimen_ids: Any = None) -> np.ndarray:
        """Neuropil contamination ratio r per cell (in the order asked for).

        Examples
        --------
        >>> exp.get_neuropil_r().shape == (exp.number_of_cells,)  # doctest: +SKIP
        True
        """
        path = f"{lay.NEUROPIL}/r" if self._after_demixing() else lay.LEGACY_NEUROPIL_R
        rows = None if cell_specimen_ids is None else self.cell_indices(cell_specimen_ids)
        return read_rows(self._dataset(path), None if rows is None else np.asarray(rows))

    def get_corrected(
        self,
        cell_specimen_ids: Any = None,
        start: float | None = None,
        stop: float | None = None,
        *,
        frames: slice | None = None,
    ) -> TimeSeries:
        """Neuropil-corrected fluorescence, demixed - r * neuropil (raw - r * neuropil before
        pipeline 2.0). Same arguments as :meth:`get_dff`; float64.

        Examples
        --------
        >>> timestamps, corrected = exp.get_corrected()  # doctest: +SKIP
        """
        args = (cell_specimen_ids, start, stop)
        signal = (self.get_demixed if self._after_demixing() else self.get_fluorescence)(
            *args, frames=frames
        )
        neuropil = self.get_neuropil(*args, frames=frames).data
        r = self.get_neuropil_r(cell_specimen_ids)
        return TimeSeries(signal.timestamps, signal.data - neuropil * r[:, np.newaxis])

    # --- images -------------------------------------------------------------------------------

    def get_max_projection(self) -> np.ndarray:
        """Maximum-intensity projection of the motion-corrected movie (rows, cols).

        Examples
        --------
        >>> exp.get_max_projection().shape  # doctest: +SKIP
        (512, 512)
        """
        return np.asarray(self._read(lay.MAX_PROJECTION, ()))

    def get_roi_masks(self, cell_specimen_ids: Any = None) -> np.ndarray:
        """ROI masks as a boolean array (n_cells, rows, cols), in the order asked for.

        Examples
        --------
        >>> exp.get_roi_masks(exp.cell_specimen_ids[:2]).shape  # doctest: +SKIP
        (2, 512, 512)
        """
        names = self.roi_names
        rows = (
            range(len(names)) if cell_specimen_ids is None else self.cell_indices(cell_specimen_ids)
        )
        planes = [self._read(f"{lay.PLANE}/{names[i]}/img_mask", ()) != 0 for i in rows]
        if not planes:
            return np.zeros((0, *self._dataset(lay.MAX_PROJECTION).shape), dtype=bool)
        return np.stack(planes)

    # --- behaviour ----------------------------------------------------------------------------

    def get_running_speed(self) -> TimeSeries:
        """Running speed (cm/s) on the fluorescence frame times, NaN where not measured.

        Note the order: ``(timestamps, speed)``, unlike AllenSDK's ``(speed, timestamps)``.

        Examples
        --------
        >>> timestamps, speed = exp.get_running_speed()  # doctest: +SKIP
        """
        speed = np.asarray(self._read(f"{lay.RUNNING_SPEED}/data", ()))
        times = np.asarray(self._read(f"{lay.RUNNING_SPEED}/timestamps", ()))
        return align_running_speed(speed, times, self.get_fluorescence_timestamps())

    def _eye(self, path: str, what: str) -> TimeSeries:
        if not self._has(f"{path}/data"):
            raise NoEyeTrackingError(
                f"Experiment {self.ophys_experiment_id} has no {what}: its eye tracking failed "
                "or was not recorded. Choose experiments whose fail_eye_tracking is False "
                "(e.g. vc.experiments(require_eye_tracking=True))."
            )
        times = np.asarray(self._read(f"{path}/timestamps", ()))
        return TimeSeries(times, np.asarray(self._read(f"{path}/data", ())))

    def get_pupil_location(self, as_spherical: bool = True) -> TimeSeries:
        """Pupil position (n, 2): degrees if ``as_spherical`` else cm; (0, 0) = monitor centre.

        Raises
        ------
        NoEyeTrackingError
            When the experiment has no eye tracking.

        Examples
        --------
        >>> timestamps, position = exp.get_pupil_location()  # doctest: +SKIP
        """
        return self._eye(lay.EYE_TRACKING[bool(as_spherical)], "pupil location")

    def get_pupil_size(self) -> TimeSeries:
        """Pupil area (pixels of the eye camera) over time; NoEyeTrackingError if absent.

        Examples
        --------
        >>> timestamps, area = exp.get_pupil_size()  # doctest: +SKIP
        """
        return self._eye(lay.PUPIL_SIZE, "pupil size")

    def get_motion_correction(self) -> pd.DataFrame:
        """Frame shifts applied by motion correction: ``x_motion, y_motion, timestamp``.

        Examples
        --------
        >>> exp.get_motion_correction().columns.tolist()  # doctest: +SKIP
        ['x_motion', 'y_motion', 'timestamp']
        """
        import pandas as pd

        path = lay.MOTION if self._has(lay.MOTION) else lay.LEGACY_MOTION
        names = decode_value(self._read(f"{path}/feature_description", ()))
        table = pd.DataFrame(np.asarray(self._read(f"{path}/data", ())), columns=names)
        table["timestamp"] = np.asarray(self._read(f"{path}/timestamps", ()))
        return table
