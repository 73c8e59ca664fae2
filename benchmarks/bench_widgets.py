"""Print redraw times of the widgets (the target: a trace redraw under 150 ms).

Usage: python benchmarks/bench_widgets.py [--cells 100] [--trials 2400] [--repeat 7]

Writes one experiment file with 100 cells x about 100,000 frames (a three_session_B layout
made with the tests' tiny-session builder, dF/F replaced by baseline noise plus calcium
transients), then times, as medians of ``--repeat`` runs:

* a TraceExplorer redraw of all cells over the whole session (read + draw + PNG), and its parts;
* a redraw of 10 cells over two minutes;
* a TuningExplorer redraw (first time for a cell, with the analysis; then from memory);
* an ExperimentPicker change over the real 216 container records (when ../shared is there).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.helpers (the tiny-session builder)


def _median_ms(func: Callable[[], object], repeat: int) -> str:
    """Median wall time and CPU time of ``func()`` in ms, as text.

    The CPU time of this process is what the redraw costs on an otherwise idle machine; the
    wall time is higher when other processes compete for the cores.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return f"{1000 * statistics.median(walls):.0f} ms (CPU {1000 * statistics.median(cpus):.0f} ms)"


def _realistic_dff(n_cells: int, n_frames: int, rng: np.random.Generator) -> np.ndarray:
    """Baseline noise (sd 0.03) plus about one exponential transient a minute per cell."""
    dff = 0.03 * rng.standard_normal((n_cells, n_frames)).astype(np.float32)
    kernel = np.exp(-np.arange(90) / 20.0)
    for row in dff:
        spikes = np.zeros(n_frames)
        spikes[rng.integers(0, n_frames, n_frames // 1800)] = rng.uniform(0.3, 2.0)
        row += np.convolve(spikes, kernel)[:n_frames].astype(np.float32)
    return dff


def _write_experiment(folder: Path, n_cells: int, n_trials: int) -> Path:
    from brainobs.sample.nwb1_writer import write_nwb1
    from tests.helpers import make_tiny_session

    content = make_tiny_session(n_cells=n_cells, n_trials=n_trials)
    content.dff = _realistic_dff(n_cells, len(content.dff_timestamps), np.random.default_rng(0))
    return write_nwb1(content, folder / "bench.nwb")


def _trace_figures(experiment: object, repeat: int) -> None:
    from brainobs.widgets import TraceExplorer
    from brainobs.widgets._shell import render_png

    n, times = experiment.number_of_cells, experiment.get_fluorescence_timestamps()
    whole = (float(np.floor(times[0])), float(np.ceil(times[-1])))
    explorer = TraceExplorer(experiment, cells=(0, n - 1), window=whole)
    windows = iter([whole, (whole[0] + 1, whole[1])] * repeat)

    def move() -> None:
        explorer.sliders["window"].value = next(windows)  # the redraw a slider move makes

    def reread() -> None:
        explorer._rows = None  # forget the traces read, as after a change of cells
        explorer.refresh()

    total = _median_ms(move, repeat)
    print(f"TraceExplorer redraw, {n} cells x {len(times):,} frames (window moved): "
          f"{total} (target < 150 ms)")
    png = _median_ms(lambda: render_png(explorer._figure, palette=True), repeat)
    print(f"  of which Agg draw + PNG {png} (PNG {len(explorer._image.value) / 1e3:.0f} kB)")
    print(f"TraceExplorer redraw after a change of cells (reads {n} traces): "
          f"{_median_ms(reread, repeat)}")
    ids = experiment.cell_specimen_ids
    read = _median_ms(lambda: experiment.get_dff(ids), repeat)
    print(f"  of which reading dF/F from the file: {read}")
    explorer.sliders["cells"].value, explorer.sliders["window"].value = (0, 9), (whole[0],
                                                                               whole[0] + 120)
    short = _median_ms(explorer.refresh, repeat)
    print(f"TraceExplorer redraw, 10 cells x 2 min: {short}")
    static = _median_ms(lambda: explorer.static(cells=(0, n - 1), window=whole), 3)
    print(f"TraceExplorer.static(), all cells, whole session (no PNG): {static}")


def _tuning_figures(experiment: object, repeat: int) -> None:
    from brainobs.widgets import TuningExplorer

    explorer = TuningExplorer(experiment, stimulus="static_gratings")
    for stimulus in ("static_gratings", "natural_scenes"):
        cell = int(experiment.cell_specimen_ids[1])
        explorer.dropdowns["cell_specimen_id"].value = cell
        explorer.dropdowns["stimulus"].value = stimulus
        explorer._responses.clear()
        first = _median_ms(lambda: (explorer._responses.clear(), explorer.refresh()), 3)
        again = _median_ms(explorer.refresh, repeat)
        print(f"TuningExplorer {stimulus}: first show of a cell {first} (analysis included), "
              f"redraw {again}")


def _picker_figures(repeat: int) -> None:
    from brainobs import VisualCoding2P
    from brainobs.widgets import ExperimentPicker

    records = REPO.parent / "shared" / "realdata" / "visual-coding-2p" / "boc"
    if not (records / "experiment_containers.json").is_file():
        print("ExperimentPicker: skipped (the real records in ../shared are absent)")
        return
    with tempfile.TemporaryDirectory() as folder:
        vc = VisualCoding2P(source=records, cache_dir=folder)
        picker = ExperimentPicker(vc)
        areas = [v for _, v in picker.dropdowns["targeted_structure"].options]
        turn = iter(areas * repeat * 2)
        change = _median_ms(lambda: picker.select(targeted_structure=next(turn)), repeat)
        print(f"ExperimentPicker over {len(vc.containers())} real containers: a change of "
              f"area (cascade + figure) {change}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--trials", type=int, default=2400, help="trials per block")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("Agg")
    from brainobs.nwb import open_nwb

    print(f"load average before: {', '.join(f'{v:.1f}' for v in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="brainobs-bench-") as folder:
        start = time.perf_counter()
        path = _write_experiment(Path(folder), args.cells, args.trials)
        print(f"test file: {path.stat().st_size / 1e6:.0f} MB written in "
              f"{time.perf_counter() - start:.1f} s")
        with open_nwb(path) as experiment:
            _trace_figures(experiment, args.repeat)
            _tuning_figures(experiment, args.repeat)
    _picker_figures(args.repeat)


if __name__ == "__main__":
    main()
