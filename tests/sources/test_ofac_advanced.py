"""OFAC ADVANCED XML (cons_advanced.xml 2020-03-17): counts, spot checks, dates, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from lxml import etree

from clearance.errors import ListFormatError
from clearance.sources.base import read_head
from clearance.sources.ofac_advanced import OfacAdvancedXmlParser
from clearance.sources.ofac_advanced_refs import period
from clearance.sources.ofac_xml import OfacXmlParser
from clearance.sources.un_xml import UnScXmlParser
from tests.sources.badinput import refused

ADVANCED = "ofac_cons/2020-03-17_radwo/cons_advanced.xml"


@pytest.fixture(scope="module")
def advanced(lists_dir: Path) -> dict[str, EntityProxy]:
    result = OfacAdvancedXmlParser().parse(lists_dir / ADVANCED)
    return {str(e.entity.id): e.entity for e in result.entities}


def test_counts_match_raw_file(lists_dir: Path, advanced: dict[str, EntityProxy]) -> None:
    raw = (lists_dir / ADVANCED).read_bytes()
    schemata = [e.schema.name for e in advanced.values()]
    parties = len(re.findall(rb"<DistinctParty ", raw))
    assert parties == 375  # MANIFEST
    listed = [s for s in schemata if s in ("Person", "Organization", "Vessel", "Airplane")]
    assert len(listed) == parties
    assert schemata.count("Sanction") == parties
    relations = len(re.findall(rb"<ProfileRelationship ", raw))
    assert schemata.count("Ownership") + schemata.count("UnknownLink") == relations
    assert schemata.count("Identification") >= len(re.findall(rb"<IDRegDocument ", raw))
    weak = sum(len(e.get("weakAlias", quiet=True)) for e in advanced.values())
    low = set()  # one party lists the same low-quality alias twice: FtM keeps one value
    for alias in etree.fromstring(raw).iterfind(".//{*}Alias[@LowQuality='true']"):
        parts = [v.text for v in alias.iterfind(".//{*}NamePartValue")]
        low.add((alias.get("FixedRef"), tuple(parts)))
    assert len(re.findall(rb'LowQuality="true"', raw)) == 31
    assert weak == len(low) == 30


def test_meta(lists_dir: Path) -> None:
    path = lists_dir / ADVANCED
    assert OfacAdvancedXmlParser.sniff(path, read_head(path))
    assert not OfacXmlParser.sniff(path, read_head(path))
    assert not UnScXmlParser.sniff(path, read_head(path))
    meta = OfacAdvancedXmlParser().parse(path).meta
    assert meta.publication_date == "2020-03-17"
    assert meta.source == "us_ofac_cons"


def test_person_names_and_birth_year(advanced: dict[str, EntityProxy]) -> None:
    # FixedRef 9639: primary HANIYA (Last) / Ismail Abdul Salah (First); a.k.a. HANIYYA Ismaeel;
    # birth date period 1962-01-01 .. 1962-12-31 = the year 1962; place of birth Shati.
    person = advanced["ofac-9639"]
    assert person.schema.name == "Person"
    assert person.get("name") == ["HANIYA, Ismail Abdul Salah"]
    assert person.get("lastName") == ["HANIYA"]
    assert person.get("firstName") == ["Ismail Abdul Salah"]
    assert "HANIYYA, Ismaeel" in person.get("alias")
    assert person.get("birthDate") == ["1962"]
    assert person.get("birthPlace") == ["Shati"]
    sanction = advanced["ofac-9639-sanction"]
    assert sanction.get("program") == ["NS-PLC"]


def test_entity_low_quality_alias_and_entries(advanced: dict[str, EntityProxy]) -> None:
    # FixedRef 17015: alias VEB with LowQuality="true"; entries on the Consolidated List
    # (2014-10-10) and the SSI list (2014-07-16), program UKRAINE-EO13662, Directive 1.
    veb = advanced["ofac-17015"]
    assert veb.schema.name == "Organization"
    assert veb.get("weakAlias") == ["VEB"]
    assert "VEB" not in veb.get("alias")
    assert veb.get("swiftBic") == ["BFEARUMM"]
    sanction = advanced["ofac-17015-sanction"]
    assert sanction.get("program") == ["UKRAINE-EO13662"]
    assert sanction.get("listingDate") == ["2014-07-16"]
    assert "13662 Sectoral Directive 1" in sanction.get("provisions")
    assert "Listed on the Sectoral Sanctions Identifications List" in sanction.get("summary")


def test_documents_and_ownership(advanced: dict[str, EntityProxy]) -> None:
    # IDRegDocument 9477 (Registration ID 1027739609391, Russia) belongs to identity 8757 of
    # FixedRef 17013; ProfileRelationship 2198: 18268 owned or controlled by 17015.
    holder = advanced["ofac-17013"]
    assert "1027739609391" in holder.get("registrationNumber")
    idents = [
        e
        for e in advanced.values()
        if e.schema.name == "Identification" and e.get("number") == ["1027739609391"]
    ]
    assert len(idents) == 1
    assert idents[0].get("holder") == ["ofac-17013"]
    assert idents[0].get("country") == ["ru"]
    assert idents[0].get("type") == ["Registration ID"]
    owned = advanced["ofac-rel-2198"]
    assert owned.schema.name == "Ownership"
    assert owned.get("owner") == ["ofac-17015"] and owned.get("asset") == ["ofac-18268"]


def _period(xml: str) -> list[str]:
    return period(etree.fromstring(xml))


def test_date_periods() -> None:
    day = "<From><Year>{0}</Year><Month>{1}</Month><Day>{2}</Day></From>"
    to = "<To><Year>{0}</Year><Month>{1}</Month><Day>{2}</Day></To>"

    def dp(a: tuple[int, int, int], b: tuple[int, int, int]) -> str:
        return (
            f"<DatePeriod><Start>{day.format(*a)}{to.format(*a)}</Start>"
            f"<End>{day.format(*b)}{to.format(*b)}</End></DatePeriod>"
        )

    assert _period(dp((1962, 1, 1), (1962, 12, 31))) == ["1962"]
    assert _period(dp((1970, 5, 3), (1970, 5, 3))) == ["1970-05-03"]
    assert _period(dp((1970, 2, 1), (1970, 2, 28))) == ["1970-02"]
    assert _period(dp((1960, 1, 1), (1962, 12, 31))) == ["1960", "1961", "1962"]
    assert _period("<Date><Year>2014</Year><Month>7</Month><Day>16</Day></Date>") == ["2014-07-16"]
    assert _period("<DatePeriod/>") == []


# --- bad input --------------------------------------------------------------------------------


def test_truncated_names_line(lists_dir: Path, tmp_path: Path) -> None:
    raw = (lists_dir / ADVANCED).read_bytes()
    head = raw[: len(raw) // 2]
    cut = tmp_path / "cut.xml"
    cut.write_bytes(head)
    last_line = head.count(b"\n") + 1
    with pytest.raises(ListFormatError, match=rf"line {last_line}\b"):
        OfacAdvancedXmlParser().parse(cut)


def test_duplicate_party(lists_dir: Path, tmp_path: Path) -> None:
    raw = (lists_dir / ADVANCED).read_text(encoding="utf-8")
    start = raw.index("<DistinctParty ")
    end = raw.index("</DistinctParty>", start) + len("</DistinctParty>")
    dup = tmp_path / "dup.xml"
    dup.write_text(raw[:end] + raw[start:end] + raw[end:], encoding="utf-8")
    refused(OfacAdvancedXmlParser(), dup, r"record 9639 \(line \d+\): duplicate FixedRef")


def test_other_inputs_refused(lists_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        OfacAdvancedXmlParser().parse(empty)
    sdn = lists_dir / "ofac_cons/2024-05-06_hebbd5/consolidated.xml"
    with pytest.raises(ListFormatError, match="root element is <sdnList>"):
        OfacAdvancedXmlParser().parse(sdn)
    csv = lists_dir / "ofac_cons/2025-12_watchman/cons_add.csv"
    with pytest.raises(ListFormatError, match="not an XML document"):
        OfacAdvancedXmlParser().parse(csv)
    latin = tmp_path / "latin.xml"
    latin.write_bytes(
        b'<?xml version="1.0" encoding="utf-8"?>\n<Sanctions xmlns="http://www.un.org/sanctions/1.0">'
        b"\n<DistinctParties><DistinctParty FixedRef='1'><Comment>Caf\xe9</Comment>"
        b"</DistinctParty></DistinctParties></Sanctions>"
    )
    with pytest.raises(ListFormatError, match=r"line 3\b.*encoding"):
        OfacAdvancedXmlParser().parse(latin)
