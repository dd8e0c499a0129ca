"""Request limits: per-key rate limit (token bucket), body size, JSON nesting depth, UTF-8.

:class:`BodyGuard` is an ASGI middleware that reads a request body before the application
does: it stops reading (413) once the body passes the limit — whatever ``Content-Length``
claims — rejects invalid UTF-8, malformed JSON and JSON nested deeper than the limit (400),
then hands the body on unchanged. :class:`RateLimiter` keeps one token bucket per API key.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearance.api.errors import error_body

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class RequestRejected(Exception):
    """A request broke a limit; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0, ``[]`` is 1); iterative."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            depth += 1
            stack.extend((v, depth) for v in item.values())
        elif isinstance(item, list):
            depth += 1
            stack.extend((v, depth) for v in item)
        deepest = max(deepest, depth)
    return deepest


def check_json(body: bytes, max_depth: int) -> Any:
    """The parsed body, or RequestRejected(400) for bad UTF-8, bad JSON or deep nesting."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestRejected(400, f"request body is not valid UTF-8 (byte {exc.start})") from exc
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestRejected(
            400, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise RequestRejected(400, f"JSON nested deeper than {max_depth} levels") from exc
    if json_depth(value) > max_depth:
        raise RequestRejected(400, f"JSON nested deeper than {max_depth} levels")
    return value


@dataclass(frozen=True)
class BodyLimits:
    max_body_bytes: int
    max_upload_bytes: int
    max_depth: int
    upload_prefixes: tuple[str, ...] = ("/jobs",)


class BodyGuard:
    """ASGI middleware enforcing :class:`BodyLimits` while the body is read."""

    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        upload = path.startswith(self.limits.upload_prefixes)
        limit = self.limits.max_upload_bytes if upload else self.limits.max_body_bytes
        try:
            body = await self._read(scope, receive, limit)
            if upload:
                _check_utf8(body)
            elif body:
                check_json(body, self.limits.max_depth)
        except RequestRejected as exc:
            await _reject(send, exc)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _read(scope: Scope, receive: Receive, limit: int) -> bytes:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError as exc:
                    raise RequestRejected(400, "Content-Length is not a number") from exc
                if declared > limit:
                    raise RequestRejected(413, f"request body larger than {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise RequestRejected(400, "client disconnected")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise RequestRejected(413, f"request body larger than {limit} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _check_utf8(body: bytes) -> None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestRejected(400, f"upload is not valid UTF-8 (byte {exc.start})") from exc


async def _reject(send: Send, exc: RequestRejected) -> None:
    payload = json.dumps(error_body(exc.status, exc.detail)).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": exc.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class RateLimiter:
    """One token bucket per key: ``burst`` tokens, refilled at ``per_minute / 60`` per second."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.per_minute = per_minute
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, per_minute: float | None = None) -> float:
        """0 when the request may go on, else the seconds to wait before retrying."""
        rate = (per_minute or self.per_minute) / 60.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate

    @staticmethod
    def retry_after(seconds: float) -> str:
        return str(max(1, math.ceil(seconds)))
