"""Fixtures for the exposure tests: real list files parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from clearance.sources.detect import detect

SDN_2024 = "ofac_sdn/2024-05-03_jackdwyer/sdn.csv"
CONS_2025 = "ofac_cons/2025-12_watchman/cons_prim.csv"


def parse_entities(path: Path) -> list[EntityProxy]:
    """Every entity a real list file yields (a missing file fails, never skips)."""
    assert path.is_file(), f"missing list file {path}"
    return [emitted.entity for emitted in detect(path)().parse(path).entities]


@pytest.fixture(scope="session")
def sdn_2024(lists_dir: Path) -> list[EntityProxy]:
    """The 2024-05-03 OFAC SDN list, parsed (about 13 s; tests using it are marked slow)."""
    return parse_entities(lists_dir / SDN_2024)


@pytest.fixture(scope="session")
def cons_2025(lists_dir: Path) -> list[EntityProxy]:
    return parse_entities(lists_dir / CONS_2025)
