"""BIS Denied Persons List: hashed ids, merged repeat rows, US dates, bad input."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.errors import ListFormatError
from clearance.sources.base import read_head
from clearance.sources.bis_dpl import ADDRESS, BisDplParser, party_id
from tests.sources import badinput
from tests.sources.badinput import refused

HEADER = (
    '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t"Effective_Date"\t'
    '"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t"FR_Citation"'
)
ROW = (
    '"JOHN DOE"\t"1 MAIN ST"\t"EL PASO"\t"TX"\t"US"\t"79905"\t"08/24/2022"\t"01/14/2026"\t"Y"\t'
    '"2022-08-29"\t"F.R. NOTICE ADDED"\t"87 F.R. 52741 8/29/2022"'
)


def raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.parametrize("version", ["2022-09_watchman", "2023-11_watchman"])
def test_real_files_count_one_party_per_name_and_address(lists_dir: Path, version: str) -> None:
    path = lists_dir / "us_bis_dpl" / version / "dpl.txt"
    rows = raw_rows(path)
    parties = {tuple(" ".join(r[c].split()).upper() for c in ("Name", *ADDRESS)) for r in rows}
    result = BisDplParser().parse(path)
    counts = Counter(e.entity.schema.name for e in result.entities)
    assert counts == {"LegalEntity": len(parties), "Sanction": len(parties)}
    assert len(rows) - len(parties) == 2  # DAQING ZHOU and NEI-CHIEN CHU appear twice
    assert any("2 row(s) repeat" in w for w in result.meta.warnings)


def test_2023_count_and_spot_check(lists_dir: Path) -> None:
    path = lists_dir / "us_bis_dpl/2023-11_watchman/dpl.txt"
    assert len(raw_rows(path)) == 665
    entities = {e.entity.id: e.entity for e in BisDplParser().parse(path).entities}
    # raw line 3: "AARON ABRAHAM VILLA" "3415 RIVERA AVENUE" "EL PASO" "TX" "" "79905"
    #             "08/24/2022" "01/14/2026" "Y" "2022-08-29" "F.R. NOTICE ADDED" "87 F.R. 52741 ..."
    villa = next(
        e for e in entities.values()
        if e.schema.name == "LegalEntity" and e.get("name") == ["AARON ABRAHAM VILLA"]
    )  # fmt: skip
    assert villa.get("address") == ["3415 RIVERA AVENUE, EL PASO, TX, 79905"]
    assert villa.get("topics") == ["export.control"]
    sanction = entities[f"{villa.id}-sanction"]
    assert sanction.get("startDate") == ["2022-08-24"]  # month first
    assert sanction.get("endDate") == ["2026-01-14"]
    assert sanction.get("modifiedAt") == ["2022-08-29"]
    assert sanction.get("program") == ["DPL"]


def test_ids_are_stable_across_versions(lists_dir: Path) -> None:
    old = {
        e.entity.id
        for e in BisDplParser().parse(lists_dir / "us_bis_dpl/2022-09_watchman/dpl.txt").entities
    }
    new = {
        e.entity.id
        for e in BisDplParser().parse(lists_dir / "us_bis_dpl/2023-11_watchman/dpl.txt").entities
    }
    assert len(old & new) > 400  # most parties are in both versions under the same id


@given(st.text(min_size=1), st.text())
def test_party_id_ignores_spacing_and_case(name: str, street: str) -> None:
    row = {"Name": name, "Street_Address": street, "City": "", "State": "", "Country": "",
           "Postal_Code": ""}  # fmt: skip
    loose = dict(row, Name=f"  {name.upper()} ", Street_Address=street.upper().replace(" ", "  "))
    assert party_id(row) == party_id(loose)
    assert party_id(row).startswith("us-bis-dpl-")


def write(tmp_path: Path, text: str | bytes, name: str = "dpl.txt") -> Path:
    return badinput.write(tmp_path, text, name)


def test_repeated_rows_merge_and_extra_column_warns(tmp_path: Path) -> None:
    path = write(tmp_path, f'{HEADER}\t"Extra"\n{ROW}\t"x"\n{ROW}\t"x"\n')
    result = BisDplParser().parse(path)
    assert len(list(result.entities)) == 2
    assert any("line 3: same name and address as line 2" in w for w in result.meta.warnings)
    assert any("'Extra'" in w for w in result.meta.warnings)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("", "empty"),
        (HEADER + "\n", "no records"),
        (HEADER.replace('\t"City"', "") + "\n" + ROW + "\n", "field City"),
        (HEADER + "\n" + ROW + '\n"JANE\t"1 ROAD', "line 3"),
        (HEADER + "\n" + ROW + '\n"JANE"\t"1 ROAD"\n', r"line 3: 2 fields"),
    ],
    ids=["empty", "header-only", "missing-column", "truncated", "short-row"],
)
def test_bad_input(tmp_path: Path, content: str, match: str) -> None:
    refused(BisDplParser(), write(tmp_path, content), match)


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, (HEADER + "\n" + ROW.replace("DOE", "DOÉ") + "\n").encode("cp1252"))
    with pytest.raises(ListFormatError, match="line 2: not valid utf-8"):
        BisDplParser().parse(path)


def test_another_format_is_refused(lists_dir: Path) -> None:
    csl = lists_dir / "us_csl/2016-02_opendatalabcz/csl_partial.csv"
    with pytest.raises(ListFormatError, match="missing column"):
        BisDplParser().parse(csl)


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("us_bis_dpl/2022-09_watchman/dpl.txt", True),
        ("us_bis_dpl/2023-11_watchman/dpl.txt", True),
        ("us_csl/2022-05_watchman/consolidated.csv.gz", False),
        ("ofac_sdn/2024-05-03_jackdwyer/sdn.csv", False),
        ("uk_hmt_ofsi/2018-04-13_photoangell/sanctionsconlist.csv", False),
    ],
)
def test_sniff(lists_dir: Path, relpath: str, expected: bool) -> None:
    path = lists_dir / relpath
    assert BisDplParser.sniff(path, read_head(path)) is expected
