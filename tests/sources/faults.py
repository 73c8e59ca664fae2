"""A mirror that misbehaves on purpose: dropped connections, 5xx, short or corrupted bodies.

Faults are queued on a :class:`FaultPlan` (taken one per GET, in order) or drawn at random with
a seed. The plan records every GET (path, Range, status, first byte, bytes sent), so tests can
check what the client asked for and how much was re-sent.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import BinaryIO
from urllib.parse import unquote

from brainobs.sources.mirror import MirrorHandler, MirrorServer

KINDS = ("drop", "status", "truncate", "corrupt", "slow", "ignore_range")
CHUNK = 64 * 1024


@dataclass
class Fault:
    """One misbehaviour.

    kind: ``drop`` (reset the connection after byte ``at``), ``status`` (answer ``status``),
    ``truncate`` (close cleanly after byte ``at``; Content-Length promised more), ``corrupt``
    (flip the byte at ``at``, same length), ``slow`` (sleep ``delay`` s before each 64 KiB),
    ``ignore_range`` (answer 200 with the whole file). ``at`` is an absolute offset in the
    file; None picks one at random inside the body sent.
    """

    kind: str
    at: int | None = None
    status: int = 503
    delay: float = 0.05
    path: str | None = None

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind


@dataclass
class Seen:
    """One GET as the server saw it."""

    path: str
    range: str | None
    if_range: str | None
    fault: str | None
    query: str = ""
    status: int = 0
    start: int = 0
    sent: int = 0


@dataclass
class FaultPlan:
    """Faults to apply to the next GETs, and the record of every GET."""

    seed: int | None = None
    rate: float = 0.0
    kinds: tuple[str, ...] = ("drop", "status", "truncate", "corrupt", "ignore_range")
    queue: deque[Fault] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.Lock()

    def add(self, fault: Fault, times: int = 1) -> FaultPlan:
        """Queue ``fault`` for the next ``times`` matching GETs."""
        with self.lock:
            self.queue.extend([fault] * times)
        return self

    def take(self, path: str) -> Fault | None:
        """The fault for a GET of ``path``: the first queued one that matches, else maybe random."""
        with self.lock:
            for fault in list(self.queue):
                if fault.path is None or fault.path == path:
                    self.queue.remove(fault)
                    return fault
            if self.rate and self.rng.random() < self.rate:
                kind = self.rng.choice(self.kinds)
                return Fault(kind, status=self.rng.choice((500, 503)), delay=0.002)
        return None

    def random_offset(self, low: int, high: int) -> int:
        with self.lock:
            return self.rng.randrange(low, max(low + 1, high))

    def body_gets(self, path: str) -> list[Seen]:
        """GETs of ``path`` that were answered with (part of) the body."""
        return [s for s in self.seen if s.path == path and s.status in (200, 206)]


class FaultyHandler(MirrorHandler):
    """The mirror's handler, with the faults of ``server.plan`` applied to GETs."""

    server: FaultyServer

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        fault = self.server.plan.take(path)
        self.seen = Seen(
            path,
            self.headers.get("Range"),
            self.headers.get("If-Range"),
            fault.kind if fault else None,
            unquote(query),
        )
        with self.server.plan.lock:
            self.server.plan.seen.append(self.seen)
        self.fault = fault
        if fault and fault.kind == "status":
            self.seen.status = fault.status
            body = b"<Error><Code>SlowDown</Code></Error>"
            self.send_response(fault.status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if fault and fault.kind == "ignore_range":
            del self.headers["Range"]
        super().do_GET()

    def send_response(self, code: int, message: str | None = None) -> None:
        if getattr(self, "seen", None) is not None and not self.seen.status:
            self.seen.status = code
        super().send_response(code, message)

    def send_body(self, handle: BinaryIO, start: int, length: int) -> None:
        fault = self.fault
        self.seen.start = start
        end = start + length
        at = fault.at if fault else None
        if fault and at is None and fault.kind in ("drop", "truncate", "corrupt"):
            at = self.server.plan.random_offset(start + 1, end - 1)
        handle.seek(start)
        position = start
        while position < end:
            stop = min(end, position + CHUNK)
            if fault and fault.kind in ("drop", "truncate") and stop > at:
                stop = max(position, at)
            data = bytearray(handle.read(stop - position))
            if fault and fault.kind == "corrupt" and position <= at < stop:
                data[at - position] ^= 0xFF
            if fault and fault.kind == "slow":
                time.sleep(fault.delay)
            try:
                self.wfile.write(data)
            except OSError:
                return
            self.seen.sent += len(data)
            position = stop
            if fault and fault.kind in ("drop", "truncate") and position >= at:
                self._cut(reset=fault.kind == "drop")
                return

    def _cut(self, reset: bool) -> None:
        """End the connection mid-body: an abrupt reset, or a clean close."""
        self.close_connection = True
        if reset:
            time.sleep(0.2)  # the client reads what was sent, then the link dies
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            self.connection.shutdown(socket.SHUT_WR)


class FaultyServer(MirrorServer):
    """A :class:`MirrorServer` with a :class:`FaultPlan` (``server.plan``)."""

    def __init__(self, root, plan: FaultPlan | None = None, host: str = "127.0.0.1") -> None:
        self.plan = plan or FaultPlan()
        super().__init__(root, (host, 0), FaultyHandler)


def serve_faulty(root, plan: FaultPlan | None = None) -> tuple[FaultyServer, str]:
    """Start a faulty mirror of ``root`` in a thread; use the server as a context manager."""
    server = FaultyServer(root, plan)
    return server.start(), server.url
