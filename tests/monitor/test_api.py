"""``GET /monitor/status`` (router clearance.api.routers.monitor)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from clearance.api import ApiSettings
from clearance.api.routers import monitor
from clearance.api.state import AppState
from clearance.store import SourceState, Store


def test_status_shows_books_runs_and_a_failed_download(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clearance.db'}"
    with Store.open(url) as store:
        store.set_source_state(SourceState(source="us_ofac_sdn", last_error="HTTP 503", stale=True))
        settings = ApiSettings(
            home=tmp_path, database_url=url, api_auth=False, api_secret=SecretStr("x" * 32)
        )
        app = FastAPI()
        app.include_router(monitor.router)
        app.state.clearance = AppState(settings, store, tmp_path / "index")
        with TestClient(app) as client:
            response = client.get("/monitor/status")
    assert response.status_code == 200
    body = response.json()
    [alert] = body["operator_alerts"]
    assert alert["kind"] == "download_failed" and "HTTP 503" in alert["message"]
    assert body["books"] == [] and body["runs"] == [] and body["alerts"] == {}
