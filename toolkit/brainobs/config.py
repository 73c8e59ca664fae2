"""Where brainobs keeps its files and where it gets data from (``BRAINOBS_*`` settings).

Nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidChoiceError

__all__ = [
    "CACHE_DIR_ENV",
    "SOURCE_ENV",
    "SAMPLE_SOURCE",
    "SAMPLE_MARKER_KEY",
    "NAMED_SOURCES",
    "DataSource",
    "cache_dir",
    "resolve_source",
]

CACHE_DIR_ENV = "BRAINOBS_CACHE_DIR"
SOURCE_ENV = "BRAINOBS_SOURCE"
SAMPLE_SOURCE = "sample"
#: Named sources; anything else must be a folder in the S3 layout.
NAMED_SOURCES = (SAMPLE_SOURCE,)
DEFAULT_SOURCE = SAMPLE_SOURCE
RELEASE_PREFIX = "visual-coding-2p"
CONTAINERS_FILE = "experiment_containers.json"
#: Key that every record of the sample release carries (its value says what the data are).
SAMPLE_MARKER_KEY = "brainobs_sample"


@dataclass(frozen=True)
class DataSource:
    """A resolved data source.

    Attributes
    ----------
    name : str
        ``"sample"`` or ``"folder"``.
    root : pathlib.Path
        The folder given (for the sample, the one that holds ``visual-coding-2p/``).
    release : pathlib.Path
        The folder that holds the release files (``experiment_containers.json``,
        ``ophys_experiment_data/``, ...), in the public S3 layout.
    synthetic : bool
        True for the generated sample release (labels say so wherever data are shown).
    """

    name: str
    root: Path
    release: Path
    synthetic: bool

    @property
    def label(self) -> str:
        """A short description for reprs and figure marks."""
        if self.synthetic:
            return f"synthetic sample release ({self.root})"
        return f"folder {self.release}"


def cache_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the cache folder: ``path``, else ``$BRAINOBS_CACHE_DIR``, else the user cache folder.

    The folder is not created here.

    Examples
    --------
    >>> import os
    >>> os.environ["BRAINOBS_CACHE_DIR"] = "/tmp/brainobs-cache"
    >>> str(cache_dir())
    '/tmp/brainobs-cache'
    """
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("brainobs"))


def resolve_source(
    source: str | os.PathLike[str] | None = None,
    cache: str | os.PathLike[str] | None = None,
) -> DataSource:
    """Turn ``source`` (or ``$BRAINOBS_SOURCE``) into a :class:`DataSource`.

    Parameters
    ----------
    source : str or path, optional
        ``"sample"`` (the sample release, generated into the cache folder on first use) or a
        folder that holds ``visual-coding-2p/`` in the public S3 layout (a classroom copy).
    cache : str or path, optional
        The cache folder (default: :func:`cache_dir`).

    Returns
    -------
    DataSource

    Raises
    ------
    InvalidChoiceError
        If ``source`` is neither a known name nor a folder in the S3 layout.

    Examples
    --------
    >>> resolve_source("sample", cache="/tmp/brainobs-cache").release
    PosixPath('/tmp/brainobs-cache/sample/visual-coding-2p')
    """
    chosen = source if source is not None else os.environ.get(SOURCE_ENV) or DEFAULT_SOURCE
    if str(chosen) == SAMPLE_SOURCE:
        root = cache_dir(cache) / "sample"
        return DataSource(SAMPLE_SOURCE, root, root / RELEASE_PREFIX, synthetic=True)
    root = Path(chosen).expanduser()
    for release in (root / RELEASE_PREFIX, root):
        if (release / CONTAINERS_FILE).is_file():
            return DataSource("folder", root, release, synthetic=_is_sample_release(release))
    msg = (
        f"Unknown data source {str(chosen)!r}: it is neither one of {list(NAMED_SOURCES)} nor a "
        f"folder holding '{RELEASE_PREFIX}/{CONTAINERS_FILE}' (or '{CONTAINERS_FILE}' itself). "
        "Use source='sample' for the built-in sample release, or point to a folder made by "
        "`brainobs sample DIR`."
    )
    raise InvalidChoiceError(msg)


def _is_sample_release(release: Path) -> bool:
    """True if the container records in ``release`` carry the sample marker."""
    import json

    path = release / CONTAINERS_FILE
    try:
        with open(path, encoding="utf-8") as handle:
            records = json.load(handle)
    except (OSError, ValueError):
        return False
    return bool(records) and isinstance(records[0], dict) and SAMPLE_MARKER_KEY in records[0]
