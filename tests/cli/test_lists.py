"""``clearance lists load|status|diff|show`` through Typer's CliRunner, with a store in tmp_path."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cli import app
from tests.store.factory import ftm_line, write_ftm

runner = CliRunner()

PEOPLE = [
    ftm_line("p1", name="Ivan Petrov", nationality="ru"),
    ftm_line("p2", name="Maria Lopez"),
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("CLEARANCE_DATABASE_URL", raising=False)
    return {"CLEARANCE_HOME": str(tmp_path / "home"), "COLUMNS": "200"}


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["lists", *args], env=env)
    return result.exit_code, result.output


def test_load_then_reload_is_unchanged(env: dict[str, str], tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "a.ftm.json", PEOPLE)
    code, output = run(env, "load", "--source", "test_list", str(path))
    assert code == 0, output
    assert "loaded: test_list version 1 (2 entities" in output
    assert (tmp_path / "home" / "clearance.db").is_file()
    code, output = run(env, "load", "--source", "test_list", str(path))
    assert code == 0 and "unchanged: test_list version 1" in output
    code, output = run(env, "status")
    assert code == 0
    row = next(line for line in output.splitlines() if "test_list" in line)
    assert re.search(r"test_list\s*│\s*1\s*│", row), row


def test_bad_file_fails_and_keeps_the_old_version(env: dict[str, str], tmp_path: Path) -> None:
    good = write_ftm(tmp_path / "good.ftm.json", PEOPLE)
    assert run(env, "load", "-s", "test_list", str(good))[0] == 0
    bad = write_ftm(tmp_path / "bad.ftm.json", PEOPLE, tail='{"id": "p3", "schema"\n')
    code, output = run(env, "load", "-s", "test_list", str(bad))
    assert code == 1
    assert "bad.ftm.json, line 3" in output
    assert "test_list version 1 stays active" in output
    code, output = run(env, "status", "--json")
    rows = json.loads(output)
    assert [(r["source"], r["id"]) for r in rows] == [("test_list", 1)]


def test_load_errors(env: dict[str, str], tmp_path: Path) -> None:
    code, output = run(env, "load")
    assert code == 1 and "give one or more PATHs" in output
    code, output = run(env, "load", str(tmp_path / "missing.csv"))
    assert code == 1 and "missing.csv: no such file or directory" in output
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, output = run(env, "load", str(empty))
    assert code == 1 and "empty.csv: file is empty" in output
    code, output = run(env, "load", "--format", "no_such_format", str(empty))
    assert code == 1 and "unknown format 'no_such_format'" in output


def test_diff_and_show(env: dict[str, str], tmp_path: Path) -> None:
    old = write_ftm(tmp_path / "old.json", PEOPLE)
    new = write_ftm(
        tmp_path / "new.json",
        [ftm_line("p1", name=["Ivan Petrov", "Ivan Petroff"]), ftm_line("c1", "Company", name="X")],
    )
    assert run(env, "load", "-s", "s", str(old))[0] == 0
    assert run(env, "load", "-s", "s", str(new))[0] == 0
    code, output = run(env, "diff", "--source", "s", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["counts"] == {"added": 1, "removed": 1, "changed": 1}
    assert data["changed"][0]["properties"] == {
        "name": {"added": ["Ivan Petroff"], "removed": []},
        "nationality": {"added": [], "removed": ["ru"]},
    }
    code, output = run(env, "diff", "1", "2")
    assert code == 0 and "1 added, 1 removed, 1 changed" in output and "Ivan Petroff" in output
    code, output = run(env, "diff", "1", "9")
    assert code == 1 and "no list version 9" in output
    code, output = run(env, "show", "1")
    assert code == 0 and "Person" in output and str(old) in output.replace("\n", "")
    code, output = run(env, "show", "p1", "--json")
    shown = json.loads(output)
    assert shown["provenance"] == {
        "source": "s",
        "version": 2,
        "active": True,
        "published": None,
        "record": "p1",
    }
    code, output = run(env, "show", "p2")  # only in the old version
    assert code == 0 and "from s version 1, record p2" in output
    code, output = run(env, "show", "nobody")
    assert code == 1 and "no list version or entity 'nobody'" in output


def _ent_nums(path: Path) -> dict[str, list[str]]:
    """ent_num → row, straight from the CSV (no clearance code involved)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[0]: row for row in csv.reader(handle) if row and row[0].strip().isdigit()}


@pytest.mark.slow
def test_diff_of_the_real_sdn_pair(env: dict[str, str], lists_dir: Path) -> None:
    old_path = lists_dir / "ofac_sdn/2024-05-02_jackdwyer/sdn.csv"
    new_path = lists_dir / "ofac_sdn/2024-05-03_jackdwyer/sdn.csv"
    old_rows, new_rows = _ent_nums(old_path), _ent_nums(new_path)
    assert (len(old_rows), len(new_rows)) == (14973, 14965)
    assert run(env, "load", str(old_path))[0] == 0
    code, output = run(env, "load", str(new_path))
    assert code == 0, output
    code, output = run(env, "diff", "--source", "us_ofac_sdn", "--json")
    assert code == 0, output
    data = json.loads(output)

    def main_ids(kind: str) -> set[str]:
        found = (re.fullmatch(r"ofac-(\d+)", c["entity_id"]) for c in data[kind])
        return {m.group(1) for m in found if m}

    assert main_ids("added") == set(new_rows) - set(old_rows)
    assert main_ids("removed") == set(old_rows) - set(new_rows)
    # every record whose CSV row changed has a changed entity, and no other record does
    changed_rows = {n for n in set(old_rows) & set(new_rows) if old_rows[n] != new_rows[n]}
    touched = {
        m.group(1) for c in data["changed"] if (m := re.match(r"ofac-(\d+)(?:-|$)", c["entity_id"]))
    }
    assert touched == changed_rows
    status = json.loads(run(env, "status", "--json")[1])
    assert [(r["source"], r["schema_counts"]["Sanction"]) for r in status] == [
        ("us_ofac_sdn", 14965)
    ]


def test_every_lists_command_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    from clearance.cli.lists import lists_app

    names = [c.name for c in lists_app.registered_commands]
    assert set(names) >= {"load", "status", "diff", "show", "update"}
    for name in names:
        assert f"## `clearance lists {name}" in docs, (
            f"`clearance lists {name}` is not in docs/cli.md"
        )
