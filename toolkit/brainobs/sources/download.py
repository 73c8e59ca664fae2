"""Download one file so that it is never lost or corrupted.

The bytes go to ``<target>.part`` in the target's folder; an interrupted download resumes from
there with an HTTP ``Range`` request. The finished ``.part`` is flushed to disk, checked (size,
hash, S3 ETag, an optional verifier such as "HDF5 must open") and only then renamed into place,
so the target path only ever holds a verified file. A lock file lets several processes share one
cache: the first downloads, the others wait and then find the file.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DownloadError, IntegrityError
from .paths import discard_part, hold_lock, meta_path, part_path, part_size, read_meta, write_meta
from .progress import Progress
from .transport import (
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    RETRYABLE_STATUS,
    Timeout,
    check_url,
    describe_failure,
    network_errors,
    normalize_timeout,
    open_session,
    retry_after_seconds,
    wait_before_retry,
)
from .verify import Checks, Verifier, etag_md5, find_problem, format_size, parse_hash

__all__ = ["download", "ensure_space"]

log = logging.getLogger(__name__)

#: Bytes per read: a dropped connection loses at most this much of what was in flight.
CHUNK_SIZE = 1 << 16
#: Full downloads that may fail verification before giving up (a bad copy, then one more).
CONTENT_TRIES = 2
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")


class _TryFailed(Exception):
    """One try failed in a way worth another try (the ``.part`` is kept for resuming)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Remote:
    """What the server said about the file on this try."""

    total: int | None
    etag: str | None


def download(
    url: str,
    target: str | os.PathLike[str],
    *,
    expected_size: int | None = None,
    expected_hash: str | None = None,
    etag: str | None = None,
    verify: Verifier | None = None,
    progress: bool | Any = True,
    timeout: Timeout = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    session: Any = None,
) -> Path:
    """Download ``url`` to ``target``; the target only ever holds a complete, verified file.

    Parameters
    ----------
    url : str
        An ``http(s)://`` URL.
    target : str or path
        Where the file goes. Its folder is created if needed.
    expected_size : int, optional
        Length in bytes (else the server's ``Content-Length`` is checked).
    expected_hash : str, optional
        ``"md5:<hex>"``, ``"sha256:<hex>"``, ``"blake2b:<hex>"``, ...
    etag : str, optional
        The object's ETag if known (from a listing). A plain S3 ETag is the body's md5 and is
        checked; it also guards resuming (``If-Range``). The server's own ETag is checked too.
    verify : callable, optional
        ``verify(path)`` raises on a bad file, e.g. :func:`brainobs.sources.verify.verify_hdf5`.
    progress : bool or object
        ``True`` (a bar in notebooks and terminals, else log lines), ``False``, or an object
        with ``update(n)`` such as a tqdm bar.
    timeout : float or (float, float)
        Seconds to connect, and the longest silence allowed while receiving.
    retries : int
        Tries after the first one, with capped, jittered exponential backoff.
    session : requests.Session, optional
        Reused when given (proxies, connection pooling).

    Returns
    -------
    pathlib.Path
        ``target``.

    Raises
    ------
    DownloadError
        After the last try, listing what failed each time and what to do; also at once for
        a missing file (HTTP 404) or too little disk space.
    IntegrityError
        When complete downloads kept failing verification (outdated hash, damaged remote file).

    Notes
    -----
    An existing ``target`` is accepted if it passes ``expected_size``, ``expected_hash`` and
    ``verify`` (the ETag is only checked on the way in); otherwise it is downloaded again.
    An interrupted call (Ctrl-C, a killed kernel) leaves only ``<target>.part`` and its note
    ``<target>.part.json``; the next call resumes from there.

    Examples
    --------
    >>> from brainobs.sources.verify import verify_hdf5
    >>> download(  # doctest: +SKIP
    ...     "https://allen-brain-observatory.s3.us-west-2.amazonaws.com/"
    ...     "visual-coding-2p/ophys_experiment_data/501940850.nwb",
    ...     "cache/501940850.nwb",
    ...     verify=verify_hdf5,
    ... )
    PosixPath('cache/501940850.nwb')
    """
    check_url(url)
    target = Path(target)
    checks = Checks(
        size=expected_size,
        hash=parse_hash(expected_hash) if expected_hash else None,
        md5=etag_md5(etag),
        verify=verify,
    )
    report = Progress(progress, target.name)
    if _existing_is_good(target, checks):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if expected_size is not None:
        ensure_space(target.parent, expected_size - part_size(target), url)
    with hold_lock(target):
        if _existing_is_good(target, checks):
            return target
        http, owned = open_session(session)
        try:
            tries = _Tries(url, target, checks, etag, report, http, normalize_timeout(timeout))
            return tries.run(retries)
        finally:
            report.close()
            if owned:
                http.close()


