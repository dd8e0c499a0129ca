"""Query normalisation: names, flat records, FtM dicts; empty and bad queries are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.screen import InvalidQuery, as_query, query_from_fields
from clearance.screen.query import parse_identifiers


def test_name_becomes_a_legal_entity_query() -> None:
    q = as_query("Vladimir Putin")
    assert q["schema"] == "LegalEntity"
    assert q["properties"] == {"name": ["Vladimir Putin"]}


def test_flat_fields_map_to_properties() -> None:
    q = query_from_fields(
        {
            "id": 7,
            "schema": "Person",
            "name": "Abd Al-Rahman Salim | Abdurahman Salem",
            "birth_date": "1986-07-27",
            "nationality": "Libya; Tunisia",
            "country": "ly",
            "identifiers": "passport:G52FYPRL; 2519910; inn:7707083893",
        }
    )
    props = q["properties"]
    assert q["id"] == "7"
    assert props["name"] == ["Abd Al-Rahman Salim"]
    assert props["alias"] == ["Abdurahman Salem"]
    assert props["nationality"] == ["Libya", "Tunisia"]
    assert props["passportNumber"] == ["G52FYPRL"]
    assert props["idNumber"] == ["2519910"]
    assert props["innCode"] == ["7707083893"]
    assert props["birthDate"] == ["1986-07-27"]


@pytest.mark.parametrize("empty", ["", "   ", {"name": ""}, {"name": " | "}, {"schema": "Person"}])
def test_empty_query_is_a_clear_error(empty: object) -> None:
    with pytest.raises(InvalidQuery, match="empty query"):
        as_query(empty)


def test_identifier_only_query_is_fine() -> None:
    assert as_query({"identifiers": "G52FYPRL"})["properties"] == {"idNumber": ["G52FYPRL"]}


def test_bad_schema_and_unknown_fields_are_refused() -> None:
    with pytest.raises(InvalidQuery, match="cannot screen schema"):
        as_query({"name": "x", "schema": "Sanction"})
    with pytest.raises(InvalidQuery, match="cannot screen schema"):
        as_query({"name": "x", "schema": "NoSuchThing"})
    with pytest.raises(InvalidQuery, match="unknown field"):
        as_query({"name": "x", "dob": "1970"})
    with pytest.raises(InvalidQuery, match="cannot screen"):
        as_query(42)


def test_ftm_dict_passes_through() -> None:
    q = as_query({"schema": "Person", "properties": {"name": "Jane Doe", "birthDate": ["1970"]}})
    assert q["properties"] == {"name": ["Jane Doe"], "birthDate": ["1970"]}


@given(st.text(max_size=60))
def test_identifier_parsing_never_crashes_and_keeps_values(text: str) -> None:
    parsed = parse_identifiers(text)
    for values in parsed.values():
        assert all(v.strip() for v in values)
