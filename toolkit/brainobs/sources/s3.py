"""The public S3 bucket over anonymous HTTPS: object keys and URLs, HEAD, ListObjectsV2.

The Visual Coding 2P release lives under ``visual-coding-2p/`` in the bucket
``allen-brain-observatory`` (us-west-2). A classroom mirror (:mod:`brainobs.sources.mirror`)
serves the same keys, so every function takes the base URL to use.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

from ..errors import FormatError, InvalidChoiceError, check_choice
from ..stimuli import SESSION_TYPES
from .paths import check_key, safe_join
from .transport import DEFAULT_RETRIES, Timeout, request

__all__ = [
    "BUCKET",
    "REGION",
    "BUCKET_URL",
    "RELEASE_PREFIX",
    "METADATA_FILES",
    "ObjectInfo",
    "metadata_key",
    "nwb_key",
    "analysis_key",
    "events_key",
    "object_url",
    "head",
    "listing_url",
    "parse_listing",
    "list_objects",
    "fetch",
]

BUCKET = "allen-brain-observatory"
REGION = "us-west-2"
#: Anonymous HTTPS address of the bucket (virtual-hosted style).
BUCKET_URL = f"https://{BUCKET}.s3.{REGION}.amazonaws.com"
RELEASE_PREFIX = "visual-coding-2p"
#: The release's metadata files (raw Allen API records, as the AllenSDK cache writes them).
METADATA_FILES = (
    "experiment_containers.json",
    "ophys_experiments.json",
    "cell_specimens.json",
    "stimulus_mappings.json",
)
_S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_MAX_PAGES = 100_000


@dataclass(frozen=True)
class ObjectInfo:
    """One object: its key, size in bytes, ETag (quoted, as S3 sends it) and date.

    Examples
    --------
    >>> ObjectInfo("visual-coding-2p/cell_specimens.json", 10, '"abc"', None).size
    10
    """

    key: str
    size: int
    etag: str | None
    last_modified: str | None


def metadata_key(name: str) -> str:
    """Key of a release metadata file.

    Examples
    --------
    >>> metadata_key("experiment_containers.json")
    'visual-coding-2p/experiment_containers.json'
    """
    return f"{RELEASE_PREFIX}/{check_choice('metadata file', name, METADATA_FILES)}"


def _experiment_id(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or str(number) != str(value).strip():
        msg = f"An ophys experiment id is a whole number like 501940850, not {value!r}."
        raise InvalidChoiceError(msg)
    return number


def nwb_key(ophys_experiment_id: int) -> str:
    """Key of an experiment's NWB file.

    Examples
    --------
    >>> nwb_key(501940850)
    'visual-coding-2p/ophys_experiment_data/501940850.nwb'
    """
    return f"{RELEASE_PREFIX}/ophys_experiment_data/{_experiment_id(ophys_experiment_id)}.nwb"


def analysis_key(ophys_experiment_id: int, session_type: str) -> str:
    """Key of an experiment's precomputed analysis file (its name includes the session type).

    Examples
    --------
    >>> analysis_key(501940850, "three_session_A")
    'visual-coding-2p/ophys_experiment_analysis/501940850_three_session_A_analysis.h5'
    """
    number = _experiment_id(ophys_experiment_id)
    session = check_choice("session type", session_type, SESSION_TYPES)
    return f"{RELEASE_PREFIX}/ophys_experiment_analysis/{number}_{session}_analysis.h5"


def events_key(ophys_experiment_id: int) -> str:
    """Key of an experiment's L0 events file.

    Examples
    --------
    >>> events_key(501940850)
    'visual-coding-2p/ophys_experiment_events/501940850_events.npz'
    """
    number = _experiment_id(ophys_experiment_id)
    return f"{RELEASE_PREFIX}/ophys_experiment_events/{number}_events.npz"


def object_url(key: str, base: str = BUCKET_URL) -> str:
    """URL of an object under ``base`` (the bucket, or a mirror's address).

    Examples
    --------
    >>> object_url("visual-coding-2p/cell_specimens.json", "http://127.0.0.1:8000/")
    'http://127.0.0.1:8000/visual-coding-2p/cell_specimens.json'
    """
    return f"{base.rstrip('/')}/{quote(check_key(key), safe='/')}"


def head(
    url: str, *, timeout: Timeout | None = None, retries: int = DEFAULT_RETRIES, session: Any = None
) -> ObjectInfo:
    """Size, ETag and date of an object, without downloading it.

    Raises
    ------
    DownloadError
        If the object is missing (HTTP 404) or the server cannot be reached.

    Examples
    --------
    >>> head(object_url(nwb_key(501940850))).size  # doctest: +SKIP
    """
    reply = request(url, method="HEAD", timeout=timeout, retries=retries, session=session)
    length = reply.headers.get("Content-Length")
    if length is None or not length.isdigit():
        msg = f"HEAD {url} gave no Content-Length; is this a file server in the S3 layout?"
        raise FormatError(msg)
    key = unquote(urlsplit(url).path.lstrip("/"))
    return ObjectInfo(
        key, int(length), reply.headers.get("ETag"), reply.headers.get("Last-Modified")
    )


def listing_url(
    base: str = BUCKET_URL, prefix: str = "", token: str | None = None, max_keys: int | None = None
) -> str:
    """The ListObjectsV2 URL of one page.

    Examples
    --------
    >>> listing_url("http://127.0.0.1:8000", "visual-coding-2p/", "abc")
    'http://127.0.0.1:8000/?list-type=2&prefix=visual-coding-2p%2F&continuation-token=abc'
    """
    params: dict[str, str | int] = {"list-type": 2, "prefix": prefix}
    if token:
        params["continuation-token"] = token
    if max_keys is not None:
        params["max-keys"] = int(max_keys)
    return f"{base.rstrip('/')}/?{urlencode(params, quote_via=quote)}"


def parse_listing(xml: bytes | str) -> tuple[list[ObjectInfo], str | None]:
    """Objects of one ListObjectsV2 page, and the token of the next page (None on the last).

    Raises
    ------
    FormatError
        If the text is not a ``ListBucketResult`` document.

    Examples
    --------
    >>> page = (
    ...     '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    ...     "<IsTruncated>false</IsTruncated><Contents><Key>a/b.json</Key><Size>3</Size>"
    ...     "<ETag>&quot;x&quot;</ETag></Contents></ListBucketResult>"
    ... )
    >>> parse_listing(page)
    ([ObjectInfo(key='a/b.json', size=3, etag='"x"', last_modified=None)], None)
    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        msg = f"A bucket listing is not valid XML ({exc}); is the address an S3 bucket?"
        raise FormatError(msg) from exc
    if _local(root.tag) != "ListBucketResult":
        text = " ".join(t.strip() for t in root.itertext() if t.strip())[:200]
        msg = f"Expected a ListBucketResult document, got <{_local(root.tag)}>: {text}"
        raise FormatError(msg)
    objects = [_object_info(item) for item in root if _local(item.tag) == "Contents"]
    truncated = _text(root, "IsTruncated").lower() == "true"
    token = _text(root, "NextContinuationToken") or None
    return objects, token if truncated else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element, name: str) -> str:
    found = element.find(f"{_S3_NS}{name}")
    if found is None:
        found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def _object_info(item: ET.Element) -> ObjectInfo:
    size = _text(item, "Size")
    return ObjectInfo(
        key=_text(item, "Key"),
        size=int(size) if size.isdigit() else 0,
        etag=_text(item, "ETag") or None,
        last_modified=_text(item, "LastModified") or None,
    )


