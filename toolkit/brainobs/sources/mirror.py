"""Serve a folder in the public S3 layout on a local port: a classroom (or test) mirror.

Objects answer GET (with ``Range``: 206 + ``Content-Range``, 416 when unsatisfiable,
``If-Range`` honoured) and HEAD (``Content-Length``, ``ETag`` = quoted md5 of the file, cached,
``Last-Modified``). The root answers ListObjectsV2 (``?list-type=2&prefix=...``), and
``/api/v2/data/query.json`` answers the Allen API queries of :mod:`brainobs.sources.allen_api`
from the release's JSON files. Keys that would leave the folder are refused.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import re
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections import deque
from datetime import datetime, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import UnsafeKeyError
from .mirror_api import RMA_PATH, RmaAnswers
from .paths import safe_join

__all__ = ["MirrorServer", "MirrorHandler", "serve", "run_mirror", "warm_etags", "list_keys"]

log = logging.getLogger(__name__)

_S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
_HIDDEN_SUFFIXES = (".part", ".lock", ".part.json")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_MAX_KEYS = 1000
_SEND_CHUNK = 1 << 20


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name.endswith(_HIDDEN_SUFFIXES)


def list_keys(root: str | os.PathLike[str], prefix: str = "") -> list[str]:
    """Sorted keys of the files under ``root`` that start with ``prefix``.

    Hidden files and unfinished downloads (``.part``, ``.lock``) are left out.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "a").mkdir(); _ = (root / "a" / "x.json").write_text("{}")
    >>> list_keys(root, "a/")
    ['a/x.json']
    """
    root = Path(root)
    folder = root.joinpath(*[p for p in prefix.split("/")[:-1] if p not in ("", ".", "..")])
    keys = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if not _is_hidden(name):
                key = Path(dirpath, name).relative_to(root).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
    return sorted(keys)


class _ETags:
    """md5 ETags of files, computed once per (path, size, mtime)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def get(self, path: Path, stat: os.stat_result) -> str:
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            known = self._known.get(key)
        if known is None:
            digest = hashlib.md5(usedforsecurity=False)
            with open(path, "rb") as handle:
                while chunk := handle.read(_SEND_CHUNK):
                    digest.update(chunk)
            known = f'"{digest.hexdigest()}"'
            with self._lock:
                self._known[key] = known
        return known


class MirrorServer(ThreadingHTTPServer):
    """A threaded HTTP server for one folder; a context manager that stops it on exit.

    Attributes
    ----------
    root : pathlib.Path
        The folder served (it holds ``visual-coding-2p/``).
    requests : collections.deque
        The latest requests as ``(method, path, headers dict)``, for tests and logs.

    Examples
    --------
    >>> import tempfile
    >>> server, url = serve(tempfile.mkdtemp())
    >>> with server:
    ...     url.startswith("http://127.0.0.1:")
    True
    """

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(
        self,
        root: str | os.PathLike[str],
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler] | None = None,
    ) -> None:
        self.root = Path(root).absolute()
        if not self.root.is_dir():
            msg = f"Cannot serve {self.root}: it is not a folder."
            raise NotADirectoryError(msg)
        self.etags = _ETags()
        self.rma = RmaAnswers(self.root)
        self.requests: deque[tuple[str, str, dict[str, str]]] = deque(maxlen=10_000)
        self._thread: threading.Thread | None = None
        super().__init__(address, handler or MirrorHandler)

    @property
    def url(self) -> str:
        """``http://host:port`` of the server."""
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}"

    def start(self) -> MirrorServer:
        """Serve in a background thread.

        Returns
        -------
        MirrorServer
            The server itself, so that ``MirrorServer(...).start()`` can be chained.

        Examples
        --------
        >>> import tempfile
        >>> server = MirrorServer(tempfile.mkdtemp(), ("127.0.0.1", 0)).start()
        >>> server.close()
        """
        self._thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"brainobs-mirror-{self.url}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port.

        Safe to call on a server that was never started; leaving a ``with`` block calls it.

        Examples
        --------
        >>> import tempfile
        >>> server, url = serve(tempfile.mkdtemp())
        >>> server.close()
        """
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log instead of printing; a client that went away (a cancelled download) is routine.

        Called by the server while the error is being handled: connection errors and
        timeouts are logged at DEBUG level, anything else with its traceback at ERROR level.

        Examples
        --------
        >>> import tempfile
        >>> server = MirrorServer(tempfile.mkdtemp(), ("127.0.0.1", 0))
        >>> try:
        ...     raise ConnectionResetError
        ... except ConnectionResetError:
        ...     server.handle_error(None, ("127.0.0.1", 50000))  # logged at DEBUG level
        >>> server.server_close()
        """
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            log.debug("request from %s ended early", client_address, exc_info=True)
        else:
            log.exception("error answering a request from %s", client_address)