def ensure_space(folder: str | os.PathLike[str], needed: int, what: str = "the file") -> None:
    """Raise :class:`DownloadError` if ``folder``'s disk has less than ``needed`` bytes free.

    Examples
    --------
    >>> ensure_space(".", 1)
    >>> ensure_space(".", 10**18, "a huge file")
    Traceback (most recent call last):
    ...
    brainobs.errors.DownloadError: Not enough disk space for a huge file: ...
    """
    free = shutil.disk_usage(folder).free
    if needed > free:
        msg = (
            f"Not enough disk space for {what}: it needs {format_size(needed)} more in "
            f"{folder}, which has {format_size(free)} free. Free some space, or use a cache "
            "folder on a larger disk (BRAINOBS_CACHE_DIR)."
        )
        raise DownloadError(msg)


def _existing_is_good(target: Path, checks: Checks) -> bool:
    """True if ``target`` exists and passes the cheap checks; a bad one is removed."""
    if not target.is_file():
        return False
    problem = find_problem(target, Checks(checks.size, checks.hash, None, checks.verify))
    if not problem:
        log.debug("%s is already here and checks out", target)
        return True
    log.warning("%s is damaged (%s); downloading it again.", target, problem)
    target.unlink()
    return False


class _Tries:
    """The tries of one download (inside the lock)."""

    def __init__(
        self,
        url: str,
        target: Path,
        checks: Checks,
        etag: str | None,
        report: Progress,
        http: Any,
        timeout: tuple[float, float],
    ) -> None:
        self.url, self.target, self.checks, self.etag = url, target, checks, etag
        self.report, self.http, self.timeout = report, http, timeout
        self.part = part_path(target)

    def run(self, retries: int) -> Path:
        """Try up to ``retries + 1`` times; install and return the target, or raise."""
        failures: list[str] = []
        bad_content = 0
        retry_after: float | None = None
        started = time.monotonic()
        for attempt in range(retries + 1):
            if attempt:
                wait_before_retry(attempt - 1, retry_after)
            retry_after = None
            try:
                remote = self._fetch()
                problem = find_problem(self.part, self._final_checks(remote))
                if problem:
                    raise IntegrityError(problem)
            except _TryFailed as fail:
                failures.append(fail.reason)
                retry_after = fail.retry_after
            except IntegrityError as err:
                discard_part(self.target)
                failures.append(str(err))
                bad_content += 1
            else:
                return self._install(started)
            log.info(
                "%s: try %d of %d failed: %s",
                self.target.name,
                attempt + 1,
                retries + 1,
                failures[-1],
            )
            if bad_content >= CONTENT_TRIES:
                break
        raise self._final_error(failures, all_bad=bad_content == len(failures))

    def _fetch(self) -> _Remote:
        """One request: stream the (rest of the) body into the ``.part``."""
        offset = part_size(self.target)
        headers = {"Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            validator = self._validator()
            if validator:
                headers["If-Range"] = validator
        try:
            response = self.http.get(self.url, headers=headers, stream=True, timeout=self.timeout)
        except network_errors() as exc:
            raise _TryFailed(describe_failure(exc)) from exc
        with response:
            if response.status_code == 416 and offset:
                return self._whole_part(response, offset)
            remote, offset = self._accept(response, offset)
            self.report.start(remote.total, offset)
            received = self._stream(response, offset, remote.total)
        if remote.total is not None and offset + received < remote.total:
            got, total = format_size(offset + received), format_size(remote.total)
            raise _TryFailed(f"connection closed early after {got} of {total}")
        return remote

    def _validator(self) -> str | None:
        """The ETag (or date) the ``.part`` bytes belong to, for ``If-Range``."""
        meta = read_meta(self.target)
        etag = meta.get("etag")
        if etag and not str(etag).startswith("W/"):
            return str(etag)
        return meta.get("last_modified") or self.etag

    def _whole_part(self, response: Any, offset: int) -> _Remote:
        """416 to a resume: the ``.part`` may already hold the whole file."""
        found = re.search(r"\*/(\d+)", response.headers.get("Content-Range", ""))
        if found and int(found.group(1)) == offset:
            return _Remote(offset, read_meta(self.target).get("etag"))
        discard_part(self.target)
        raise _TryFailed(f"the saved {format_size(offset)} do not fit the file; starting over")

    def _accept(self, response: Any, offset: int) -> tuple[_Remote, int]:
        """Check the status and headers; return what is known and where writing starts."""
        status = response.status_code
        if status in RETRYABLE_STATUS:
            reason = f"HTTP {status} {response.reason or ''}".rstrip()
            raise _TryFailed(reason, retry_after_seconds(response.headers))
        if status not in (200, 206):
            raise self._refused(status, response.reason or "")
        if status == 206:
            total = self._resumed_total(response, offset)
        else:
            if offset:
                log.info(
                    "%s: the server sent the whole file (no resume); starting over",
                    self.target.name,
                )
            offset = 0
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
        remote = _Remote(total, response.headers.get("ETag"))
        if total is not None and self.checks.size is not None and total != self.checks.size:
            discard_part(self.target)
            raise IntegrityError(f"size {total:,} != {self.checks.size:,} (expected)")
        if total is not None:
            ensure_space(self.target.parent, total - offset, self.url)
        write_meta(
            self.target,
            {
                "url": self.url,
                "etag": remote.etag,
                "last_modified": response.headers.get("Last-Modified"),
                "total": total,
            },
        )
        return remote, offset

    def _resumed_total(self, response: Any, offset: int) -> int | None:
        found = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if not found or int(found.group(1)) != offset:
            discard_part(self.target)
            where = found.group(1) if found else "an unknown byte"
            raise _TryFailed(f"server resumed at {where} instead of {offset}; starting over")
        return None if found.group(3) == "*" else int(found.group(3))

    def _stream(self, response: Any, offset: int, total: int | None) -> int:
        """Append the body to the ``.part``; flushed and synced whatever happens."""
        received = 0
        with open(self.part, "ab" if offset else "wb") as out:
            try:
                for chunk in response.raw.stream(CHUNK_SIZE, decode_content=False):
                    out.write(chunk)
                    received += len(chunk)
                    self.report.update(len(chunk))
            except network_errors() as exc:
                got = format_size(offset + received)
                of = f" of {format_size(total)}" if total is not None else ""
                reason = f"connection dropped after {got}{of} ({describe_failure(exc)})"
                raise _TryFailed(reason) from exc
            finally:
                out.flush()
                os.fsync(out.fileno())
        return received

    def _final_checks(self, remote: _Remote) -> Checks:
        size = self.checks.size if self.checks.size is not None else remote.total
        md5 = self.checks.md5 or etag_md5(remote.etag)
        return Checks(size, self.checks.hash, md5, self.checks.verify)

    def _install(self, started: float) -> Path:
        os.replace(self.part, self.target)
        _sync_folder(self.target.parent)
        meta_path(self.target).unlink(missing_ok=True)
        size = self.target.stat().st_size
        seconds = max(time.monotonic() - started, 1e-6)
        log.info("Saved %s (%s, %s/s)", self.target, format_size(size), format_size(size / seconds))
        return self.target

    def _refused(self, status: int, reason: str) -> DownloadError:
        advice = {
            404: "There is no file at this address: check the id or key, and the source.",
            403: "Access was refused: check the address (a public bucket needs no key).",
        }.get(status, "The server refused the request; trying again will not help.")
        return DownloadError(f"Could not download {self.url}: HTTP {status} {reason}. {advice}")

    def _final_error(self, failures: list[str], all_bad: bool) -> OSError:
        count = f"{len(failures)} {'try' if len(failures) == 1 else 'tries'}"
        lines = "\n".join(f"  try {i}: {reason}" for i, reason in enumerate(failures, 1))
        head = f"Could not download {self.url} to {self.target} after {count}:\n{lines}\n"
        if all_bad:
            msg = head + (
                "Every complete copy failed verification, so nothing was kept: the expected "
                "size or hash may be outdated, or the file on the server is damaged."
            )
            return IntegrityError(msg)
        kept = part_size(self.target)
        if kept:
            keep = (
                f"The {format_size(kept)} received are kept in {self.part}; "
                "calling again resumes from there."
            )
        else:
            keep = "Nothing was kept."
        advice = " Check the network connection (or the source URL), then call again."
        return DownloadError(head + keep + advice)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); a no-op where folders cannot be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
