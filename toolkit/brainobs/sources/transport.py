"""HTTP plumbing shared by the byte layer: sessions, timeouts, backoff, small requests with retries.

``requests`` is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import DownloadError, InvalidChoiceError

__all__ = [
    "DEFAULT_TIMEOUT",
    "DEFAULT_RETRIES",
    "RETRYABLE_STATUS",
    "Reply",
    "check_url",
    "normalize_timeout",
    "open_session",
    "backoff_delay",
    "wait_before_retry",
    "retry_after_seconds",
    "network_errors",
    "describe_failure",
    "request",
]

log = logging.getLogger(__name__)

#: (connect, read) seconds; read is the longest silence allowed between two packets.
DEFAULT_TIMEOUT = (10.0, 60.0)
DEFAULT_RETRIES = 5
#: Statuses worth another try (the server or a proxy is busy, not wrong).
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Backoff: ``min(BACKOFF_CAP, BACKOFF_BASE * 2**attempt)`` seconds, times a random 0.5–1.
BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
USER_AGENT = f"brainobs/{__version__} (Allen Brain Observatory teaching toolkit)"

Timeout = float | tuple[float, float]


def check_url(url: str) -> str:
    """Return ``url`` if it is an ``http(s)://`` URL with a host, else raise.

    Examples
    --------
    >>> check_url("https://allen-brain-observatory.s3.us-west-2.amazonaws.com/x")
    'https://allen-brain-observatory.s3.us-west-2.amazonaws.com/x'
    """
    parts = urlsplit(str(url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        msg = (
            f"Cannot download {url!r}: only http:// and https:// URLs with a host are "
            "supported (a local folder is used directly, not downloaded)."
        )
        raise InvalidChoiceError(msg)
    return str(url)


def normalize_timeout(timeout: Timeout | None) -> tuple[float, float]:
    """``(connect, read)`` seconds from one number or a pair.

    Examples
    --------
    >>> normalize_timeout(5)
    (5.0, 5.0)
    """
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, (int, float)):
        return float(timeout), float(timeout)
    connect, read = timeout
    return float(connect), float(read)


def open_session(session: Any = None) -> tuple[Any, bool]:
    """``(session, owned)``: the given ``requests.Session``, or a new one the caller must close.

    Examples
    --------
    >>> session, owned = open_session()
    >>> owned
    True
    >>> session.close()
    """
    if session is not None:
        return session, False
    import requests

    fresh = requests.Session()
    fresh.headers["User-Agent"] = USER_AGENT
    return fresh, True


def backoff_delay(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait before try ``attempt + 2``: capped exponential, with jitter.

    Examples
    --------
    >>> 0.5 <= backoff_delay(0) <= 1.0
    True
    >>> backoff_delay(20) <= BACKOFF_CAP
    True
    """
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(attempt, 30))
    return ceiling * (rng or random).uniform(0.5, 1.0)


