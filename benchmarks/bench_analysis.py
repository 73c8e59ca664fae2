"""Print how long all cell metrics of a session take with brainobs, next to AllenSDK 2.16.2.

Usage::

    python benchmarks/bench_analysis.py [--nwb FILE ...] [--size default|large] [--keep DIR]
                                        [--sdk-python PATH] [--no-sdk] [--cells N]

Without ``--nwb`` the sample release (``write_sample_release``) of the given size is written
and one experiment per session type is timed; if the release writer is missing, synthetic
sessions from ``tests/analysis/synthetic.py`` (``--cells`` cells, real stimulus structure) are
used. AllenSDK runs ``tests/analysis/sdk_metrics.py`` on the same file in its own interpreter
(``--sdk-python`` or ``BRAINOBS_ALLENSDK_PYTHON``); its LocallySparseNoise takes seconds per
cell, so for large sessions add ``--no-sdk`` unless you can wait.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SDK_SCRIPT = REPO / "tests" / "analysis" / "sdk_metrics.py"


def _release_files(root: Path, size: str) -> list[Path]:
    """One NWB file per session type from a sample release written under ``root``."""
    from brainobs.nwb import open_nwb
    from brainobs.sample.release import write_sample_release

    start = time.perf_counter()
    write_sample_release(root, size=size, overwrite=True)
    print(f"sample release ({size}) written in {time.perf_counter() - start:.0f} s")
    chosen: dict[str, Path] = {}
    for path in sorted(root.rglob("*.nwb")):
        with open_nwb(path) as experiment:
            session = str(experiment.metadata["session_type"])
            cells = experiment.number_of_cells
        if session not in chosen or cells > chosen[session][1]:
            chosen[session] = (path, cells)
    return [chosen[s][0] for s in sorted(chosen)]


def _synthetic_files(root: Path, n_cells: int) -> list[Path]:
    sys.path.insert(0, str(REPO))
    from brainobs.sample.nwb1_writer import write_nwb1
    from tests.analysis.synthetic import make_analysis_session

    files = []
    for session in ("three_session_A", "three_session_B", "three_session_C", "three_session_C2"):
        content = make_analysis_session(session, n_cells=n_cells)
        files.append(write_nwb1(content, root / f"{session}.nwb"))
    return files


def _time_brainobs(path: Path) -> tuple[dict[str, float], float, int, str]:
    from brainobs.analysis.inputs import SessionData
    from brainobs.analysis.metrics import analyze_stimulus, metrics_from_results
    from brainobs.nwb import open_nwb

    seconds: dict[str, float] = {}
    start = time.perf_counter()
    with open_nwb(path) as experiment:
        data = SessionData.from_experiment(experiment)
    seconds["(read file)"] = time.perf_counter() - start
    results = {}
    for stimulus in data.stimuli:
        begin = time.perf_counter()
        results[stimulus] = analyze_stimulus(data, stimulus)
        seconds[stimulus] = time.perf_counter() - begin
    metrics_from_results(results, data.session_type, data.metadata)
    return seconds, time.perf_counter() - start, len(data.cell_specimen_ids), data.session_type


def _time_sdk(python: str, path: Path, out: Path) -> tuple[dict[str, float], float]:
    start = time.perf_counter()
    subprocess.run([python, "-W", "ignore", str(SDK_SCRIPT), str(path), str(out)], check=True,
                   capture_output=True)
    total = time.perf_counter() - start
    with open(out.with_suffix(".json")) as f:
        return json.load(f)["seconds"], total


def _report(path: Path, sdk_python: str | None, work: Path) -> None:
    ours, our_total, n_cells, session = _time_brainobs(path)
    theirs, their_total = ({}, float("nan"))
    if sdk_python:
        theirs, their_total = _time_sdk(sdk_python, path, work / f"{path.stem}-sdk.npz")
    print(f"\n{session}: {path.name}, {n_cells} cells")
    print(f"  {'stimulus':28s}{'brainobs s':>12s}{'AllenSDK s':>12s}{'speed-up':>10s}")
    for stimulus, value in ours.items():
        sdk = theirs.get(stimulus, float("nan"))
        ratio = f"{sdk / value:9.0f}x" if sdk == sdk else ""
        print(f"  {stimulus:28s}{value:12.2f}{sdk:12.1f}{ratio:>10s}")
    ratio = f"{their_total / our_total:9.0f}x" if their_total == their_total else ""
    print(f"  {'all metrics (wall, with I/O)':28s}{our_total:12.2f}{their_total:12.1f}{ratio:>10s}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nwb", nargs="*", type=Path, default=None, help="NWB 1 files to time")
    parser.add_argument("--size", default="default", choices=("small", "default", "large"))
    parser.add_argument("--cells", type=int, default=24, help="cells of synthetic sessions")
    parser.add_argument("--keep", default=None, help="write files here and keep them")
    parser.add_argument("--sdk-python", default=os.environ.get("BRAINOBS_ALLENSDK_PYTHON"))
    parser.add_argument("--no-sdk", action="store_true", help="time brainobs only")
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="brainobs-bench-analysis-"))
    work.mkdir(parents=True, exist_ok=True)
    files = args.nwb
    if not files:
        try:
            files = _release_files(work / "release", args.size)
        except ModuleNotFoundError:
            files = _synthetic_files(work, args.cells)
    sdk_python = None if args.no_sdk else args.sdk_python
    if sdk_python is None and not args.no_sdk:
        print("AllenSDK not timed: pass --sdk-python or set BRAINOBS_ALLENSDK_PYTHON.")
    for path in files:
        _report(Path(path), sdk_python, work)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this (brainobs) process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
