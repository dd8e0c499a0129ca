"""The OFAC remarks parser: case table from real remarks, coverage on the real files, properties."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.sources.ofac_facts import Alias, DateFact, Directive, IdDoc, LabelledValue, Measure
from clearance.sources.ofac_remarks import (
    join_overflow,
    linked_names,
    parse_remarks,
    split_items,
    unquote,
)

# (item as published in the SDN files, attribute of Remarks, expected first value)
CASES: list[tuple[str, str, object]] = [
    ("DOB 10 Dec 1948", "birth_dates", DateFact("10 Dec 1948", ("1948-12-10",))),
    ("DOB circa 1951", "birth_dates", DateFact("circa 1951", ("1951",), circa=True)),
    (
        "DOB 01 Feb 1958 to 28 Feb 1958",
        "birth_dates",
        DateFact("01 Feb 1958 to 28 Feb 1958", ("1958-02",)),
    ),
    ("DOB Mar 1945", "birth_dates", DateFact("Mar 1945", ("1945-03",))),
    (
        "DOB circa 1979-1982",
        "birth_dates",
        DateFact("circa 1979-1982", ("1979", "1980", "1981", "1982"), circa=True),
    ),
    ("alt. DOB 1936", "birth_dates", DateFact("1936", ("1936",))),
    ("POB Culiacan, Sinaloa, Mexico", "birth_places", "Culiacan, Sinaloa, Mexico"),
    ("nationality Korea, North", "nationalities", "Korea, North"),
    ("citizen Venezuela", "citizenships", "Venezuela"),
    ("Gender Female", "genders", "Female"),
    ("Alternate Title, Editor-In-Chief of ISeCure", "titles", "Editor-In-Chief of ISeCure"),
    (
        "Passport A10472263 (Malaysia)",
        "id_docs",
        IdDoc("Passport", "A10472263", "passport", "Malaysia"),
    ),
    (
        "Passport C284181 (Saudi Arabia) issued 12 Aug 2000 expires 19 Jun 2005",
        "id_docs",
        IdDoc("Passport", "C284181", "passport", "Saudi Arabia", "2000-08-12", "2005-06-19"),
    ),
    (
        "Passport G025057 issued 23 Jun 1999 expires 05 Feb 2004",
        "id_docs",
        IdDoc("Passport", "G025057", "passport", None, "1999-06-23", "2004-02-05"),
    ),
    (
        "National ID No. 110108198810056013 (China)",
        "id_docs",
        IdDoc("National ID No.", "110108198810056013", "national_id", "China"),
    ),
    (
        "Cedula No. 6068015 (Colombia)",
        "id_docs",
        IdDoc("Cedula No.", "6068015", "national_id", "Colombia"),
    ),
    ("NIT # 800018928-0 (Colombia)", "id_docs", IdDoc("NIT #", "800018928-0", "tax", "Colombia")),
    ("R.F.C. ZAUE470801DK6 (Mexico)", "id_docs", IdDoc("R.F.C.", "ZAUE470801DK6", "tax", "Mexico")),
    (
        "C.U.R.P. MUMO680401HSLRRS05 (Mexico)",
        "id_docs",
        IdDoc("C.U.R.P.", "MUMO680401HSLRRS05", "national_id", "Mexico"),
    ),
    (
        "Tax ID No. 7744001497 (Russia)",
        "id_docs",
        IdDoc("Tax ID No.", "7744001497", "tax", "Russia"),
    ),
    (
        "Registration Number HRA 734821 (Stuttgart) (Germany)",
        "id_docs",
        IdDoc("Registration Number", "HRA 734821", "registration", "Germany", extra="Stuttgart"),
    ),
    (
        "Registration ID 1027739555282 (Russia)",
        "id_docs",
        IdDoc("Registration ID", "1027739555282", "registration", "Russia"),
    ),
    (
        "Business Registration Number 14850239 (Estonia) issued 18 Nov 2019",
        "id_docs",
        IdDoc("Business Registration Number", "14850239", "registration", "Estonia", "2019-11-18"),
    ),
    (
        "Company Number 07486049 (Czech Republic)",
        "id_docs",
        IdDoc("Company Number", "07486049", "registration", "Czech Republic"),
    ),
    (
        "Legal Entity Number 253400WSS48YWMBUA688",
        "id_docs",
        IdDoc("Legal Entity Number", "253400WSS48YWMBUA688", "lei"),
    ),
    (
        "Government Gazette Number 42045241 (Russia)",
        "id_docs",
        IdDoc("Government Gazette Number", "42045241", "registration", "Russia"),
    ),
    (
        "Identification Number 210302198701102136 (China)",
        "id_docs",
        IdDoc("Identification Number", "210302198701102136", "national_id", "China"),
    ),
    (
        "Kenyan ID No. 23446085 (Kenya)",
        "id_docs",
        IdDoc("Kenyan ID No.", "23446085", "national_id", "Kenya"),
    ),
    (
        "Vessel Registration Identification IMO 7406784",
        "id_docs",
        IdDoc("Vessel Registration Identification IMO", "7406784", "imo"),
    ),
    ("Company Number IMO 5055293", "id_docs", IdDoc("Company Number IMO", "5055293", "imo")),
    ("MMSI 572469210", "id_docs", IdDoc("MMSI", "572469210", "mmsi")),
    ("SWIFT/BIC SABRRUMM", "id_docs", IdDoc("SWIFT/BIC", "SABRRUMM", "swift")),
    ("ISIN HK0883013259", "id_docs", IdDoc("ISIN", "HK0883013259", "isin")),
    ("Other Vessel Call Sign UBMQ9", "features", LabelledValue("Vessel Call Sign", "UBMQ9")),
    ("Other Vessel Type General Cargo", "features", LabelledValue("Vessel Type", "General Cargo")),
    ("Former Vessel Flag Malta", "features", LabelledValue("Former Vessel Flag", "Malta")),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N) 8401",
        "features",
        LabelledValue("Aircraft Construction Number", "8401"),
    ),
    (
        "Aircraft Manufacturer's Serial Number (MSN) 1023409321",
        "features",
        LabelledValue("Aircraft Manufacturer's Serial Number (MSN)", "1023409321"),
    ),
    ("Aircraft Model IL-76TD", "features", LabelledValue("Aircraft Model", "IL-76TD")),
    ("Aircraft Operator MAHAN AIR", "features", LabelledValue("Aircraft Operator", "MAHAN AIR")),
    (
        "Aircraft Tail Number RA-76842",
        "features",
        LabelledValue("Aircraft Tail Number", "RA-76842"),
    ),
    (
        "Previous Aircraft Tail Number 2-WGLP",
        "features",
        LabelledValue("Previous Aircraft Tail Number", "2-WGLP"),
    ),
    (
        "Nationality of Registration Russia",
        "features",
        LabelledValue("Nationality of Registration", "Russia"),
    ),
    (
        "Organization Established Date 25 Sep 2018",
        "features",
        LabelledValue("Organization Established Date", "25 Sep 2018"),
    ),
    (
        "Organization Type: Activities of holding companies",
        "features",
        LabelledValue("Organization Type", "Activities of holding companies"),
    ),
    (
        "Target Type Financial Institution",
        "features",
        LabelledValue("Target Type", "Financial Institution"),
    ),
    ("alt. Equity Ticker CHA RU", "features", LabelledValue("Equity Ticker", "CHA RU")),
    ("Website www.sberbank.ru", "websites", "www.sberbank.ru"),
    ("Email Address office@rshb.ru", "emails", "office@rshb.ru"),
    ("Phone Number 79315403678", "phones", "79315403678"),
    ("Telephone (98)(21)(66153220)", "phones", "(98)(21)(66153220)"),
    (
        "alt. Digital Currency Address - ETH 0x7Db418b5D567A4e0E8c59Ad71BE1FcE48f3E6107",
        "crypto",
        LabelledValue("ETH", "0x7Db418b5D567A4e0E8c59Ad71BE1FcE48f3E6107"),
    ),
    ("a.k.a. 'BNC'", "aliases", Alias("BNC", "a.k.a.", weak=True)),
    ("f.k.a. 'SOFTLINE'", "aliases", Alias("SOFTLINE", "f.k.a.", weak=True)),
    # quotes of the name itself stay (cons_prim.csv 2018-05 ent 22396; sdn.csv ent 6368)
    ("a.k.a. 'JSC 'SMN''", "aliases", Alias("JSC 'SMN'", "a.k.a.", weak=True)),
    ("a.k.a. ''ABD-AL-'IZ'", "aliases", Alias("'ABD-AL-'IZ", "a.k.a.", weak=True)),
    ("a.k.a. NATIONAL BANK OF CUBA", "aliases", Alias("NATIONAL BANK OF CUBA", "a.k.a.", False)),
    ("Linked To: PRIGOZHIN, Yevgeniy Viktorovich", "linked_to", "PRIGOZHIN, Yevgeniy Viktorovich"),
    (
        "CAATSA Section 235 Information: EXPORT SANCTIONS Sec. 235(a)(2)",
        "measures",
        Measure("CAATSA Section 235", "EXPORT SANCTIONS", "Sec. 235(a)(2)"),
    ),
    (
        "alt. CAATSA Section 235 Information: FOREIGN EXCHANGE. Sec 235(a)(7)",
        "measures",
        Measure("CAATSA Section 235", "FOREIGN EXCHANGE", "Sec. 235(a)(7)"),
    ),
    (
        "Executive Order 13846 information: FOREIGN EXCHANGE.  Sec. 5(a)(ii)",
        "measures",
        Measure("Executive Order 13846", "FOREIGN EXCHANGE", "Sec. 5(a)(ii)"),
    ),
    (
        "Executive Order 13662 Directive Determination - Subject to Directive 4",
        "directives",
        Directive("13662", "4"),
    ),
    (
        "Listing Date (EO 14024 Directive 3): 24 Feb 2022",
        "sanction_dates",
        LabelledValue("Listing Date (EO 14024 Directive 3)", "2022-02-24"),
    ),
    (
        "Effective Date (EO 14024 Directive 3): 26 Mar 2022",
        "sanction_dates",
        LabelledValue("Effective Date (EO 14024 Directive 3)", "2022-03-26"),
    ),
    (
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
        "statements",
        LabelledValue(
            "Secondary sanctions risk",
            "North Korea Sanctions Regulations, sections 510.201 and 510.210",
        ),
    ),
    (
        "Additional Sanctions Information - Subject to Secondary Sanctions",
        "statements",
        LabelledValue("Additional Sanctions Information", "Subject to Secondary Sanctions"),
    ),
    (
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: "
        "North Korea Sanctions Regulations section 510.214",
        "statements",
        LabelledValue(
            "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
            "Institutions",
            "North Korea Sanctions Regulations section 510.214",
        ),
    ),
]


@pytest.mark.parametrize(("item", "attr", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_item(item: str, attr: str, expected: object) -> None:
    remarks = parse_remarks(item + ".")
    assert remarks.items == 1
    assert remarks.notes == []
    assert getattr(remarks, attr) == [expected]


def test_unknown_item_is_kept_verbatim() -> None:
    remarks = parse_remarks("DOB 1958; ICTY indictee at large; Gender Male.")
    assert remarks.items == 3
    assert remarks.recognised == 2
    assert remarks.notes == ["ICTY indictee at large"]


def test_title_column_items_are_titles() -> None:
    text = "DOB circa 1956; Brigadier General; Major General."
    remarks = parse_remarks(text, "Brigadier General; Major General")
    assert remarks.titles == ["Brigadier General", "Major General"]
    assert remarks.notes == []


def test_several_caatsa_measures_are_kept() -> None:
    # ent_num 24837, EQUIPMENT DEVELOPMENT DEPARTMENT (sdn.csv 2024-05-03), copied by eye
    text = (
        "CAATSA Section 235 Information: EXPORT SANCTIONS Sec. 235(a)(2); alt. CAATSA Section 235 "
        "Information: FOREIGN EXCHANGE. Sec 235(a)(7); alt. CAATSA Section 235 Information: BANKING"
        " TRANSACTIONS. Sec 235(a)(8); alt. CAATSA Section 235 Information: SANCTIONS ON PRINCIPAL "
        "EXECUTIVE OFFICERS. Sec 235(a)(12); alt. CAATSA Section 235 Information: BLOCKING PROPERTY"
        " AND INTERESTS IN PROPERTY. Sec 235(a)(9)."
    )
    sections = [m.section for m in parse_remarks(text).measures]
    assert sections == [f"Sec. 235(a)({n})" for n in (2, 7, 8, 12, 9)]


def test_overflow_is_joined_character_for_character() -> None:
    # cons_prim.csv 2025-12, ent_num 17014: the field stops at 1,000 characters mid-word
    joined = join_overflow(
        "Tax ID No. 7702235133 (Russia); Registration Numbe", "r 1027700342890 (Russia)."
    )
    docs = parse_remarks(joined).id_docs
    assert [d.number for d in docs] == ["7702235133", "1027700342890"]
    assert join_overflow("-0- ", None) == ""


# --- real files ---------------------------------------------------------------------------------

MAIN_FILES = [
    "ofac_sdn/2019-01_watchman/sdn.csv",
    "ofac_sdn/2021-07_watchman/sdn.csv",
    "ofac_sdn/2023-12-28_jackdwyer+watchman/sdn.csv",
    "ofac_sdn/2024-05-03_jackdwyer/sdn.csv",
    "ofac_sdn/pip_format_2020-06_dfritsch1/sdn.pip",
    "ofac_cons/2018-05_perchrh/cons_prim.csv",
    "ofac_cons/2025-12_watchman/cons_prim.csv",
]


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text("ascii").replace("\x1a", "")
    sep = "|" if path.suffix == ".pip" else ","
    return [r for r in csv.reader(io.StringIO(text), delimiter=sep) if r and r[0].isdigit()]


@pytest.mark.parametrize("name", MAIN_FILES)
def test_coverage_on_real_remarks(lists_dir: Path, name: str) -> None:
    """At least 98% of the real remark items are understood; the rest are kept verbatim."""
    path = lists_dir / name
    comments: dict[str, str] = {}
    for other in path.parent.iterdir():
        if "comments" in other.name and other.suffix == path.suffix:
            comments.update((r[0], r[1]) for r in _rows(other))
    items = recognised = 0
    for row in _rows(path):
        text = join_overflow(row[11], comments.get(row[0]))
        remarks = parse_remarks(text, row[4])
        assert remarks.items == len(split_items(text))
        assert set(remarks.notes) <= set(split_items(text))
        items += remarks.items
        recognised += remarks.recognised
    assert items > 3000
    assert recognised / items >= 0.98


def test_quoted_aliases_are_the_weak_ones(lists_dir: Path) -> None:
    """OFAC's spec: weak a.k.a.s are single-quoted in remarks and never in alt.csv (strong)."""
    folder = lists_dir / "ofac_sdn/2023-12-28_jackdwyer+watchman"
    strong: dict[str, set[str]] = {}
    for row in _rows(folder / "alt.csv"):
        strong.setdefault(row[0], set()).add(row[3].upper())
    weak = 0
    for row in _rows(folder / "sdn.csv"):
        for alias in parse_remarks(row[11]).aliases:
            assert alias.weak
            assert alias.name.upper() not in strong.get(row[0], set())
            weak += 1
    assert weak > 3000


