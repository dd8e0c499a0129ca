"""``clearance deal`` and ``clearance text`` on the real OFAC + UN store of tests.deal.world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clearance.cli.deal import deal, text
from clearance.settings import REPO_ROOT
from tests.deal.world import DealWorld, deal_world

pytestmark = pytest.mark.slow
app = typer.Typer()
app.command("deal")(deal)
app.command("text")(text)


@pytest.fixture(scope="module")
def env(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    world: DealWorld = deal_world(lists_dir, tmp_path_factory.getbasetemp() / "deal-world")
    return {
        "CLEARANCE_HOME": str(world.home),
        "CLEARANCE_DATABASE_URL": f"sqlite:///{world.home / 'clearance.db'}",
    }


def test_deal_json_and_report(env: dict[str, str], tmp_path: Path) -> None:
    report = tmp_path / "out.html"
    result = CliRunner().invoke(
        app,
        [
            "deal",
            str(REPO_ROOT / "examples/deals/balkan-air-defence.yml"),
            "--json",
            "--report",
            str(report),
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["verdict"] == "blocked"
    assert [p["verdict"] for p in payload["parties"]] == ["clear", "blocked", "blocked"]
    assert "Almaz-Antey" in report.read_text(encoding="utf-8")


def test_deal_table_and_bad_file(env: dict[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["deal", str(REPO_ROOT / "examples/deals/turkey-s400-ssb.yml")], env=env
    )
    assert result.exit_code == 0 and "restricted" in result.stdout and "DEMIR" in result.stdout
    bad = tmp_path / "bad.yml"
    bad.write_text("parties:\n  - role: pirate\n    name: X\n")
    result = CliRunner().invoke(app, ["deal", str(bad)], env=env)
    assert result.exit_code == 1 and "parties.0.role" in result.output


def test_text_from_stdin(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["text", "-", "--json"], input="Talks with Vladimir Putin in Moscow.", env=env
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert [(h["start"], h["end"], h["entity_id"]) for h in hits] == [(11, 25, "ofac-35096")]
