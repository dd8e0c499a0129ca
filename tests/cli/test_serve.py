"""``clearance keys create|list|revoke`` (the serve command itself runs in tests/api)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clearance.api.auth import KeyStore
from clearance.api.settings import ApiSettings
from clearance.cli.serve import default_workers, keys_app, prepare_index, serve
from clearance.store import Store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLEARANCE_HOME", str(tmp_path))
    monkeypatch.delenv("CLEARANCE_DATABASE_URL", raising=False)
    monkeypatch.setenv("CLEARANCE_API_SECRET", "cli-test-secret-0123456789")
    return tmp_path


def test_create_list_revoke(home: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(keys_app, ["create", "alice", "--role", "review"])
    assert created.exit_code == 0, created.output
    key = created.output.strip()
    assert key.startswith("clr_")
    settings = ApiSettings()
    with Store.open(settings.db_url) as store:
        principal = KeyStore(store.engine, settings.secret_bytes()).verify(key)
    assert principal is not None and principal.role == "review" and principal.name == "alice"
    listed = runner.invoke(keys_app, ["list"])
    assert "alice" in listed.output and "review" in listed.output
    assert key not in listed.output
    key_id = key.split("_")[1]
    assert runner.invoke(keys_app, ["revoke", key_id]).exit_code == 0
    again = runner.invoke(keys_app, ["revoke", key_id])
    assert again.exit_code == 1 and "no active key" in again.output
    with Store.open(settings.db_url) as store:
        assert KeyStore(store.engine, settings.secret_bytes()).verify(key) is None


def test_bad_role_and_bad_setting(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    bad = runner.invoke(keys_app, ["create", "bob", "--role", "god"])
    assert bad.exit_code == 1 and "unknown role" in bad.output
    monkeypatch.setenv("CLEARANCE_API_MAX_BATCH", "-1")
    app = typer.Typer()
    app.command()(serve)
    failed = runner.invoke(app, [])
    assert failed.exit_code == 2 and "bad setting" in failed.output


def test_default_workers_is_one_per_usable_core() -> None:
    assert default_workers() == len(os.sched_getaffinity(0))


def test_prepare_index_without_lists(home: Path) -> None:
    settings = ApiSettings()
    assert prepare_index(settings) is None
    assert not (home / "index").exists()


def test_prepare_index_builds_once(home: Path, lists_dir: Path) -> None:
    settings = ApiSettings()
    with Store.open(settings.db_url) as store:
        store.load_path(lists_dir / "us_bis_dpl/2023-11_watchman/dpl.txt")
    key = prepare_index(settings)
    assert key is not None and (home / "index" / key / "manifest.json").is_file()
    built = (home / "index" / key / "manifest.json").stat().st_mtime_ns
    assert prepare_index(settings) == key  # found, not rebuilt
    assert (home / "index" / key / "manifest.json").stat().st_mtime_ns == built
