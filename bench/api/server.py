"""A clearance API server for benchmarks: uvicorn in a subprocess on 127.0.0.1, with a fresh key.

The index of the active versions is built (or loaded) here first, so the workers only load it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from clearance.api.auth import KeyStore
from clearance.api.settings import ApiSettings
from clearance.index import ensure_index
from clearance.store import Store


@contextmanager
def running_server(
    home: Path, port: int, *, workers: int = 1, role: str = "screen"
) -> Iterator[tuple[str, str]]:
    """``(base URL, API key)`` of a ready server over ``home``; stopped on exit."""
    env = {
        **os.environ,
        "CLEARANCE_HOME": str(home),
        "CLEARANCE_API_RATE_PER_MINUTE": "10000000",
        "CLEARANCE_API_RATE_BURST": "100000",
    }
    env.pop("CLEARANCE_DATABASE_URL", None)
    settings = ApiSettings(home=home, database_url=None)
    with Store.open(settings.db_url) as store:
        key = KeyStore(store.engine, settings.secret_bytes()).create(f"bench-{role}", role)
        ensure_index(store, home / "index")
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "clearance.api.app:app_from_env", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         "--log-level", "warning", "--no-access-log"],
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                raise SystemExit("the server exited")
            time.sleep(0.5)
        else:
            raise SystemExit("server not ready")
        yield url, key
    finally:
        server.terminate()
        server.wait(timeout=30)
