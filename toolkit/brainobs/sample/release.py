"""Write the sample release: synthetic Visual Coding 2P data in the real release's layouts.

::

    root/visual-coding-2p/manifest.json                  BrainObservatoryCache manifest 1.3
    root/visual-coding-2p/experiment_containers.json     raw API records
    root/visual-coding-2p/ophys_experiments.json
    root/visual-coding-2p/cell_specimens.json
    root/visual-coding-2p/stimulus_mappings.json
    root/visual-coding-2p/ophys_experiment_data/<ophys_experiment_id>.nwb
    root/visual-coding-2p/ophys_experiment_events/<ophys_experiment_id>_events.npz
    root/ground_truth/...                                the planted truth (see ``truth``)

The cell metrics in ``cell_specimens.json`` are measured from the written NWB files with
:mod:`brainobs.analysis` (see :mod:`.metrics`), in worker processes while the simulation goes
on. The whole tree is built in a temporary folder beside ``root`` and renamed into place, so a
failed run never leaves a half-written release. Same seed and size -> identical JSON and arrays.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np

from .. import __version__
from .. import stimuli as st
from ..errors import check_choice
from .design import SIZES, ContainerDesign, design_release, synthetic_note
from .metrics import N_SHUFFLES, MetricJobs, cell_metric_records, session_letter
from .records import container_record, experiment_record, manifest, stimulus_mapping_records
from .schedule import lsn_frames_shown
from .simulate import ContainerModel, build_container, simulate_experiment
from .templates import make_templates
from .truth import SessionTruth, container_summary, write_truth

__all__ = [
    "RELEASE_FOLDER",
    "SAMPLE_FORMAT",
    "TRUTH_FOLDER",
    "sample_is_current",
    "write_analysis_files",
    "write_sample_release",
]

logger = logging.getLogger(__name__)

RELEASE_FOLDER = "visual-coding-2p"
#: Bumped whenever the generator changes what a release holds; older releases are made anew.
SAMPLE_FORMAT = 2
TRUTH_FOLDER = "ground_truth"


def _write_json(path: Path, obj: object, *, sort_keys: bool = True) -> None:
    text = json.dumps(obj, indent=1 if sort_keys else 2, sort_keys=sort_keys, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def _lsn_lengths(designs: list[ContainerDesign], size_name: str) -> dict[str, int]:
    """Sparse-noise template lengths: the frames shown plus 1.35 % never shown."""
    size = SIZES[size_name]
    names = {n for d in designs for e in d.experiments for n in st.stimuli_in_session(
        e.session_type) if n in st.SPARSE_NOISE}
    return {n: lsn_frames_shown(n, size) + max(2, round(0.0135 * lsn_frames_shown(n, size)))
            for n in sorted(names)}


def _check_target(root: Path, overwrite: bool) -> None:
    if root.exists() and any(root.iterdir()) and not overwrite:
        raise FileExistsError(
            f"{str(root)!r} already exists and is not empty. Pass overwrite=True to replace it, "
            "or choose another folder for the sample release."
        )


def _write_experiments(
    model: ContainerModel,
    size_name: str,
    templates: dict[str, np.ndarray],
    seed: int,
    base: Path,
    jobs: MetricJobs,
) -> dict[int, SessionTruth]:
    """Simulate and write every experiment of a container (queueing its metrics); return what
    the truth needs."""
    from .nwb1_writer import write_nwb1

    truths: dict[int, SessionTruth] = {}
    for exp in model.design.experiments:
        started = time.perf_counter()
        result = simulate_experiment(model, exp, SIZES[size_name], templates, seed)
        eid = exp.ophys_experiment_id
        nwb = base / "ophys_experiment_data" / f"{eid}.nwb"
        write_nwb1(result.content, nwb)
        jobs.submit(eid, nwb)
        np.savez_compressed(base / "ophys_experiment_events" / f"{eid}_events.npz",
                            ev=result.content.events)
        truths[eid] = SessionTruth(result.rows, result.traces.r, result.traces.spikes)
        logger.info("experiment %d (%s): %d cells x %d frames in %.1f s", eid, exp.session_type,
                    result.content.n_cells, result.content.n_frames,
                    time.perf_counter() - started)
    return truths


def _summary(seed: int, size: str, models: list[ContainerModel], truths: dict) -> dict:
    experiments = []
    for m in models:
        for e in m.design.experiments:
            t = truths[e.ophys_experiment_id]
            experiments.append({
                "ophys_experiment_id": e.ophys_experiment_id,
                "experiment_container_id": m.design.experiment_container_id,
                "session_type": e.session_type,
                "n_cells": int(len(t.rows)),
                "n_frames": int(t.spikes.shape[1]),
                "eye_tracking": not e.fail_eye_tracking,
            })
    return {
        "seed": seed,
        "size": size,
        "brainobs_version": __version__,
        "sample_format": SAMPLE_FORMAT,
        "note": synthetic_note(seed),
        "cell_metrics": f"brainobs.analysis.compute_cell_metrics (n_shuffles={N_SHUFFLES})",
        "counts": {
            "experiment_containers": len(models),
            "ophys_experiments": len(experiments),
            "cell_specimens": int(sum(len(m.design.cell_specimen_ids) for m in models)),
            "rois": int(sum(e["n_cells"] for e in experiments)),
        },
        "experiment_containers": [container_summary(m.design) for m in models],
        "ophys_experiments": experiments,
    }


def _container_records(models: list[ContainerModel], tables: dict, seed: int) -> list[dict]:
    """Cell-metric records of every container, sorted by cell specimen id."""
    cells = []
    for m in models:
        by_letter = {session_letter(e.session_type): tables[e.ophys_experiment_id]
                     for e in m.design.experiments}
        cells.extend(cell_metric_records(m.design, by_letter, seed))
    return sorted(cells, key=lambda r: r["cell_specimen_id"])


def _write_tree(tmp: Path, seed: int, size: str, workers: int | None) -> None:
    base = tmp / RELEASE_FOLDER
    for sub in ("ophys_experiment_data", "ophys_experiment_events"):
        (base / sub).mkdir(parents=True)
    designs = design_release(seed, size)
    templates = make_templates(SIZES[size], _lsn_lengths(designs, size))
    models = [build_container(d, SIZES[size], seed) for d in designs]
    truths: dict[int, SessionTruth] = {}
    with MetricJobs(workers) as jobs:
        for model in models:
            truths.update(_write_experiments(model, size, templates, seed, base, jobs))
        _write_json(base / "manifest.json", manifest(), sort_keys=False)  # AllenSDK's key order
        _write_json(base / "experiment_containers.json",
                    [container_record(d, seed) for d in designs])
        experiments = [experiment_record(d, e, seed) for d in designs for e in d.experiments]
        _write_json(base / "ophys_experiments.json", sorted(experiments, key=lambda r: r["id"]))
        _write_json(base / "stimulus_mappings.json", stimulus_mapping_records(seed))
        write_truth(tmp / TRUTH_FOLDER, models, truths, _summary(seed, size, models, truths))
        started = time.perf_counter()
        tables = jobs.results()
        logger.info("cell metrics: waited %.1f s for %d experiments (%d workers)",
                    time.perf_counter() - started, len(tables), jobs.workers)
    _write_json(base / "cell_specimens.json", _container_records(models, tables, seed))


def write_sample_release(
    root: str | os.PathLike[str],
    *,
    seed: int = 0,
    size: str = "default",
    overwrite: bool = False,
    workers: int | None = None,
) -> Path:
    """Generate the sample release under ``root``.

    Parameters
    ----------
    root : str or PathLike
        Folder of the release; it gets ``visual-coding-2p/`` (the files, in the layout of the
        real release) and ``ground_truth/`` (the planted truth).
    seed : int, optional
        Seed of every random choice; the same seed gives the same release.
    size : {"default", "small", "large"}, optional
        ``"default"``: 5 containers (one failed), about 40 cells each, short blocks.
        ``"small"``: the same containers with few cells and trials (fast tests).
        ``"large"``: one container, about 220 cells, real repeat counts (~1 h sessions).
    overwrite : bool, optional
        Replace an existing, non-empty ``root``.
    workers : int, optional
        Processes that compute the cell metrics from the written files (default: one per
        available CPU; 1 computes them in this process). The values do not depend on it.

    Returns
    -------
    Path
        ``root``.

    Raises
    ------
    FileExistsError
        ``root`` exists, is not empty and ``overwrite`` is False.
    InvalidChoiceError
        ``size`` is not one of the sizes.

    Examples
    --------
    >>> from brainobs.sample import write_sample_release
    >>> root = write_sample_release("sample-release", size="small")  # doctest: +SKIP
    >>> sorted(p.name for p in root.iterdir())  # doctest: +SKIP
    ['ground_truth', 'visual-coding-2p']
    """
    check_choice("sample release size", size, SIZES, hint="Use 'default' unless you need speed.")
    root = Path(root).expanduser().resolve()
    _check_target(root, overwrite)
    root.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tmp = root.with_name(f".{root.name}.partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _write_tree(tmp, int(seed), size, workers)
        if root.exists():
            old = root.with_name(f".{root.name}.old-{os.getpid()}")
            root.rename(old)
            tmp.rename(root)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    logger.info("sample release (%s, seed %d) written to %s in %.1f s", size, seed, root,
                time.perf_counter() - started)
    return root


def sample_is_current(root: str | os.PathLike[str]) -> bool:
    """Whether the sample release under ``root`` was made by this version of the generator.

    A release made by an older brainobs (another ``SAMPLE_FORMAT``, e.g. cell metrics taken
    from the ground truth instead of measured) is not current.

    Examples
    --------
    >>> sample_is_current("/nonexistent")
    False
    """
    summary = Path(root) / TRUTH_FOLDER / "release.json"
    try:
        found = json.loads(summary.read_text(encoding="utf-8")).get("sample_format")
    except (OSError, ValueError):
        return False
    return found == SAMPLE_FORMAT


def write_analysis_files(root: str | os.PathLike[str]) -> list[Path]:
    """Write the analysis file of every experiment of the release under ``root``.

    Each is ``ophys_experiment_analysis/<id>_<session_type>_analysis.h5`` in the real layout,
    computed by :func:`brainobs.analysis.analysis_file.write_analysis_file` from the NWB file.
    ``VisualCoding2P(source="sample")`` writes them one at a time on first request instead;
    all of them take about a minute and ~325 MB for the default release.

    Returns
    -------
    list of pathlib.Path
        The files written, in experiment order.

    Examples
    --------
    >>> write_analysis_files("/tmp/brainobs-sample")  # doctest: +SKIP
    """
    from ..analysis.analysis_file import analysis_file_name, write_analysis_file
    from ..nwb import open_nwb

    base = Path(root) / RELEASE_FOLDER
    written = []
    for nwb in sorted((base / "ophys_experiment_data").glob("*.nwb")):
        with open_nwb(nwb) as experiment:
            session = str(experiment.metadata["session_type"])
        target = base / "ophys_experiment_analysis" / analysis_file_name(int(nwb.stem), session)
        written.append(write_analysis_file(nwb, target))
    return written