class MirrorHandler(BaseHTTPRequestHandler):
    """Answers object GET/HEAD, bucket listings and Allen API queries for a :class:`MirrorServer`.

    Subclasses may override :meth:`send_body` to change how bytes go out (tests inject
    faults there).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from brainobs.sources.transport import request
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "x.json").write_text("[]")
    >>> server, url = serve(root, handler=MirrorHandler)
    >>> with server:
    ...     reply = request(url + "/x.json", method="HEAD")
    >>> reply.status, reply.headers["Content-Length"], reply.headers["ETag"]
    (200, '2', '"d751713988987e9331980363e24189ce"')
    """

    protocol_version = "HTTP/1.1"
    server_version = "brainobs-mirror"
    server: MirrorServer

    def log_message(self, format: str, *args: Any) -> None:
        """Log each request at DEBUG level instead of printing it to stderr."""
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        """Answer a GET request (an object, a listing or an Allen API query)."""
        self._route(send=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD request: the headers of a GET, without the body."""
        self._route(send=False)

    def _route(self, send: bool) -> None:
        self.server.requests.append((self.command, self.path, dict(self.headers.items())))
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path in ("", "/"):
            self._send_listing(parse_qs(parts.query), send)
        elif path == RMA_PATH:
            status, payload = self.server.rma.answer(parse_qs(parts.query).get("q", [""])[0])
            self._send_bytes(status, json.dumps(payload).encode(), "application/json", send)
        else:
            self._send_object(path[1:], send)

    # -- objects ------------------------------------------------------------------------------
    def _send_object(self, key: str, send: bool) -> None:
        try:
            path = safe_join(self.server.root, key)
        except UnsafeKeyError as exc:
            self._send_error(403, "AccessDenied", str(exc), send)
            return
        if _is_hidden(path.name) or not path.is_file():
            self._send_error(404, "NoSuchKey", f"The key {key!r} is not in this mirror.", send)
            return
        stat = path.stat()
        etag = self.server.etags.get(path, stat)
        modified = formatdate(stat.st_mtime, usegmt=True)
        span = self._requested_span(stat.st_size, etag, modified)
        if span is None:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{stat.st_size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start, length = span
        self.send_response(206 if self._range_used else 200)
        if self._range_used:
            self.send_header("Content-Range", f"bytes {start}-{start + length - 1}/{stat.st_size}")
        self.send_header("Content-Length", str(length))
        self.send_header("Content-Type", _content_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        if send and length:
            with open(path, "rb") as handle:
                self.send_body(handle, start, length)

    def _requested_span(self, size: int, etag: str, modified: str) -> tuple[int, int] | None:
        """``(start, length)`` to send, or None for 416; sets ``_range_used``."""
        self._range_used = False
        header = self.headers.get("Range")
        if_range = self.headers.get("If-Range")
        if header is None or (if_range is not None and if_range not in (etag, modified)):
            return 0, size
        found = _RANGE.match(header.strip())
        if not found or found.groups() == ("", ""):
            return 0, size  # malformed or multi-range: ignored, as HTTP allows
        first, last = found.groups()
        if first == "":
            start = max(0, size - int(last))
        else:
            start = int(first)
            if last != "" and int(last) < start:
                return 0, size
        end = size - 1 if first == "" or last == "" else min(int(last), size - 1)
        if start >= size or size == 0:
            return None
        self._range_used = True
        return start, end - start + 1

    def send_body(self, handle: BinaryIO, start: int, length: int) -> None:
        """Send ``length`` bytes of ``handle`` from ``start`` (the response body).

        Parameters
        ----------
        handle : binary file
            The open file being served.
        start : int
            Offset of the first byte to send.
        length : int
            Number of bytes to send (the ``Content-Length`` already sent).

        Examples
        --------
        A subclass that writes the bytes itself instead of using ``sendfile``:

        >>> import tempfile, pathlib
        >>> from brainobs.sources.transport import request
        >>> class Copying(MirrorHandler):
        ...     def send_body(self, handle, start, length):
        ...         handle.seek(start)
        ...         self.wfile.write(handle.read(length))
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (root / "x.json").write_text("[]")
        >>> server, url = serve(root, handler=Copying)
        >>> with server:
        ...     request(url + "/x.json").body
        b'[]'
        """
        self.connection.sendfile(handle, start, length)

    # -- listing and errors -------------------------------------------------------------------
    def _send_listing(self, params: dict[str, list[str]], send: bool) -> None:
        prefix = params.get("prefix", [""])[0]
        token = params.get("continuation-token", [""])[0]
        after = params.get("start-after", [""])[0]
        try:
            max_keys = max(0, min(_MAX_KEYS, int(params.get("max-keys", [_MAX_KEYS])[0])))
            if token:
                after = base64.urlsafe_b64decode(token.encode()).decode()
        except ValueError:
            self._send_error(400, "InvalidArgument", "Bad max-keys or continuation-token.", send)
            return
        keys = [key for key in list_keys(self.server.root, prefix) if key > after]
        page, truncated = keys[:max_keys], len(keys) > max_keys
        body = self._listing_xml(prefix, page, max_keys, token, truncated)
        self._send_bytes(200, body, "application/xml", send)

    def _listing_xml(
        self, prefix: str, keys: list[str], max_keys: int, token: str, truncated: bool
    ) -> bytes:
        root = ET.Element("ListBucketResult", xmlns=_S3_NS)
        for name, value in (
            ("Name", self.server.root.name),
            ("Prefix", prefix),
            ("KeyCount", len(keys)),
            ("MaxKeys", max_keys),
            ("IsTruncated", str(truncated).lower()),
        ):
            ET.SubElement(root, name).text = str(value)
        if token:
            ET.SubElement(root, "ContinuationToken").text = token
        if truncated and keys:
            following = base64.urlsafe_b64encode(keys[-1].encode()).decode()
            ET.SubElement(root, "NextContinuationToken").text = following
        for key in keys:
            path = safe_join(self.server.root, key)
            stat = path.stat()
            item = ET.SubElement(root, "Contents")
            ET.SubElement(item, "Key").text = key
            ET.SubElement(item, "LastModified").text = _iso_time(stat.st_mtime)
            ET.SubElement(item, "ETag").text = self.server.etags.get(path, stat)
            ET.SubElement(item, "Size").text = str(stat.st_size)
            ET.SubElement(item, "StorageClass").text = "STANDARD"
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)

    def _send_error(self, status: int, code: str, message: str, send: bool) -> None:
        root = ET.Element("Error")
        ET.SubElement(root, "Code").text = code
        ET.SubElement(root, "Message").text = message
        body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        self._send_bytes(status, body, "application/xml", send)

    def _send_bytes(self, status: int, body: bytes, content_type: str, send: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send:
            self.wfile.write(body)


def _content_type(path: Path) -> str:
    return {".json": "application/json", ".xml": "application/xml"}.get(
        path.suffix, "application/octet-stream"
    )


def _iso_time(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def serve(
    root: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 0,
    handler: type[BaseHTTPRequestHandler] | None = None,
) -> tuple[MirrorServer, str]:
    """Serve ``root`` in a background thread; return the server and its URL.

    Parameters
    ----------
    root : str or path
        A folder in the bucket layout (holding ``visual-coding-2p/...``).
    host : str
        Address to listen on; the default answers this computer only.
    port : int
        0 picks a free port.
    handler : type, optional
        A :class:`MirrorHandler` subclass.

    Returns
    -------
    (MirrorServer, str)
        Use the server as a context manager to stop it.

    Examples
    --------
    >>> import tempfile
    >>> server, url = serve(tempfile.mkdtemp())
    >>> with server:
    ...     pass
    """
    server = MirrorServer(root, (host, port), handler)
    return server.start(), server.url


def warm_etags(server: MirrorServer) -> int:
    """Hash every served file now, so that first requests get their ETag at once.

    Returns
    -------
    int
        The number of files hashed.

    Examples
    --------
    >>> import tempfile
    >>> server = MirrorServer(tempfile.mkdtemp(), ("127.0.0.1", 0))
    >>> warm_etags(server)
    0
    >>> server.server_close()
    """
    started, n_bytes, keys = time.monotonic(), 0, list_keys(server.root)
    for key in keys:
        path = server.root / key
        with contextlib.suppress(OSError):
            stat = path.stat()
            server.etags.get(path, stat)
            n_bytes += stat.st_size
    seconds = time.monotonic() - started
    log.info("ETags ready for %d files (%.1f GB) in %.1f s", len(keys), n_bytes / 1e9, seconds)
    return len(keys)


def run_mirror(root: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``root`` until interrupted (Ctrl-C), logging the address to give students.

    Examples
    --------
    >>> run_mirror("classroom-data", host="0.0.0.0", port=8000)  # doctest: +SKIP
    """
    server = MirrorServer(root, (host, port))
    log.info(
        "Serving %s at %s (Ctrl-C stops). Students use this address as the source URL.",
        server.root,
        server.url,
    )
    threading.Thread(target=warm_etags, args=(server,), name="brainobs-etags", daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        log.info("Mirror stopped.")
    finally:
        server.server_close()
