"""UK OFSI ConList CSV: three real versions, grouping by Group ID, dates, and bad input."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta, read_head
from clearance.sources.uk_ofsi import UkOfsiCsvParser, document_numbers, ofsi_date, split_numbered

FILES = {
    "2018": ("uk_hmt_ofsi/2018-04-13_photoangell/sanctionsconlist.csv", "2018-04-13"),
    "2014": ("uk_hmt_ofsi/2014-04-02_sergey-chechaev/sanctionsconlist.csv", "2014-04-02"),
    "2016": ("uk_hmt_ofsi/2016-02-12_opendatalabcz/conlist_partial.csv", "2016-02-12"),
}
HEADER = (
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,DOB,Town of Birth,Country of Birth,"
    "Nationality,Passport Details,NI Number,Position,Address 1,Address 2,Address 3,Address 4,"
    "Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Regime,"
    "Listed On,Last Updated,Group ID"
)
TAIL = "Testland,01/02/2020,01/02/2020"
ROW_A = f"DOE,John,,,,,Mr,00/05/1970,,,,,,,,,,,,,,,,Individual,Prime Alias,{TAIL},1"
ROW_B = "DOE,Johnny,,,,,,00/05/1970,,,,,,,,,,,,,,,,Individual,AKA,Testland,01/02/2020,01/02/2020,1"
ROW_C = "ACME LTD,,,,,,,,,,,,,,,,,,,,,,,Entity,Prime Alias,Testland,01/02/2020,01/02/2020,2"


def _parse(path: Path) -> tuple[list[Emitted], ListMeta]:
    result = UkOfsiCsvParser().parse(path)
    return list(result.entities), result.meta


@cache
def _real(path: Path) -> tuple[list[Emitted], ListMeta]:
    return _parse(path)


def _groups(path: Path) -> dict[str, set[str]]:
    """Independent pass: Group ID → Group Types, with the csv module and cp1252."""
    rows = list(csv.reader(io.StringIO(path.read_text("cp1252"), newline="")))
    header = rows[1]
    gid, gtype = header.index("Group ID"), header.index("Group Type")
    out: dict[str, set[str]] = {}
    for row in rows[2:]:
        out.setdefault(row[gid], set()).add(row[gtype])
    return out


@pytest.mark.parametrize("key", sorted(FILES))
def test_counts(lists_dir: Path, key: str) -> None:
    name, date = FILES[key]
    path = lists_dir / name
    groups = _groups(path)
    emitted, meta = _real(path)
    main = [e for e in emitted if e.entity.schema.name in ("Person", "Organization", "Vessel")]
    assert {e.record for e in main} == set(groups)
    persons = {e.record for e in main if e.entity.schema.name == "Person"}
    assert persons == {g for g, types in groups.items() if types == {"Individual"}}
    assert sum(1 for e in emitted if e.entity.schema.name == "Sanction") == len(groups)
    assert meta.publication_date == date
    assert UkOfsiCsvParser.sniff(path, read_head(path))


def test_manifest_numbers(lists_dir: Path) -> None:
    assert len(_groups(lists_dir / FILES["2018"][0])) == 2106
    assert len(_groups(lists_dir / FILES["2014"][0])) == 2297


def test_spot_check_2018(lists_dir: Path) -> None:
    emitted, meta = _real(lists_dir / FILES["2018"][0])
    ents = {e.entity.id: e.entity for e in emitted}
    person = ents["gb-hmt-13349"]  # 14 name rows, checked by eye in the raw file
    assert person.get("name") == ["Nayef Salam Muhammad Ujaym AL-HABABI"]
    assert "Faruq AL-QATARI" in person.get("alias")
    assert "Imran Farouk SHAYKH" in person.get("alias")
    assert sorted(person.get("birthDate")) == ["1980", "1981"]
    assert sorted(person.get("nationality")) == ["qa", "sa"]
    assert person.get("passportNumber") == ["592667"]
    sanction = ents["gb-hmt-13349-sanction"]
    assert sanction.get("program") == ["The ISIL (Da'esh) and Al-Qaida organisations"]
    assert sanction.get("listingDate") == ["2016-04-01"]
    assert sanction.get("unscId") == ["QDe.004"]
    assert any("Windows-1252" in w for w in meta.warnings)


def test_partial_file_without_primary_names(lists_dir: Path) -> None:
    emitted, meta = _real(lists_dir / FILES["2016"][0])
    assert any("no primary name" in w for w in meta.warnings)
    main = [e.entity for e in emitted if e.entity.schema.name in ("Person", "Organization")]
    assert all(e.get("name") for e in main)


def _write(tmp_path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / "conlist.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_small_file(tmp_path: Path) -> None:
    emitted, meta = _parse(
        _write(tmp_path, ["Last Updated,13/04/2018", HEADER, ROW_A, ROW_C, ROW_B])
    )
    ents = {e.entity.id: e.entity for e in emitted}
    assert ents["gb-hmt-1"].get("name") == ["John DOE"]
    assert ents["gb-hmt-1"].get("alias") == ["Johnny DOE"]
    assert ents["gb-hmt-1"].get("birthDate") == ["1970-05"]
    assert ents["gb-hmt-1"].get("title") == ["Mr"]
    assert ents["gb-hmt-2"].schema.name == "Organization"
    assert meta.warnings == []


def test_truncated(tmp_path: Path) -> None:
    path = _write(tmp_path, ["Last Updated,13/04/2018", HEADER, ROW_A, ROW_B[:40]])
    with pytest.raises(ListFormatError) as err:
        _parse(path)
    assert err.value.where == "line 4"


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"")
    with pytest.raises(ListFormatError, match="empty"):
        _parse(path)


def test_utf16(tmp_path: Path) -> None:
    path = _write(tmp_path, ["Last Updated,13/04/2018", HEADER, ROW_A], encoding="utf-16")
    with pytest.raises(ListFormatError, match="NUL"):
        _parse(path)


def test_other_format(lists_dir: Path) -> None:
    path = lists_dir / "uk_fcdo/2025-08-11_JachymSRB/FCDO_SL_Mon_Aug_11_2025.converted.csv"
    assert not UkOfsiCsvParser.sniff(path, read_head(path))
    with pytest.raises(ListFormatError, match="Last Updated") as err:
        _parse(path)
    assert err.value.where == "line 1"


def test_missing_column(tmp_path: Path) -> None:
    header = HEADER.replace("Group ID", "Group")
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, ["Last Updated,13/04/2018", header, ROW_A]))
    assert err.value.where == "field Group ID"


def test_extra_column(tmp_path: Path) -> None:
    lines = ["Last Updated,13/04/2018", HEADER + ",Favourite Colour", ROW_A + ",blue"]
    emitted, meta = _parse(_write(tmp_path, lines))
    assert any("Favourite Colour" in w for w in meta.warnings)
    assert len(emitted) == 2


def test_2022_format_columns(tmp_path: Path) -> None:
    header = HEADER.replace("Passport Details", "Passport Number,Passport Details").replace(
        "Alias Type", "Alias Type,Alias Quality"
    )
    row = (
        "DOE,John,,,,,,00/05/1970,,,,X1234567,issued 2019,,,,,,,,,,,,"
        "Individual,Primary name,Good quality,Testland,01/02/2020,01/02/2020,1"
    )
    weak = row.replace("DOE,John", "JD,").replace("Primary name,Good", "AKA,Low")
    emitted, meta = _parse(_write(tmp_path, ["Last Updated,13/04/2018", header, row, weak]))
    person = emitted[0].entity
    assert meta.warnings == []
    assert person.get("name") == ["John DOE"]
    assert person.get("weakAlias") == ["JD"]
    assert person.get("passportNumber") == ["X1234567"]


def test_duplicate_group_with_conflicting_type(tmp_path: Path) -> None:
    bad = ROW_C.replace(",2", ",1")
    with pytest.raises(ListFormatError) as err:
        _parse(_write(tmp_path, ["Last Updated,13/04/2018", HEADER, ROW_A, bad]))
    assert err.value.where == "record 1"
    assert "lines 3, 4" in err.value.message


def test_sniff_specific() -> None:
    assert not UkOfsiCsvParser.sniff(Path("x"), b"Unique ID,OFSI Group ID,Name\n")
    assert not UkOfsiCsvParser.sniff(Path("x"), b'<?xml version="1.0"?><export>')
    assert not UkOfsiCsvParser.sniff(Path("x"), b"")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("00/00/1980", "1980"), ("00/05/1970", "1970-05"), ("16/06/1969", "1969-06-16"),
     ("", None), ("31/02/1970", None)],
)  # fmt: skip
def test_ofsi_date(text: str, expected: str | None) -> None:
    assert ofsi_date(text) == expected


@given(st.integers(1, 31), st.integers(0, 12), st.integers(1900, 2020))
def test_ofsi_date_property(day: int, month: int, year: int) -> None:
    result = ofsi_date(f"{day:02d}/{month:02d}/{year}")
    assert result is None or result.startswith(str(year))
    if month == 0:
        assert result == str(year)


def test_split_numbered() -> None:
    assert split_numbered("(1) German (2) Moroccan") == ["German", "Moroccan"]
    assert split_numbered("1) Saudi Arabia 2) Qatar") == ["Saudi Arabia", "Qatar"]
    assert split_numbered("Tunisian") == ["Tunisian"]


def test_document_numbers() -> None:
    text = "(1) Provisional 28642163 (German) issued (2) 954242 issued on 28/06/1995"
    assert document_numbers(text) == ["28642163", "954242"]


_CELL = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=25)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(_CELL, _CELL, _CELL, _CELL, _CELL, st.sampled_from(["1", "2", "3"])),
        min_size=1,
        max_size=6,
    )
)
def test_arbitrary_cells(tmp_path: Path, rows: list[tuple[str, ...]]) -> None:
    """Any text in name, DOB, nationality, passport and notes cells: entities or a clear error."""
    header = HEADER.split(",")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Last Updated", "13/04/2018"])
    writer.writerow(header)
    for name, dob, nationality, passport, notes, group in rows:
        row = dict.fromkeys(header, "")
        row.update({"Name 6": name, "DOB": dob, "Nationality": nationality,
                    "Passport Details": passport, "Other Information": notes,
                    "Group Type": "Individual", "Alias Type": "Prime Alias",
                    "Regime": "Testland", "Group ID": group})  # fmt: skip
        writer.writerow(row.values())
    path = tmp_path / "prop.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    try:
        emitted, _ = _parse(path)
    except ListFormatError:
        return  # e.g. a NUL character or a cell that changes the row structure
    people = {e.record for e in emitted if e.entity.schema.name == "Person"}
    assert people == {r[5] for r in rows}
