"""The generated tables of the matcher are what the build script makes from the shared data."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from clearance.match.nicknames import nickname_groups
from clearance.match.tokens import TOKEN_DF, rarity_weight
from clearance.settings import REPO_ROOT

DATA = REPO_ROOT / "src" / "clearance" / "match" / "data"


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_match_data", REPO_ROOT / "scripts" / "build_match_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nickname_table_matches_rebuild(shared_data: Path) -> None:
    built = _build_module().build_nicknames(shared_data)
    assert (DATA / "nicknames.tsv").read_text("utf-8") == built


@pytest.mark.slow
def test_token_table_matches_rebuild(shared_data: Path) -> None:
    built = _build_module().build_token_df(shared_data)
    assert (DATA / "token_df.tsv").read_text("utf-8") == built


def test_nicknames_from_the_source_list(shared_data: Path) -> None:
    rows = (shared_data / "labelled/nicknames_carltonnorthern/names.csv").read_text("utf-8")
    assert "william,has_nickname,bill" in rows
    assert not nickname_groups("bill").isdisjoint(nickname_groups("william"))
    assert nickname_groups("putin") == frozenset()


def test_common_tokens_weigh_less() -> None:
    assert TOKEN_DF["bank"] > 50 and TOKEN_DF["muhammad"] > 100
    assert rarity_weight("bank") < 0.6 and rarity_weight("muhammad") < 0.6
    assert rarity_weight("zzxqvw") == 1.0
