"""`clearance book`, `clearance monitor` and `clearance alerts` end to end (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cli import app
from clearance.store import Store
from tests.monitor.conftest import Lists, book_rows, write_book

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sdn_lists: Lists) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CLEARANCE_HOME", str(home))
    monkeypatch.delenv("CLEARANCE_DATABASE_URL", raising=False)
    with Store.open(f"sqlite:///{home / 'clearance.db'}") as store:
        store.load_path(sdn_lists.v1)
    return home


def test_import_run_list_status(home: Path, tmp_path: Path) -> None:
    rows = book_rows(30)
    path = write_book(tmp_path / "book.csv", rows)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("bad-1,Person,,,\n")
    result = runner.invoke(app, ["book", "import", str(path), "--book", "retail"])
    assert result.exit_code == 0, result.output
    assert "35 new" in result.output and "1 broken" in result.output
    assert "row 36 (line 37): empty query" in result.output

    result = runner.invoke(app, ["monitor", "run", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "full run" in result.output and "completed" in result.output

    result = runner.invoke(app, ["alerts", "list", "--json"])
    assert result.exit_code == 0, result.output
    found = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert ("p-bnc", "ofac-306") in {(a["record_id"], a["entity_id"]) for a in found}
    assert {a["status"] for a in found} == {"open"}

    result = runner.invoke(app, ["monitor", "status", "--json"])
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["books"][0]["records"] == 35 and status["books"][0]["unscreened"] == 0
    assert status["alerts"]["open"] == len(found)

    result = runner.invoke(app, ["book", "status"])
    assert result.exit_code == 0 and "retail" in result.output

    result = runner.invoke(app, ["monitor", "schedule", "--once", "--no-update"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["monitor", "resume"])
    assert result.exit_code == 0 and "no unfinished run" in result.output


def test_a_book_file_without_ids_is_refused(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "noid.csv"
    path.write_text("name\nJohn Smith\n", encoding="utf-8")
    result = runner.invoke(app, ["book", "import", str(path), "--book", "b"])
    assert result.exit_code == 1
    assert "needs an 'id' column" in result.output


def test_monitor_run_without_a_book_says_so(home: Path) -> None:
    result = runner.invoke(app, ["monitor", "run"])
    assert result.exit_code == 1
    assert "no book imported yet" in result.output
