"""A local HTTP server standing in for the official list sites (no internet in tests).

``running_mirror()`` is a threaded ``http.server`` on 127.0.0.1 and a free port. Tests put
bodies on paths (``mirror.serve(path, body)``) and choose how each path misbehaves:
``fail_first`` answers 503 (or ``fail_status``) before a 200, ``delay`` seconds of silence,
``truncate`` (Content-Length says more than is sent), ``endless`` bytes with no Content-Length,
``drip`` seconds between 1 KiB pieces, ``gzip`` (Content-Encoding), ``conditional=False``
(ignores If-None-Match and If-Modified-Since). Unknown paths get 404. Every request's path and
headers are recorded. ``os_source(name)`` is a sources-file entry for a test OpenSanctions
dataset ``os_<name>`` whose file the mirror serves at ``os_path(name)``.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

OS_URL = "https://data.opensanctions.org/datasets/latest/{}/entities.ftm.json"


def os_path(name: str) -> str:
    """The mirror path of the test OpenSanctions dataset ``name``."""
    return f"/datasets/latest/{name}/entities.ftm.json"


def os_source(name: str) -> str:
    """A ``sources:`` entry (YAML) for a test OpenSanctions FtM dataset ``os_<name>``."""
    return f"""
  - id: os_{name}
    title: test source {name}
    authority: OpenSanctions
    country: zz
    format: ftm_json
    licence: CC BY-NC 4.0
    frequency: daily
    homepage: https://www.opensanctions.org/
    files:
      - name: entities.ftm.json
        url: {OS_URL.format(name)}
"""


@dataclass
class Route:
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    conditional: bool = True
    fail_first: int = 0
    fail_status: int = 503
    delay: float = 0.0
    truncate: bool = False
    endless: int = 0
    drip: float = 0.0
    gzip: bool = False
    served: int = 0


@dataclass
class Mirror:
    """The server's routes and what it has seen (shared with the handler threads)."""

    base: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self, path: str, body: bytes | Path, **options: object) -> Route:
        """Serve ``body`` (bytes or a file's content) on ``path``; ETag defaults to its sha256."""
        data = body.read_bytes() if isinstance(body, Path) else body
        route = Route(data, **options)  # type: ignore[arg-type]
        if route.etag is None:
            route.etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        if route.last_modified is None:
            route.last_modified = formatdate(time.time() - 3600, usegmt=True)
        self.routes[path] = route
        return route

    def requests(self, path: str) -> list[dict[str, str]]:
        with self.lock:
            return [headers for p, headers in self.seen if p == path]


class _Handler(BaseHTTPRequestHandler):
    mirror: Mirror

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        mirror = self.mirror
        with mirror.lock:
            mirror.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = mirror.routes.get(self.path)
            if route is not None:
                route.served += 1
        if route is None:
            self.send_error(404, "Not Found")
            return
        if route.served <= route.fail_first:
            self.send_error(route.fail_status)
            return
        if route.delay and mirror.stop.wait(route.delay):
            return
        if route.endless:
            self._send_endless(route.endless)
            return
        if route.conditional and self._not_modified(route):
            self.send_response(304)
            self.end_headers()
            return
        payload = gzip.compress(route.body) if route.gzip else route.body
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("ETag", route.etag or "")
        self.send_header("Last-Modified", route.last_modified or "")
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        body = payload[: len(payload) // 2] if route.truncate else payload
        if route.drip:
            self._send_slowly(body, route.drip)
        else:
            self.wfile.write(body)

    def _send_slowly(self, body: bytes, pause: float) -> None:
        try:
            for start in range(0, len(body), 1024):
                self.wfile.write(body[start : start + 1024])
                self.wfile.flush()
                if self.mirror.stop.wait(pause):
                    return
        except OSError:
            pass

    def _not_modified(self, route: Route) -> bool:
        if "If-None-Match" in self.headers:
            return self.headers["If-None-Match"] == route.etag
        return self.headers.get("If-Modified-Since") == route.last_modified

    def _send_endless(self, size: int) -> None:
        self.send_response(200)
        self.end_headers()
        chunk = b"\x00garbage" * 8192
        sent = 0
        try:
            while sent < size and not self.mirror.stop.is_set():
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client hung up, as it should


#: cleared by the fixtures, so that requests to 127.0.0.1 never go through a proxy
PROXY_VARIABLES = tuple(
    name for base in ("http", "https", "all") for name in (f"{base}_proxy", f"{base.upper()}_PROXY")
)


@contextmanager
def running_mirror() -> Iterator[Mirror]:
    """Start the server on a free port; stop it (and any slow handler) on exit."""
    state = Mirror()
    handler = type("Handler", (_Handler,), {"mirror": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
