"""A clearance API server for benchmarks: ``clearance serve`` in a subprocess on 127.0.0.1.

The server is the shipped command (``clearance serve --workers N``), so the benchmark measures
what an operator runs; it builds (or maps) the index before its workers start. A fresh key of
the given role is created for the run, and the rate limit is lifted (the load is one key).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from clearance.api.auth import KeyStore
from clearance.api.settings import ApiSettings
from clearance.store import Store


@dataclass(frozen=True)
class RunningServer:
    url: str
    key: str
    pid: int


@contextmanager
def running_server(
    home: Path,
    port: int,
    *,
    workers: int = 1,
    role: str = "screen",
    access_log: bool = False,
    extra_env: dict[str, str] | None = None,
) -> Iterator[RunningServer]:
    """A ready server over ``home`` (every worker answers ``/readyz``); stopped on exit."""
    env = {
        **os.environ,
        "CLEARANCE_HOME": str(home),
        "CLEARANCE_API_RATE_PER_MINUTE": "10000000",
        "CLEARANCE_API_RATE_BURST": "100000",
        **(extra_env or {}),
    }
    env.pop("CLEARANCE_DATABASE_URL", None)
    settings = ApiSettings(home=home, database_url=None)
    with Store.open(settings.db_url) as store:
        key = KeyStore(store.engine, settings.secret_bytes()).create(f"bench-{role}", role)
    url = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).parent / "clearance"), "serve", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers),
               "--access-log" if access_log else "--no-access-log"]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    try:
        deadline = time.monotonic() + 900
        ready = 0
        while time.monotonic() < deadline and ready < 3 * workers:
            try:  # several answers in a row: the kernel spreads connections over the workers
                ok = httpx.get(f"{url}/readyz", timeout=2).status_code == 200
                ready = ready + 1 if ok else 0
            except httpx.TransportError:
                ready = 0
            if server.poll() is not None:
                raise SystemExit("the server exited")
            time.sleep(0.2)
        if ready < 3 * workers:
            raise SystemExit("server not ready")
        yield RunningServer(url, key, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
