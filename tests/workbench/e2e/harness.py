"""Helpers shared by the workbench web tests: the real application over a store, users, and a
small HTTP "browser" that signs in and fills the CSRF field the way a browser does."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from clearance.api import ApiSettings, create_app
from clearance.store import Store
from clearance.workbench.users import create_user

PASSWORD = "correct horse battery staple"
SECRET = "test-secret-0123456789abcdef"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')

UN_FILE = "un_sc/2026-05-08_TuaMaley/un_sanctions.xml"


def api_settings(home: Path, db_url: str, **overrides: Any) -> ApiSettings:
    values: dict[str, Any] = {
        "home": home,
        "database_url": db_url,
        "api_secret": SECRET,
        "api_refresh_seconds": 1.0,
    }
    values.update(overrides)
    return ApiSettings(**values)


def make_app(store: Store, home: Path) -> FastAPI:
    """The real application (API + workbench) over ``store``."""
    url = store.engine.url.render_as_string(hide_password=False)
    return create_app(api_settings(home, url), store, index_root=home / "index")


def add_user(store: Store, name: str, *roles: str, password: str = PASSWORD) -> None:
    with store.engine.begin() as conn:
        create_user(conn, name, password, roles, display_name=name.title())


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, "no CSRF field on the page"
    return found.group(1)


class Browser:
    """A TestClient with its own cookie jar, signed in as one user."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app, base_url="http://testserver", follow_redirects=False)

    def login(self, name: str, password: str = PASSWORD) -> httpx.Response:
        page = self.client.get("/ui/login")
        assert page.status_code == 200
        return self.client.post(
            "/ui/login",
            data={"username": name, "password": password, "csrf": csrf_of(page.text), "next": ""},
        )

    def csrf(self, path: str = "/ui/alerts") -> str:
        page = self.client.get(path)
        assert page.status_code == 200, page.status_code
        return csrf_of(page.text)

    def post(self, path: str, data: dict[str, Any], csrf: str | None = None) -> httpx.Response:
        token = self.csrf() if csrf is None else csrf
        return self.client.post(path, data={**data, "csrf": token})

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)


# -- a real server (uvicorn on 127.0.0.1, a free port) ----------------------------------------


@dataclass
class Running:
    server: uvicorn.Server
    thread: threading.Thread
    url: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(app: FastAPI, ready_path: str = "/readyz", timeout: float = 120.0) -> Running:
    """Start uvicorn in a thread and wait until ``ready_path`` answers 200."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + ready_path, timeout=2).status_code == 200:
                return Running(server, thread, url)
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    server.should_exit = True
    raise RuntimeError("the server did not become ready")


def shutdown(running: Running) -> None:
    running.server.should_exit = True
    running.thread.join(timeout=10)