@given(st.text(alphabet=st.sampled_from("AB '"), max_size=12).map(str.strip))
def test_unquote_removes_exactly_the_enclosing_quotes(name: str) -> None:
    assert unquote(f"'{name}'") == name
    assert unquote(f"'{name}") == name.removesuffix("'").strip()  # cut before its end quote


def test_linked_names_keep_parentheses() -> None:
    remarks = "Tel 1; (Linked To: NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED); Linked To: A B."
    assert linked_names(remarks) == ["NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED", "A B"]


_REMARK_PIECES = st.one_of(
    st.text(max_size=20), st.sampled_from(["Linked To: ", "(", ")", "; ", ".", " "])
)


@given(st.lists(_REMARK_PIECES, max_size=12).map("".join))
def test_linked_names_are_clean(remarks: str) -> None:
    for name in linked_names(remarks):
        assert name and name == name.strip() and name in remarks
        assert not (name.endswith(")") and name.count(")") > name.count("("))
        assert ";" not in name


# --- properties ---------------------------------------------------------------------------------


@given(st.text())
@settings(max_examples=300)
def test_never_raises_and_is_idempotent(text: str) -> None:
    first = parse_remarks(text)
    assert first == parse_remarks(text)
    assert first.recognised + len(first.notes) == first.items


