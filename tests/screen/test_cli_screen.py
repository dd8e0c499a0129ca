"""``clearance screen``: a name prints a table of hits with reasons; JSON; errors.

(Tests ``src/clearance/cli/screen.py``; lives here to reuse the small real store fixture.)
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from clearance.cli import app
from tests.index.factory import SmallWorld

runner = CliRunner()


def _invoke(world: SmallWorld, *args: str) -> tuple[int, str, str]:
    env = {"CLEARANCE_HOME": str(world.home), "COLUMNS": "200"}
    result = runner.invoke(app, ["screen", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_name_prints_a_table_with_reasons(world: SmallWorld) -> None:
    code, out, _ = _invoke(world, "Bank of East Land", "--schema", "Organization")
    assert code == 0
    assert "BANK OF EAST LAND" in out.upper()
    assert "un_sc_sanctions" in out
    assert "name_match" in out or "alias_match" in out


def test_json_output(world: SmallWorld) -> None:
    code, out, _ = _invoke(
        world,
        "Abd al-Rahman Khalaf al-Anizi",
        "--schema",
        "Person",
        "--nationality",
        "kw",
        "--json",
        "--limit",
        "1",
    )
    assert code == 0
    data = json.loads(out)
    assert data["hits"][0]["entity_id"] == "unsc-6908399"
    assert data["hits"][0]["programs"] == ["Al-Qaida"]
    assert len(data["hits"]) == 1


def test_identifier_option(world: SmallWorld) -> None:
    code, out, _ = _invoke(world, "A Salim", "--id", "passport:G52FYPRL", "--json")
    assert code == 0
    assert json.loads(out)["hits"][0]["entity_id"] == "unsc-6908707"


def test_empty_name_is_a_clear_error(world: SmallWorld) -> None:
    code, _, err = _invoke(world, "   ")
    assert code == 1
    assert "empty query" in err


def test_file_needs_an_output(world: SmallWorld, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("name\nBank of East Land\n", encoding="utf-8")
    code, _, err = _invoke(world, str(src))
    assert code == 1
    assert "--output" in err
    code, _, err = _invoke(world, str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1")
    assert code == 0, err
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert rows[0]["entity_id"] == "unsc-690764" and rows[0]["query_row"] == 1
