"""The analyst workbench end to end in a real headless Chromium against a real server.

An analyst signs in, searches a name written in Cyrillic, opens an alert raised by the monitoring
run, decides "true match" with a reason and signs out; an approver signs in, approves, and finds
both decisions (and the search) in the audit trail. Screenshots of each step are saved.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.workbench.e2e.conftest import Live
from tests.workbench.e2e.harness import PASSWORD


def login(page: Page, live: Live, name: str) -> None:
    page.goto(f"{live.url}/ui/login")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_search_decide_approve_audit(page: Page, live: Live) -> None:
    problems: list[str] = []  # console errors, e.g. a Content-Security-Policy violation
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    # the analyst signs in and searches a name written in Cyrillic
    page.goto(f"{live.url}/ui/login")
    live.shoot(page, "01-login")
    login(page, live, "ann")
    nav(page, "Search")
    page.get_by_label("Name (any script)").fill("Абдул Баки Басир")
    page.get_by_label("Type").select_option("Person")
    page.get_by_role("button", name="Search").click()
    first = page.locator("article.hit").first
    expect(first.locator("h2")).to_contain_text("ABDUL BAQI BASIR AWAL SHAH")
    # the matched words are highlighted on both sides (the query in its own script)
    expect(first.locator("h2 mark")).to_have_count(3)
    expect(first.locator("dd mark").first).to_have_text(re.compile("Абдул|Баки|Басир"))
    expect(first.get_by_text("name_match").first).to_be_visible()
    live.shoot(page, "02-search")

    # the queue shows the monitoring run's alerts; open the one on the Cyrillic record
    nav(page, "Alerts")
    expect(page.get_by_role("heading", name=re.compile("Alert queue"))).to_be_visible()
    live.shoot(page, "03-queue")
    row = page.locator("table.queue tbody tr", has_text="C-1001")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Screened record")).to_be_visible()
    record = page.locator("section[aria-labelledby=rec-h]")
    entity = page.locator("section[aria-labelledby=ent-h]")
    expect(record.locator("mark").first).to_be_visible()
    expect(entity.locator("mark").first).to_be_visible()
    expect(entity).to_contain_text("un_sc_sanctions")
    expect(entity).to_contain_text("Taliban")
    live.shoot(page, "04-alert")

    # decide "true match" with a reason: it waits for a second user
    page.get_by_label("True match").check()
    page.get_by_label("Reason (required)").fill(
        "Same name and year of birth 1962 as the UN listing."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("waits for a second user's approval")).to_be_visible()
    expect(page.get_by_text("You made this decision")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    alert_url = page.url.split("?")[0]
    live.shoot(page, "05-decided")
    logout(page)

    # the approver finds it among the reviews and approves it
    login(page, live, "bob")
    nav(page, "Reviews")
    pending = page.locator("tr", has_text="Same name and year of birth")
    expect(pending).to_contain_text("Same name and year of birth")
    live.shoot(page, "06-reviews")
    pending.get_by_role("link", name="Review").click()
    assert page.url.split("#")[0].split("?")[0] == alert_url
    page.get_by_label("Reason for your approval or rejection (required)").fill(
        "Checked the UN listing: date of birth and nationality agree."
    )
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Decision approved.")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("true match")
    live.shoot(page, "07-approved")

    # the audit trail shows the search, the decision and the approval, chained
    nav(page, "Audit trail")
    audit = page.locator("table.audit")
    approved = audit.locator("tr", has_text="decision.approved").first
    expect(approved).to_contain_text("bob")
    expect(approved).to_contain_text(alert_url.rsplit("/", 1)[1])
    expect(audit.locator("tr", has_text="decision.made").first).to_contain_text("ann")
    expect(audit.locator("tr", has_text="screen.search").first).to_contain_text("ann")
    live.shoot(page, "08-audit")
    page.get_by_role("link", name="Verify the chain").click()
    expect(page.get_by_text("The chain is intact")).to_be_visible()
    assert problems == []


def test_dashboard(page: Page, live: Live) -> None:
    login(page, live, "root")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("#vol-h")).to_contain_text("raised in the last 30 days")
    expect(page.locator("section[aria-labelledby=fresh-h]")).to_contain_text("un_sc_sanctions")
    assert page.locator("svg[role=img]").count() == 5
    live.shoot(page, "10-dashboard")
    nav(page, "Users")
    expect(page.get_by_role("cell", name="bob", exact=True)).to_be_visible()
    live.shoot(page, "11-users")


def test_false_positive_lands_on_the_good_guy_list(page: Page, live: Live) -> None:
    login(page, live, "carol")
    nav(page, "Alerts")
    page.locator("table.queue tbody tr", has_text="ABDUL BASIR NOORZAI").get_by_role("link").click()
    page.get_by_label("False positive").check()
    page.get_by_label("Reason (required)").fill("Different person: our customer is Abdul Qadeer.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("waits for a second user's approval")).to_be_visible()
    logout(page)
    login(page, live, "bob")
    nav(page, "Reviews")
    page.locator("tr", has_text="Different person").get_by_role("link", name="Review").click()
    page.get_by_label("Reason for your approval or rejection (required)").fill("Agreed.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("h1 .badge")).to_have_text("false positive")
    nav(page, "Good guys")
    row = page.locator("tbody tr", has_text="ABDUL BASIR NOORZAI")
    expect(row).to_contain_text("carol")
    expect(row).to_contain_text("bob")
    expect(row).to_contain_text("Different person")
    live.shoot(page, "12-goodguys")
