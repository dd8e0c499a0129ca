"""GET /healthz and /readyz (open; ready only with an index loaded)."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import uvicorn

from clearance.api import create_app
from clearance.store import Store
from tests.api.conftest import Server, free_port, make_settings


def test_health_endpoints_are_open(server: Server) -> None:
    with server.client(role=None) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").json() == {"status": "ok"}


def test_not_ready_without_lists(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store = Store.open(settings.db_url)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                health = httpx.get(f"{url}/healthz")
                break
            except httpx.TransportError:
                threading.Event().wait(0.05)
        assert health.status_code == 200
        for _ in range(100):
            ready = httpx.get(f"{url}/readyz")
            if "no list versions" in ready.text:
                break
            threading.Event().wait(0.05)
        assert ready.status_code == 503
        assert "no list versions are active" in ready.json()["detail"]
        assert ready.headers["retry-after"] == "5"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
