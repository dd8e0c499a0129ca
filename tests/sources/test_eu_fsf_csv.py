"""EU FSF CSV: the hand-written v1.1 sample, the legacy v1.0 partial file, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta, read_head, read_text_fallback
from clearance.sources.eu_fsf_csv import EuFsfCsvParser
from tests.sources.entities import properties_by_id

V11 = Path(__file__).parent / "fixtures" / "eu_fsf_v11_sample.csv"
LEGACY = "eu_fsf_legacy/2018-07-04_photoangell/EUSanctionsShort.csv"


def _parse(path: Path) -> tuple[list[Emitted], ListMeta]:
    result = EuFsfCsvParser().parse(path)
    return list(result.entities), result.meta


@pytest.fixture(scope="module")
def legacy(lists_dir: Path) -> Path:
    path = lists_dir / LEGACY
    assert path.is_file(), f"missing {path}"
    return path


def test_v11_sample_grouped() -> None:
    emitted, meta = _parse(V11)
    assert meta.publication_date == "2025-03-14"
    assert meta.warnings == []
    ents = properties_by_id(emitted)
    main = [e for e in emitted if e.entity.schema.name in ("Person", "Organization")]
    assert [e.record for e in main] == ["900201", "900202"]  # 9 rows → 2 listings
    person = ents["eu-fsf-900201"]
    assert person["name"] == ["Pavel Sergeevich TESTOV"]
    assert person["alias"] == ["Павел Сергеевич ТЕСТОВ"]
    assert person["birthDate"] == ["1965-11-02"]
    assert person["birthPlace"] == ["Omsk"]
    assert person["passportNumber"] == ["722000111"]
    assert person["nationality"] == ["ru"]
    assert person["position"] == ['Owner of Testbank; "prominent businessman"']
    assert ents["eu-fsf-900201-sanction"]["reason"] == ["Test record; oligarch."]
    assert ents["eu-fsf-900201-sanction"]["program"] == ["UKR"]
    company = ents["eu-fsf-900202"]
    assert company["registrationNumber"] == ["1027700000000"]
    assert company["address"] == ["Ulitsa Testovaya 5, 101000, Moscow, RUSSIAN FEDERATION"]


def test_legacy_counts(legacy: Path) -> None:
    # independent count: second ';' field of every data line is the entity logical id
    lines = legacy.read_bytes().decode("latin-1").splitlines()[1:]
    ids = {line.split(";")[1] for line in lines if line.strip()}
    kinds = {line.split(";")[1]: line.split(";")[2] for line in lines if line.strip()}
    assert len(ids) == 93
    emitted, meta = _parse(legacy)
    main = [e for e in emitted if e.entity.schema.name in ("Person", "Organization")]
    assert {e.record for e in main} == ids
    persons = {e.record for e in main if e.entity.schema.name == "Person"}
    assert persons == {i for i, k in kinds.items() if k == "P"}
    assert meta.publication_date == "2018-07-04"
    assert any("Windows-1252" in w for w in meta.warnings)


def test_legacy_spot_checks(legacy: Path) -> None:
    ents = properties_by_id(_parse(legacy)[0])
    mugabe = ents["eu-fsf-1"]
    assert mugabe["name"] == ["Robert Gabriel Mugabe"]
    assert mugabe["birthDate"] == ["1924-02-21"]
    assert mugabe["passportNumber"] == ["AD001095"]
    assert ents["eu-fsf-1-sanction"]["authorityId"] == ["EU.36.64"]
    # a comma that the spreadsheet re-save had turned into a tab is restored
    assert ents["eu-fsf-29"]["birthPlace"][0] == "al-Awja, near Tikrit"
    # Windows-1252 byte 0xEF read as "ï"
    assert "Qoussaï Saddam Hussein Al-Tikriti" in ents["eu-fsf-20"]["alias"]
    # a quoted field with a semicolon inside
    assert "Former Governor of Karbala and An Najaf;" in ents["eu-fsf-43"]["position"]


def test_sniff(legacy: Path) -> None:
    assert EuFsfCsvParser.sniff(legacy, read_head(legacy))
    assert EuFsfCsvParser.sniff(V11, read_head(V11))
    assert not EuFsfCsvParser.sniff(Path("x"), b"Last Updated,13/04/2018\nName 6,Name 1")
    assert not EuFsfCsvParser.sniff(Path("x"), b"ent_num,SDN_Name,SDN_Type\n")
    assert not EuFsfCsvParser.sniff(Path("x"), b"")


def _write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_truncated(tmp_path: Path) -> None:
    text = V11.read_text("utf-8")
    cut = text[: text.rindex("\n", 0, len(text) - 1) + 40]  # last row cut after 40 chars
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, cut))
    assert err.value.where == "line 10"
    assert "fields" in err.value.message


@pytest.mark.parametrize("cut", [200_000, 200_050])
def test_truncated_legacy(tmp_path: Path, legacy: Path, cut: int) -> None:
    path = tmp_path / "cut.csv"
    data = legacy.read_bytes()[:cut]
    path.write_bytes(data)
    with pytest.raises(ListFormatError) as err:
        _parse(path)
    last_line = data.count(b"\n") + 1
    assert err.value.where == f"line {last_line}"  # the cut line


def test_empty(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="empty"):
        _parse(_write(tmp_path, ""))


def test_header_only(tmp_path: Path) -> None:
    header = V11.read_text("utf-8").splitlines()[0] + "\n"
    with pytest.raises(ListFormatError, match="no data rows"):
        _parse(_write(tmp_path, header))


def test_utf16_refused(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes(V11.read_text("utf-8").encode("utf-16"))
    with pytest.raises(ListFormatError, match="NUL byte"):
        _parse(path)


def test_undecodable(tmp_path: Path) -> None:
    data = V11.read_bytes().replace("ТЕСТОВ".encode(), b"\x81\x8d")
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(ListFormatError, match="neither UTF-8 nor Windows-1252") as err:
        _parse(path)
    assert err.value.where == "line 3"


def test_other_format(tmp_path: Path, lists_dir: Path) -> None:
    ofsi = lists_dir / "uk_hmt_ofsi/2016-02-12_opendatalabcz/conlist_partial.csv"
    with pytest.raises(ListFormatError) as err:
        _parse(ofsi)
    assert err.value.where == "field Entity_LogicalId"


def test_missing_required_column(tmp_path: Path) -> None:
    text = V11.read_text("utf-8").replace("NameAlias_WholeName", "NameAlias_Whole")
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, text))
    assert err.value.where == "field NameAlias_WholeName"


def test_extra_column_warns(tmp_path: Path) -> None:
    lines = V11.read_text("utf-8").splitlines()
    lines = [lines[0] + ";Entity_Colour"] + [line + ";blue" for line in lines[1:]]
    emitted, meta = _parse(_write(tmp_path, "\n".join(lines) + "\n"))
    assert any("Entity_Colour" in w for w in meta.warnings)
    assert len([e for e in emitted if e.entity.schema.name == "Person"]) == 1


def test_duplicate_id_conflict(tmp_path: Path) -> None:
    # the company's rows re-use the person's logical id: same id, different subject type
    text = V11.read_text("utf-8").replace(";900202;", ";900201;")
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, text))
    assert err.value.where == "line 7"
    assert "duplicate id 900201" in err.value.message


def test_fallback_reads_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfa;b\n1;2\n")
    meta = ListMeta(source="s", format="f", files=[path])
    assert read_text_fallback(path, meta) == "a;b\n1;2\n"
    assert meta.warnings == []
