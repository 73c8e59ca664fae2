"""The stimulus side of an NWB 1 experiment: stimulus names, tables, epochs and templates.

:class:`StimulusReader` is a mixin of :class:`~brainobs.nwb.ophys1.Ophys1Experiment`; it
uses the experiment's open file (``_read``, ``_has``, ``_file``) and its ``metadata``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ..errors import (
    InvalidChoiceError,
    MissingStimulusError,
    check_choice,
    format_choice_error,
)
from . import ophys1_layout as lay
from . import stimulus_tables as tables
from .ophys1_metadata import decode_value

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

__all__ = ["StimulusReader"]

MASTER = "master"


class StimulusReader:
    """Stimulus tables and templates of an open NWB 1 experiment (mixin).

    Examples
    --------
    >>> exp.list_stimuli()  # doctest: +SKIP
    ['natural_movie_one', 'natural_scenes', 'spontaneous', 'static_gratings']
    """

    path: Path
    metadata: dict[str, Any]
    _cache: dict[str, Any]

    if TYPE_CHECKING:

        def _file(self) -> Any: ...
        def _read(self, path: str, index: Any = ()) -> Any: ...
        def _has(self, path: str) -> bool: ...

    def list_stimuli(self) -> list[str]:
        """Stimuli shown in this experiment (alphabetical, as AllenSDK lists them).

        Examples
        --------
        >>> "spontaneous" in exp.list_stimuli()  # doctest: +SKIP
        True
        """
        if not self._has(lay.PRESENTATION):
            return []
        return [key.replace("_stimulus", "") for key in self._file()[lay.PRESENTATION].keys()]

    def _check_stimulus(self, name: str, allowed: list[str]) -> str:
        if name in allowed:
            return name
        shown = self.list_stimuli()
        experiment = self.metadata.get("ophys_experiment_id")
        if name in st.ALL_STIMULI and name not in shown:
            where = ", ".join(st.sessions_with_stimulus(name))
            raise MissingStimulusError(
                f"Stimulus {name!r} is not in experiment {experiment} "
                f"({self.metadata.get('session_type')} showed {shown}). {name!r} is shown in "
                f"session type(s) {where}: open that session of the same container."
            )
        raise InvalidChoiceError(format_choice_error("stimulus", name, allowed))

    def _presentation(self, name: str) -> dict[str, Any]:
        group = lay.presentation_path(name)
        if not self._has(group):
            group = f"{lay.PRESENTATION}/{name}"
        found = {
            key: np.asarray(self._read(f"{group}/{key}", ()))
            for key in ("data", "frame_duration", "features")
            if self._has(f"{group}/{key}")
        }
        if "features" in found:
            found["features"] = [str(v) for v in decode_value(found["features"].ravel())]
        return found

    def _table(self, name: str) -> pd.DataFrame:
        cache = self._cache.setdefault("tables", {})
        if name not in cache:
            if name == MASTER:
                shown = {s: self._table(s) for s in self.list_stimuli()}
                cache[name] = tables.make_master_table(shown, self._epochs())
            else:
                cache[name] = tables.make_stimulus_table(name, self._presentation(name))
        return cache[name]

    def _epochs(self) -> pd.DataFrame:
        if "epochs" not in self._cache:
            shown = {s: self._table(s) for s in self.list_stimuli()}
            session_type = str(self.metadata.get("session_type"))
            self._cache["epochs"] = tables.make_epoch_table(shown, session_type)
        return self._cache["epochs"]

    def get_stimulus_table(self, stimulus: str) -> pd.DataFrame:
        """The presentations of one stimulus, or of all (``'master'``), as AllenSDK builds them.

        Frames (``start``, ``end``) are 2-photon frame indices. Rows are sorted by start; the
        index keeps each row's position in the file, except for ``'master'`` (reset).

        Raises
        ------
        MissingStimulusError
            The stimulus was not shown in this session (says which session types show it).
        InvalidChoiceError
            Not a stimulus name (lists this file's stimuli).

        Examples
        --------
        >>> exp.get_stimulus_table("natural_scenes").columns.tolist()  # doctest: +SKIP
        ['frame', 'start', 'end']
        """
        self._check_stimulus(stimulus, [*self.list_stimuli(), MASTER])
        return self._table(stimulus).copy()

    def get_stimulus_epoch_table(self) -> pd.DataFrame:
        """Stimulus blocks in time order: ``stimulus, start, end`` (frames).

        Examples
        --------
        >>> exp.get_stimulus_epoch_table().stimulus.tolist()[:2]  # doctest: +SKIP
        ['static_gratings', 'natural_scenes']
        """
        return self._epochs().copy()

    def get_stimulus_at_frame(self, frame: int) -> tuple[pd.Series | None, np.ndarray | None]:
        """What was on screen at a 2-photon frame: the master-table row and its image.

        Returns ``(row, image)``: ``row`` is the ``'master'`` table row (with ``stimulus``),
        or None outside every stimulus block; ``image`` is the template frame shown (scenes,
        movies, sparse noise), None for gratings, spontaneous activity and blank scenes.
        Unlike AllenSDK's ``get_stimulus``, spontaneous rows are returned (with no image).

        Examples
        --------
        >>> row, image = exp.get_stimulus_at_frame(1000)  # doctest: +SKIP
        >>> row["stimulus"]  # doctest: +SKIP
        'natural_scenes'
        """
        master = self._table(MASTER)
        found = tables.find_row_at_frame(master, self._epochs(), int(frame))
        if found is None:
            return None, None
        row = master.iloc[found].copy()
        shown = float(row.get("frame", np.nan))
        if row["stimulus"] not in self.list_stimulus_templates() or not shown >= 0:
            return row, None  # gratings, spontaneous activity, blank scene (frame -1)
        return row, self.get_stimulus_template(str(row["stimulus"]), frames=int(shown))

    def list_stimulus_templates(self) -> list[str]:
        """Stimuli with a template (scenes, movies, sparse noise) in this file.

        Examples
        --------
        >>> exp.list_stimulus_templates()  # doctest: +SKIP
        ['natural_movie_one', 'natural_scenes']
        """
        if not self._has(lay.TEMPLATES):
            return []
        names = self._file()[lay.TEMPLATES].keys()
        return [n[: -len("_image_stack")] for n in names if n.endswith("_image_stack")]

    def _template_group(self, stimulus: str) -> str:
        known = self.list_stimulus_templates()
        if stimulus not in known and stimulus in self.list_stimuli():
            raise InvalidChoiceError(
                f"{stimulus!r} has no template (gratings and spontaneous activity are not "
                f"images). Stimuli with templates here: {known}."
            )
        self._check_stimulus(stimulus, known)
        return lay.template_path(stimulus)

    def get_stimulus_template(self, stimulus: str, frames: Any = None) -> np.ndarray:
        """Template images of a stimulus, (n_frames, rows, cols); ``frames`` selects some.

        Sample-release templates may be stored at reduced resolution: see
        :meth:`get_stimulus_template_info`.

        Examples
        --------
        >>> exp.get_stimulus_template("natural_scenes", frames=0).ndim  # doctest: +SKIP
        2
        """
        path = f"{self._template_group(stimulus)}/data"
        return np.asarray(self._read(path, () if frames is None else frames))

    def get_stimulus_template_info(self, stimulus: str) -> dict[str, Any]:
        """Shape and dtype of a template, and whether it is a reduced-resolution stand-in.

        Examples
        --------
        >>> exp.get_stimulus_template_info("natural_scenes")["original_shape"]  # doctest: +SKIP
        (918, 1174)
        """
        data = self._file()[f"{self._template_group(stimulus)}/data"]
        shape = tuple(int(n) for n in data.shape)
        original = data.attrs.get(lay.ORIGINAL_SHAPE_ATTR, shape[1:])
        return {
            "shape": shape,
            "dtype": str(data.dtype),
            "reduced_resolution": bool(data.attrs.get(lay.REDUCED_ATTR, 0)),
            "original_shape": tuple(int(n) for n in original),
            "original_frames": int(data.attrs.get(lay.ORIGINAL_FRAMES_ATTR, shape[0])),
        }

    def get_locally_sparse_noise_template(
        self, stimulus: str, mask_off_screen: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """A sparse-noise template and its on-screen mask, as AllenSDK returns them.

        Parameters
        ----------
        stimulus : str
            ``locally_sparse_noise``, ``locally_sparse_noise_4deg`` or ``..._8deg``.
        mask_off_screen : bool
            Set patches that were not fully on screen (after the spherical warp) to 64.

        Returns
        -------
        template : ndarray
            (n_frames, rows, cols): 255 = ON, 0 = OFF, 127 = grey (64 = off screen).
        mask : ndarray of bool
            (rows, cols), True where the patch was fully on screen.

        Examples
        --------
        >>> template, mask = exp.get_locally_sparse_noise_template(  # doctest: +SKIP
        ...     "locally_sparse_noise")
        """
        from . import sparse_noise

        check_choice("sparse-noise stimulus", stimulus, st.SPARSE_NOISE)
        template = self.get_stimulus_template(stimulus)
        mask = sparse_noise.screen_mask(stimulus)
        if mask_off_screen:
            template = sparse_noise.mask_off_screen(template, stimulus)
        return template, mask
