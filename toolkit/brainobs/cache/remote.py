"""Where a remote source's files come from: the S3 layout (bucket or mirror) or the Allen API.

Both kinds answer the same three questions for a :class:`~brainobs.cache.kinds.FileSpec`:
where is it and how big (:meth:`locate`, None when the source does not have it), and fetch it
into a target path (:meth:`fetch`, through :func:`brainobs.sources.download.download`, which
verifies before the file appears). Network failures raise
:class:`~brainobs.errors.DownloadError`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import API_BASE_URL, S3_SOURCE, DataSource
from ..errors import DownloadError, FormatError
from ..sources import allen_api, s3
from ..sources.download import download
from ..sources.paths import hold_lock
from ..sources.transport import DEFAULT_RETRIES, Timeout, open_session, request
from ..sources.verify import Verifier
from .kinds import FileSpec

__all__ = ["Located", "ObjectRemote", "ApiRemote", "make_remote", "remotes_for"]

log = logging.getLogger(__name__)

_ABSENT = (403, 404)
_API_QUERIES = {
    "experiment_containers.json": allen_api.experiment_containers_url,
    "ophys_experiments.json": allen_api.ophys_experiments_url,
    "stimulus_mappings.json": allen_api.stimulus_mappings_url,
}
_CELLS = "cell_specimens.json"


@dataclass(frozen=True)
class Located:
    """Where a file is on the source: its URL, size and ETag when the source says them.

    Examples
    --------
    >>> Located("http://127.0.0.1:8000/visual-coding-2p/x.json", 2, None).size
    2
    """

    url: str
    size: int | None
    etag: str | None


class _Remote:
    """What both kinds share: options, one HTTP session, small requests."""

    label = "the source"

    def __init__(
        self,
        base: str,
        *,
        progress: bool | Any = True,
        timeout: Timeout | None = None,
        retries: int = DEFAULT_RETRIES,
    ) -> None:
        self.base = base.rstrip("/")
        self.progress = progress
        self.timeout = timeout
        self.retries = retries
        self._session: Any = None

    @property
    def session(self) -> Any:
        """One ``requests.Session`` for all requests (connections are reused)."""
        if self._session is None:
            self._session, _ = open_session()
        return self._session

    def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def _options(self) -> dict[str, Any]:
        return {"timeout": self.timeout, "retries": self.retries, "session": self.session}

    def head(self, url: str) -> Located | None:
        """HEAD ``url``: None when the server has no such file (404, or 403 as S3 says it)."""
        reply = request(url, method="HEAD", accept=(200, *_ABSENT), **self._options())
        if reply.status in _ABSENT:
            return None
        length = reply.headers.get("Content-Length", "")
        size = int(length) if length.isdigit() else None
        return Located(url, size, reply.headers.get("ETag"))

    def _download(self, located: Located, target: Path, verify: Verifier) -> None:
        download(
            located.url,
            target,
            expected_size=located.size,
            etag=located.etag,
            verify=verify,
            progress=self.progress,
            **self._options(),
        )


class ObjectRemote(_Remote):
    """Objects under a base URL in the S3 layout: the public bucket or a mirror.

    Examples
    --------
    >>> ObjectRemote("http://127.0.0.1:8000").url_of(experiment_spec(7, "nwb"))
    ... # doctest: +SKIP
    'http://127.0.0.1:8000/visual-coding-2p/ophys_experiment_data/7.nwb'
    """

    def __init__(self, base: str, **options: Any) -> None:
        super().__init__(base, **options)
        self.label = f"{base} (S3 layout)"

    def url_of(self, spec: FileSpec) -> str:
        """The object URL of ``spec``.

        Examples
        --------
        >>> from brainobs.cache.kinds import metadata_spec
        >>> ObjectRemote("http://127.0.0.1:8000/").url_of(metadata_spec("cell_specimens.json"))
        'http://127.0.0.1:8000/visual-coding-2p/cell_specimens.json'
        """
        return s3.object_url(spec.key, self.base)

    def locate(self, spec: FileSpec) -> Located | None:
        """Size and ETag from a HEAD request; None if the source does not have the file.

        Raises
        ------
        DownloadError
            The source could not be reached.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from brainobs.sources.mirror import serve
        >>> from brainobs.cache.kinds import metadata_spec
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "visual-coding-2p").mkdir()
        >>> _ = (root / "visual-coding-2p" / "experiment_containers.json").write_text("[]")
        >>> server, url = serve(root)
        >>> with server:
        ...     remote = ObjectRemote(url)
        ...     found = remote.locate(metadata_spec("experiment_containers.json"))
        ...     missing = remote.locate(metadata_spec("cell_specimens.json"))
        ...     remote.close()
        >>> found.size, missing
        (2, None)
        """
        return self.head(self.url_of(spec))

    def fetch(self, spec: FileSpec, target: Path, verify: Verifier) -> Located | None:
        """Download ``spec`` to ``target`` (checked: size, ETag md5, ``verify``); None if absent.

        Parameters
        ----------
        spec : FileSpec
            The file.
        target : pathlib.Path
            Where the file goes (it appears only once verified).
        verify : callable
            The content check, e.g. :func:`~brainobs.cache.kinds.verify_json`.

        Returns
        -------
        Located or None

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from brainobs.sources.mirror import serve
        >>> from brainobs.cache.kinds import metadata_spec
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "visual-coding-2p").mkdir()
        >>> _ = (root / "visual-coding-2p" / "experiment_containers.json").write_text("[]")
        >>> from brainobs.cache.kinds import verify_json
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "experiment_containers.json"
        >>> server, url = serve(root)
        >>> with server:
        ...     remote = ObjectRemote(url, progress=False)
        ...     located = remote.fetch(metadata_spec("experiment_containers.json"), target,
        ...                            verify_json)
        ...     remote.close()
        >>> target.read_text()
        '[]'
        """
        located = self.locate(spec)
        if located is not None:
            self._download(located, target, verify)
        return located


class ApiRemote(_Remote):
    """The Allen API: RMA queries for metadata, well-known-file links for data files.

    Examples
    --------
    >>> ApiRemote("https://api.brain-map.org").label
    'the Allen API at https://api.brain-map.org'
    """

    def __init__(self, base: str, **options: Any) -> None:
        super().__init__(base, **options)
        self.label = f"the Allen API at {base}"

    def _records(self, url: str) -> list[Any] | None:
        """The records of one query; None when the API says the model is not there (404)."""
        reply = request(allen_api.quote_rma(url), accept=range(200, 500), **self._options())
        if reply.status == 404:
            return None
        try:
            return allen_api.parse_envelope(reply.body, url)
        except FormatError:
            if reply.ok:
                raise
            msg = f"The Allen API answered HTTP {reply.status} {reply.reason} to {url}."
            raise DownloadError(msg) from None

    def locate(self, spec: FileSpec, need_size: bool = True) -> Located | None:
        """The download link of a data file (and its size, by HEAD); metadata: the query URL.

        Parameters
        ----------
        spec : FileSpec
            The file.
        need_size : bool, optional
            If False, skip the HEAD request when the API does not give the size.

        Returns
        -------
        Located or None
            None when the API does not have the file.

        Examples
        --------
        >>> from brainobs.cache.kinds import metadata_spec
        >>> api = ApiRemote("https://api.brain-map.org")
        >>> located = api.locate(metadata_spec("experiment_containers.json"))  # no request
        >>> located.url.startswith("https://api.brain-map.org/api/v2/data/query.json")
        True
        """
        if spec.kind == "metadata":
            name = spec.key.rsplit("/", 1)[-1]
            return Located(self._query_url(name), None, None) if self._knows(name) else None
        number = int(spec.ophys_experiment_id or 0)
        url = allen_api.well_known_file_url(number, spec.kind, self.base)
        records = self._records(url)
        if not records or not isinstance(records[0], dict) or "download_link" not in records[0]:
            return None
        link = f"{self.base}/{str(records[0]['download_link']).lstrip('/')}"
        size = records[0].get("file_size")
        if isinstance(size, int):
            return Located(link, size, None)
        return self.head(link) if need_size else Located(link, None, None)

    def fetch(self, spec: FileSpec, target: Path, verify: Verifier) -> Located | None:
        """Download a data file, or query and write a metadata file; None if absent.

        Parameters
        ----------
        spec : FileSpec
            The file.
        target : pathlib.Path
            Where the file goes.
        verify : callable
            The content check, e.g. :func:`~brainobs.cache.kinds.verify_json`.

        Returns
        -------
        Located or None

        Examples
        --------
        >>> import json, tempfile, pathlib
        >>> from brainobs.sources.mirror import serve
        >>> from brainobs.cache.kinds import metadata_spec, verify_json
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "visual-coding-2p").mkdir()
        >>> _ = (root / "visual-coding-2p" / "experiment_containers.json").write_text(
        ...     json.dumps([{"id": 1}]))
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "experiment_containers.json"
        >>> server, url = serve(root)  # the mirror also answers Allen API queries
        >>> with server:
        ...     api = ApiRemote(url, progress=False)
        ...     _ = api.fetch(metadata_spec("experiment_containers.json"), target, verify_json)
        ...     api.close()
        >>> json.loads(target.read_text())
        [{'id': 1}]
        """
        if spec.kind == "metadata":
            return self._fetch_metadata(spec.key.rsplit("/", 1)[-1], target, verify)
        located = self.locate(spec, need_size=False)
        if located is not None:
            self._download(located, target, verify)
        return located

    # -- metadata -----------------------------------------------------------------------------
    @staticmethod
    def _knows(name: str) -> bool:
        return name in _API_QUERIES or name == _CELLS

    def _query_url(self, name: str) -> str:
        if name == _CELLS:
            return allen_api.cell_metrics_url(base=self.base)
        return _API_QUERIES[name](base=self.base)

    def _fetch_metadata(self, name: str, target: Path, verify: Verifier) -> Located | None:
        if not self._knows(name):
            return None
        records = self._cell_records() if name == _CELLS else self._records(self._query_url(name))
        if records is None:
            return None
        write_json_atomically(records, target)
        verify(target)
        return Located(self._query_url(name), target.stat().st_size, None)

    def _cell_records(self) -> list[Any] | None:
        """Every cell-metric record, one page (2,000 rows) per request, logging each page."""
        records: list[Any] = []
        size = allen_api.CELL_PAGE_SIZE
        for page in range(10_000):
            url = allen_api.cell_metrics_url(start_row=page * size, num_rows=size, base=self.base)
            rows = self._records(url)
            if rows is None:
                return None if page == 0 else records
            records.extend(rows)
            log.info(
                "cell table: page %d (%d cells per request), %d cells so far",
                page + 1,
                size,
                len(records),
            )
            if len(rows) < size:
                break
        return records


def write_json_atomically(records: list[Any], target: Path) -> None:
    """Write ``records`` as JSON to ``target`` via a synced temporary file and a rename.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a" / "x.json"
    >>> write_json_atomically([{"id": 1}], target)
    >>> target.read_text()
    '[{"id": 1}]'
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with hold_lock(target):
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(records, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()


def make_remote(kind: str, base: str, **options: Any) -> ObjectRemote | ApiRemote:
    """The remote of a source kind: ``"api"`` → :class:`ApiRemote`, else :class:`ObjectRemote`.

    Examples
    --------
    >>> type(make_remote("s3", "https://allen-brain-observatory.s3.us-west-2.amazonaws.com"))
    <class 'brainobs.cache.remote.ObjectRemote'>
    """
    return ApiRemote(base, **options) if kind == "api" else ObjectRemote(base, **options)


def remotes_for(
    source: DataSource, **options: Any
) -> tuple[ObjectRemote | ApiRemote | None, ApiRemote | None]:
    """``(remote, fallback)`` of a source: none for local ones; the public bucket falls back on
    the Allen API for metadata files it lacks.

    Examples
    --------
    >>> from brainobs.config import resolve_source
    >>> remote, fallback = remotes_for(resolve_source("s3", cache="/tmp/c"))
    >>> fallback.label
    'the Allen API at https://api.brain-map.org'
    """
    if not source.remote or source.url is None:
        return None, None
    remote = make_remote(source.name, source.url, **options)
    fallback = ApiRemote(API_BASE_URL, **options) if source.name == S3_SOURCE else None
    return remote, fallback
