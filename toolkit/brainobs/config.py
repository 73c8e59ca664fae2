"""Where brainobs keeps its files and where it gets data from (``BRAINOBS_*`` settings).

Sources, by what ``source=`` (or ``$BRAINOBS_SOURCE``) says:

* ``"s3"`` (the default) — the public bucket of the Allen Brain Observatory, anonymous HTTPS;
* ``"api"`` — the Allen API (RMA queries for metadata, well-known files for data);
* ``"sample"`` — the synthetic sample release, generated into the cache folder on first use;
* ``"http://host:port[/prefix]"`` — a mirror in the S3 layout (what ``brainobs mirror`` serves);
* ``"api+http://host:port"`` — an Allen API answerer at that address (a mirror answers both);
* a folder holding ``visual-coding-2p/`` in the S3 layout — used in place, nothing downloaded.

Downloaded files go to ``<cache>/<source key>/visual-coding-2p/...`` (the S3 key names), where
the source key is ``s3``, ``api``, ``mirror-<host>-<port>`` or ``api-<host>-<port>``.
Nothing here touches the disk (beyond reading a small JSON file) or the network.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InvalidChoiceError

__all__ = [
    "CACHE_DIR_ENV",
    "SOURCE_ENV",
    "SAMPLE_SOURCE",
    "S3_SOURCE",
    "API_SOURCE",
    "DEFAULT_SOURCE",
    "SAMPLE_MARKER_KEY",
    "NAMED_SOURCES",
    "S3_BASE_URL",
    "API_BASE_URL",
    "DataSource",
    "cache_dir",
    "resolve_source",
    "check_base_url",
    "source_key",
    "is_sample_release",
]

CACHE_DIR_ENV = "BRAINOBS_CACHE_DIR"
SOURCE_ENV = "BRAINOBS_SOURCE"
SAMPLE_SOURCE = "sample"
S3_SOURCE = "s3"
API_SOURCE = "api"
#: Named sources; anything else must be a URL or a folder in the S3 layout.
NAMED_SOURCES = (S3_SOURCE, API_SOURCE, SAMPLE_SOURCE)
#: Real data by default; tutorials and tests run offline with ``BRAINOBS_SOURCE=sample``.
DEFAULT_SOURCE = S3_SOURCE
RELEASE_PREFIX = "visual-coding-2p"
CONTAINERS_FILE = "experiment_containers.json"
#: Key that every record of the sample release carries (its value says what the data are).
SAMPLE_MARKER_KEY = "brainobs_sample"
#: The public bucket over anonymous HTTPS (same value as ``brainobs.sources.s3.BUCKET_URL``).
S3_BASE_URL = "https://allen-brain-observatory.s3.us-west-2.amazonaws.com"
#: The Allen API (same value as ``brainobs.sources.allen_api.API_BASE``).
API_BASE_URL = "https://api.brain-map.org"
_API_PREFIX = "api+"
_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
#: Kinds of source: where the bytes come from.
_REMOTE_KINDS = ("s3", "api", "mirror")


@dataclass(frozen=True)
class DataSource:
    """A resolved data source.

    Attributes
    ----------
    name : str
        ``"sample"``, ``"folder"``, ``"s3"``, ``"api"`` or ``"mirror"``.
    root : pathlib.Path
        The folder that holds ``visual-coding-2p/``: the folder given, the sample's folder in
        the cache, or, for a remote source, its folder in the cache (``<cache>/<key>``).
    release : pathlib.Path
        The folder that holds the release files (``experiment_containers.json``,
        ``ophys_experiment_data/``, ...), in the public S3 layout.
    synthetic : bool
        True for the generated sample release, or a copy of it (labels say so wherever data
        are shown).
    url : str, optional
        The base URL of a remote source (None for the sample and folders).
    cache : pathlib.Path, optional
        The cache folder (brainobs' own notes about a folder source live there).

    Examples
    --------
    >>> resolve_source("s3", cache="/tmp/c").release
    PosixPath('/tmp/c/s3/visual-coding-2p')
    """

    name: str
    root: Path
    release: Path
    synthetic: bool
    url: str | None = None
    cache: Path | None = None

    @property
    def remote(self) -> bool:
        """True when files are downloaded (s3, api, mirror)."""
        return self.name in _REMOTE_KINDS

    @property
    def state(self) -> Path:
        """The folder of brainobs' notes about this source (verified files, table caches)."""
        if self.name == "folder":
            digest = hashlib.sha256(str(self.release.resolve()).encode()).hexdigest()[:16]
            base = self.cache if self.cache is not None else cache_dir()
            return base / "folders" / digest
        return self.root / ".brainobs"

    @property
    def label(self) -> str:
        """A short description for reprs and figure marks."""
        if self.name == SAMPLE_SOURCE:
            return f"synthetic sample release ({self.root})"
        if self.name == "folder":
            kind = "synthetic sample release in folder" if self.synthetic else "folder"
            return f"{kind} {self.release}"
        described = {
            "s3": "the public S3 bucket",
            "api": "the Allen API",
            "mirror": "the mirror",
        }[self.name]
        return f"{described} at {self.url} (cached in {self.root})"


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


def check_base_url(url: str) -> str:
    """Return the base URL of a remote source, normalised (no trailing slash), or raise.

    Only ``http://`` and ``https://`` with a host; no user name or password, query or fragment.

    Raises
    ------
    InvalidChoiceError
        Saying what is wrong and what a valid address looks like.

    Examples
    --------
    >>> check_base_url("http://127.0.0.1:8000/")
    'http://127.0.0.1:8000'
    >>> check_base_url("ftp://example.org")
    Traceback (most recent call last):
    ...
    brainobs.errors.InvalidChoiceError: Unusable source URL 'ftp://example.org': ...
    """
    parts = urlsplit(str(url).strip())
    problem = ""
    if parts.scheme not in ("http", "https"):
        problem = "only http:// and https:// are supported"
    elif not parts.hostname:
        problem = "it has no host"
    elif "@" in parts.netloc:
        problem = "it holds a user name or password (public sources need none)"
    elif parts.query or parts.fragment:
        problem = "it has a query or fragment; give the base address only"
    if problem:
        msg = (
            f"Unusable source URL {url!r}: {problem}. A mirror's address looks like "
            "'http://127.0.0.1:8000' (what `brainobs mirror DIR` prints)."
        )
        raise InvalidChoiceError(msg)
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError as exc:
        msg = f"Unusable source URL {url!r}: {exc}."
        raise InvalidChoiceError(msg) from exc
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def source_key(kind: str, url: str) -> str:
    """The cache subfolder name of a remote source: ``s3``, ``api``, ``mirror-<host>-<port>``.

    Only letters, digits, ``.`` and ``-`` survive, so a key never leaves the cache folder.

    Examples
    --------
    >>> source_key("mirror", "http://127.0.0.1:8000")
    'mirror-127.0.0.1-8000'
    >>> source_key("mirror", "http://[::1]:9000/class/room")
    'mirror-1-9000-class-room'
    """
    if kind == S3_SOURCE and url == S3_BASE_URL:
        return S3_SOURCE
    if kind == API_SOURCE and url == API_BASE_URL:
        return API_SOURCE
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    words = [kind, parts.hostname or "", str(port), *parts.path.split("/")]
    cleaned = [_UNSAFE.sub("-", word).strip("-.") for word in words]
    key = "-".join(word for word in cleaned if word)
    if len(key) > 80:
        key = f"{key[:60]}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"
    return key


def resolve_source(
    source: str | os.PathLike[str] | None = None,
    cache: str | os.PathLike[str] | None = None,
) -> DataSource:
    """Turn ``source`` (or ``$BRAINOBS_SOURCE``, else ``"s3"``) into a :class:`DataSource`.

    Parameters
    ----------
    source : str or path, optional
        ``"s3"``, ``"api"``, ``"sample"``, a mirror URL (``"http://host:port"``), an Allen API
        answerer (``"api+http://host:port"``), or a folder holding ``visual-coding-2p/`` in the
        public S3 layout (a classroom copy). See the module's docstring.
    cache : str or path, optional
        The cache folder (default: :func:`cache_dir`).

    Returns
    -------
    DataSource

    Raises
    ------
    InvalidChoiceError
        If ``source`` is neither a known name, a usable URL, nor a folder in the S3 layout.

    Examples
    --------
    >>> resolve_source("sample", cache="/tmp/brainobs-cache").release
    PosixPath('/tmp/brainobs-cache/sample/visual-coding-2p')
    >>> resolve_source("http://127.0.0.1:8000", cache="/tmp/c").root
    PosixPath('/tmp/c/mirror-127.0.0.1-8000')
    """
    chosen = source if source is not None else os.environ.get(SOURCE_ENV) or DEFAULT_SOURCE
    text = str(chosen).strip() if isinstance(chosen, str) else None
    folder = cache_dir(cache)
    if text == SAMPLE_SOURCE:
        root = folder / SAMPLE_SOURCE
        return DataSource(SAMPLE_SOURCE, root, root / RELEASE_PREFIX, True, cache=folder)
    if text == S3_SOURCE:
        return _remote(S3_SOURCE, S3_BASE_URL, folder)
    if text == API_SOURCE:
        return _remote(API_SOURCE, API_BASE_URL, folder)
    if text is not None and text.lower().startswith(_API_PREFIX):
        return _remote(API_SOURCE, check_base_url(text[len(_API_PREFIX) :]), folder)
    if text is not None and "://" in text:
        url = check_base_url(text)
        return _remote(S3_SOURCE if url == S3_BASE_URL else "mirror", url, folder)
    return _folder_source(chosen, folder)


def _remote(kind: str, url: str, cache: Path) -> DataSource:
    root = cache / source_key(kind, url)
    release = root / RELEASE_PREFIX
    return DataSource(kind, root, release, is_sample_release(release), url=url, cache=cache)


def _folder_source(chosen: str | os.PathLike[str], cache: Path) -> DataSource:
    root = Path(chosen).expanduser()
    for release in (root / RELEASE_PREFIX, root):
        if (release / CONTAINERS_FILE).is_file():
            synthetic = is_sample_release(release)
            return DataSource("folder", root, release, synthetic, cache=cache)
    msg = (
        f"Unknown data source {str(chosen)!r}: it is neither one of {list(NAMED_SOURCES)}, "
        "a URL (a mirror: 'http://host:port'), nor a folder holding "
        f"'{RELEASE_PREFIX}/{CONTAINERS_FILE}' (or '{CONTAINERS_FILE}' itself). "
        "Use source='s3' for the real release, source='sample' for the built-in sample "
        "release, or point to a folder made by `brainobs sample DIR`."
    )
    raise InvalidChoiceError(msg)


def is_sample_release(release: Path) -> bool:
    """True if the container records in ``release`` carry the sample marker.

    Examples
    --------
    >>> is_sample_release(Path("/nonexistent"))
    False
    """
    import json

    path = release / CONTAINERS_FILE
    try:
        with open(path, encoding="utf-8") as handle:
            records = json.load(handle)
    except (OSError, ValueError):
        return False
    return bool(records) and isinstance(records[0], dict) and SAMPLE_MARKER_KEY in records[0]


_SOURCE_SENTENCES = {
    "s3": "the real Allen Brain Observatory (Visual Coding 2P) release, from its public S3 bucket",
    "api": "the real Allen Brain Observatory (Visual Coding 2P) release, through the Allen API",
    "mirror": "a classroom mirror of the Allen Brain Observatory release",
    "folder": "a local copy of the Allen Brain Observatory release",
}


def describe_source(source: str | os.PathLike[str] | None = None) -> str:
    """One sentence saying which data a notebook uses: real recordings or the synthetic sample.

    Parameters
    ----------
    source : str or path, optional
        As for :func:`resolve_source` (default: ``$BRAINOBS_SOURCE``, else ``"s3"``).

    Returns
    -------
    str
        A line for the top of a tutorial; it names no local paths, so it reads the same on every
        machine.

    Examples
    --------
    >>> print(describe_source("sample"))
    Data in use: the SYNTHETIC sample release made by brainobs — simulated cells
    with a known ground truth, in the real file layouts; not real recordings. For
    the real data set BRAINOBS_SOURCE=s3 (needs internet).
    """
    import textwrap

    resolved = resolve_source(source)
    if resolved.synthetic:
        text = (
            "Data in use: the SYNTHETIC sample release made by brainobs — simulated cells with "
            "a known ground truth, in the real file layouts; not real recordings. "
            "For the real data set BRAINOBS_SOURCE=s3 (needs internet)."
        )
    else:
        where = _SOURCE_SENTENCES[resolved.name]
        suffix = f" at {resolved.url}" if resolved.name == "mirror" else ""
        text = f"Data in use: {where}{suffix}; files are downloaded on first use and cached."
    return textwrap.fill(text, width=78, break_long_words=False, break_on_hyphens=False)
