"""OFAC ENHANCED XML (CONS_ENHANCED.ZIP, 2025-01-10): zipped input, counts, spot checks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.sources.base import read_head
from clearance.sources.ofac_advanced import OfacAdvancedXmlParser
from clearance.sources.ofac_enhanced import OfacEnhancedXmlParser
from clearance.sources.ofac_xml import OfacXmlParser
from tests.sources.badinput import refused

ENHANCED = "ofac_cons/2025-02_watchman/CONS_ENHANCED.ZIP"


@pytest.fixture(scope="module")
def raw(lists_dir: Path) -> bytes:
    with zipfile.ZipFile(lists_dir / ENHANCED) as archive:
        return archive.read("CONS_ENHANCED.XML")


@pytest.fixture(scope="module")
def enhanced(lists_dir: Path) -> dict[str, EntityProxy]:
    result = OfacEnhancedXmlParser().parse(lists_dir / ENHANCED)
    assert result.meta.publication_date == "2025-01-10"
    assert result.meta.source == "us_ofac_cons"
    return {str(e.entity.id): e.entity for e in result.entities}


def test_zip_is_sniffed_by_content(lists_dir: Path) -> None:
    path = lists_dir / ENHANCED
    head = read_head(path)
    assert head.startswith(b"PK")
    assert OfacEnhancedXmlParser.sniff(path, head)
    assert not OfacXmlParser.sniff(path, head)
    assert not OfacAdvancedXmlParser.sniff(path, head)


def test_counts_match_raw(raw: bytes, enhanced: dict[str, EntityProxy]) -> None:
    schemata = [e.schema.name for e in enhanced.values()]
    entities = len(re.findall(rb"<entity id=", raw))
    assert entities == 443  # MANIFEST
    assert sum(schemata.count(s) for s in ("Person", "Organization", "Vessel", "Airplane")) == 443
    assert schemata.count("Sanction") == entities
    relations = len(re.findall(rb"<relationship id=", raw))
    # one relationship points at HAMAS, an SDN entry that is not on this list (warned)
    assert schemata.count("Ownership") + schemata.count("UnknownLink") == relations - 1
    assert schemata.count("Identification") >= len(re.findall(rb"<identityDocument id=", raw))


def test_spot_checks(enhanced: dict[str, EntityProxy]) -> None:
    # entity 9639: HANIYA, Ismail Abdul Salah, birth 1962-01-01..1962-12-31, NS-PLC since 2006-04-12
    haniya = enhanced["ofac-9639"]
    assert haniya.get("name") == ["HANIYA, Ismail Abdul Salah"]
    assert haniya.get("birthDate") == ["1962"]
    assert enhanced["ofac-9639-sanction"].get("listingDate") == ["2006-04-12"]
    # entity 17015: Cyrillic translation of an alias, low-quality alias VEB
    veb = enhanced["ofac-17015"]
    assert "ВЭБ.РФ" in veb.get("alias")
    assert "VEB" in veb.get("weakAlias")
    assert "Executive Order 13662 Directive 1" in enhanced["ofac-17015-sanction"].get("provisions")
    # relationship 2211 (same id as in the ADVANCED XML): 18267 owned by 17022
    owned = enhanced["ofac-rel-2211"]
    assert owned.get("owner") == ["ofac-17022"] and owned.get("asset") == ["ofac-18267"]


def test_zip_with_two_files_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.xml", "<sanctionsData/>")
        archive.writestr("b.xml", "<sanctionsData/>")
    with pytest.raises(ListFormatError, match="one XML file"):
        OfacEnhancedXmlParser().parse(path)


def test_truncated_zip_member(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "cut.zip"
    head = raw[: len(raw) // 3]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("CONS_ENHANCED.XML", head)
    last_line = head.count(b"\n") + 1
    refused(OfacEnhancedXmlParser(), path, rf"line {last_line}\b")
