"""A real clearance API server on 127.0.0.1 (uvicorn in a thread) over a store holding two real
lists: the UN Security Council list and the BIS Denied Persons List."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from clearance.api import ApiSettings, create_app
from clearance.api.auth import KeyStore
from clearance.store import Store

UN_FILE = "un_sc/2026-05-08_TuaMaley/un_sanctions.xml"
DPL_FILE = "us_bis_dpl/2023-11_watchman/dpl.txt"
SECRET = "test-secret-0123456789abcdef"


@dataclass
class Server:
    url: str
    keys: dict[str, str]
    settings: ApiSettings
    store: Store

    def client(self, role: str | None = "screen", **kwargs: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30.0, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def api_home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """A clearance home with a store of two real lists (loaded once per session)."""
    home = tmp_path_factory.mktemp("api-home")
    with Store.open(f"sqlite:///{home / 'clearance.db'}") as store:
        for name in (UN_FILE, DPL_FILE):
            store.load_path(lists_dir / name)
    return home


def make_settings(home: Path, **overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {
        "home": home,
        "database_url": f"sqlite:///{home / 'clearance.db'}",
        "api_secret": SECRET,
        "api_rate_per_minute": 60_000.0,
        "api_rate_burst": 100,
        "api_max_body_bytes": 256 * 1024,
        "api_max_job_bytes": 1024 * 1024,
        "api_refresh_seconds": 1.0,
    }
    values.update(overrides)
    return ApiSettings(**values)


@dataclass
class Running:
    server: uvicorn.Server
    thread: threading.Thread
    url: str


def start(settings: ApiSettings, store: Store) -> Running:
    """Start uvicorn on a free port and wait until /readyz says the index is loaded."""
    app = create_app(settings, store)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return Running(server, thread, url)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.should_exit = True
    raise RuntimeError("the API server did not become ready")


def stop(running: Running) -> None:
    running.server.should_exit = True
    running.thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(api_home: Path) -> Iterator[Server]:
    settings = make_settings(api_home)
    store = Store.open(settings.db_url)
    keys = KeyStore(store.engine, settings.secret_bytes())
    created = {role: keys.create(f"test-{role}", role) for role in ("screen", "review", "admin")}
    created["slow"] = keys.create("test-slow", "screen", rate_per_minute=6.0)
    running = start(settings, store)
    try:
        yield Server(running.url, created, settings, store)
    finally:
        stop(running)
        store.close()
