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
def test_entry_is_a_full_file_and_detected(
    entry: CatalogEntry, shared_data: Path, tmp_path: Path
) -> None:
    path = entry.resolve(shared_data, tmp_path / "staging")
    assert path.exists(), f"{entry.source}: {path} is missing from the shared data"
    notes = _manifest_notes(shared_data)
    files: list[Path] = []
    for part in entry.files(shared_data):
        files.extend([p for p in part.iterdir() if p.is_file()] if part.is_dir() else [part])
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
            "lists:\n  - {source: a, title: t, path: p, status: full, note: n, supplements: x}\n",
            "supplements must be a list",
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


def test_supplements_are_staged_next_to_the_main_file(shared_data: Path, tmp_path: Path) -> None:
    sdn = next(e for e in CATALOG if e.source == "us_ofac_sdn")
    assert sdn.supplements, "the SDN entry takes the newest alt/add files as supplements"
    folder = sdn.resolve(shared_data, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["add.csv", "alt.csv", "sdn.csv"]
    assert all(p.is_symlink() for p in folder.iterdir())
    assert {p.resolve() for p in folder.iterdir()} == {p.resolve() for p in sdn.files(shared_data)}
    (folder / "stray.csv").write_text("x")
    again = sdn.resolve(shared_data, tmp_path)  # idempotent, and stray files are removed
    assert again == folder and not (folder / "stray.csv").exists()
    with pytest.raises(ConfigError, match="staging folder"):
        sdn.resolve(shared_data)
    missing = CatalogEntry(
        "s",
        "t",
        "ofac_sdn/2024-05-03_jackdwyer/sdn.csv",
        "full",
        "n",
        supplements=("ofac_sdn/nowhere/alt.csv",),
    )
    with pytest.raises(ConfigError, match="missing"):
        missing.resolve(shared_data, tmp_path)


def test_the_sdn_composite_loads_strong_aliases(shared_data: Path, tmp_path: Path) -> None:
    from clearance.sources.ofac_csv import OfacSdnCsvParser

    sdn = next(e for e in CATALOG if e.source == "us_ofac_sdn")
    result = OfacSdnCsvParser().parse(sdn.resolve(shared_data, tmp_path))
    aliased = 0
    for emitted in result.entities:
        if emitted.entity.schema.is_a("LegalEntity") and emitted.entity.get("alias"):
            aliased += 1
    assert aliased > 6000  # strong aliases from the supplement alt.csv
    assert any("not in the main file" in w for w in result.meta.warnings)
    assert {Path(f).name for f in result.meta.files} == {"sdn.csv", "alt.csv", "add.csv"}
