"""US Consolidated Screening List CSV: real files, merged multi-list rows, the ``ids`` column."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.sources.base import read_head
from clearance.sources.us_csl import UsCslCsvParser, list_code
from tests.sources import badinput
from tests.sources.badinput import refused

HEADER = (
    "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,"
    "gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,"
    "alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
)
EL = "Entity List (EL) - Bureau of Industry and Security"
ROW = (
    f'abc123,{EL},,,,"ACME, Ltd.",,"1 Road, Dubai, AE",85 FR 1,2020-12-23,'
    ",,,,,,,,,,,,ACME;AC ME,,,,,,"
)


def csl2022(lists_dir: Path) -> Path:
    return lists_dir / "us_csl/2022-05_watchman/consolidated.csv.gz"


@pytest.fixture(scope="module")
def parsed_2022(lists_dir: Path) -> tuple[dict[str, EntityProxy], list[str]]:
    result = UsCslCsvParser().parse(csl2022(lists_dir))
    return {str(e.entity.id): e.entity for e in result.entities}, result.meta.warnings


@pytest.fixture(scope="module")
def raw_2022(lists_dir: Path) -> list[dict[str, str]]:
    with gzip.open(csl2022(lists_dir), "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_schema(entities: dict[str, EntityProxy]) -> Counter[str]:
    return Counter(e.schema.name for e in entities.values())


def test_counts_match_an_independent_read(
    parsed_2022: tuple[dict[str, EntityProxy], list[str]], raw_2022: list[dict[str, str]]
) -> None:
    entities, warnings = parsed_2022
    assert len(raw_2022) == 14160
    ids = {r["_id"] for r in raw_2022}
    listings = {(r["_id"], r["source"]) for r in raw_2022}
    counts = by_schema(entities)
    parties = sum(
        counts[k] for k in ("Person", "Organization", "LegalEntity", "Vessel", "Airplane")
    )
    assert parties == len(ids)
    assert counts["Sanction"] == len(listings)
    persons = {r["_id"] for r in raw_2022 if r["type"] == "Individual"}
    assert counts["Person"] == len(persons)
    # one row repeats the same id on the same list (15268 on CAP): merged, and said so
    assert any("15268" in w and "CAP" in w for w in warnings)


def test_spot_checks_read_by_eye(parsed_2022: tuple[dict[str, EntityProxy], list[str]]) -> None:
    entities, _ = parsed_2022
    # raw: 9935,...,"'ABD AL-RAZZIQ, Abu Sufian ...",...
    #      1962-08-06,CA; SD,...,"CA, BC166787, Passport"
    razziq = entities["trade-csl-9935"]
    assert razziq.schema.name == "Person"
    assert "BC166787" in razziq.get("passportNumber")
    assert set(razziq.get("nationality")) == {"ca", "sd"}
    assert razziq.get("birthDate") == ["1962-08-06"]
    assert "ABU SUFIAN" in razziq.get("alias")
    passport = next(
        e for e in entities.values()
        if e.schema.name == "Identification" and e.get("holder") == ["trade-csl-9935"]
    )  # fmt: skip
    assert passport.get("number") == ["BC166787"] and passport.get("country") == ["ca"]
    # 18741 is on SDN and SSI: one entity, two sanctions
    auction = entities["trade-csl-18741"]
    assert auction.get("topics") == ["sanction"]
    assert "1027700256297" in auction.get("registrationNumber")
    ssi = entities["trade-csl-18741-sanction-ssi"]
    assert ssi.get("authority") == ["Office of Foreign Assets Control"]
    assert {"SSI", "UKRAINE-EO13662", "RUSSIA-EO14024"} <= set(ssi.get("program"))
    assert "trade-csl-18741-sanction-sdn" in entities
    # first row: the DPL entry " I. ASH", an export-control listing
    ash = entities["trade-csl-deb7a1d5743a85c354ca1a2c7f2664e2104b32d7"]
    assert ash.get("topics") == ["export.control"] and ash.get("name") == ["I. ASH"]
    dpl = entities["trade-csl-deb7a1d5743a85c354ca1a2c7f2664e2104b32d7-sanction-dpl"]
    assert dpl.get("authority") == ["Bureau of Industry and Security"]
    assert dpl.get("endDate") == ["2056-06-29"] and dpl.get("program") == ["DPL"]


def test_linked_to_becomes_a_link(parsed_2022: tuple[dict[str, EntityProxy], list[str]]) -> None:
    entities, _ = parsed_2022
    # raw 26860 remarks "(Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE)";
    # raw 10465 is named "ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"
    link = entities["trade-csl-26860-link-1"]
    assert link.schema.name == "UnknownLink"
    assert link.get("subject") == ["trade-csl-26860"]
    assert link.get("object") == ["trade-csl-10465"]
    links = [e for e in entities.values() if e.schema.name == "UnknownLink"]
    assert all(e.get("object")[0] in entities for e in links)


def test_truncated_2023_fixture_is_refused_and_its_intact_part_loads(
    lists_dir: Path, tmp_path: Path
) -> None:
    path = lists_dir / "us_csl/2023-11_watchman/csl.csv"
    refused(UsCslCsvParser(), path, r"line 4233: bad CSV")
    lines = path.read_bytes().splitlines(keepends=True)
    intact = tmp_path / "csl.csv"
    intact.write_bytes(b"".join(lines[:-1]))  # the last record is cut mid-field
    with intact.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["_id"] != "_id"]
    result = UsCslCsvParser().parse(intact)
    counts = by_schema({str(e.entity.id): e.entity for e in result.entities})
    assert counts["Sanction"] == len({(r["_id"], r["source"]) for r in rows})
    assert any("header row repeated" in w for w in result.meta.warnings)


def test_2016_layout_without_ids(lists_dir: Path) -> None:
    path = lists_dir / "us_csl/2016-02_opendatalabcz/csl_partial.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = [str(e.entity.id) for e in UsCslCsvParser().parse(path).entities]
    again = [str(e.entity.id) for e in UsCslCsvParser().parse(path).entities]
    assert first == again  # hashed ids are stable
    suffixes = tuple(f"-sanction-{code.lower()}" for code in {r["source"] for r in rows})
    assert sum(1 for i in first if i.endswith(suffixes)) == len(rows)
    assert "trade-csl-12454" in first  # SDN row with entity_number 12454 (CONGO FUTUR)


def test_list_codes() -> None:
    assert list_code(EL) == "EL"
    assert list_code("Military End User (MEU) List - Bureau of Industry and Security") == "MEU"
    assert list_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department") == (
        "NS-MBS"
    )
    assert list_code("DPL") == "DPL"


def write(tmp_path: Path, text: str | bytes, name: str = "csl.csv") -> Path:
    return badinput.write(tmp_path, text, name)


def test_small_file_and_extra_column_warns(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER},shoe_size\n{ROW},44\n")
    result = UsCslCsvParser().parse(path)
    entities = {e.entity.id: e.entity for e in result.entities}
    assert entities["trade-csl-abc123"].get("alias") == ["ACME", "AC ME"]
    assert entities["trade-csl-abc123"].schema.name == "LegalEntity"
    assert any("shoe_size" in w for w in result.meta.warnings)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("", "empty"),
        (HEADER + "\n", "no records"),
        (HEADER.replace(",alt_names", "") + "\n" + ROW + "\n", "field alt_names"),
        (HEADER + "\n" + ROW + ',"unterminated\n', "line 2"),
        (HEADER + "\n" + ROW + "\nabc,def\n", r"line 3: 2 fields"),
        (HEADER + "\n" + ROW.replace('"ACME, Ltd."', '""') + "\n", "line 2: empty name"),
    ],
    ids=["empty", "header-only", "missing-column", "truncated", "short-row", "no-name"],
)
def test_bad_input(tmp_path: Path, content: str, match: str) -> None:
    refused(UsCslCsvParser(), write(tmp_path, content), match)


def test_wrong_encoding_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, (HEADER + "\n" + ROW.replace("ACME", "ACMÉ") + "\n").encode("latin-1"))
    with pytest.raises(ListFormatError, match="line 2: not valid utf-8"):
        UsCslCsvParser().parse(path)


def test_another_format_is_refused(lists_dir: Path) -> None:
    dpl = lists_dir / "us_bis_dpl/2023-11_watchman/dpl.txt"
    assert not UsCslCsvParser.sniff(dpl, read_head(dpl))
    with pytest.raises(ListFormatError, match=r"dpl.txt, line 1|missing column"):
        UsCslCsvParser().parse(dpl)


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("us_csl/2022-05_watchman/consolidated.csv.gz", True),
        ("us_csl/2023-11_watchman/csl.csv", True),
        ("us_csl/2016-02_opendatalabcz/csl_partial.csv", True),
        ("us_bis_dpl/2023-11_watchman/dpl.txt", False),
        ("ofac_sdn/2024-05-03_jackdwyer/sdn.csv", False),
        ("uk_hmt_ofsi/2018-04-13_photoangell/sanctionsconlist.csv", False),
        ("au_dfat/2024-12_Stanux/regulation8_consolidated.converted.csv", False),
    ],
)
def test_sniff(lists_dir: Path, relpath: str, expected: bool) -> None:
    path = lists_dir / relpath
    assert UsCslCsvParser.sniff(path, read_head(path)) is expected
