"""UN Security Council consolidated XML: every version on hand, spot checks, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.model import make_entity
from clearance.sources.base import read_head
from clearance.sources.detect import detect
from clearance.sources.un_xml import UnScXmlParser
from tests.sources.badinput import refused

UN_FILES = [
    "2017-07_DukeQIANSH/consolidated.xml",
    "2018-10_perchrh/consolidated.xml",
    "2020-12_Lcrs123/consolidated.xml",
    "2024-11-30_Stanux/consolidated.xml",
    "2025-04-19_kebalkhadka/UN.xml",
    "2025-08-02_nizaranandkn/consolidatedLegacyByPRN.xml",
    "2025-11-18_Mkweli/un_consolidated.xml",
    "2026-02-27_watchman/UN_consolidated.xml",
    "2026-05-08_TuaMaley/un_sanctions.xml",
]
# Re-encoded by a third party: non-ASCII characters were cut to their low byte (é → 0xE9,
# ’ → 0x19, Arabic → garbage), so the file is neither UTF-8 nor well-formed XML.
CORRUPT = "2025-08-16_wallblue4/consolidated.xml"
NEWEST = "2026-05-08_TuaMaley/un_sanctions.xml"


def _by_id(path: Path) -> dict[str, EntityProxy]:
    return {str(e.entity.id): e.entity for e in UnScXmlParser().parse(path).entities}


@pytest.fixture(scope="module")
def newest(lists_dir: Path) -> dict[str, EntityProxy]:
    return _by_id(lists_dir / "un_sc" / NEWEST)


@pytest.mark.parametrize("name", UN_FILES)
def test_every_version_parses_with_raw_counts(lists_dir: Path, name: str) -> None:
    path = lists_dir / "un_sc" / name
    raw = path.read_bytes()
    individuals = len(re.findall(rb"<INDIVIDUAL>", raw))
    organisations = len(re.findall(rb"<ENTITY>", raw))
    generated = re.search(rb"dateGenerated=['\"](\d{4}-\d\d-\d\d)", raw)
    assert generated is not None
    assert detect(path) is UnScXmlParser
    result = UnScXmlParser().parse(path)
    assert result.meta.publication_date == generated.group(1).decode()
    schemata: dict[str, int] = {}
    for emitted in result.entities:
        schemata[emitted.entity.schema.name] = schemata.get(emitted.entity.schema.name, 0) + 1
    assert schemata["Person"] == individuals
    assert schemata["Organization"] == organisations
    assert schemata["Sanction"] == individuals + organisations


def test_newest_counts_match_manifest(newest: dict[str, EntityProxy]) -> None:
    schemata = [e.schema.name for e in newest.values()]
    assert schemata.count("Person") == 737
    assert schemata.count("Organization") == 272


def test_corrupt_third_party_copy_is_refused_with_line(lists_dir: Path) -> None:
    path = lists_dir / "un_sc" / CORRUPT
    refused(UnScXmlParser(), path, r"line 53\b")


def test_dprk_entity(newest: dict[str, EntityProxy]) -> None:
    # By eye in the raw file: DATAID 690761, KPe.010, listed 2012-05-02, eight a.k.a.s.
    green_pine = newest["unsc-690761"]
    assert green_pine.schema.name == "Organization"
    assert green_pine.get("name") == ["GREEN PINE ASSOCIATED CORPORATION"]
    assert "CHONGSONG YONHAP" in green_pine.get("alias")
    assert "sanction" in green_pine.get("topics")
    sanction = newest["unsc-690761-sanction"]
    assert sanction.get("entity") == ["unsc-690761"]
    assert sanction.get("program") == ["DPRK"]
    assert sanction.get("unscId") == ["KPe.010"]
    assert sanction.get("listingDate") == ["2012-05-02"]
    assert sanction.get("authority") == ["United Nations Security Council"]


def test_individual_with_arabic_original_script(newest: dict[str, EntityProxy]) -> None:
    # DATAID 2999482 (QDi.312): AAMIR ALI CHAUDHRY, original script in Arabic letters.
    person = newest["unsc-2999482"]
    assert person.get("name") == ["AAMIR ALI CHAUDHRY"]
    assert "عامر علی چوہدری" in person.get("alias")
    assert person.get("weakAlias") == ["Huzaifa"]  # QUALITY Low
    assert "Amir Ali Chaudry" in person.get("alias")  # QUALITY Good
    assert person.get("birthDate") == ["1986-08-03"]
    assert person.get("nationality") == ["pk"]
    assert newest["unsc-2999482-sanction"].get("modifiedAt") == ["2023-02-02"]


def test_between_birth_date_range(newest: dict[str, EntityProxy]) -> None:
    # DATAID 3012888 (QDi.314): TYPE_OF_DATE BETWEEN, FROM_YEAR 1977, TO_YEAR 1982.
    person = newest["unsc-3012888"]
    assert sorted(person.get("birthDate")) == ["1977", "1978", "1979", "1980", "1981", "1982"]


def test_documents_become_identifications(newest: dict[str, EntityProxy]) -> None:
    idents = [e for e in newest.values() if e.schema.name == "Identification"]
    assert idents
    for ident in idents:
        holder = newest[ident.first("holder") or ""]
        number = ident.first("number")
        assert number in holder.get("passportNumber") + holder.get("idNumber")


# --- bad input ----------------------------------------------------------------------------

RECORD = """  <INDIVIDUAL>
    <DATAID>{dataid}</DATAID><FIRST_NAME>{name}</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>
    <REFERENCE_NUMBER>KPi.001</REFERENCE_NUMBER><LISTED_ON>2016-11-30</LISTED_ON>
  </INDIVIDUAL>
