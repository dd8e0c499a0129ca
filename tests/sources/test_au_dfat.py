"""Australia DFAT consolidated list: XLSX and CSV twin, grouping of name rows, dates, bad input."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.sources.au_dfat import KNOWN, AuDfatParser, cell_text, parse_dobs
from clearance.sources.base import read_head
from tests.sources import badinput
from tests.sources.badinput import refused

XLSX = "au_dfat/2024-12_Stanux/regulation8_consolidated.xlsx"
CSV = "au_dfat/2024-12_Stanux/regulation8_consolidated.converted.csv"
HEADER = ",".join(KNOWN)
DETAILS = "a) 07/04/1979; b) 1980,Kabul,Afghan,NA,note,listed,1267,2020-01-01"
ROWS = f"1,JOHN DOE,Individual,Primary Name,{DETAILS}\n1a,JOHNNY DOE,Individual,aka,{DETAILS}\n"


def base(reference: object) -> str:
    """The leading number of a reference ("12b" → "12"), read independently of the parser."""
    digits = re.match(r"\d+", str(reference))
    assert digits is not None, reference
    return digits.group()


@pytest.fixture(scope="module")
def from_xlsx(lists_dir: Path) -> dict[str, EntityProxy]:
    return {str(e.entity.id): e.entity for e in AuDfatParser().parse(lists_dir / XLSX).entities}


def test_counts_match_an_independent_openpyxl_read(
    lists_dir: Path, from_xlsx: dict[str, EntityProxy]
) -> None:
    book = openpyxl.load_workbook(lists_dir / XLSX, read_only=True)
    rows = [
        r
        for r in book.worksheets[0].iter_rows(min_row=2, max_col=4, values_only=True)
        if r[0] is not None
    ]
    book.close()
    assert len(rows) == 9553
    refs = {base(r[0]) for r in rows}
    # MANIFEST says 3,162 references; the sheet's leading numbers give 3,062 (= primary names)
    assert len(refs) == 3062
    primary = [r for r in rows if str(r[3]).strip().lower() == "primary name"]
    assert len(primary) == len(refs)
    sanctions = [e for e in from_xlsx.values() if e.schema.name == "Sanction"]
    assert len(sanctions) == len(refs)
    people = {base(r[0]) for r in rows if str(r[2]).strip().lower() == "individual"}
    assert sum(1 for e in from_xlsx.values() if e.schema.name == "Person") == len(people)
    names = sum(
        len(e.get("name")) + len(e.get("alias")) + len(e.get("previousName"))
        for e in from_xlsx.values()
        if e.schema.name != "Sanction"
    )
    assert names <= len(rows)  # a few alias rows repeat a name already given
    assert names > len(rows) - 100


def test_spot_check_read_by_eye(from_xlsx: dict[str, EntityProxy]) -> None:
    # raw rows "2" MOHAMMAD HASSAN AKHUND (Primary Name) and "2a" محمد حسن أخوند (Original Script),
    # DOB "a) Approximately 1955- 1958 b) Approximately 1945-1950", Control Date 2014-12-15
    akhund = from_xlsx["au-dfat-2"]
    assert akhund.schema.name == "Person"
    assert akhund.get("name") == ["MOHAMMAD HASSAN AKHUND"]
    assert akhund.get("alias") == ["محمد حسن أخوند"]
    assert {"1955", "1958", "1945", "1950"} <= set(akhund.get("birthDate"))
    assert akhund.get("nationality") == ["af"]
    sanction = from_xlsx["au-dfat-2-sanction"]
    assert sanction.get("modifiedAt") == ["2014-12-15"]
    assert sanction.get("program") == ["1988 (Taliban)"]


def test_csv_twin_gives_the_same_entities(
    lists_dir: Path, from_xlsx: dict[str, EntityProxy]
) -> None:
    from_csv = {
        e.entity.id: e.entity.to_dict() for e in AuDfatParser().parse(lists_dir / CSV).entities
    }
    assert from_csv == {k: v.to_dict() for k, v in from_xlsx.items()}


def test_dates_of_birth() -> None:
    assert parse_dobs("a) 07/04/1979; b) 07/04/1980") == ["1979-04-07", "1980-04-07"]
    assert parse_dobs("Between 1968 and 1970") == ["1968", "1969", "1970"]
    assert parse_dobs("approximately 1977/1978") == ["1977", "1978"]
    assert parse_dobs("a) 19 Apr. 1982 b) 24/06/1402 (Hijri Calendar)") == ["1982-04-19"]
    assert parse_dobs("30 December 1960  or 13 December 1960") == ["1960-12-30", "1960-12-13"]
    assert cell_text(datetime(1970, 1, 2)) == "1970-01-02"
    assert cell_text(1958.0) == "1958"


@given(st.text())
def test_dob_parser_never_crashes_and_gives_iso(text: str) -> None:
    for value in parse_dobs(text):
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value)


def write(tmp_path: Path, text: str | bytes, name: str = "dfat.csv") -> Path:
    return badinput.write(tmp_path, text, name)


def test_small_csv_groups_rows_and_warns_on_extra_column(tmp_path: Path) -> None:
    lines = ROWS.splitlines()
    path = write(tmp_path, f"{HEADER},Shoe\n" + "".join(f"{line},44\n" for line in lines))
    result = AuDfatParser().parse(path)
    entities = {e.entity.id: e.entity for e in result.entities}
    assert set(entities) == {"au-dfat-1", "au-dfat-1-sanction"}
    assert entities["au-dfat-1"].get("alias") == ["JOHNNY DOE"]
    assert entities["au-dfat-1"].get("birthDate") == ["1979-04-07", "1980"]
    assert any("'Shoe'" in w for w in result.meta.warnings)


def test_xlsx_written_by_openpyxl_with_datetimes(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(KNOWN))
    sheet.append(
        [
            7,
            "ACME LLC",
            "Entity",
            "Primary Name",
            None,
            None,
            "Iran",
            "Tehran",
            None,
            None,
            "Iran",
            datetime(2024, 11, 11),
        ]
    )
    sheet.append(
        [
            "7a",
            "ACME CO",
            "Entity ",
            "aka ",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            datetime(2024, 11, 11),
        ]
    )
    book.save(tmp_path / "list.xlsx")
    path = tmp_path / "list.xlsx"
    assert AuDfatParser.sniff(path, read_head(path))
    entities = {e.entity.id: e.entity for e in AuDfatParser().parse(path).entities}
    assert entities["au-dfat-7"].schema.name == "Organization"
    assert entities["au-dfat-7"].get("alias") == ["ACME CO"]
    assert entities["au-dfat-7"].get("country") == ["ir"]
    assert entities["au-dfat-7-sanction"].get("modifiedAt") == ["2024-11-11"]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("", "empty"),
        (HEADER + "\n", "no records"),
        (HEADER.replace("Name Type,", "") + "\n" + ROWS, "field Name Type"),
        (HEADER + "\n" + ROWS + '2,"JANE', "line 4: bad CSV"),
        (HEADER + "\n" + ROWS + ROWS.splitlines()[1] + "\n", "line 4: duplicate reference 1a"),
        (HEADER + "\n" + ROWS + "x1,JANE,Individual,aka\n", "line 4: bad reference"),
        (HEADER + "\n" + ROWS.splitlines()[0] + ",extra,cells\n", "line 2: 14 cells"),
    ],
    ids=["empty", "header-only", "missing-column", "truncated", "dup-ref", "bad-ref", "long-row"],
)
def test_bad_input(tmp_path: Path, content: str, match: str) -> None:
    refused(AuDfatParser(), write(tmp_path, content), match)


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, (HEADER + "\n" + ROWS.replace("JOHNNY", "JÖHNNY")).encode("latin-1"))
    with pytest.raises(ListFormatError, match="line 3: not valid utf-8"):
        AuDfatParser().parse(path)


def test_truncated_xlsx_is_refused(lists_dir: Path, tmp_path: Path) -> None:
    data = (lists_dir / XLSX).read_bytes()
    path = write(tmp_path, data[: len(data) // 2], "cut.xlsx")
    assert not AuDfatParser.sniff(path, read_head(path))
    refused(AuDfatParser(), path, r"cut\.xlsx")


def test_another_format_is_refused(lists_dir: Path) -> None:
    with pytest.raises(ListFormatError, match="missing column"):
        AuDfatParser().parse(lists_dir / "us_csl/2016-02_opendatalabcz/csl_partial.csv")
    with pytest.raises(ListFormatError, match="missing column"):
        AuDfatParser().parse(
            lists_dir / "au_dfat_derived/2025-05_kebalkhadka/aus_Australia_parsed.csv"
        )


def test_other_zip_is_not_claimed(tmp_path: Path) -> None:
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "Name of Individual or Entity Name Type Control Date")
    assert not AuDfatParser.sniff(path, read_head(path))


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        (XLSX, True),
        (CSV, True),
        ("au_dfat_derived/2025-05_kebalkhadka/aus_Australia_parsed.csv", False),
        ("uk_fcdo/2025-08-11_JachymSRB/FCDO_SL_Mon_Aug_11_2025.ods", False),
        ("ofac_cons/2025-02_watchman/CONS_ENHANCED.ZIP", False),
        ("us_csl/2016-02_opendatalabcz/csl_partial.csv", False),
    ],
)
def test_sniff(lists_dir: Path, relpath: str, expected: bool) -> None:
    path = lists_dir / relpath
    assert AuDfatParser.sniff(path, read_head(path)) is expected


def test_csv_header_is_the_sheet_header(lists_dir: Path) -> None:
    with (lists_dir / CSV).open(newline="", encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == KNOWN
