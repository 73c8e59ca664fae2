"""Where bytes come from: safe downloads, the public S3 bucket, the Allen API, a local mirror.

No pandas and no plotting here. Names load lazily, so importing this package is cheap.
(``brainobs.sources.download`` is the module; the function is ``download.download``.)

* :func:`brainobs.sources.download.download` — stream to ``.part``, resume with HTTP Range,
  retry, verify, rename into place, one downloader per file (a lock).
* :mod:`~brainobs.sources.s3` — bucket keys and URLs, HEAD, ListObjectsV2, :func:`fetch`.
* :mod:`~brainobs.sources.allen_api` — RMA query URLs, the JSON envelope, paging, file links.
* :func:`serve` / :func:`run_mirror` — serve a folder in the S3 layout (classrooms, tests).
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "ensure_space": "brainobs.sources.download",
    "safe_join": "brainobs.sources.paths",
    "check_key": "brainobs.sources.paths",
    "check_file": "brainobs.sources.verify",
    "file_hash": "brainobs.sources.verify",
    "verify_hdf5": "brainobs.sources.verify",
    "Checks": "brainobs.sources.verify",
    "fetch": "brainobs.sources.s3",
    "head": "brainobs.sources.s3",
    "list_objects": "brainobs.sources.s3",
    "object_url": "brainobs.sources.s3",
    "serve": "brainobs.sources.mirror",
    "run_mirror": "brainobs.sources.mirror",
}
_SUBMODULES = (
    "allen_api",
    "download",
    "mirror",
    "mirror_api",
    "paths",
    "progress",
    "s3",
    "transport",
    "verify",
)

__all__ = sorted([*_LAZY, *_SUBMODULES])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"brainobs.sources.{name}")
    raise AttributeError(f"module 'brainobs.sources' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
