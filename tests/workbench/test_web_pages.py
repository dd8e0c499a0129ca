"""Workbench pages over HTTP on SQLite: the queue's filters, sorting and paging, the alert
page's content, decisions with their mandatory reason, assignment, reviews, users."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from clearance import audit
from clearance.monitor.tables import alerts
from clearance.store import Store
from tests.workbench.e2e.harness import PASSWORD, Browser, add_user, make_app
from tests.workbench.factory import make_alert

_ROW = re.compile(r'<a href="/ui/alerts/([0-9a-f-]{36})">')


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(f"sqlite:///{tmp_path / 'clearance.db'}")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def app(sqlite_store: Store, tmp_path: Path) -> FastAPI:
    add_user(sqlite_store, "ann", "analyst")
    add_user(sqlite_store, "bob", "approver")
    return make_app(sqlite_store, tmp_path)


@pytest.fixture
def ann(app: FastAPI) -> Browser:
    browser = Browser(app)
    assert browser.login("ann").status_code == 303
    return browser


def _ids(html: str) -> list[str]:
    return _ROW.findall(html)


def test_queue_filters(ann: Browser, sqlite_store: Store) -> None:
    now = datetime.now(UTC)
    with sqlite_store.engine.begin() as conn:
        high = make_alert(conn, sample=0, score=0.97)
        mid = make_alert(conn, sample=1, score=0.8, assignee="ann")
        old = make_alert(conn, sample=2, score=0.72, created_at=now - timedelta(days=40))
        closed = make_alert(conn, sample=0, status="false_positive")
    everything = _ids(ann.get("/ui/alerts").text)
    assert set(everything) == {high, mid, old}  # the default shows the alerts still to work
    assert set(_ids(ann.get("/ui/alerts?status=all").text)) == {high, mid, old, closed}
    assert _ids(ann.get("/ui/alerts?status=false_positive").text) == [closed]
    assert _ids(ann.get("/ui/alerts?band=high").text) == [high]
    assert _ids(ann.get("/ui/alerts?band=mid").text) == [mid]
    assert _ids(ann.get("/ui/alerts?band=low").text) == [old]
    assert _ids(ann.get("/ui/alerts?age=old").text) == [old]
    assert set(_ids(ann.get("/ui/alerts?age=7").text)) == {high, mid}
    assert _ids(ann.get("/ui/alerts?assignee=me").text) == [mid]
    assert set(_ids(ann.get("/ui/alerts?assignee=none").text)) == {high, old}
    assert _ids(ann.get("/ui/alerts?source=eu_fsf").text) == [old]
    assert _ids(ann.get("/ui/alerts?program=RUSSIA-EO14024").text) == [mid]
    assert _ids(ann.get("/ui/alerts?q=rosoboron").text) == [mid]


def test_queue_sorting_and_paging(ann: Browser, sqlite_store: Store) -> None:
    base = datetime.now(UTC) - timedelta(hours=1)
    with sqlite_store.engine.begin() as conn:
        made = [
            make_alert(conn, score=0.7 + i / 100, created_at=base + timedelta(minutes=i))
            for i in range(27)
        ]
    newest_first = _ids(ann.get("/ui/alerts").text)
    assert newest_first == list(reversed(made))[:25]
    second = ann.get("/ui/alerts?page=2").text
    assert _ids(second) == [made[1], made[0]]
    assert "Page 2 of 2" in second
    by_score = _ids(ann.get("/ui/alerts?sort=score&per_page=50").text)
    assert by_score == made  # scores rise with creation time
    assert _ids(ann.get("/ui/alerts?sort=-score&per_page=50").text) == list(reversed(made))
    assert ann.get("/ui/alerts?sort=password").status_code == 400
    assert ann.get("/ui/alerts?per_page=7").status_code == 400
    assert ann.get("/ui/alerts?band=huge").status_code == 400
    assert ann.get("/ui/alerts?page=0").status_code == 400


def test_alert_page_shows_both_sides_provenance_and_history(
    ann: Browser, sqlite_store: Store
) -> None:
    with sqlite_store.engine.begin() as conn:
        alert_id = make_alert(conn, sample=1)
    page = ann.get(f"/ui/alerts/{alert_id}")
    assert page.status_code == 200
    html = page.text
    assert "Rosoboronexport" in html and "ROSOBORONEXPORT" in html
    assert re.search(r"<mark[^>]*>Rosoboronexport</mark>", html)  # the record's matched word
    assert re.search(r"<mark[^>]*>ROSOBORONEXPORT</mark>", html)  # the listed entity's
    for expected in ("us_ofac_sdn", "2026-11-21", "RUSSIA-EO14024", "2022-04-08", "raised"):
        assert expected in html
    assert "name_match" in html  # every feature of the explanation
    assert ann.get("/ui/alerts/no-such-alert").status_code == 404


def test_a_decision_needs_a_reason(ann: Browser, sqlite_store: Store) -> None:
    with sqlite_store.engine.begin() as conn:
        alert_id = make_alert(conn)
    answer = ann.post(f"/ui/alerts/{alert_id}/decide", {"decision": "true_match", "reason": "  "})
    assert answer.status_code == 400
    assert "A reason is required" in answer.text
    answer = ann.post(f"/ui/alerts/{alert_id}/decide", {"decision": "delete", "reason": "x"})
    assert answer.status_code == 400
    with sqlite_store.engine.connect() as conn:
        status = conn.execute(select(alerts.c.status).where(alerts.c.id == alert_id)).scalar()
        assert status == "open"
        assert [e.action for e in audit.entries(conn) if e.subject == alert_id] == []


def test_decide_then_reject_returns_the_alert_to_the_queue(
    app: FastAPI, ann: Browser, sqlite_store: Store
) -> None:
    with sqlite_store.engine.begin() as conn:
        alert_id = make_alert(conn)
    done = ann.post(
        f"/ui/alerts/{alert_id}/decide", {"decision": "false_positive", "reason": "other DOB"}
    )
    assert done.status_code == 303
    page = ann.get(done.headers["location"]).text
    assert "waits for a second user" in page
    bob = Browser(app)
    bob.login("bob")
    reviews = bob.get("/ui/reviews").text
    decision_id = re.search(
        r"/ui/decisions/([0-9a-f-]+)/review", bob.get(f"/ui/alerts/{alert_id}").text
    )
    assert decision_id is not None and "other DOB" in reviews
    rejected = bob.post(
        f"/ui/decisions/{decision_id.group(1)}/review",
        {"verdict": "reject", "reason": "dates agree, look again", "alert_id": alert_id},
    )
    assert rejected.status_code == 303
    assert "back in the queue" in bob.get(rejected.headers["location"]).text
    assert alert_id in _ids(ann.get("/ui/alerts").text)
    empty_reason = bob.post(
        f"/ui/decisions/{decision_id.group(1)}/review",
        {"verdict": "approve", "reason": "", "alert_id": alert_id},
    )
    assert empty_reason.status_code == 409  # no longer pending


def test_assign(ann: Browser, sqlite_store: Store) -> None:
    with sqlite_store.engine.begin() as conn:
        alert_id = make_alert(conn)
    assert ann.post(f"/ui/alerts/{alert_id}/assign", {"assignee": "bob"}).status_code == 303
    assert _ids(ann.get("/ui/alerts?assignee=bob").text) == [alert_id]
    assert ann.post(f"/ui/alerts/{alert_id}/assign", {"assignee": "nobody"}).status_code == 400
    assert ann.post(f"/ui/alerts/{alert_id}/assign", {"assignee": ""}).status_code == 303
    assert _ids(ann.get("/ui/alerts?assignee=none").text) == [alert_id]


def test_admin_adds_a_user_who_can_sign_in(app: FastAPI, sqlite_store: Store) -> None:
    add_user(sqlite_store, "root", "admin")
    root = Browser(app)
    root.login("root")
    token = root.csrf("/ui/users")
    bad = root.post(
        "/ui/users", {"username": "dave", "password": "short", "roles": "analyst"}, csrf=token
    )
    assert bad.status_code == 400 and "at least 12 characters" in bad.text
    made = root.post(
        "/ui/users", {"username": "dave", "password": PASSWORD, "roles": "approver"}, csrf=token
    )
    assert made.status_code == 303
    assert Browser(app).login("dave").status_code == 303
    assert "dave" in root.get("/ui/users").text


def test_search_without_an_index_says_so(ann: Browser) -> None:
    page = ann.get("/ui/search?q=Putin")
    assert page.status_code == 200
    assert "Search is not available yet" in page.text


def test_escalated_alerts_are_decided_by_an_approver(
    app: FastAPI, ann: Browser, sqlite_store: Store
) -> None:
    add_user(sqlite_store, "root", "admin")
    with sqlite_store.engine.begin() as conn:
        alert_id = make_alert(conn)
    assert (
        ann.post(
            f"/ui/alerts/{alert_id}/decide", {"decision": "escalate", "reason": "unsure"}
        ).status_code
        == 303
    )
    page = ann.get(f"/ui/alerts/{alert_id}").text
    assert "an approver decides it" in page and "Record decision" not in page
    refused = ann.post(f"/ui/alerts/{alert_id}/decide", {"decision": "true_match", "reason": "x"})
    assert refused.status_code == 403
    bob = Browser(app)
    bob.login("bob")
    assert "Record decision" in bob.get(f"/ui/alerts/{alert_id}").text
    made = bob.post(f"/ui/alerts/{alert_id}/decide", {"decision": "true_match", "reason": "yes"})
    assert made.status_code == 303
    root = Browser(app)
    root.login("root")
    decision_id = re.search(
        r"/ui/decisions/([0-9a-f-]+)/review", root.get(f"/ui/alerts/{alert_id}").text
    )
    assert decision_id is not None
    approved = root.post(
        f"/ui/decisions/{decision_id.group(1)}/review",
        {"verdict": "approve", "reason": "confirmed", "alert_id": alert_id},
    )
    assert approved.status_code == 303
    with sqlite_store.engine.connect() as conn:
        status = conn.execute(select(alerts.c.status).where(alerts.c.id == alert_id)).scalar()
    assert status == "true_match"


def test_logout_without_a_session_just_redirects(app: FastAPI) -> None:
    answer = Browser(app).client.post("/ui/logout", data={})
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/login"


def test_the_ui_is_not_in_the_openapi_document(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    assert "/match/{dataset}" in paths
    assert not [p for p in paths if p.startswith("/ui")]


def test_dashboard_counts(ann: Browser, sqlite_store: Store) -> None:
    with sqlite_store.engine.begin() as conn:
        for _ in range(3):
            make_alert(conn, sample=1)
        make_alert(conn, sample=0, status="escalated")
    page = ann.get("/ui/?days=7").text
    assert re.search(r'<span class="stat">3</span> open alerts', page)
    assert re.search(r'<span class="stat">1</span> escalated alerts', page)
    assert "4 raised in the last 7 days" in page
    assert page.count('role="img"') == 5
    assert ann.get("/ui/?days=365").status_code == 400


def test_audit_export(app: FastAPI, ann: Browser, sqlite_store: Store) -> None:
    with sqlite_store.engine.begin() as conn:
        alert_id = make_alert(conn, sample=0)
    ann.post(f"/ui/alerts/{alert_id}/decide", {"decision": "escalate", "reason": "unsure"})
    today = datetime.now(UTC).date().isoformat()
    assert ann.get(f"/ui/audit/export?start={today}&end={today}").status_code == 403
    bob = Browser(app)
    bob.login("bob")
    page = bob.get(f"/ui/audit?start={today}&end={today}").text
    assert "un_sc_sanctions 2026-11-20" in page  # list versions shown with source and date
    assert bob.get("/ui/audit/export").status_code == 400
    csv_text = bob.get(f"/ui/audit/export?start={today}&end={today}&format=csv")
    assert csv_text.status_code == 200
    assert "attachment" in csv_text.headers["content-disposition"]
    line = next(x for x in csv_text.text.splitlines() if "decision.made" in x)
    assert alert_id in line and "un_sc_sanctions 2026-11-20" in line
    as_json = bob.get(f"/ui/audit/export?start={today}&end={today}&format=json")
    actions = [e["action"] for e in as_json.json()["entries"]]
    assert "decision.made" in actions and actions[-1] == "audit.export"  # the CSV export
    with sqlite_store.engine.connect() as conn:
        exports = [e for e in audit.entries(conn) if e.action == "audit.export"]
    assert [e.data["format"] for e in exports] == ["csv", "json"]
