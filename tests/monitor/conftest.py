"""Monitoring fixtures: two small versions of the real OFAC SDN list and a synthetic book.

The lists are slices of the real ``sdn.csv`` (2024-05-03): version 1 holds its first 300
records plus PUTIN-free Russian and Iranian parties; version 2 removes some, adds two real
records (ROSOBORONEKSPORT, BANK MELLI IRAN) and changes one (a new alias), so a delta run has
real additions, removals and changes to find. Loading one takes about a second.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

SDN = "ofac_sdn/2024-05-03_jackdwyer/sdn.csv"
ADDED = ("18782", "25578")  # ROSOBORONEKSPORT OAO, BANK MELLI IRAN
REMOVED = ("36",)  # AEROCARIBBEAN AIRLINES
CHANGED = "306"  # BANCO NACIONAL DE CUBA: gets an alias in version 2


@dataclass(frozen=True)
class Lists:
    v1: Path
    v2: Path


def _rows(lists_dir: Path) -> list[list[str]]:
    with open(lists_dir / SDN, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture(scope="session")
def sdn_lists(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Lists:
    rows = _rows(lists_dir)
    by_id = {r[0]: r for r in rows}
    base = [r for r in rows[:300]]
    v1 = [r for r in base if r[0] not in ADDED]
    v2 = [r for r in base if r[0] not in REMOVED]
    changed = list(by_id[CHANGED])
    changed[11] = "a.k.a. 'BNC'; a.k.a. 'CUBAN NATIONAL BANK OF HAVANA'."
    v2 = [changed if r[0] == CHANGED else r for r in v2] + [by_id[i] for i in ADDED]
    root = tmp_path_factory.mktemp("lists")
    return Lists(_write(root / "v1" / "sdn.csv", v1), _write(root / "v2" / "sdn.csv", v2))


def book_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` synthetic customers (Faker, several locales) with ids ``c000001``… plus listed
    names planted at fixed ids: exact, variant and alias spellings of real SDN parties."""
    from faker import Faker

    fake = Faker(["en_US", "de_DE", "ru_RU", "ar_AA", "es_ES", "fr_FR"])
    fake.seed_instance(seed)
    rows = []
    for i in range(1, n + 1):
        if i % 3:
            rows.append({"id": f"c{i:06d}", "schema": "Person", "name": fake.name()})
        else:
            rows.append({"id": f"c{i:06d}", "schema": "Organization", "name": fake.company()})
    planted = {
        "p-aero": ("Organization", "Aerocaribbean Airlines"),  # removed in v2
        "p-bnc": ("Organization", "Banco Nacional de Cuba"),
        "p-havana": ("Organization", "Cuban National Bank of Havana"),  # alias added in v2
        "p-roso": ("Organization", "Rosoboronexport"),  # added in v2
        "p-melli": ("Organization", "Bank Melli Iran"),  # added in v2
    }
    for rid, (schema, name) in planted.items():
        rows.append({"id": rid, "schema": schema, "name": name})
    return rows


def write_book(path: Path, rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "schema", "name", "birth_date", "country"])
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path
