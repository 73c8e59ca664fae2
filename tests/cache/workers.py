"""Functions run in other processes by the cache tests (importable, so spawn can find them)."""

from __future__ import annotations

import hashlib
import sys


def open_experiment(url: str, cache: str, ophys_experiment_id: int) -> tuple[str, str]:
    """Fetch an experiment's NWB file through ``VisualCoding2P``; return its path and md5."""
    from brainobs import VisualCoding2P

    vc = VisualCoding2P(url, cache_dir=cache, progress=False, retries=3, timeout=(5, 5))
    path = vc.experiment_path(ophys_experiment_id)
    vc.experiment(ophys_experiment_id)  # it opens
    return str(path), hashlib.md5(path.read_bytes()).hexdigest()


def main() -> None:
    """``python -m tests.cache.workers URL CACHE ID``: one experiment, for the kill test."""
    open_experiment(sys.argv[1], sys.argv[2], int(sys.argv[3]))


if __name__ == "__main__":
    main()
