"""Every search from the workbench is in the audit trail with the list versions it used (and
only the query's hash when the server redacts personal data)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from clearance import audit
from clearance.api import create_app
from clearance.store import Store
from tests.workbench.e2e.conftest import Live
from tests.workbench.e2e.harness import PASSWORD, Browser, api_settings, csrf_of


def _searches(store: Store) -> list[audit.AuditEntry]:
    with store.engine.connect() as conn:
        return [e for e in audit.entries(conn) if e.action == "screen.search"]


def test_search_is_audited_with_versions(live: Live) -> None:
    client = httpx.Client(base_url=live.url, follow_redirects=False, timeout=30)
    page = client.get("/ui/login")
    assert (
        client.post(
            "/ui/login",
            data={"username": "carol", "password": PASSWORD, "csrf": csrf_of(page.text)},
        ).status_code
        == 303
    )
    before = len(_searches(live.store))
    answer = client.get("/ui/search", params={"q": "Kim Jong Sik", "schema": "Person"})
    assert answer.status_code == 200 and "KIM JONG SIK" in answer.text
    found = _searches(live.store)[before:]
    assert len(found) == 1
    entry = found[0]
    versions = [v.id for v in live.store.active_versions()]
    assert entry.actor == "carol" and entry.versions == versions
    assert entry.data["query"] == "Kim Jong Sik"
    assert {"entity_id": "unsc-6908643", "score": 1.0} in entry.data["hits"]


def test_redacted_search_keeps_only_the_hash(e2e_home: Path) -> None:
    store = Store.open(f"sqlite:///{e2e_home / 'clearance.db'}")
    url = f"sqlite:///{e2e_home / 'clearance.db'}"
    app = create_app(
        api_settings(e2e_home, url, api_redact=True), store, index_root=e2e_home / "index"
    )
    try:
        with TestClient(app):
            deadline = time.monotonic() + 60
            while app.state.clearance.current is None and time.monotonic() < deadline:
                time.sleep(0.1)
            browser = Browser(app)
            assert browser.login("carol").status_code == 303
            before = len(_searches(store))
            assert browser.get("/ui/search?q=Kim+Jong+Sik").status_code == 200
            entry = _searches(store)[before:][0]
        assert entry.data["query"] is None
        assert "Kim" not in str(entry.data) and "Kim" not in entry.subject
        assert len(entry.data["query_sha256"]) == 64
    finally:
        store.close()
