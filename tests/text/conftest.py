"""Fixtures of the text tests: the real OFAC + UN store of :mod:`tests.deal.world`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deal.world import DealWorld, deal_world


@pytest.fixture(scope="session")
def world(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> DealWorld:
    return deal_world(lists_dir, tmp_path_factory.getbasetemp() / "deal-world")
