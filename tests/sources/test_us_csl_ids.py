"""The ``ids`` column of the US CSL: both orientations of a part, arbitrary text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearance.sources.us_csl_ids import ID_TYPES, parse_id_part, parse_ids


def test_parts_read_by_eye() -> None:
    # us_csl 2022-05 (a reversed mirror): "JO, 2014-08-30, 2009-08-31, K475336, Passport"
    part = parse_id_part("JO, 2014-08-30, 2009-08-31, K475336, Passport")
    assert (part.kind, part.value, part.prop, part.document) == (
        "Passport",
        "K475336",
        "passportNumber",
        True,
    )
    assert (part.country, part.issued, part.expires) == ("JO", "2009-08-31", "2014-08-30")
    text = " section 1(b) of Executive Order 13224, as amended by Executive Order 13886, " + (
        "Secondary sanctions risk:"
    )
    note = parse_ids(f"{text}; CA, BC166787, Passport")
    assert note[0].prop is None and note[0].sanction_note
    assert (note[1].value, note[1].country) == ("BC166787", "CA")


DOC_TYPES = sorted(t for t, (_, doc) in ID_TYPES.items() if doc)


@given(
    kind=st.sampled_from(DOC_TYPES),
    number=st.from_regex(r"[A-Z0-9]{3,12}", fullmatch=True).filter(lambda s: len(s) != 2),
    country=st.sampled_from(["RU", "IR", "CN", "MX"]),
)
def test_id_parts_read_the_same_in_both_orientations(kind: str, number: str, country: str) -> None:
    forward = parse_id_part(f"{kind}, {number}, {country}")
    backward = parse_id_part(f"{country}, {number}, {kind}")
    assert forward.kind == backward.kind == kind
    assert forward.country == backward.country == country
    expected = number.removeprefix("IMO").strip() if ID_TYPES[kind][0] == "imoNumber" else number
    assert forward.value == backward.value
    assert forward.value in ("", expected)


@given(st.text())
def test_ids_parser_never_crashes(text: str) -> None:
    for part in parse_ids(text):
        assert part.text and (part.prop is None or part.value)
