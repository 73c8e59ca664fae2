"""Print redraw times of every explorer (the target: every redraw under 150 ms).

Usage: python benchmarks/bench_widgets.py [--cells 100] [--trials 2400] [--repeat 7]

Writes one experiment file with 100 cells x about 100,000 frames (a three_session_B layout
made with the tests' tiny-session builder, dF/F replaced by baseline noise plus calcium
transients), then times, as medians of ``--repeat`` runs, each redraw path (read + draw +
PNG, as a control change makes it):

* TraceExplorer, all cells over the whole session: a window move, a change of cells, and the
  first show of an experiment (which reads its dF/F from the file); 10 cells x 2 min;
* TuningExplorer: a change of cell (first show: analysis included; then from memory) and a
  change of stimulus;
* StimulusViewer: a change of index for each kind of stimulus;
* CellPicker: a change of cell;
* ExperimentPicker: a change of area over the real 216 container records (when ../shared is
  there).

Each line gives the wall time and the CPU time of this process: on a machine shared with
other work the wall time is higher, the CPU time is what the redraw costs.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # for tests.helpers (the tiny-session builder)


def _median_ms(func: Callable[[], object], repeat: int) -> str:
    """Median wall time, median and least CPU time of ``func()`` in ms, as text.

    The CPU time of this process is what the redraw costs on an otherwise idle machine (the
    least of the runs is the steadiest figure); the wall time is higher when other processes
    compete for the cores.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        func()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return (f"{1000 * statistics.median(walls):.0f} ms (CPU {1000 * statistics.median(cpus):.0f}"
            f" ms, least {1000 * min(cpus):.0f} ms)")


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
    from brainobs.widgets._figure import render_png

    n, times = experiment.number_of_cells, experiment.get_fluorescence_timestamps()
    whole = (float(np.floor(times[0])), float(np.ceil(times[-1])))
    explorer = TraceExplorer(experiment, cells=(0, n - 1), window=whole)
    size = f"{n} cells x {len(times):,} frames"
    windows = iter([(whole[0] + 1, whole[1]), whole] * repeat)  # each one a change

    def move() -> None:
        explorer.sliders["window"].value = next(windows)  # the redraw a slider move makes

    print(f"TraceExplorer, {size}, window moved: {_median_ms(move, repeat)}")
    png = _median_ms(lambda: render_png(explorer._figure, palette=True), repeat)
    print(f"  of which Agg draw + PNG {png} (PNG {len(explorer.png) / 1e3:.0f} kB)")
    cells = iter([(1, n - 1), (0, n - 1)] * repeat)

    def change_cells() -> None:
        explorer.sliders["cells"].value = next(cells)

    print(f"TraceExplorer, {size}, cells changed: {_median_ms(change_cells, repeat)}")

    def first_show() -> None:
        explorer._rows = None  # forget the traces read, as for a newly shown experiment
        explorer.refresh()

    print(f"TraceExplorer, {size}, first show of the experiment (reads its dF/F): "
          f"{_median_ms(first_show, repeat)}")
    ids = experiment.cell_specimen_ids
    print(f"  of which reading dF/F from the file: "
          f"{_median_ms(lambda: experiment.get_dff(ids), repeat)}")
    with explorer._quiet():
        explorer.sliders["cells"].value = (0, 9)
    starts = iter([whole[0], whole[0] + 60.0] * repeat)

    def move_short() -> None:
        start = next(starts)
        explorer.sliders["window"].value = (start, start + 120.0)

    print(f"TraceExplorer, 10 cells x 2 min, window moved: {_median_ms(move_short, repeat)}")
    static = _median_ms(lambda: explorer.static(cells=(0, n - 1), window=whole).savefig(
        io.BytesIO(), format="png"), 3)
    print(f"TraceExplorer.static(), {size} (a new figure, saved as PNG): {static}")


def _tuning_figures(experiment: object, repeat: int) -> None:
    from brainobs.widgets import TuningExplorer

    explorer = TuningExplorer(experiment, stimulus="static_gratings")
    cells = [int(c) for c in experiment.cell_specimen_ids[:4]]
    stimuli = [v for _, v in explorer.dropdowns["stimulus"].options]
    for stimulus in stimuli:
        explorer.dropdowns["stimulus"].value = stimulus
        shown = explorer.state()["cell_specimen_id"]
        turn = iter([c for c in cells if c != shown] * 3 * repeat)  # each one a change

        def first(turn: Any = turn) -> None:
            explorer._responses.clear()
            explorer.dropdowns["cell_specimen_id"].value = next(turn)

        def again(turn: Any = turn) -> None:
            explorer.dropdowns["cell_specimen_id"].value = next(turn)

        print(f"TuningExplorer {stimulus}, cell changed: first show {_median_ms(first, 3)} "
              f"(analysis included), from memory {_median_ms(again, repeat)}")
    shown = explorer.state()["stimulus"]
    order = iter(([s for s in stimuli if s != shown] + [shown]) * repeat)

    def change_stimulus() -> None:
        explorer.dropdowns["stimulus"].value = next(order)

    print(f"TuningExplorer, stimulus changed (responses in memory): "
          f"{_median_ms(change_stimulus, repeat)}")


def _stimulus_and_cell_figures(experiment: object, repeat: int) -> None:
    from brainobs.widgets import CellPicker, StimulusViewer

    viewer = StimulusViewer(experiment)
    for stimulus in [v for _, v in viewer.stimulus_dropdown.options]:
        viewer.stimulus_dropdown.value = stimulus
        count, start = viewer.count(stimulus), viewer.index_slider.value + 1
        indices = iter([i % count for i in range(start, start + 2 * repeat + 2)])

        def step(indices: Any = indices) -> None:
            viewer.index_slider.value = next(indices)

        print(f"StimulusViewer {stimulus}, index changed: {_median_ms(step, repeat)}")
    picker = CellPicker(experiment)
    ids = iter([int(c) for c in experiment.cell_specimen_ids[1:]] * 2)

    def choose() -> None:
        picker.dropdown.value = next(ids)

    print(f"CellPicker, {experiment.number_of_cells} cells, cell changed: "
          f"{_median_ms(choose, repeat)}")


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
        shown = picker.value["targeted_structure"]
        turn = iter([a for a in areas if a != shown] * repeat * 2)  # each one a change
        change = _median_ms(lambda: picker.select(targeted_structure=next(turn)), repeat)
        print(f"ExperimentPicker over {len(vc.containers())} real containers, area changed "
              f"(cascade + figure): {change}")


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
          f"on {os.cpu_count()} cores; target: every redraw < 150 ms")
    with tempfile.TemporaryDirectory(prefix="brainobs-bench-") as folder:
        start = time.perf_counter()
        path = _write_experiment(Path(folder), args.cells, args.trials)
        print(f"test file: {path.stat().st_size / 1e6:.0f} MB written in "
              f"{time.perf_counter() - start:.1f} s")
        with open_nwb(path) as experiment:
            _trace_figures(experiment, args.repeat)
            _tuning_figures(experiment, args.repeat)
            _stimulus_and_cell_figures(experiment, args.repeat)
    _picker_figures(args.repeat)


if __name__ == "__main__":
    main()