def list_objects(
    prefix: str = "",
    base: str = BUCKET_URL,
    *,
    max_keys: int | None = None,
    timeout: Timeout | None = None,
    retries: int = DEFAULT_RETRIES,
    session: Any = None,
) -> Iterator[ObjectInfo]:
    """Every object whose key starts with ``prefix``, page after page (ListObjectsV2).

    Examples
    --------
    >>> [o.key for o in list_objects("visual-coding-2p/ophys_experiment_events/")][:1]
    ... # doctest: +SKIP
    ['visual-coding-2p/ophys_experiment_events/501021421_events.npz']
    """
    token: str | None = None
    seen: set[str] = set()
    for _ in range(_MAX_PAGES):
        url = listing_url(base, prefix, token, max_keys)
        reply = request(url, timeout=timeout, retries=retries, session=session)
        objects, token = parse_listing(reply.body)
        yield from objects
        if token is None:
            return
        if token in seen:
            msg = f"The listing of {base} repeats its continuation token {token!r}."
            raise FormatError(msg)
        seen.add(token)


def fetch(
    key: str, root: str | os.PathLike[str], base: str = BUCKET_URL, **download_options: Any
) -> Path:
    """Download the object ``key`` to ``root/key``, with the options of ``download.download``.

    Examples
    --------
    >>> fetch(metadata_key("experiment_containers.json"), "cache")  # doctest: +SKIP
    PosixPath('cache/visual-coding-2p/experiment_containers.json')
    """
    from .download import download

    return download(object_url(key, base), safe_join(root, key), **download_options)
