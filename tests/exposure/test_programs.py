"""Tests for clearance.exposure.programs: the program catalogue."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from clearance.exposure.programs import (
    MEASURE_TYPES,
    ProgramInfo,
    UnknownProgram,
    catalogue,
    load_catalogue,
    resolve_program,
)
from tests.exposure.conftest import CONS_2025, SDN_2024, parse_entities

# the newest file of every list format whose parser emits Sanction.program
NEWEST: list[object] = [
    CONS_2025,
    "un_sc/2026-05-08_TuaMaley/un_sanctions.xml",
    "eu_fsf_derived/2026-08-22_tnrtnch/eu_fsf_sanctions.json",
    "eu_fsf_legacy/2016-02-11_opendatalabcz/eu_fsf_v1_partial.xml",
    "uk_fcdo/2025-08-11_JachymSRB/FCDO_SL_Mon_Aug_11_2025.ods",
    pytest.param("us_csl/2022-05_watchman/consolidated.csv.gz", marks=pytest.mark.slow),
    "us_bis_dpl/2023-11_watchman/dpl.txt",
    "canada_sema/2025-05_kebalkhadka/sema-lmes.xml",
    pytest.param("au_dfat/2024-12_Stanux/regulation8_consolidated.xlsx", marks=pytest.mark.slow),
    "uk_hmt_ofsi/2018-04-13_photoangell/sanctionsconlist.csv",
]


def _unresolved(entities: list[EntityProxy]) -> set[tuple[str, str]]:
    bad = set()
    for entity in entities:
        if entity.schema.name != "Sanction":
            continue
        authority = entity.first("authority")
        for code in entity.get("program"):
            if not isinstance(resolve_program(code, authority), ProgramInfo):
                bad.add((authority or "", code))
    return bad


@pytest.mark.parametrize("name", NEWEST)
def test_every_program_of_the_newest_files_resolves(lists_dir: Path, name: str) -> None:
    entities = parse_entities(lists_dir / name)
    assert any(e.schema.name == "Sanction" and e.get("program") for e in entities)
    assert _unresolved(entities) == set()


@pytest.mark.slow
def test_every_program_of_the_sdn_list_resolves(
    lists_dir: Path, sdn_2024: list[EntityProxy]
) -> None:
    assert _unresolved(sdn_2024) == set()
    older = parse_entities(lists_dir / "ofac_sdn/2023-12-28_jackdwyer+watchman/sdn.csv")
    assert _unresolved(older) == set()


def test_raw_sdn_program_column_resolves_without_the_parser(lists_dir: Path) -> None:
    """Independent of the parser: split the raw program column of sdn.csv on "] ["."""
    text = (lists_dir / SDN_2024).read_text("utf-8", errors="replace")
    codes: set[str] = set()
    for m in re.finditer(r'^\d+,"[^"]*",[^,]*,"([^"]+)"', text, re.MULTILINE):
        codes.update(c.strip() for c in m.group(1).split("] ["))
    assert {"SDGT", "CAATSA - RUSSIA", "RUSSIA-EO14024", "UKRAINE-EO13662"} <= codes
    assert len(codes) > 60
    missing = {c for c in codes if not isinstance(resolve_program(c, "OFAC"), ProgramInfo)}
    assert missing == set()


def test_raw_un_list_types_resolve_without_the_parser(lists_dir: Path) -> None:
    for path in sorted((lists_dir / "un_sc").glob("*/*.xml")):
        types = set(re.findall(r"<UN_LIST_TYPE>([^<]+)<", path.read_bytes().decode("latin-1")))
        assert types, path
        for code in types:
            assert isinstance(resolve_program(code, "UNSC"), ProgramInfo), (path, code)


@pytest.mark.parametrize(
    ("code", "authority", "measure", "basis"),
    [
        ("SDGT", "Office of Foreign Assets Control", "blocking", "13224"),
        ("CAATSA - RUSSIA", "OFAC", "blocking", "CAATSA"),
        ("SSI", "OFAC", "sectoral", "13662"),
        ("NS-MBS", None, "menu", "CAATSA"),
        ("EL", "Bureau of Industry and Security", "export_control", "744"),
        ("DTC", "US Department of State", "debarment", "Arms Export Control Act"),
        ("CMIC-EO13959", None, "other", "13959"),
        ("Al-Qaida", "United Nations Security Council", "blocking", "1267"),
        ("UKR", "European Union", "blocking", "269/2014"),
        ("Russia", "Foreign, Commonwealth and Development Office", "blocking", "Russia"),
        ("Global Human Rights", "FCDO", "blocking", "2020"),
    ],
)
def test_known_programs(code: str, authority: str | None, measure: str, basis: str) -> None:
    info = resolve_program(code, authority)
    assert isinstance(info, ProgramInfo)
    assert info.measure == measure
    assert basis in info.legal_basis


def test_unknown_codes_are_reported_with_the_raw_code() -> None:
    info = resolve_program(" NEW-PROGRAM-EO99999 ", "OFAC")
    assert isinstance(info, UnknownProgram)
    assert info.code == "NEW-PROGRAM-EO99999"
    assert "OFAC" in (info.authority or "")
    unknown_authority = resolve_program("SDGT", "Ministry of Nowhere")
    assert isinstance(unknown_authority, UnknownProgram)
    assert "authority" in unknown_authority.reason


def test_shared_codes_need_an_authority() -> None:
    ambiguous = resolve_program("CAR")
    assert isinstance(ambiguous, UnknownProgram)
    assert set(ambiguous.candidates) == {
        "Office of Foreign Assets Control",
        "United Nations Security Council",
    }
    un = resolve_program("CAR", "UNSC")
    assert isinstance(un, ProgramInfo) and un.jurisdiction == "UN"
    # EU "SDN" is Sudan, not the OFAC list
    eu = resolve_program("SDN", "European Union")
    assert isinstance(eu, ProgramInfo) and "Sudan" in eu.title and not eu.is_list
    ofac = resolve_program("SDN", "OFAC")
    assert isinstance(ofac, ProgramInfo) and ofac.is_list


def test_lookup_forgives_case_and_dash_variants() -> None:
    a = resolve_program("Autonomous (Thematic - Corruption)", "DFAT")
    b = resolve_program("autonomous (thematic – corruption)", "dfat")
    assert isinstance(a, ProgramInfo) and a is b


def test_catalogue_is_well_formed() -> None:
    cat = catalogue()
    assert len(cat.programs) > 200
    assert {p.measure for p in cat.programs} <= set(MEASURE_TYPES)
    assert all(p.title and p.legal_basis for p in cat.programs)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("authorities: {}\nprograms:\n  - {authority: x, code: A}\n", "unknown authority"),
        (
            "authorities: {a: {name: A, jurisdiction: US}}\n"
            "programs:\n  - {authority: a, code: A, measure: frozen, title: t, legal_basis: b}\n",
            "measure must be",
        ),
        (
            "authorities: {a: {name: A, jurisdiction: US}}\n"
            "programs:\n  - {authority: a, code: A, measure: other, title: t}\n",
            "missing legal_basis",
        ),
        (
            "authorities: {a: {name: A, jurisdiction: US}}\nprograms:\n"
            "  - {authority: a, code: A, measure: other, title: t, legal_basis: b}\n"
            "  - {authority: a, code: A, measure: other, title: t, legal_basis: b}\n",
            "duplicate",
        ),
    ],
)
def test_bad_catalogue_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_catalogue(text)
