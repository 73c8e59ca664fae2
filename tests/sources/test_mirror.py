"""The mirror speaks enough HTTP and S3 for downloads: Range, HEAD, ETag, listings, refusals."""

from __future__ import annotations

import hashlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from brainobs.sources.mirror import list_keys, serve
from brainobs.sources.s3 import parse_listing
from tests.settings import REPO

from .conftest import NWB_KEY, SIZE


@pytest.fixture
def mirror(release):
    server, url = serve(release.root)
    with server:
        yield server, url


def ask(url: str, path: str, method: str = "GET", headers: dict | None = None):
    """One raw request (no URL normalisation); returns (status, headers, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_get_returns_the_file_with_its_md5_etag(mirror, release):
    _, url = mirror
    status, headers, body = ask(url, "/" + NWB_KEY)
    assert status == 200 and body == release.data
    assert headers["ETag"] == f'"{release.md5}"'
    assert headers["Content-Length"] == str(SIZE)
    assert headers["Accept-Ranges"] == "bytes"


def test_head_gives_size_etag_and_date_without_a_body(mirror, release):
    _, url = mirror
    status, headers, body = ask(url, "/" + NWB_KEY, "HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(SIZE)
    assert headers["ETag"] == f'"{release.md5}"'
    modified = parsedate_to_datetime(headers["Last-Modified"]).timestamp()
    assert abs(modified - release.path.stat().st_mtime) < 1


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=2999990-", 2999990, SIZE - 1),
        ("bytes=-10", SIZE - 10, SIZE - 1),
        ("bytes=100-99999999", 100, SIZE - 1),
    ],
)
def test_range_requests_get_206_and_the_right_bytes(mirror, release, header, start, end):
    _, url = mirror
    status, headers, body = ask(url, "/" + NWB_KEY, headers={"Range": header})
    assert status == 206
    assert headers["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert body == release.data[start : end + 1]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", f"bytes={SIZE + 5}-{SIZE + 9}", "bytes=-0"])
def test_unsatisfiable_ranges_get_416(mirror, header):
    _, url = mirror
    status, headers, body = ask(url, "/" + NWB_KEY, headers={"Range": header})
    assert (status, body) == (416, b"")
    assert headers["Content-Range"] == f"bytes */{SIZE}"


@pytest.mark.parametrize("header", ["bytes=5-2", "items=0-5", "bytes=0-1,5-6"])
def test_malformed_ranges_are_ignored(mirror, header):
    _, url = mirror
    status, _, body = ask(url, "/" + NWB_KEY, headers={"Range": header})
    assert status == 200 and len(body) == SIZE


def test_if_range_resumes_only_the_same_version(mirror, release):
    _, url = mirror
    same = {"Range": "bytes=10-19", "If-Range": f'"{release.md5}"'}
    assert ask(url, "/" + NWB_KEY, headers=same)[0] == 206
    stale = {"Range": "bytes=10-19", "If-Range": '"0123"'}
    status, _, body = ask(url, "/" + NWB_KEY, headers=stale)
    assert status == 200 and body == release.data


def test_etag_follows_a_changed_file(mirror, release):
    _, url = mirror
    release.rewrite(b"new content")
    os.utime(release.path, (1, 1))
    _, headers, _ = ask(url, "/" + NWB_KEY, "HEAD")
    assert headers["ETag"] == f'"{hashlib.md5(b"new content").hexdigest()}"'


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/visual-coding-2p/..%2f..%2fsecret.txt",
        "/a%5c..%5c..%5csecret.txt",
    ],
)
def test_paths_that_escape_the_folder_are_refused(mirror, release, path):
    (release.root.parent / "secret.txt").write_text("not for students")
    _, url = mirror
    status, _, body = ask(url, path)
    assert status in (403, 404)
    assert b"not for students" not in body


def test_missing_and_unfinished_files_are_404(mirror, release):
    _, url = mirror
    (release.root / (NWB_KEY + ".part")).write_bytes(b"half")
    for path in ("/visual-coding-2p/nothing.json", "/" + NWB_KEY + ".part"):
        status, headers, body = ask(url, path)
        assert status == 404 and b"NoSuchKey" in body
        assert headers["Content-Type"] == "application/xml"


def _fill(root, names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)


def test_listing_pages_through_every_key_with_a_prefix(mirror, release):
    server, url = mirror
    names = [f"visual-coding-2p/ophys_experiment_events/{i}_events.npz" for i in range(5)]
    _fill(release.root, [*names, "other/readme.txt", "visual-coding-2p/.hidden"])
    keys, token, pages = [], None, 0
    while True:
        query = "/?list-type=2&prefix=visual-coding-2p/ophys_experiment_events/&max-keys=2"
        query += f"&continuation-token={token}" if token else ""
        status, headers, body = ask(url, query)
        assert status == 200 and headers["Content-Type"] == "application/xml"
        objects, token = parse_listing(body)
        keys += [o.key for o in objects]
        pages += 1
        if token is None:
            break
    assert keys == sorted(names) and pages == 3
    assert objects[-1].etag == f'"{hashlib.md5(names[-1].encode()).hexdigest()}"'


def test_listing_without_prefix_hides_temporary_files(release):
    _fill(
        release.root,
        [
            "visual-coding-2p/a.json",
            "visual-coding-2p/a.json.lock",
            "visual-coding-2p/b.nwb.part.json",
        ],
    )
    assert list_keys(release.root) == sorted(["visual-coding-2p/a.json", NWB_KEY])


def test_serve_refuses_a_missing_folder(tmp_path):
    with pytest.raises(NotADirectoryError, match="not a folder"):
        serve(tmp_path / "nope")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_run_mirror_serves_until_interrupted(release):
    port = _free_port()
    code = (
        "import logging, sys; logging.basicConfig(level=logging.INFO);"
        "from brainobs.sources.mirror import run_mirror;"
        f"run_mirror(sys.argv[1], port={port})"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(release.root)], cwd=REPO, stderr=subprocess.PIPE, text=True
    )
    try:
        lines = []
        reader = threading.Thread(target=lambda: lines.append(child.stderr.readline()))
        reader.start()
        reader.join(timeout=10)
        assert lines and f"http://127.0.0.1:{port}" in lines[0]
        status, _, body = ask(
            f"http://127.0.0.1:{port}", "/" + NWB_KEY, "GET", {"Range": "bytes=0-9"}
        )
        assert status == 206 and body == release.data[:10]
    finally:
        child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 5
        while child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    assert child.returncode == 0
    assert "Mirror stopped" in child.stderr.read()
