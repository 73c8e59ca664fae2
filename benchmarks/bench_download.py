"""Print download throughput from the loopback mirror, next to curl, and a resumed download's time.

Usage: python benchmarks/bench_download.py [--mb 200] [--repeat 3]

Figures: the mirror's first HEAD (it hashes the file for its ETag); ``download()`` of a fresh
file (stream to .part, fsync, md5 check against the ETag, rename); the same with curl (plain
write, no check), when curl is installed; a download that resumes from a half-written .part.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def _median_seconds(func, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _report(label: str, seconds: float, n_bytes: int) -> None:
    print(f"{label:<44} {seconds:7.2f} s  {n_bytes / seconds / 1e6:8.0f} MB/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="file size in MB (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()

    import numpy as np

    from brainobs.sources import s3
    from brainobs.sources.download import download
    from brainobs.sources.mirror import serve
    from brainobs.sources.paths import part_path

    work = Path(tempfile.mkdtemp(prefix="brainobs-bench-download-"))
    size = args.mb * 1_000_000
    key = s3.nwb_key(1)
    source = work / "bucket" / key
    source.parent.mkdir(parents=True)
    source.write_bytes(np.random.default_rng(0).integers(0, 256, size, dtype=np.uint8).tobytes())
    server, base = serve(work / "bucket")
    url = s3.object_url(key, base)
    target = work / "cache" / "1.nwb"
    try:
        with server:
            start = time.perf_counter()
            s3.head(url)
            _report("mirror: first HEAD (md5 for the ETag)", time.perf_counter() - start, size)

            def fresh() -> None:
                target.unlink(missing_ok=True)
                download(url, target, progress=False)

            _report(
                "brainobs download (fsync + md5 check)", _median_seconds(fresh, args.repeat), size
            )

            curl = shutil.which("curl")
            if curl:
                out = work / "curl.nwb"
                command = [curl, "-s", "-f", "-o", str(out), url]
                seconds = _median_seconds(lambda: subprocess.run(command, check=True), args.repeat)
                _report("curl -o (no check)", seconds, size)
            else:
                print("curl: not installed")

            def resumed() -> None:
                target.unlink(missing_ok=True)
                with open(source, "rb") as whole, open(part_path(target), "wb") as part:
                    part.write(whole.read(size // 2))
                    part.flush()
                    os.fsync(part.fileno())
                start = time.perf_counter()
                download(url, target, progress=False)
                resumed.seconds.append(time.perf_counter() - start)

            resumed.seconds = []
            for _ in range(args.repeat):
                resumed()
            _report(
                "brainobs resume from a half .part (2nd half)",
                statistics.median(resumed.seconds),
                size - size // 2,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
