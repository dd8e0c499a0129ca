"""Security of the workbench over HTTP (the real application, SQLite and PostgreSQL): roles and
the four-eyes rule, CSRF on every form, session cookies and their reuse, login throttling."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from clearance import audit
from clearance.monitor.tables import alerts
from clearance.store import Store
from clearance.workbench.decisions import decide
from clearance.workbench.sessions import COOKIE
from clearance.workbench.tables import decisions
from tests.workbench.e2e.harness import PASSWORD, Browser, add_user, csrf_of, make_app
from tests.workbench.factory import make_alert


@pytest.fixture
def app(store: Store, tmp_path: Path) -> Iterator[FastAPI]:
    add_user(store, "ann", "analyst")
    add_user(store, "carol", "analyst")
    add_user(store, "bob", "approver")
    add_user(store, "root", "admin")
    yield make_app(store, tmp_path)


def _alert(store: Store) -> str:
    with store.engine.begin() as conn:
        return make_alert(conn, sample=0)


def _pending(
    store: Store, by: str = "carol", roles: frozenset[str] = frozenset({"analyst"})
) -> tuple[str, str]:
    alert_id = _alert(store)
    with store.engine.begin() as conn:
        made = decide(
            conn, alert_id, user=by, roles=set(roles), decision="true_match", reason="same person"
        )
    return alert_id, made.id


def _state(store: Store, alert_id: str) -> tuple[str, list[str], list[str]]:
    with store.engine.connect() as conn:
        status = conn.execute(select(alerts.c.status).where(alerts.c.id == alert_id)).scalar_one()
        statuses = list(
            conn.execute(
                select(decisions.c.status).where(decisions.c.alert_id == alert_id)
            ).scalars()
        )
        actions = [e.action for e in audit.entries(conn) if e.subject == alert_id]
    return status, statuses, actions


def _browser(app: FastAPI, name: str) -> Browser:
    browser = Browser(app)
    assert browser.login(name).status_code == 303
    return browser


def test_an_analyst_cannot_approve(app: FastAPI, store: Store) -> None:
    alert_id, decision_id = _pending(store)
    ann = _browser(app, "ann")
    page = ann.get(f"/ui/alerts/{alert_id}")
    assert "Approve</button>" not in page.text  # not offered ...
    before = _state(store, alert_id)
    answer = ann.post(
        f"/ui/decisions/{decision_id}/review",
        {"verdict": "approve", "reason": "looks right", "alert_id": alert_id},
        csrf=csrf_of(page.text),
    )
    assert answer.status_code == 403  # ... and refused when posted anyway
    assert "approver" in answer.text
    assert _state(store, alert_id) == before == ("pending_approval", ["pending"], ["decision.made"])


def test_nobody_approves_their_own_decision(app: FastAPI, store: Store) -> None:
    alert_id, decision_id = _pending(store, by="bob", roles=frozenset({"approver"}))
    bob = _browser(app, "bob")
    page = bob.get(f"/ui/alerts/{alert_id}")
    assert "You made this decision" in page.text
    answer = bob.post(
        f"/ui/decisions/{decision_id}/review",
        {"verdict": "approve", "reason": "mine", "alert_id": alert_id},
    )
    assert answer.status_code == 403
    assert _state(store, alert_id)[1] == ["pending"]


def test_an_approver_approves_another_users_decision(app: FastAPI, store: Store) -> None:
    alert_id, decision_id = _pending(store)
    bob = _browser(app, "bob")
    answer = bob.post(
        f"/ui/decisions/{decision_id}/review",
        {"verdict": "approve", "reason": "agree", "alert_id": alert_id},
    )
    assert answer.status_code == 303
    assert _state(store, alert_id) == (
        "true_match",
        ["approved"],
        ["decision.made", "decision.approved"],
    )


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
def test_form_posts_without_the_right_csrf_token_are_rejected(
    app: FastAPI, store: Store, csrf: str | None
) -> None:
    alert_id = _alert(store)
    ann = _browser(app, "ann")
    data = {"decision": "escalate", "reason": "unclear"}
    if csrf is not None:
        data["csrf"] = csrf
    answer = ann.client.post(f"/ui/alerts/{alert_id}/decide", data=data)
    assert answer.status_code == 403
    assert "security token" in answer.text
    assert _state(store, alert_id) == ("open", [], [])


def test_another_sessions_csrf_token_does_not_work(app: FastAPI, store: Store) -> None:
    alert_id = _alert(store)
    ann, carol = _browser(app, "ann"), _browser(app, "carol")
    carols_token = carol.csrf()
    answer = ann.post(
        f"/ui/alerts/{alert_id}/decide", {"decision": "escalate", "reason": "x"}, csrf=carols_token
    )
    assert answer.status_code == 403
    # and ann's own token in a second session of ann is not valid either
    ann_again = _browser(app, "ann")
    answer = ann_again.post(
        f"/ui/alerts/{alert_id}/decide", {"decision": "escalate", "reason": "x"}, csrf=ann.csrf()
    )
    assert answer.status_code == 403
    assert _state(store, alert_id) == ("open", [], [])
    good = ann.post(f"/ui/alerts/{alert_id}/decide", {"decision": "escalate", "reason": "unclear"})
    assert good.status_code == 303
    assert _state(store, alert_id)[0] == "escalated"


def test_a_session_cookie_is_useless_after_logout(app: FastAPI, store: Store) -> None:
    alert_id = _alert(store)
    ann = _browser(app, "ann")
    cookie = ann.client.cookies.get(COOKIE)
    token = ann.csrf()
    assert cookie
    assert ann.post("/ui/logout", {}, csrf=token).status_code == 303
    thief = Browser(app)
    thief.client.cookies.set(COOKIE, cookie, path="/ui")
    page = thief.get("/ui/alerts")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/ui/login?next=")
    answer = thief.client.post(
        f"/ui/alerts/{alert_id}/decide", data={"decision": "escalate", "reason": "x", "csrf": token}
    )
    assert answer.status_code == 403
    assert _state(store, alert_id) == ("open", [], [])


def test_a_disabled_users_session_ends_at_once(app: FastAPI, store: Store) -> None:
    ann = _browser(app, "ann")
    assert ann.get("/ui/alerts").status_code == 200
    root = _browser(app, "root")
    assert root.post("/ui/users/ann/disable", {}, csrf=root.csrf("/ui/users")).status_code == 303
    assert ann.get("/ui/alerts").status_code == 303
    assert Browser(app).login("ann").status_code == 401


def test_session_cookie_flags(app: FastAPI, store: Store) -> None:
    answer = Browser(app).login("ann")
    cookie = answer.headers["set-cookie"]
    session_part = next(p for p in cookie.split(", clearance_") if p.startswith(COOKIE))
    assert "HttpOnly" in session_part
    assert "SameSite=strict" in session_part
    assert "Path=/ui" in session_part
    assert "Secure" not in session_part  # plain http in this test (auto)


def test_cookies_are_secure_over_https(store: Store, tmp_path: Path) -> None:
    add_user(store, "ann", "analyst")
    browser = Browser(make_app(store, tmp_path))
    browser.client.base_url = "https://testserver"
    answer = browser.login("ann")
    assert answer.status_code == 303
    assert re.search(rf"{COOKIE}=[^;]+;.*Secure", answer.headers["set-cookie"])


@pytest.mark.parametrize(
    ("setting", "base", "secure"), [("true", "http", True), ("false", "https", False)]
)
def test_cookie_secure_setting_overrides_the_scheme(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    base: str,
    secure: bool,
) -> None:
    monkeypatch.setenv("CLEARANCE_UI_COOKIE_SECURE", setting)
    browser = Browser(make_app(store, tmp_path))
    browser.client.base_url = f"{base}://testserver"
    cookie = browser.get("/ui/login").headers["set-cookie"]
    assert cookie.startswith("clearance_login=")
    assert ("Secure" in cookie) is secure


def test_login_form_has_its_own_csrf_check(app: FastAPI) -> None:
    browser = Browser(app)
    answer = browser.client.post(
        "/ui/login", data={"username": "ann", "password": PASSWORD, "csrf": "guess"}
    )
    assert answer.status_code == 403
    assert COOKIE not in answer.headers.get("set-cookie", "")


def test_wrong_passwords_lock_the_name(app: FastAPI, store: Store) -> None:
    browser = Browser(app)
    for _ in range(5):
        assert browser.login("ann", "wrong password!").status_code == 401
    locked = browser.login("ann")  # the right password no longer helps
    assert locked.status_code == 429
    assert COOKIE not in locked.headers.get("set-cookie", "")
    assert Browser(app).login("bob").status_code == 303  # other names are unaffected
    with store.engine.connect() as conn:
        failures = [e for e in audit.entries(conn) if e.action == "auth.login_failed"]
    assert len(failures) == 5 and {e.subject for e in failures} == {"ann"}


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/ui\\@evil"])
def test_login_never_redirects_off_site(app: FastAPI, target: str) -> None:
    browser = Browser(app)
    page = browser.get(f"/ui/login?next={target}")
    answer = browser.client.post(
        "/ui/login",
        data={"username": "ann", "password": PASSWORD, "csrf": csrf_of(page.text), "next": target},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ui/"


def test_pages_need_a_session(app: FastAPI, store: Store) -> None:
    alert_id = _alert(store)
    browser = Browser(app)
    for path in ("/ui/", "/ui/alerts?band=high", f"/ui/alerts/{alert_id}", "/ui/audit"):
        answer = browser.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/ui/login?next=/ui")
    assert browser.client.post(f"/ui/alerts/{alert_id}/decide", data={}).status_code == 403


def test_role_pages(app: FastAPI) -> None:
    ann, bob, root = _browser(app, "ann"), _browser(app, "bob"), _browser(app, "root")
    assert ann.get("/ui/users").status_code == 403
    assert bob.get("/ui/users").status_code == 403
    assert root.get("/ui/users").status_code == 200
    assert ann.get("/ui/audit").status_code == 403
    assert bob.get("/ui/audit").status_code == 200
    created = ann.post(
        "/ui/users",
        {"username": "mallory", "password": PASSWORD, "roles": "admin"},
    )
    assert created.status_code == 403
    assert Browser(app).login("mallory").status_code == 401


def test_security_headers_on_ui_pages_only(app: FastAPI) -> None:
    browser = Browser(app)
    page = browser.get("/ui/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    api = browser.get("/healthz")
    assert api.status_code == 200 and "content-security-policy" not in api.headers


def test_oversized_forms_are_refused(app: FastAPI, store: Store) -> None:
    alert_id = _alert(store)
    ann = _browser(app, "ann")
    answer = ann.post(
        f"/ui/alerts/{alert_id}/decide", {"decision": "escalate", "reason": "x" * 70_000}
    )
    assert answer.status_code == 413
    assert _state(store, alert_id) == ("open", [], [])
