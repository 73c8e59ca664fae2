"""Backoff, timeouts, failure wording and small requests with retries."""

from __future__ import annotations

import random

import pytest

from brainobs.errors import DownloadError
from brainobs.sources import transport

from .faults import Fault, serve_faulty


def test_backoff_is_capped_exponential_with_jitter(monkeypatch):
    monkeypatch.setattr(transport, "BACKOFF_BASE", 1.0)
    monkeypatch.setattr(transport, "BACKOFF_CAP", 30.0)
    rng = random.Random(0)
    for attempt, ceiling in [(0, 1), (1, 2), (3, 8), (4, 16), (5, 30), (60, 30)]:
        delays = [transport.backoff_delay(attempt, rng) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
        assert max(delays) - min(delays) > ceiling / 4  # jittered, not fixed


def test_retry_after_is_honoured_up_to_the_cap(monkeypatch):
    waits = []
    monkeypatch.setattr(transport.time, "sleep", waits.append)
    transport.wait_before_retry(0, retry_after=0.004)
    transport.wait_before_retry(0, retry_after=3600)
    assert waits[0] >= 0.004 and waits[1] == transport.BACKOFF_CAP
    assert transport.retry_after_seconds({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) is None


def test_timeouts_accept_one_number_or_a_pair():
    assert transport.normalize_timeout(3) == (3.0, 3.0)
    assert transport.normalize_timeout((1, 20)) == (1.0, 20.0)
    assert transport.normalize_timeout(None) == transport.DEFAULT_TIMEOUT


def test_failures_are_described_in_words():
    assert transport.describe_failure(ConnectionResetError(104, "reset")) == "connection reset"
    assert transport.describe_failure(TimeoutError("read timed out")) == "read timed out"
    assert transport.describe_failure(ValueError("odd")) == "ValueError: odd"


@pytest.fixture
def server(release):
    server, url = serve_faulty(release.root)
    with server:
        yield server, url


def test_request_retries_busy_answers_then_returns(server, release):
    srv, url = server
    srv.plan.add(Fault("status", status=503), times=2)
    reply = transport.request(f"{url}/{release.key}", retries=2)
    assert reply.ok and reply.body == release.data


def test_request_gives_up_at_once_on_404_and_says_what_to_check(server):
    srv, url = server
    expected = r"(?s)after 1 try:\n  try 1: HTTP 404.*check the address"
    with pytest.raises(DownloadError, match=expected):
        transport.request(f"{url}/nothing", retries=5)
    assert len(srv.plan.seen) == 1


def test_request_lists_every_failed_try(server, release):
    srv, url = server
    srv.plan.add(Fault("status", status=500), times=3)
    with pytest.raises(DownloadError) as info:
        transport.request(f"{url}/{release.key}", retries=2)
    assert str(info.value).count("HTTP 500") == 3
    assert "Check the network connection" in str(info.value)
