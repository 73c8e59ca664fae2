"""The design of the sample release: sizes, containers, donors, ids, sessions, which cells where.

Everything here is decided before any signal is simulated. Ids live in ranges far from the real
Allen ids (real Visual Coding ids are below 7.5e8):

=================  ===================================================
experiment container  ``910_000_000 + 10_000 * k``   (k = container number)
ophys experiment      ``920_000_000 + 10_000 * k + s`` (s = 1, 2, 3 in acquisition order)
specimen / donor      ``930_000_000 + 10_000 * k`` / the same minus 4
ISI experiment        ``935_000_000 + 10_000 * k``
cell specimen         ``940_000_000 + 10_000 * k + j`` (j = cell number)
cell ROI              ``950_000_000 + 100_000 * k + 10_000 * s + j``
well-known file       ``960_000_000 + 10_000 * k + 10 * s + t``
=================  ===================================================
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from ..config import SAMPLE_MARKER_KEY
from ..errors import check_choice

__all__ = [
    "ReleaseSize",
    "ContainerDesign",
    "ExperimentDesign",
    "SIZES",
    "SYNTHETIC_KEY",
    "synthetic_note",
    "rng_for",
    "design_release",
]

#: The extra key every sample JSON record carries (the cache reads it to label the data).
SYNTHETIC_KEY = SAMPLE_MARKER_KEY


@dataclass(frozen=True)
class ReleaseSize:
    """How much of everything a release holds.

    Repeat counts are totals over a session (split over its blocks); frame counts are 2-photon
    frames; movie lengths are template frames (each shown ``movie_repeats`` times).

    Examples
    --------
    >>> SIZES["default"].dg_repeats, SIZES["large"].movie_frames["natural_movie_three"]
    (3, 3600)
    """

    name: str
    containers: tuple[int, ...]
    n_cells: int
    n_cells_failed: int
    p_present: float
    dg_repeats: int
    sg_repeats: int
    ns_repeats: int
    movie_frames: dict[str, int]
    lsn_frames: int  # per block, session C
    lsn4_frames: int  # per block, session C2
    lsn8_frames: int  # per block, session C2
    spont_frames: int  # per spontaneous block
    gap_frames: int  # grey frames between blocks
    lead_frames: int  # grey frames before the first and after the last block
    movie_repeats: int = 10


SIZES: dict[str, ReleaseSize] = {
    "small": ReleaseSize(
        "small", (1, 2, 3, 4, 5), 14, 8, 0.85, 1, 1, 1,
        {"natural_movie_one": 60, "natural_movie_two": 60, "natural_movie_three": 120},
        150, 90, 90, 150, 45, 60,
    ),
    "default": ReleaseSize(
        "default", (1, 2, 3, 4, 5), 40, 24, 0.85, 3, 6, 6,
        {"natural_movie_one": 300, "natural_movie_two": 300, "natural_movie_three": 600},
        400, 240, 240, 600, 60, 90,
    ),
    "large": ReleaseSize(
        "large", (6,), 230, 0, 0.95, 15, 48, 50,
        {"natural_movie_one": 900, "natural_movie_two": 900, "natural_movie_three": 3600},
        2960, 1900, 1899, 8880, 900, 740,
    ),
}

# number -> (cre line, reporter genotype suffix, area, depth, C or C2, sex, donor name,
#            date of birth, dates of the three sessions in acquisition order, session order,
#            eye tracking failed per session type, failed, donor tags)
_CONTAINERS: dict[int, tuple] = {
    1: ("Cux2-CreERT2", "wt", "VISp", 175, "three_session_C2", "M", "990101", "2016-10-11",
        ("2017-02-14T18:02:41Z", "2017-02-16T17:45:10Z", "2017-02-22T19:10:55Z"), "BCA",
        {}, False, ()),
    2: ("Rorb-IRES2-Cre", "wt", "VISl", 275, "three_session_C", "F", "990102", "2016-01-19",
        ("2016-05-10T20:31:02Z", "2016-05-12T19:58:37Z", "2016-05-13T21:12:19Z"), "ACB",
        {"three_session_A": True}, False, ()),
    3: ("Rbp4-Cre_KL100", "wt", "VISal", 375, "three_session_C2", "M", "990103", "2016-11-02",
        ("2017-03-07T17:20:14Z", "2017-03-09T18:44:50Z", "2017-03-10T16:58:03Z"), "ABC",
        {"three_session_A": True, "three_session_B": True, "three_session_C2": True}, False,
        ("Epileptiform Events",)),
    4: ("Emx1-IRES-Cre", "Ai93(TITL-GCaMP6f)", "VISpm", 275, "three_session_C", "F", "990104",
        "2016-03-01", ("2016-07-19T19:40:21Z", "2016-07-20T20:05:44Z", "2016-07-26T18:33:09Z"),
        "CAB", {"three_session_C": True}, False, ()),
    5: ("Nr5a1-Cre", "wt", "VISam", 350, "three_session_C2", "F", "990105", "2016-12-06",
        ("2017-04-04T17:11:36Z", "2017-04-06T18:27:48Z", "2017-04-11T17:52:25Z"), "BAC",
        {}, True, ()),
    6: ("Cux2-CreERT2", "wt", "VISp", 275, "three_session_C2", "M", "990106", "2016-09-20",
        ("2017-01-24T18:15:00Z", "2017-01-26T17:50:31Z", "2017-01-31T18:36:12Z"), "ABC",
        {}, False, ()),
}


@dataclass
class ExperimentDesign:
    """One imaging session (one NWB file) of a container.

    Examples
    --------
    >>> design_release(0, "small")[0].experiments[0].session_type
    'three_session_B'
    """

    ophys_experiment_id: int
    session_type: str
    date_of_acquisition: str  # ISO, "2017-02-14T18:02:41Z"
    name: str  # "20170214_990101_3StimB"
    fail_eye_tracking: bool
    age_days: int  # at acquisition
    session_start_time: str  # ctime, Pacific time
    index: int  # 1, 2, 3 in acquisition order


@dataclass
class ContainerDesign:
    """One experiment container: one field of view in one mouse, three sessions.

    Examples
    --------
    >>> c = design_release(0, "small")[0]
    >>> c.experiment_container_id, c.cre_line, c.present.shape[1]
    (910010000, 'Cux2-CreERT2', 3)
    """

    number: int
    experiment_container_id: int
    specimen_id: int
    donor_id: int
    isi_experiment_id: int
    cre_line: str
    genotype: str
    specimen_name: str
    donor_name: str
    sex: str
    date_of_birth: str
    donor_age: str  # "P171"
    targeted_structure: str
    imaging_depth: int
    failed: bool
    tags: tuple[str, ...]
    experiments: list[ExperimentDesign]
    cell_specimen_ids: np.ndarray
    #: (n_cells, 3) bool, columns in ``experiments`` order: is the cell segmented there?
    present: np.ndarray = field(repr=False)

    def roi_ids(self, index: int) -> np.ndarray:
        """ROI ids of every cell in experiment ``index`` (1-based), present or not.

        Examples
        --------
        >>> int(design_release(0, "small")[0].roi_ids(2)[0])
        950120000
        """
        j = np.arange(len(self.cell_specimen_ids))
        return 950_000_000 + 100_000 * self.number + 10_000 * index + j


def synthetic_note(seed: int) -> str:
    """The sentence every sample record and file carries.

    Examples
    --------
    >>> synthetic_note(0)
    'synthetic sample data generated by brainobs (seed 0); not recorded from an animal'
    """
    return f"synthetic sample data generated by brainobs (seed {seed}); not recorded from an animal"


def rng_for(seed: int, *keys: object) -> np.random.Generator:
    """An independent random stream for ``keys`` (order of generation never matters).

    Examples
    --------
    >>> float(rng_for(0, "cells", 1).random()) == float(rng_for(0, "cells", 1).random())
    True
    """
    words = [int(seed)] + [zlib.crc32(str(k).encode()) for k in keys]
    return np.random.default_rng(words)


def _ctime_pacific(iso: str) -> str:
    when = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ") - timedelta(hours=8)
    return when.strftime("%a %b %d %H:%M:%S %Y")


def _experiments(k: int, spec: tuple) -> list[ExperimentDesign]:
    last, donor, born, dates, order, eye_fail = (spec[i] for i in (4, 6, 7, 8, 9, 10))
    letters = {"A": "three_session_A", "B": "three_session_B", "C": last}
    birth = datetime.strptime(born, "%Y-%m-%d")
    out = []
    for s, (letter, iso) in enumerate(zip(order, dates, strict=True), start=1):
        session_type = letters[letter]
        tag = session_type.rsplit("_", 1)[1]
        acquired = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
        out.append(ExperimentDesign(
            ophys_experiment_id=920_000_000 + 10_000 * k + s,
            session_type=session_type,
            date_of_acquisition=iso,
            name=f"{acquired:%Y%m%d}_{donor}_3Stim{tag}",
            fail_eye_tracking=bool(eye_fail.get(session_type, False)),
            age_days=(acquired - birth).days,
            session_start_time=_ctime_pacific(iso),
            index=s,
        ))
    return out


def _presence(n_cells: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Which cells each session segmented; every cell is in at least one session."""
    present = rng.random((n_cells, 3)) < p
    empty = ~present.any(axis=1)
    present[empty, rng.integers(0, 3, int(empty.sum()))] = True
    return present


