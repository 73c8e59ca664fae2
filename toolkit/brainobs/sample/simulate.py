"""Simulate one sample experiment: everything one NWB file holds, plus its planted truth.

A :class:`ContainerModel` holds what a container's sessions share (cells and their tuning,
footprints, movie responses); :func:`simulate_experiment` turns it and one session's schedule
into a :class:`~brainobs.sample.session.SessionContent`. Every random stream is derived from
the release seed and the ids, so experiments can be simulated in any order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import stimuli as st
from .behaviour import simulate_eye, simulate_running
from .design import ContainerDesign, ExperimentDesign, ReleaseSize, rng_for, synthetic_note
from .imaging import (
    Footprints,
    draw_masks,
    max_projection,
    overlap_weights,
    place_cells,
    simulate_motion,
)
from .responses import condition_responses, firing_rates, movie_drives
from .schedule import FRAME_PERIOD, Schedule, make_schedule
from .session import ExperimentMetadata, SessionContent
from .templates import template_reduction
from .traces import Traces, simulate_traces
from .tuning import Tuning, plant_tuning

__all__ = ["ContainerModel", "ExperimentResult", "build_container", "simulate_experiment"]


@dataclass
class ContainerModel:
    """What the sessions of one container share.

    Examples
    --------
    >>> from brainobs.sample.design import SIZES, design_release
    >>> model = build_container(design_release(0, "small")[0], SIZES["small"], 0)
    >>> sorted(model.movies)[0]
    'natural_movie_one'
    """

    design: ContainerDesign
    tuning: Tuning
    footprints: Footprints
    run_fraction: float
    movies: dict[str, np.ndarray] = field(repr=False)  # name -> (n_cells, repeats, frames)


@dataclass
class ExperimentResult:
    """One simulated experiment: the file content and what only the truth knows.

    ``rows[k]`` is the container cell shown in row ``k`` of every trace matrix; ``traces``
    keeps the true spikes beside the file's traces. See :func:`simulate_experiment`.

    Attributes
    ----------
    content : SessionContent
        What the NWB file holds.
    schedule : Schedule
        The session's stimulus timeline.
    rows : numpy.ndarray
        Container cell index of each file row.
    traces : Traces
        Every trace, with the true spike counts.
    speed : numpy.ndarray
        Running speed at every frame (cm/s).

    Examples
    --------
    >>> from brainobs.sample.design import SIZES, design_release
    >>> from brainobs.sample.templates import make_templates
    >>> c = design_release(0, "small")[0]
    >>> model = build_container(c, SIZES["small"], 0)
    >>> templates = make_templates(SIZES["small"], {})
    >>> result = simulate_experiment(model, c.experiments[0], SIZES["small"], templates, 0)
    >>> result.traces.spikes.shape == result.content.dff.shape
    True
    >>> len(result.rows) == result.content.n_cells
    True
    """

    content: SessionContent
    schedule: Schedule
    rows: np.ndarray  # container cell index of each file row
    traces: Traces
    speed: np.ndarray  # running speed at every frame


def build_container(design: ContainerDesign, size: ReleaseSize, seed: int) -> ContainerModel:
    """Plant the cells of a container (tuning, positions, movie responses).

    Examples
    --------
    >>> from brainobs.sample.design import SIZES, design_release
    >>> c = design_release(0, "small")[0]
    >>> build_container(c, SIZES["small"], 0).tuning.n_cells == len(c.cell_specimen_ids)
    True
    """
    k = design.number
    tuning = plant_tuning(design.cell_specimen_ids, rng_for(seed, "tuning", k))
    footprints = place_cells(tuning.n_cells, rng_for(seed, "footprints", k))
    movies = {
        name: movie_drives(tuning, size.movie_frames[name], size.movie_repeats,
                           rng_for(seed, "movie", k, name))
        for name in st.NATURAL_MOVIES
    }
    fraction = float(rng_for(seed, "running", k).uniform(0.2, 0.5))
    return ContainerModel(design, tuning, footprints, fraction, movies)


def _file_order(model: ContainerModel, index: int) -> np.ndarray:
    """Container rows of the cells segmented in session ``index``, in segmentation order."""
    rows = np.flatnonzero(model.design.present[:, index - 1])
    centres = model.footprints.centres[rows]
    return rows[np.lexsort((centres[:, 1], np.floor(centres[:, 0] / 64)))]


def _metadata(design: ContainerDesign, exp: ExperimentDesign, seed: int) -> ExperimentMetadata:
    return ExperimentMetadata(
        ophys_experiment_id=exp.ophys_experiment_id,
        experiment_container_id=design.experiment_container_id,
        session_type=exp.session_type,
        targeted_structure=design.targeted_structure,
        imaging_depth_um=design.imaging_depth,
        genotype=design.genotype,
        sex={"M": "male", "F": "female"}[design.sex],
        age_days=exp.age_days,
        specimen_name=design.specimen_name,
        session_start_time=exp.session_start_time,
        synthetic_note=(
            f"SYNTHETIC SAMPLE DATA: {synthetic_note(seed)}. "
            "Same layout as the Allen Brain Observatory release."
        ),
    )


def simulate_experiment(
    model: ContainerModel,
    exp: ExperimentDesign,
    size: ReleaseSize,
    templates: dict[str, np.ndarray],
    seed: int,
) -> ExperimentResult:
    """Simulate one experiment of a container.

    Parameters
    ----------
    model : ContainerModel
        From :func:`build_container`.
    exp : ExperimentDesign
        The session to simulate.
    size : ReleaseSize
        Repeat counts and lengths.
    templates : dict
        Every stimulus template of the release.
    seed : int
        Release seed.

    Returns
    -------
    ExperimentResult

    Examples
    --------
    >>> from brainobs.sample.design import SIZES, design_release
    >>> from brainobs.sample.templates import make_templates
    >>> c = design_release(0, "small")[0]
    >>> model = build_container(c, SIZES["small"], 0)
    >>> templates = make_templates(SIZES["small"], {})
    >>> result = simulate_experiment(model, c.experiments[0], SIZES["small"], templates, 0)
    >>> result.content.metadata.session_type
    'three_session_B'
    """
    design, eid = model.design, exp.ophys_experiment_id
    schedule = make_schedule(exp.session_type, size, rng_for(seed, "schedule", eid))
    rows = _file_order(model, exp.index)
    t = model.tuning.subset(rows)
    n = schedule.n_frames
    speed = simulate_running(n, FRAME_PERIOD, rng_for(seed, "speed", eid), model.run_fraction)
    matrices = {
        name: condition_responses(t, name, templates.get(name))
        for name in schedule.tables
        if name not in st.NATURAL_MOVIES and name != st.SPONTANEOUS
    }
    movies = {name: model.movies[name][rows] for name in schedule.tables if name in model.movies}
    rates = firing_rates(t, schedule, matrices, movies, speed, rng_for(seed, "rates", eid))
    shift = tuple(rng_for(seed, "shift", eid).uniform(-1.5, 1.5, 2))
    masks = draw_masks(model.footprints, rows, shift)
    crosstalk = 0.5 * overlap_weights(masks, model.footprints.centres[rows])
    traces = simulate_traces(t, rates, crosstalk, FRAME_PERIOD, rng_for(seed, "traces", eid))
    brightness = 0.8 + 1.2 * t.f0 / np.median(model.tuning.f0) + 0.6 * (t.amp > 0)
    projection = max_projection(model.footprints, rows, brightness, shift,
                                rng_for(seed, "field", design.number), rng_for(seed, "mip", eid))
    eye: tuple = (None, None, None)
    if not exp.fail_eye_tracking:
        eye = simulate_eye(speed, FRAME_PERIOD, rng_for(seed, "eye", eid))
    shown = {name: templates[name] for name in st.stimuli_in_session(exp.session_type)
             if name in templates}
    content = SessionContent(
        metadata=_metadata(design, exp, seed),
        timestamps=schedule.timestamps,
        cell_specimen_ids=design.cell_specimen_ids[rows].astype(np.int64),
        roi_ids=design.roi_ids(exp.index)[rows].astype(np.int64),
        raw=traces.raw,
        neuropil=traces.neuropil,
        demixed=traces.demixed,
        r=traces.r,
        rmse=traces.rmse,
        dff=traces.dff,
        dff_timestamps=schedule.timestamps.copy(),
        masks=masks,
        max_projection=projection,
        motion=simulate_motion(n, rng_for(seed, "motion", eid)),
        running_speed=speed[1:],
        running_timestamps=schedule.timestamps[1:].copy(),
        stimuli=schedule.presentations(),
        templates=shown,
        events=traces.events,
        pupil_size=eye[0],
        pupil_location=eye[1],
        pupil_location_spherical=eye[2],
        eye_timestamps=None if eye[0] is None else schedule.timestamps.copy(),
    )
    content.extra["template_reduction"] = template_reduction(shown)
    content.extra["template_original_frames"] = _shortened_movies(shown)
    content.extra["file_create_date"] = exp.session_start_time
    return ExperimentResult(content, schedule, rows, traces, speed)


def _shortened_movies(templates: dict[str, np.ndarray]) -> dict[str, int]:
    """Real frame count of each movie template stored shorter than the real one."""
    real = {st.NATURAL_MOVIE_ONE: 900, st.NATURAL_MOVIE_TWO: 900, st.NATURAL_MOVIE_THREE: 3600}
    return {name: n for name, n in real.items() if name in templates and len(templates[name]) != n}
