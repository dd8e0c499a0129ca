"""A minimal closed-loop HTTP/1.1 load client on asyncio streams (keep-alive connections).

Why not httpx or locust: on a 2-core machine the load generator competes with the server for
CPU, and httpx spends about a millisecond of CPU per request (locust more), which at 300
requests/s is a third of a core. Here every request is pre-encoded bytes written to a kept-alive
socket, and a response is read by its ``Content-Length`` (the server never sends chunked JSON),
so a request costs the client some tens of microseconds. Every latency is kept.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

STAGGER_SECONDS = 0.05
"""Delay between opening one connection and the next. uvicorn's workers share one listening
socket and a worker accepts every connection waiting when it wakes: opened all at once, the
connections of a run could all land on one worker (and did). Opened one by one, each finds the
workers already busy with the earlier ones but one, which takes it."""


class ProtocolError(Exception):
    """The server's answer is not an HTTP/1.1 response this client understands."""


def encode_post(host: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    """One HTTP/1.1 POST request with a JSON body, as bytes ready to write."""
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass(frozen=True)
class Head:
    status: int
    length: int
    close: bool


def parse_head(head: bytes) -> Head:
    """Status, ``Content-Length`` and ``Connection: close`` of a response head (up to CRLFCRLF)."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"bad status line {lines[0][:80]!r}")
    length = -1
    close = parts[0] == b"HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding":
            raise ProtocolError("chunked responses are not supported by this client")
        elif name == b"connection":
            close = value.strip().lower() == b"close"
    if length < 0:
        raise ProtocolError("response without Content-Length")
    return Head(int(parts[1]), length, close)


@dataclass
class Outcome:
    """Every request of a run: start offset (s), latency (s), status or error name."""

    started: list[float] = field(default_factory=list)
    latency: list[float] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    bad_bodies: int = 0
    elapsed: float = 0.0


async def _connection(
    host: str,
    port: int,
    requests: Sequence[bytes],
    offset: int,
    step: int,
    began: float,
    stop: float,
    out: Outcome,
) -> None:
    await asyncio.sleep(offset * STAGGER_SECONDS)
    i = offset
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < stop:
        request = requests[i % len(requests)]
        i += step
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            assert reader is not None
            writer.write(request)
            head = parse_head(await reader.readuntil(b"\r\n\r\n"))
            body = await reader.readexactly(head.length)
            status = str(head.status)
            if head.status == 200 and not body.startswith(b'{"responses":'):
                out.bad_bodies += 1
            if head.close:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                ProtocolError) as exc:  # fmt: skip
            status = type(exc).__name__
            if writer is not None:
                writer.close()
            writer = None
        done = time.perf_counter()
        out.started.append(started - began)
        out.latency.append(done - started)
        out.status.append(status)
    if writer is not None:
        writer.close()


async def closed_loop(
    host: str, port: int, requests: Sequence[bytes], duration: float, concurrency: int
) -> Outcome:
    """``concurrency`` connections, each sending its next request as soon as the last is answered,
    for ``duration`` seconds; connection ``n`` sends requests ``n, n + concurrency, ...``."""
    out = Outcome()
    began = time.perf_counter()
    stop = began + duration
    await asyncio.gather(
        *(
            _connection(host, port, requests, n, concurrency, began, stop, out)
            for n in range(concurrency)
        )
    )
    out.elapsed = time.perf_counter() - began
    return out
