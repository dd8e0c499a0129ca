"""End-to-end fixtures: a real clearance server over a real list and a real monitoring run, and a
real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright).

The store holds the UN Security Council list; a small customer book (names in Latin and Cyrillic
script) is imported and screened by a full monitoring run, which raises the alerts the analysts
work on. Screenshots go to ``var/test-artifacts/workbench/`` and, with
``CLEARANCE_UPDATE_SCREENSHOTS=1``, also to ``docs/screenshots/`` (linked from docs/workbench.md).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from clearance.monitor.book import import_rows
from clearance.monitor.runner import run_book
from clearance.screen.readers import InputRow
from clearance.settings import REPO_ROOT
from clearance.store import Store
from tests.workbench.e2e.harness import UN_FILE, Running, add_user, make_app, serve, shutdown

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO_ROOT / "var" / "test-artifacts" / "workbench"
DOCS_SHOTS = REPO_ROOT / "docs" / "screenshots"

BOOK = [
    ("C-1001", "Person", "Абдул Баки Басир", "1962"),
    ("C-1002", "Person", "Abdul Qadeer Basir", None),
    ("C-1003", "Person", "Kim Jong Sik", None),
    ("C-1004", "Person", "Maria Schmidt", "1980"),
    ("C-1005", "Organization", "Tosan Trading", None),
]


def _query(record_id: str, schema: str, name: str, birth: str | None) -> dict[str, object]:
    props = {"name": [name]}
    if birth:
        props["birthDate"] = [birth]
    return {"id": record_id, "schema": schema, "properties": props}


@dataclass
class Live:
    url: str
    store: Store
    shots: list[Path] = field(default_factory=list)

    def shoot(self, page: Page, name: str) -> Path:
        """Save a full-page screenshot as a test artefact (and into docs/ when asked)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if os.environ.get("CLEARANCE_UPDATE_SCREENSHOTS") == "1":
            DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOCS_SHOTS / path.name)
        self.shots.append(path)
        return path


@pytest.fixture(scope="session")
def e2e_home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """A home whose store holds the UN list, users and the alerts of a real monitoring run."""
    home = tmp_path_factory.mktemp("workbench-e2e")
    with Store.open(f"sqlite:///{home / 'clearance.db'}") as store:
        store.load_path(lists_dir / UN_FILE)
        rows = [InputRow(i + 1, f"row {i + 1}", _query(*r)) for i, r in enumerate(BOOK)]
        report = import_rows(store, "customers", rows)
        assert not report.errors
        run_book(store, "customers", index_root=home / "index", kind="full", workers=1)
        add_user(store, "ann", "analyst")
        add_user(store, "bob", "approver")
        add_user(store, "carol", "analyst")
        add_user(store, "root", "admin")
    return home


@pytest.fixture(scope="session")
def live(e2e_home: Path) -> Iterator[Live]:
    store = Store.open(f"sqlite:///{e2e_home / 'clearance.db'}")
    running: Running = serve(make_app(store, e2e_home))
    try:
        yield Live(running.url, store)
    finally:
        shutdown(running)
        store.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh browser context (own cookies) per test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
