"""Canada SEMA XML: both layouts (2020, 2025), ids from regulation/schedule/item, bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from clearance.errors import ListFormatError
from clearance.sources.base import read_head
from clearance.sources.ca_sema import CaSemaXmlParser, record_id, split_aliases
from tests.sources import badinput
from tests.sources.badinput import refused

SEMA_2025 = "canada_sema/2025-05_kebalkhadka/sema-lmes.xml"
SEMA_2020 = "canada_sema/2020-04_Mendw/sema-lmes.xml"
RECORD = (
    "<record><Country>Russia / Russie</Country><LastName>Doe</LastName>"
    "<GivenName>Ivan</GivenName><Schedule>1, Part 1</Schedule><Item>{item}</Item>"
    "<DateOfListing>2022-02-24</DateOfListing></record>"
)


def xml(*records: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<data-set>\n'
        + "\n".join(records)
        + "\n</data-set>\n"
    )


@pytest.mark.parametrize("relpath", [SEMA_2025, SEMA_2020])
def test_counts_match_an_independent_read(lists_dir: Path, relpath: str) -> None:
    path = lists_dir / relpath
    records = etree.parse(str(path)).getroot().findall("record")
    people = sum(1 for r in records if r.findtext("LastName") or r.findtext("GivenName"))
    ships = sum(1 for r in records if r.findtext("ShipIMONumber"))
    counts = Counter(e.entity.schema.name for e in CaSemaXmlParser().parse(path).entities)
    assert counts["Sanction"] == len(records)
    assert counts["Person"] == people
    assert counts["Vessel"] >= ships
    assert counts["Person"] + counts["Organization"] + counts["Vessel"] == len(records)


def test_2025_list_spot_checks(lists_dir: Path) -> None:
    path = lists_dir / SEMA_2025
    entities = {e.entity.id: e.entity for e in CaSemaXmlParser().parse(path).entities}
    assert sum(1 for e in entities.values() if e.schema.name == "Sanction") == 4759
    # raw: Belarus / Bélarus, Lukashenko, Aleksandr Grigoryevich, 1954-08-30, 1, Part 1, item 8
    luka = entities["ca-sema-belarus-1-part-1-8"]
    assert luka.get("name") == ["Aleksandr Grigoryevich Lukashenko"]
    assert luka.get("lastName") == ["Lukashenko"] and luka.get("birthDate") == ["1954-08-30"]
    sanction = entities["ca-sema-belarus-1-part-1-8-sanction"]
    assert sanction.get("listingDate") == ["2020-09-28"]
    assert sanction.get("program") == ["Belarus / Bélarus"]
    # raw: Russia, EntityOrShip "Balitiyskiy III", General Cargo, IMO 7612448, built 1980, 1.1/1
    ship = entities["ca-sema-russia-1-1-1"]
    assert ship.schema.name == "Vessel"
    assert ship.get("imoNumber") == ["IMO7612448"] and ship.get("buildDate") == ["1980"]


def test_2020_layout_and_ids_stable_across_versions(lists_dir: Path) -> None:
    old = {e.entity.id: e.entity for e in CaSemaXmlParser().parse(lists_dir / SEMA_2020).entities}
    # raw: Burma / Birmanie, Entity "Air Bagan", Aliases "Air Bagan Holdings Pte. Ltd., Air Bagan
    # Limited", Schedule 1, Item 1
    bagan = old["ca-sema-burma-1-1"]
    assert bagan.schema.name == "Organization"
    assert set(bagan.get("alias")) == {"Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited"}
    new = {e.entity.id for e in CaSemaXmlParser().parse(lists_dir / SEMA_2025).entities}
    assert "ca-sema-jvcfor-1-1" in old  # the long regulation name shortened to its acronym
    assert len(set(old) & new) > 100


def test_alias_splitting() -> None:
    assert split_aliases("Sergei, Serhii SHERBAKOV") == ["Sergei, Serhii SHERBAKOV"]
    assert split_aliases("Pyotr Fradkov; Пётр Фрадков") == ["Pyotr Fradkov", "Пётр Фрадков"]
    assert split_aliases("A B or C D") == ["A B", "C D"]


@given(st.text(), st.text(), st.from_regex(r"[0-9]{1,4}", fullmatch=True))
def test_record_ids_are_prefixed_slugs(country: str, schedule: str, item: str) -> None:
    rid = record_id(country, schedule, item)
    assert rid.startswith("ca-sema-") and rid.endswith(item)
    assert rid == rid.lower() and " " not in rid


def write(tmp_path: Path, text: str | bytes, name: str = "sema.xml") -> Path:
    return badinput.write(tmp_path, text, name)


def test_unknown_element_warns(tmp_path: Path) -> None:
    path = write(
        tmp_path, xml(RECORD.format(item=1).replace("</record>", "<Shoe>44</Shoe></record>"))
    )
    result = CaSemaXmlParser().parse(path)
    assert len(list(result.entities)) == 2
    assert any("<Shoe>" in w for w in result.meta.warnings)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("", "empty|line"),
        (xml(), "no <record>"),
        (xml(RECORD.format(item=1))[:-40], r"line \d+: malformed XML"),
        (xml(RECORD.format(item=1), RECORD.format(item=1)), "record 2.*duplicate id"),
        (xml(RECORD.format(item=1).replace("<Item>1</Item>", "")), "record 1.*missing"),
        (xml("<record><Country>X</Country><Item>1</Item></record>"), "record 1.*no name"),
        ("<sdnList><sdnEntry/></sdnList>", "root is <sdnList>"),
    ],
    ids=["empty", "no-records", "truncated", "duplicate", "no-item", "no-name", "other-root"],
)
def test_bad_input(tmp_path: Path, content: str, match: str) -> None:
    refused(CaSemaXmlParser(), write(tmp_path, content), match)


def test_another_format_is_refused(lists_dir: Path) -> None:
    with pytest.raises(ListFormatError, match="root is <CONSOLIDATED_LIST>"):
        list(
            CaSemaXmlParser().parse(lists_dir / "un_sc/2024-11-30_Stanux/consolidated.xml").entities
        )


@given(st.text())
def test_alias_split_keeps_only_text_from_the_input(text: str) -> None:
    for alias in split_aliases(text):
        assert alias and alias == alias.strip() and alias in text


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, xml(RECORD.format(item=1).replace("Doe", "Doé")).encode("latin-1"))
    refused(CaSemaXmlParser(), path, r"line 3: malformed XML")


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        (SEMA_2025, True),
        (SEMA_2020, True),
        ("un_sc/2024-11-30_Stanux/consolidated.xml", False),
        ("ch_seco/stub_2024-01-17_kebalkhadka/seco.xml", False),
        ("us_csl/2016-02_opendatalabcz/csl_partial.csv", False),
    ],
)
def test_sniff(lists_dir: Path, relpath: str, expected: bool) -> None:
    path = lists_dir / relpath
    assert CaSemaXmlParser.sniff(path, read_head(path)) is expected