"""


def _document(*records: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CONSOLIDATED_LIST dateGenerated="2020-01-02T00:00:00Z">\n<INDIVIDUALS>\n'
        + "".join(records)
        + "</INDIVIDUALS>\n<ENTITIES/>\n</CONSOLIDATED_LIST>\n"
    )


def test_truncated_file_names_the_line(lists_dir: Path, tmp_path: Path) -> None:
    raw = (lists_dir / "un_sc" / NEWEST).read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(raw[: len(raw) // 2])
    last_line = raw[: len(raw) // 2].count(b"\n") + 1
    refused(UnScXmlParser(), cut, rf"line {last_line}\b")


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(_document(RECORD.format(dataid=1, name="JÉRÔME")).encode("latin-1"))
    refused(UnScXmlParser(), path, r"line 5\b.*not in the encoding")


def test_declared_latin1_is_read(tmp_path: Path) -> None:
    text = _document(RECORD.format(dataid=1, name="JÉRÔME"))
    path = tmp_path / "latin1.xml"
    path.write_bytes(text.replace("UTF-8", "ISO-8859-1").encode("latin-1"))
    entities = _by_id(path)
    assert entities["unsc-1"].get("name") == ["JÉRÔME"]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        UnScXmlParser().parse(path)


def test_csv_is_refused(lists_dir: Path) -> None:
    path = lists_dir / "ofac_cons/2025-12_watchman/cons_prim.csv"
    assert not UnScXmlParser.sniff(path, read_head(path))
    with pytest.raises(ListFormatError, match="not an XML document"):
        UnScXmlParser().parse(path)


def test_other_schema_is_refused(lists_dir: Path) -> None:
    path = lists_dir / "ofac_cons/2024-05-06_hebbd5/consolidated.xml"
    assert not UnScXmlParser.sniff(path, read_head(path))
    with pytest.raises(ListFormatError, match="root element is <sdnList>"):
        UnScXmlParser().parse(path)


def test_duplicate_dataid(tmp_path: Path) -> None:
    path = tmp_path / "dup.xml"
    path.write_text(_document(RECORD.format(dataid=7, name="A"), RECORD.format(dataid=7, name="B")))
    refused(UnScXmlParser(), path, r"record 7 \(line 8\).*duplicate DATAID.*line 4")


def test_missing_dataid(tmp_path: Path) -> None:
    path = tmp_path / "noid.xml"
    path.write_text(_document(RECORD.format(dataid="", name="A")))
    refused(UnScXmlParser(), path, "without DATAID")


_NAME = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(name=_NAME)
def test_any_unicode_name_survives(tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    from xml.sax.saxutils import escape

    path = tmp_path_factory.mktemp("un") / "one.xml"
    path.write_text(_document(RECORD.format(dataid=1, name=escape(name))), encoding="utf-8")
    expected = make_entity("Person", "x")
    expected.add("name", " ".join(name.split()))
    entities = _by_id(path)
    assert entities["unsc-1"].get("name") == expected.get("name")


def test_entity_carries_its_document_numbers_when_emitted(lists_dir: Path) -> None:
    """Consumers (the store) serialise each entity as it is yielded: numbers must be on it then."""
    path = lists_dir / "un_sc/2026-05-08_TuaMaley/un_sanctions.xml"
    snapshots = {e.entity.id: e.entity.to_dict() for e in UnScXmlParser().parse(path).entities}
    person = snapshots["unsc-6908707"]["properties"]
    assert "G52FYPRL" in person["passportNumber"]
    assert "2519910" in person["idNumber"]