def _container(k: int, size: ReleaseSize, seed: int) -> ContainerDesign:
    spec = _CONTAINERS[k]
    cre, reporter_b, area, depth, _, sex, donor, born, _, _, _, failed, tags = spec
    genotype = f"{cre}/wt;Camk2a-tTA/wt;Ai93(TITL-GCaMP6f)/{reporter_b}"
    short = "Rbp4-Cre" if cre.startswith("Rbp4") else cre
    experiments = _experiments(k, spec)
    age = max(e.age_days for e in experiments) + 12
    n_cells = size.n_cells_failed if failed else size.n_cells
    return ContainerDesign(
        number=k,
        experiment_container_id=910_000_000 + 10_000 * k,
        specimen_id=930_000_000 + 10_000 * k,
        donor_id=930_000_000 + 10_000 * k - 4,
        isi_experiment_id=935_000_000 + 10_000 * k,
        cre_line=cre,
        genotype=genotype,
        specimen_name=f"{short};Camk2a-tTA;Ai93-{donor}",
        donor_name=donor,
        sex=sex,
        date_of_birth=f"{born}T00:00:00Z",
        donor_age=_nearest_age(age),
        targeted_structure=area,
        imaging_depth=depth,
        failed=failed,
        tags=tuple(tags),
        experiments=experiments,
        cell_specimen_ids=940_000_000 + 10_000 * k + np.arange(n_cells, dtype=np.int64),
        present=_presence(n_cells, size.p_present, rng_for(seed, "presence", k)),
    )


def _nearest_age(days: int) -> str:
    from .catalog import AGE_IDS

    ages = sorted(AGE_IDS, key=lambda name: abs(int(name[1:]) - days))
    return ages[0]


def design_release(seed: int = 0, size: str = "default") -> list[ContainerDesign]:
    """Decide the containers, sessions, ids and cell presence of a release.

    Parameters
    ----------
    seed : int
        Seed of the random choices (which cells each session segmented).
    size : str
        ``"small"``, ``"default"`` or ``"large"`` (see :data:`SIZES`).

    Returns
    -------
    list of ContainerDesign
        In container-number order.

    Examples
    --------
    >>> [c.targeted_structure for c in design_release(0, "small")]
    ['VISp', 'VISl', 'VISal', 'VISpm', 'VISam']
    """
    check_choice("sample release size", size, SIZES)
    spec = SIZES[size]
    return [_container(k, spec, seed) for k in spec.containers]
