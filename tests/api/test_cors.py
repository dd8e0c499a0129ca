"""CORS: off by default (see test_limits), allowed origins only when configured."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from clearance.store import Store
from tests.api.conftest import make_settings, start, stop


def test_configured_origins_get_cors_headers(api_home: Path, server: object) -> None:
    settings = make_settings(api_home, api_cors_origins=["https://app.example"])
    store = Store.open(settings.db_url)
    running = start(settings, store)
    try:
        pre = httpx.options(
            f"{running.url}/match/default",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
        )
        assert pre.headers["access-control-allow-origin"] == "https://app.example"
        other = httpx.options(
            f"{running.url}/match/default",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"
    finally:
        stop(running)
        store.close()


def test_bad_origin_setting_fails_loudly(api_home: Path) -> None:
    with pytest.raises(ValueError, match="not an http"):
        make_settings(api_home, api_cors_origins=["app.example"])
