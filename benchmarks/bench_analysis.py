"""Print how long all cell metrics of a session take with brainobs, next to AllenSDK 2.16.2.

Usage::

    python benchmarks/bench_analysis.py [--release DIR | --nwb FILE ... | --size SIZE]
                                        [--sdk-python PATH] [--no-sdk] [--sdk-lsn]
                                        [--keep DIR]

Files timed, one experiment per session type (the one with the most cells):

* ``--release DIR``: an existing sample release (``DIR/visual-coding-2p/...``), e.g. the
  one in the brainobs cache;
* ``--nwb FILE ...``: these NWB 1 files;
* otherwise a sample release of ``--size`` (``default``; ``large`` = one container of about
  230 cells with full-length blocks) is written first, with the time that took.

brainobs reads the file once and analyses every stimulus of the session (both sparse-noise
blocks of C2), with the Allen settings (10,000 shuffles). AllenSDK runs
``tests/analysis/sdk_metrics.py`` on the same file in its own interpreter (``--sdk-python``,
``$BRAINOBS_ALLENSDK_PYTHON`` or ``.venv-allensdk``). AllenSDK's sparse-noise analysis takes
seconds per cell, so for sessions of more than 60 cells it is left out unless ``--sdk-lsn`` is
given; the table says so. Speed-ups compare the analysis times (AllenSDK's include its own
reading of the file, which it repeats per stimulus, but not its imports; brainobs imports
everything before timing); the last two lines compare the sums, without and with brainobs's
single read of the file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SDK_SCRIPT = REPO / "tests" / "analysis" / "sdk_metrics.py"
SDK_LSN_MAX_CELLS = 60
READ = "(read file)"


def _write_release(root: Path, size: str) -> Path:
    from brainobs.sample.release import write_sample_release

    start = time.perf_counter()
    write_sample_release(root, size=size, overwrite=True)
    print(f"sample release ({size}) written, cell metrics included, in "
          f"{time.perf_counter() - start:.0f} s")
    return root


def _one_per_session(root: Path) -> list[Path]:
    """The NWB file with the most cells of each session type in a release."""
    from brainobs.nwb import open_nwb

    chosen: dict[str, tuple[Path, int]] = {}
    for path in sorted(root.rglob("*.nwb")):
        with open_nwb(path) as experiment:
            session = str(experiment.metadata["session_type"])
            cells = experiment.number_of_cells
        if session not in chosen or cells > chosen[session][1]:
            chosen[session] = (path, cells)
    return [chosen[s][0] for s in sorted(chosen)]


def _warm_up() -> None:
    """Import what the analyses use, so that no timing includes an import."""
    import importlib

    for name in ("h5py", "pandas", "scipy.stats", "scipy.optimize", "scipy.ndimage",
                 "scipy.special", "brainobs.nwb", "brainobs.analysis.gratings",
                 "brainobs.analysis.scenes", "brainobs.analysis.movies",
                 "brainobs.analysis.receptive_fields"):
        importlib.import_module(name)


def _time_brainobs(path: Path) -> tuple[dict[str, float], int, str]:
    from brainobs.analysis.inputs import SessionData
    from brainobs.analysis.metrics import analyze_stimulus, metrics_from_results
    from brainobs.nwb import open_nwb

    seconds: dict[str, float] = {}
    start = time.perf_counter()
    with open_nwb(path) as experiment:
        data = SessionData.from_experiment(experiment)
    seconds[READ] = time.perf_counter() - start
    results = {}
    for stimulus in data.stimuli:
        begin = time.perf_counter()
        results[stimulus] = analyze_stimulus(data, stimulus)
        seconds[stimulus] = time.perf_counter() - begin
    metrics_from_results(results, data.session_type, data.metadata)
    return seconds, len(data.cell_specimen_ids), data.session_type


def _time_sdk(python: str, path: Path, out: Path, stimuli: list[str]) -> dict[str, float]:
    subprocess.run([python, "-W", "ignore", str(SDK_SCRIPT), str(path), str(out), *stimuli],
                   check=True, capture_output=True)
    with open(out.with_suffix(".json")) as f:
        return json.load(f)["seconds"]


def _ratio(sdk: float, ours: float) -> str:
    return f"{sdk / ours:9.0f}x" if sdk == sdk and ours > 0 else ""


def _report(path: Path, sdk_python: str | None, sdk_lsn: bool, work: Path) -> None:
    ours, n_cells, session = _time_brainobs(path)
    stimuli = [s for s in ours if s != READ]
    skip_lsn = n_cells > SDK_LSN_MAX_CELLS and not sdk_lsn
    for_sdk = [s for s in stimuli if not (skip_lsn and s.startswith("locally_sparse_noise"))]
    theirs: dict[str, float] = {}
    if sdk_python and for_sdk:
        theirs = _time_sdk(sdk_python, path, work / f"{path.stem}-sdk.npz", for_sdk)
    print(f"\n{session}: {path.name}, {n_cells} cells")
    print(f"  {'stimulus':28s}{'brainobs s':>12s}{'AllenSDK s':>12s}{'speed-up':>10s}")
    for stimulus, value in ours.items():
        sdk = theirs.get(stimulus, float("nan"))
        note = "  (AllenSDK not run)" if sdk_python and stimulus not in theirs and \
            stimulus != READ else ""
        print(f"  {stimulus:28s}{value:12.2f}{sdk:12.1f}{_ratio(sdk, value):>10s}{note}")
    compared = [s for s in stimuli if s in theirs]
    if compared:
        our_sum = ours[READ] + sum(ours[s] for s in compared)
        their_sum = sum(theirs[s] for s in compared)
        label = "all metrics" if len(compared) == len(stimuli) else "metrics AllenSDK ran"
        analyses = our_sum - ours[READ]
        print(f"  {label:28s}{analyses:12.2f}{their_sum:12.1f}{_ratio(their_sum, analyses):>10s}")
        print(f"  {label + ' + read':28s}{our_sum:12.2f}{their_sum:12.1f}"
              f"{_ratio(their_sum, our_sum):>10s}")
    else:
        print(f"  {'all metrics + read':28s}{sum(ours.values()):12.2f}")


def _sdk_python(given: str | None) -> str | None:
    if given:
        return given
    local = REPO / ".venv-allensdk" / "bin" / "python"
    return str(local) if local.is_file() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=None, help="existing sample release")
    parser.add_argument("--nwb", nargs="*", type=Path, default=None, help="NWB 1 files to time")
    parser.add_argument("--size", default="default", choices=("small", "default", "large"))
    parser.add_argument("--keep", default=None, help="write files here and keep them")
    parser.add_argument("--sdk-python", default=os.environ.get("BRAINOBS_ALLENSDK_PYTHON"))
    parser.add_argument("--no-sdk", action="store_true", help="time brainobs only")
    parser.add_argument("--sdk-lsn", action="store_true",
                        help=f"run AllenSDK's sparse noise also above {SDK_LSN_MAX_CELLS} cells")
    args = parser.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="brainobs-bench-analysis-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.nwb:
        files = args.nwb
    else:
        root = args.release or _write_release(work / "release", args.size)
        files = _one_per_session(root)
    sdk_python = None if args.no_sdk else _sdk_python(args.sdk_python)
    if sdk_python is None and not args.no_sdk:
        print("AllenSDK not timed: pass --sdk-python or set BRAINOBS_ALLENSDK_PYTHON.")
    _warm_up()
    for path in files:
        _report(Path(path), sdk_python, args.sdk_lsn, work)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this (brainobs) process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