_WORD = st.text(alphabet=st.sampled_from("ABCDEFGHIJKLMNOPRSTUVWZ"), min_size=2, max_size=10)
_NAME = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
_NUMBER = st.from_regex(r"[A-Z]{0,2}[0-9]{5,12}", fullmatch=True)
_COUNTRY = st.sampled_from(["Russia", "Iran", "Korea, North", "United Arab Emirates", "Mexico"])
_DAY = st.dates(min_value=date(1920, 1, 1), max_value=date(2030, 12, 31))


@given(
    dob=_DAY,
    passport=_NUMBER,
    country=_COUNTRY,
    issued=_DAY,
    aliases=st.lists(_NAME, max_size=3),
    linked=st.lists(_NAME, max_size=3),
    measures=st.lists(st.integers(1, 12), max_size=4),
    tax=_NUMBER,
    gender=st.sampled_from(["Male", "Female"]),
)
def test_round_trip_of_generated_remarks(
    dob: date,
    passport: str,
    country: str,
    issued: date,
    aliases: list[str],
    linked: list[str],
    measures: list[int],
    tax: str,
    gender: str,
) -> None:
    def ofac_date(d: date) -> str:
        return d.strftime("%d %b %Y")

    parts = [
        f"DOB {ofac_date(dob)}",
        f"Gender {gender}",
        f"Passport {passport} ({country}) issued {ofac_date(issued)}",
        f"Tax ID No. {tax} ({country})",
    ]
    parts += [f"a.k.a. '{a}'" for a in aliases]
    parts += [
        ("alt. " if i else "") + f"CAATSA Section 235 Information: X. Sec 235(a)({n})"
        for i, n in enumerate(measures)
    ]
    parts += [f"Linked To: {name}" for name in linked]
    remarks = parse_remarks("; ".join(parts) + ".")
    assert remarks.notes == []
    assert remarks.birth_dates[0].values == (dob.isoformat(),)
    assert remarks.genders == [gender]
    assert remarks.id_docs == [
        IdDoc("Passport", passport, "passport", country, issued.isoformat()),
        IdDoc("Tax ID No.", tax, "tax", country),
    ]
    assert [a.name for a in remarks.aliases] == aliases
    assert all(a.weak for a in remarks.aliases)
    assert [m.section for m in remarks.measures] == [f"Sec. 235(a)({n})" for n in measures]
    assert remarks.linked_to == linked
