"""``clearance lists update`` through the Typer app, against a local mirror."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cli import app
from clearance.store import Store
from tests.update.mirror import PROXY_VARIABLES, Mirror, os_path, os_source, running_mirror

OVERRIDE = "\nsources:" + os_source("alpha")
PATH = os_path("alpha")


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mirror]:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with running_mirror() as server:
        yield server


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    override = tmp_path / "sources.yml"
    override.write_text(OVERRIDE)
    return {
        "CLEARANCE_HOME": str(tmp_path / "home"),
        "CLEARANCE_DATABASE_URL": "",
        "CLEARANCE_SOURCES_FILE": str(override),
        "CLEARANCE_SOURCE_MIRROR": "",
        "CLEARANCE_HTTP_RETRIES": "0",
        "CLEARANCE_HTTP_TIMEOUT": "2",
        "COLUMNS": "200",
    }


def test_update_then_unchanged(mirror: Mirror, env: dict[str, str], lists_dir: Path) -> None:
    mirror.serve(PATH, lists_dir / "opensanctions/yente_fixtures/zala/entities.ftm.json")
    runner = CliRunner()
    first = runner.invoke(app, ["lists", "update", "os_alpha", "--mirror", mirror.base], env=env)
    assert first.exit_code == 0, first.output
    assert "os_alpha" in first.stdout and "updated" in first.stdout
    second = runner.invoke(app, ["lists", "update", "os_alpha", "--mirror", mirror.base], env=env)
    assert second.exit_code == 0 and "unchanged" in second.stdout
    with Store.open(f"sqlite:///{env['CLEARANCE_HOME']}/clearance.db") as store:
        assert len(store.versions("os_alpha")) == 1


def test_every_source_failed_exits_1(mirror: Mirror, env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        app, ["lists", "update", "os_alpha", "--mirror", mirror.base], env=env
    )
    assert result.exit_code == 1
    assert "failed" in result.stdout and "HTTP 404" in result.stdout
    assert "no version loaded yet" in result.stdout


def test_unknown_source_exits_2(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["lists", "update", "nope"], env=env)
    assert result.exit_code == 2
    assert "unknown source 'nope'" in result.output


def test_failed_source_shows_staleness(
    mirror: Mirror, env: dict[str, str], lists_dir: Path
) -> None:
    mirror.serve(PATH, lists_dir / "opensanctions/yente_fixtures/zala/entities.ftm.json")
    runner = CliRunner()
    args = ["lists", "update", "--mirror", mirror.base, "os_alpha"]
    assert runner.invoke(app, args, env=env).exit_code == 0
    mirror.serve(PATH, b"", fail_first=100)
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 1
    assert "HTTP 503" in result.stdout
    assert "stale since" in result.stdout and "version 1 still active" in result.stdout
