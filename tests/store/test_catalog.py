"""The catalog of shared list files: every entry exists, is FULL or DERIVED, and is detected."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clearance.errors import ConfigError
from clearance.sources.detect import detect
from clearance.store.catalog import CatalogEntry, parse_catalog, shared_catalog

SOURCES = {
    "us_ofac_sdn",
    "us_ofac_cons",
    "un_sc_sanctions",
    "eu_fsf",
    "gb_fcdo_sanctions",
    "gb_hmt_sanctions",
    "us_trade_csl",
    "us_bis_denied",
    "ca_dfatd_sema_sanctions",
    "au_dfat_sanctions",
}
CATALOG = shared_catalog()


def test_one_entry_per_official_source() -> None:
    assert {e.source for e in CATALOG} == SOURCES
    assert all(e.format for e in CATALOG)


def _manifest_notes(shared_data: Path) -> dict[str, str]:
    """file path (relative to lists/) → the MANIFEST's notes column, read with plain csv."""
    with (shared_data / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    key = next(k for k in rows[0] if k.strip().lower() in ("file", "path"))
    return {
        row[key].strip("`").removeprefix("lists/"): " ".join(str(v) for v in row.values())
        for row in rows
    }


@pytest.mark.parametrize("entry", CATALOG, ids=lambda e: e.source)
def test_entry_is_a_full_file_and_detected(entry: CatalogEntry, shared_data: Path) -> None:
    path = entry.resolve(shared_data)
    assert path.exists(), f"{entry.source}: {path} is missing from the shared data"
    notes = _manifest_notes(shared_data)
    files = [p for p in path.iterdir() if p.is_file()] if path.is_dir() else [path]
    for file in files:
        rel = str(file.relative_to(shared_data / "lists"))
        assert rel in notes, f"{rel} is not in MANIFEST.csv"
        assert "PARTIAL" not in notes[rel] and "STUB" not in notes[rel]
        assert ("DERIVED" in notes[rel]) == (entry.status == "derived"), rel
    parser = detect(path)
    assert (parser.format, parser.source) == (entry.format, entry.source)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a mapping"),
        ("lists:\n  - source: a\n", "lacks title, path, status, note"),
        (
            "lists:\n  - {source: a, title: t, path: p, status: partial, note: n}\n",
            "status must be full or derived",
        ),
        (
            "lists:\n  - {source: a, title: t, path: p, status: full, note: n, url: x}\n",
            "unknown keys",
        ),
        (
            "lists:\n"
            "  - {source: a, title: t, path: p, status: full, note: n}\n"
            "  - {source: a, title: t, path: q, status: full, note: n}\n",
            "listed twice",
        ),
    ],
)
def test_malformed_catalog_is_refused(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_catalog(text)
