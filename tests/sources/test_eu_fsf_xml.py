"""EU FSF XML: the hand-written v1.1 sample, the legacy v1.0 partial file, and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import read_head
from clearance.sources.eu_fsf_model import legacy_ident
from clearance.sources.eu_fsf_xml import EuFsfXmlParser
from tests.sources.entities import properties_by_id

FIXTURES = Path(__file__).parent / "fixtures"
V11 = FIXTURES / "eu_fsf_v11_sample.xml"
LEGACY = "eu_fsf_legacy/2016-02-11_opendatalabcz/eu_fsf_v1_partial.xml"


def _load(path: Path) -> tuple[list[Emitted], list[str], str | None]:
    result = EuFsfXmlParser().parse(path)
    return list(result.entities), result.meta.warnings, result.meta.publication_date


@pytest.fixture(scope="module")
def legacy(lists_dir: Path) -> Path:
    path = lists_dir / LEGACY
    assert path.is_file(), f"missing {path}"
    return path


def test_v11_sample() -> None:
    emitted, warnings, published = _load(V11)
    assert published == "2025-03-14"
    assert warnings == []
    ents = properties_by_id(emitted)
    person = ents["eu-fsf-900101"]
    assert person["name"] == ["Ivan Petrovich SIDOROV"]
    assert person["alias"] == ["Иван Петрович СИДОРОВ"]
    assert person["weakAlias"] == ["Vanya"]
    assert sorted(person["birthDate"]) == ["1961-05-17", "1962"]
    assert person["passportNumber"] == ["753123456"]
    assert person["nationality"] == ["ru"]
    assert person["position"] == ["Deputy Minister of Testing"]
    sanction = ents["eu-fsf-900101-sanction"]
    assert sanction["entity"] == ["eu-fsf-900101"]
    assert sanction["program"] == ["UKR"]
    assert sanction["listingDate"] == ["2022-02-28"]
    assert sanction["authorityId"] == ["EU.9001.12"]
    passport = ents["eu-fsf-900101-id-1"]
    assert passport["number"] == ["753123456"]
    assert passport["country"] == ["ru"]
    assert passport["summary"] == ["Foreign travel passport"]
    # year range 1970-1972, no exact date; UN id; id card
    second = ents["eu-fsf-900102"]
    assert sorted(second["birthDate"]) == ["1970", "1971", "1972", "1975-03"]
    assert second["birthPlace"] == ["Mosul"]
    assert second["idNumber"] == ["1234567890"]
    assert ents["eu-fsf-900102-sanction"]["unscId"] == ["QDi.999"]
    assert ents["eu-fsf-900102-sanction"]["listingDate"] == ["2019-11-05"]
    company = ents["eu-fsf-900103"]
    assert {e.entity.schema.name for e in emitted if e.entity.id == "eu-fsf-900103"} == {
        "Organization"
    }
    assert company["alias"] == ["АО «Тестмаш»"]
    assert company["registrationNumber"] == ["7701234567"]
    assert company["address"] == ["Nevsky prospekt 100, Saint Petersburg, RUSSIAN FEDERATION"]
    assert {e.record for e in emitted} == {"900101", "900102", "900103"}


def test_legacy_partial_counts(legacy: Path) -> None:
    raw = legacy.read_text("utf-8")
    # independent count: ENTITY start tags and their Type attribute
    tags = re.findall(r"<ENTITY Id=\"(\d+)\" Type=\"([PE])\"", raw)
    emitted, _, published = _load(legacy)
    main = [e for e in emitted if e.entity.schema.name in ("Person", "Organization")]
    assert len(tags) == 595
    assert len(main) == len(tags)
    assert {e.record for e in main} == {t[0] for t in tags}
    persons = sum(1 for e in main if e.entity.schema.name == "Person")
    assert persons == sum(1 for _, kind in tags if kind == "P")
    assert sum(1 for e in emitted if e.entity.schema.name == "Sanction") == 595
    assert published == "2016-02-11"


def test_legacy_spot_checks(legacy: Path) -> None:
    ents = properties_by_id(_load(legacy)[0])
    mugabe = ents["eu-fsf-1"]  # checked by eye in the raw file
    assert mugabe["name"] == ["Robert Gabriel Mugabe"]
    assert mugabe["birthDate"] == ["1924-02-21"]
    assert mugabe["passportNumber"] == ["AD001095"]
    assert mugabe["birthPlace"] == ["Kutama"]
    assert ents["eu-fsf-1-id-1"]["type"] == ["National passport"]
    assert ents["eu-fsf-1-sanction"]["program"] == ["ZWE"]
    saddam = ents["eu-fsf-13"]
    assert saddam["name"] == ["Saddam Hussein Al-Tikriti"]
    assert "Abu Ali" in saddam["alias"]
    assert saddam["nationality"] == ["iq"]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (V11.read_bytes()[:2000], True),
        (b'<?xml version="1.0"?>\n<WHOLE Date="11/02/2016">\n<ENTITY Id="1" Type="P">', True),
        (b'<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2024">', False),
        (b'<?xml version="1.0"?>\n<sdnList xmlns="http://tempuri.org/sdnList.xsd">', False),
        (b"Last Updated,13/04/2018\nName 6,Name 1", False),
        (b"", False),
    ],
)
def test_sniff(head: bytes, expected: bool) -> None:
    assert EuFsfXmlParser.sniff(Path("x.xml"), head) is expected


def test_sniff_real_legacy(legacy: Path) -> None:
    assert EuFsfXmlParser.sniff(legacy, read_head(legacy))


def _parse_all(path: Path) -> list[Emitted]:
    return list(EuFsfXmlParser().parse(path).entities)


def test_truncated(tmp_path: Path, legacy: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(legacy.read_bytes()[:200_000])
    with pytest.raises(ListFormatError) as err:
        _parse_all(path)
    assert err.value.where is not None and err.value.where.startswith("line ")


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(V11.read_text("utf-8").replace("Vanya", "Vanjá").encode("latin-1", "replace"))
    with pytest.raises(ListFormatError, match="line"):
        _parse_all(path)


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        _parse_all(path)


def test_other_format(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_bytes(b'<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>')
    with pytest.raises(ListFormatError, match="not an EU FSF"):
        _parse_all(path)


def test_no_records(tmp_path: Path) -> None:
    path = tmp_path / "none.xml"
    path.write_bytes(b'<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="x"/>')
    with pytest.raises(ListFormatError, match="no <sanctionEntity>"):
        _parse_all(path)


def test_duplicate_id(tmp_path: Path) -> None:
    text = V11.read_text("utf-8").replace('logicalId="900102"', 'logicalId="900101"')
    path = tmp_path / "dup.xml"
    path.write_text(text, "utf-8")
    with pytest.raises(ListFormatError) as err:
        _parse_all(path)
    assert err.value.where == "record 900101"
    assert "duplicate" in err.value.message


def test_unknown_subject_type(tmp_path: Path) -> None:
    text = V11.read_text("utf-8").replace('code="enterprise"', 'code="spaceship"')
    path = tmp_path / "kind.xml"
    path.write_text(text, "utf-8")
    with pytest.raises(ListFormatError, match="spaceship"):
        _parse_all(path)


def test_listing_without_name(tmp_path: Path) -> None:
    text = re.sub(
        r"<nameAlias [^>]*wholeName=\"Ahmad Al-Testi\"[^>]*/>", "", V11.read_text("utf-8")
    )
    path = tmp_path / "noname.xml"
    path.write_text(text, "utf-8")
    with pytest.raises(ListFormatError) as err:
        _parse_all(path)
    assert err.value.where == "record 900102"


@given(
    number=st.text(alphabet="ABCDEFGHJK0123456789/-", min_size=1, max_size=12),
    code=st.sampled_from(["passport", "id", "other", "regnumber"]),
    desc=st.text(alphabet="abcdefghij -", min_size=1, max_size=20).map(str.strip).filter(bool),
)
def test_legacy_ident_roundtrip(number: str, code: str, desc: str) -> None:
    ident = legacy_ident(f"{number} ({code}-{desc}) (({code}))", "DEU")
    assert ident.number == number
    assert ident.type_code == code
    assert ident.type_desc == desc
    assert ident.note == ""
