"""Fixtures of the screening tests: the small real store of :mod:`tests.index.factory`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.index.factory import SmallWorld, small_world


@pytest.fixture(scope="session")
def world(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SmallWorld:
    return small_world(lists_dir, tmp_path_factory.getbasetemp() / "small-world")
