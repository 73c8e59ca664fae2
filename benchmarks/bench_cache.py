"""Print the cache's speed figures: metadata tables cold and warm, filters, downloads.

Usage: python benchmarks/bench_cache.py [--cells 63251] [--mb 200] [--repeat 5]

Figures:
* a cell table of ``--cells`` rows with every column of the real ``cell_specimens.json``
  (synthetic values): first load (JSON parse, table build, fast copy written) and warm load
  (from the copy), in this process and in a fresh one (imports included);
* filter times on that table (cells by container, containers by area and cre line);
* an experiment's file fetched through ``VisualCoding2P`` from the loopback mirror (HEAD, GET,
  md5 against the ETag, HDF5 check, ledger record) next to ``curl`` on the same URL.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _median(func, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _line(label: str, seconds: float, extra: str = "") -> None:
    print(f"{label:<58} {seconds * 1000:9.1f} ms  {extra}")


def _big_cell_records(template: list[dict], n: int, seed: int = 0) -> list[dict]:
    """``n`` cell records with the template's columns; numbers random, about 30 % null."""
    import numpy as np

    rng = np.random.default_rng(seed)
    containers = sorted({r["experiment_container_id"] for r in template})
    records = []
    for i in range(n):
        record = dict(template[i % len(template)])
        record["cell_specimen_id"] = 500_000_000 + i
        record["experiment_container_id"] = containers[i % len(containers)]
        for key, value in record.items():
            if isinstance(value, float) or (value is None and key.endswith(("_dg", "_sg", "_ns"))):
                record[key] = None if rng.random() < 0.3 else round(float(rng.random()), 6)
        records.append(record)
    return records


def _release(work: Path, n_cells: int) -> tuple[Path, int]:
    from brainobs.sample.release import write_sample_release

    sample = write_sample_release(work / "sample", size="small")
    release = work / "big" / "visual-coding-2p"
    release.mkdir(parents=True)
    for name in ("experiment_containers.json", "ophys_experiments.json"):
        shutil.copy(sample / "visual-coding-2p" / name, release / name)
    template = json.loads((sample / "visual-coding-2p" / "cell_specimens.json").read_text())
    (release / "cell_specimens.json").write_text(json.dumps(_big_cell_records(template, n_cells)))
    return release.parent, len(template[0])


def _tables(root: Path, cache: Path, repeat: int) -> None:
    from brainobs import VisualCoding2P

    size = (root / "visual-coding-2p" / "cell_specimens.json").stat().st_size
    start = time.perf_counter()
    cells = VisualCoding2P(root, cache_dir=cache).cells(include_failed=True)
    _line(
        f"cells: first load ({len(cells):,} rows, {size / 1e6:.0f} MB JSON)",
        time.perf_counter() - start,
    )
    warm = _median(lambda: VisualCoding2P(root, cache_dir=cache).cells(include_failed=True), repeat)
    _line("cells: warm load (new VisualCoding2P, from the fast copy)", warm)
    code = (
        "import time; t = time.perf_counter(); from brainobs import VisualCoding2P; "
        f"VisualCoding2P({str(root)!r}, cache_dir={str(cache)!r}).cells(); "
        "print(time.perf_counter() - t)"
    )
    fresh = statistics.median(
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    )
    _line("cells: warm load in a fresh process (imports included)", fresh)
    vc = VisualCoding2P(root, cache_dir=cache)
    some = list(vc.containers().index[:2])
    _line(
        "filter: cells(experiment_container_ids=[2 containers])",
        _median(lambda: vc.cells(experiment_container_ids=some), repeat),
    )
    first = vc.containers().iloc[0]
    _line(
        "filter: containers(targeted_structures, cre_lines)",
        _median(
            lambda: vc.containers(
                targeted_structures=first.targeted_structure, cre_lines=first.cre_line
            ),
            repeat,
        ),
    )
    _line(
        "filter: experiments(stimuli='natural_scenes')",
        _median(lambda: vc.experiments(stimuli="natural_scenes"), repeat),
    )


def _write_h5(path: Path, megabytes: int) -> None:
    import h5py
    import numpy as np

    rng = np.random.default_rng(1)
    with h5py.File(path, "w") as handle:
        handle["data"] = rng.integers(0, 256, megabytes * 1_000_000, dtype=np.uint8)


def _downloads(root: Path, work: Path, megabytes: int, repeat: int) -> None:
    from brainobs import VisualCoding2P
    from brainobs.sources.mirror import serve, warm_etags

    eid = int(VisualCoding2P(root, cache_dir=work / "c0").experiments().index[0])
    nwb = root / "visual-coding-2p" / "ophys_experiment_data" / f"{eid}.nwb"
    nwb.parent.mkdir(parents=True, exist_ok=True)
    _write_h5(nwb, megabytes)
    size = nwb.stat().st_size
    server, url = serve(root)
    with server:
        warm_etags(server)
        runs = []
        for run in range(repeat):
            vc = VisualCoding2P(url, cache_dir=work / f"dl{run}", progress=False)
            vc.experiments()
            start = time.perf_counter()
            vc.experiment_path(eid)
            runs.append(time.perf_counter() - start)
        seconds = statistics.median(runs)
        _line(
            f"VisualCoding2P.experiment_path ({size / 1e6:.0f} MB, loopback)",
            seconds,
            f"{size / seconds / 1e6:6.0f} MB/s",
        )
        start = time.perf_counter()
        VisualCoding2P(url, cache_dir=work / "dl0", progress=False).experiment_path(eid)
        _line("  the same, cached (warm start)", time.perf_counter() - start)
        if shutil.which("curl"):
            target = work / "curl.nwb"
            address = f"{url}/visual-coding-2p/ophys_experiment_data/{eid}.nwb"
            seconds = _median(
                lambda: subprocess.run(["curl", "-s", "-o", str(target), address], check=True),
                repeat,
            )
            _line(
                "curl on the same URL (plain write, no checks)",
                seconds,
                f"{size / seconds / 1e6:6.0f} MB/s",
            )
        else:
            print("curl: not installed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=63_251, help="rows of the cell table")
    parser.add_argument("--mb", type=int, default=200, help="size of the downloaded file (MB)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="brainobs-bench-cache-"))
    try:
        root, n_columns = _release(work, args.cells)
        print(f"cell records: {args.cells:,} with {n_columns} columns each (the real set)")
        _tables(root, work / "cache", args.repeat)
        _downloads(root, work, args.mb, max(3, args.repeat // 2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
