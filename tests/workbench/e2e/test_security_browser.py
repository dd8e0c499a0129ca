"""Security checks in the real browser: an analyst cannot approve (the button is not offered
and a forged post is refused), and a session cookie stops working after logout."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from clearance.monitor.tables import alerts
from clearance.workbench.decisions import decide
from clearance.workbench.sessions import COOKIE
from clearance.workbench.tables import decisions
from tests.workbench.e2e.conftest import Live
from tests.workbench.e2e.test_flow import login, logout


def _alert_of(live: Live, record_id: str) -> str:
    with live.store.engine.connect() as conn:
        return str(
            conn.execute(
                select(alerts.c.id)
                .where(alerts.c.record_id == record_id)
                .order_by(alerts.c.score.desc())
            )
            .scalars()
            .first()
        )


def test_an_analyst_cannot_approve_in_the_browser(page: Page, live: Live) -> None:
    alert_id = _alert_of(live, "C-1003")
    with live.store.engine.begin() as conn:
        made = decide(
            conn, alert_id, user="carol", roles={"analyst"}, decision="true_match",
            reason="Same name as the DPRK listing.",
        )  # fmt: skip
    login(page, live, "ann")
    page.goto(f"{live.url}/ui/alerts/{alert_id}")
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    live.shoot(page, "09-analyst-no-approve")
    # a hand-made post with the session's own CSRF token is refused as well
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    answer = page.request.post(
        f"{live.url}/ui/decisions/{made.id}/review",
        form={"csrf": token or "", "verdict": "approve", "reason": "forged", "alert_id": alert_id},
        max_redirects=0,
    )
    assert answer.status == 403
    with live.store.engine.connect() as conn:
        status = conn.execute(select(decisions.c.status).where(decisions.c.id == made.id)).scalar()
    assert status == "pending"


def test_a_logged_out_cookie_cannot_be_reused(page: Page, chromium: Browser, live: Live) -> None:
    login(page, live, "carol")
    stolen = [c for c in page.context.cookies() if c["name"] == COOKIE]
    assert len(stolen) == 1
    assert stolen[0]["httpOnly"] is True and stolen[0]["sameSite"] == "Strict"
    logout(page)
    other = chromium.new_context()
    try:
        other.add_cookies(
            [{"name": c["name"], "value": c["value"], "url": live.url + "/ui/"} for c in stolen]
        )
        thief = other.new_page()
        thief.goto(f"{live.url}/ui/alerts")
        expect(thief.get_by_role("heading", name="Sign in")).to_be_visible()
        assert "/ui/login" in thief.url
    finally:
        other.close()
