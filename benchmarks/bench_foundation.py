"""Print speed and size figures of the sample release and the NWB 1 reader.

Usage: python benchmarks/bench_foundation.py [--size default|large] [--keep DIR]

Figures: time and disk size to write the sample release; `import brainobs` time; time to open an
experiment (metadata only); time to read dF/F of 10 cells over the whole session, of all cells over
a 60 s window, and of everything; stimulus-table time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _timed(func, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _import_time() -> float:
    code = "import time; t=time.perf_counter(); import brainobs; print(time.perf_counter()-t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        for _ in range(5)
    ]
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="default", choices=("small", "default", "large"))
    parser.add_argument("--keep", default=None, help="write the release here and keep it")
    args = parser.parse_args()

    from brainobs import VisualCoding2P
    from brainobs.sample.release import write_sample_release

    root = Path(args.keep or tempfile.mkdtemp(prefix="brainobs-bench-")) / "release"
    start = time.perf_counter()
    write_sample_release(root, size=args.size, overwrite=True)
    seconds = time.perf_counter() - start
    files = [p for p in root.rglob("*") if p.is_file()]
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    print(f"sample release ({args.size}): {seconds:.1f} s, {megabytes:.1f} MB, {len(files)} files")
    print(f"import brainobs: {_import_time() * 1000:.0f} ms (median of 5 fresh processes)")

    vc = VisualCoding2P(source=root)
    experiments = vc.experiments(include_failed=True)
    biggest = max(experiments.index, key=lambda i: vc.experiment_path(i).stat().st_size)
    path = vc.experiment_path(biggest)
    print(f"experiment {biggest}: {path.stat().st_size / 1e6:.1f} MB")

    def open_only() -> None:
        vc.experiment(biggest).close()

    exp = vc.experiment(biggest)
    ids = exp.cell_specimen_ids
    t, _ = exp.get_dff(cell_specimen_ids=ids[:1])
    print(f"  {len(ids)} cells x {len(t)} frames")
    print(f"  open (metadata only):        {_timed(open_only) * 1000:8.1f} ms")
    figures = {
        "dF/F, 10 cells, whole session": lambda: exp.get_dff(cell_specimen_ids=ids[:10]),
        "dF/F, all cells, 60 s window": lambda: exp.get_dff(start=0, stop=1800),
        "dF/F, everything": lambda: exp.get_dff(),
        "corrected fluorescence, all": lambda: exp.get_corrected(),
        "stimulus table, master": lambda: exp.get_stimulus_table("master"),
    }
    for label, func in figures.items():
        print(f"  {label + ':':29s}{_timed(func) * 1000:8.1f} ms")
    exp.close()


if __name__ == "__main__":
    main()
