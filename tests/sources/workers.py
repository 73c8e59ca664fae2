"""Functions run in other processes by the download tests (importable, so spawn can find them)."""

from __future__ import annotations

import hashlib
import sys


def fetch_and_hash(url: str, target: str) -> tuple[str, str]:
    """Download ``url`` to ``target`` in this process; return the path and the file's md5."""
    from brainobs.sources.download import download

    path = download(url, target, progress=False, retries=3, timeout=(5, 5))
    return str(path), hashlib.md5(path.read_bytes()).hexdigest()


def main() -> None:
    """``python -m tests.sources.workers URL TARGET``: one download, for the kill test."""
    fetch_and_hash(sys.argv[1], sys.argv[2])


if __name__ == "__main__":
    main()