def wait_before_retry(attempt: int, retry_after: float | None = None) -> None:
    """Sleep :func:`backoff_delay` (or the server's ``Retry-After``, up to the cap).

    Parameters
    ----------
    attempt : int
        0 before the second try, 1 before the third, ...
    retry_after : float, optional
        Seconds the server asked to wait; used when longer than the backoff, capped at
        ``BACKOFF_CAP``.

    Examples
    --------
    >>> import time
    >>> started = time.monotonic()
    >>> wait_before_retry(0)  # 0.5 to 1 s
    >>> 0.5 <= time.monotonic() - started < 5
    True
    """
    delay = backoff_delay(attempt)
    if retry_after is not None:
        delay = max(delay, min(retry_after, BACKOFF_CAP))
    log.debug("waiting %.2f s before the next try", delay)
    time.sleep(delay)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The ``Retry-After`` header in seconds (number form only), or None.

    Examples
    --------
    >>> retry_after_seconds({"Retry-After": "3"})
    3.0
    """
    value = headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def network_errors() -> tuple[type[BaseException], ...]:
    """The exception types that mean "the connection failed" (worth another try).

    Returns
    -------
    tuple of type
        For use in an ``except`` clause (imports ``requests`` when called).

    Examples
    --------
    >>> issubclass(ConnectionRefusedError, network_errors())
    True
    >>> issubclass(ValueError, network_errors())
    False
    """
    import http.client

    import requests
    import urllib3

    return (
        requests.RequestException,
        urllib3.exceptions.HTTPError,
        http.client.HTTPException,
        ConnectionError,
        TimeoutError,
    )


def describe_failure(exc: BaseException) -> str:
    """A short phrase for a network failure: ``"read timed out"``, ``"connection refused"``.

    Examples
    --------
    >>> describe_failure(ConnectionRefusedError())
    'connection refused'
    """
    chain = _exception_chain(exc)
    names = " ".join(type(item).__name__ for item in chain)
    text = " ".join(str(item) for item in chain).lower()
    if "ReadTimeout" in names or "read timed out" in text:
        return "read timed out"
    if "ConnectTimeout" in names or "connect timeout" in text:
        return "connection timed out"
    if "ConnectionRefused" in names or "refused" in text:
        return "connection refused"
    if "IncompleteRead" in names or "incompleteread" in text:
        return "connection closed early"
    if "Reset" in names or "reset by peer" in text:
        return "connection reset"
    if "NameResolution" in names or "name or service not known" in text:
        return "host name not found"
    return f"{type(exc).__name__}: {exc}"


def _exception_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
        current = current or getattr(chain[-1], "reason", None)
        if not isinstance(current, BaseException):
            current = None
    return chain


@dataclass(frozen=True)
class Reply:
    """A small HTTP answer held in memory.

    Examples
    --------
    >>> Reply(200, "OK", {"ETag": '"x"'}, b"").ok
    True
    """

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300


def request(
    url: str,
    *,
    method: str = "GET",
    accept: Collection[int] = (200,),
    timeout: Timeout | None = None,
    retries: int = DEFAULT_RETRIES,
    session: Any = None,
) -> Reply:
    """Send one small request (a query, a listing, a HEAD), retrying busy servers and dropped links.

    Parameters
    ----------
    url : str
        An ``http(s)://`` URL, already quoted.
    method : str
        ``"GET"`` or ``"HEAD"``.
    accept : collection of int
        Statuses returned to the caller; others raise at once, except the retryable ones
        (:data:`RETRYABLE_STATUS`), which are tried again.
    timeout : float or (float, float), optional
        Seconds to connect and between packets.
    retries : int
        How many more tries after the first.
    session : requests.Session, optional
        Reused when given (connection pooling, proxies).

    Returns
    -------
    Reply

    Raises
    ------
    DownloadError
        Saying what failed on each try, or the unexpected status.

    Examples
    --------
    >>> request("https://api.brain-map.org/api/v2/data/query.json?q=...")  # doctest: +SKIP
    """
    check_url(url)
    http, owned = open_session(session)
    failures: list[str] = []
    retry_after = None
    try:
        for attempt in range(retries + 1):
            if attempt:
                wait_before_retry(attempt - 1, retry_after)
            try:
                response = http.request(method, url, timeout=normalize_timeout(timeout))
                reply = Reply(
                    response.status_code, response.reason or "", response.headers, response.content
                )
            except network_errors() as exc:
                failures.append(describe_failure(exc))
                continue
            if reply.status in accept:
                return reply
            failures.append(f"HTTP {reply.status} {reply.reason}".rstrip())
            if reply.status not in RETRYABLE_STATUS:
                break
            retry_after = retry_after_seconds(reply.headers)
    finally:
        if owned:
            http.close()
    raise DownloadError(_failure_message(method, url, failures))


def _failure_message(method: str, url: str, failures: list[str]) -> str:
    tries = "\n".join(f"  try {i}: {reason}" for i, reason in enumerate(failures, 1))
    last = failures[-1] if failures else ""
    if last.startswith("HTTP 4"):
        advice = "The server refused the request: check the address (id, key, source URL)."
    else:
        advice = "Check the network connection (or the source URL), then call again."
    count = f"{len(failures)} {'try' if len(failures) == 1 else 'tries'}"
    return f"{method} {url} failed after {count}:\n{tries}\n{advice}"
