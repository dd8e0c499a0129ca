"""Tests for clearance.exposure.caatsa: the CAATSA section 235 catalogue and references."""

from __future__ import annotations

import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import given
from hypothesis import strategies as st

from clearance.exposure.caatsa import (
    CaatsaMeasure,
    UnknownCaatsaMeasure,
    caatsa_235,
    caatsa_measures,
    load_measures,
    measure_numbers,
)


def _sanction(entities: list[EntityProxy], ent_num: str) -> EntityProxy:
    return next(e for e in entities if e.id == f"ofac-{ent_num}-sanction")


def test_catalogue_has_the_twelve_measures() -> None:
    measures = caatsa_235()
    assert sorted(measures) == list(range(1, 13))
    assert all(m.meaning and m.label and m.title for m in measures.values())
    assert [n for n, m in measures.items() if m.blocking] == [9]
    assert "export" in measures[2].meaning.lower()
    assert "$10,000,000" in measures[3].meaning
    assert "excluded" in measures[11].meaning
    assert measures[11].label == "EXCLUSION OF CORPORATE OFFICERS"


def test_catalogue_must_be_complete() -> None:
    with pytest.raises(ValueError, match="1-12"):
        load_measures("measures:\n  1: {label: a, title: b, meaning: c}\n")


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("CAATSA Section 235: Sec. 235(a)(7)", [7]),
        ("EXPORT SANCTIONS Sec 235(a)(2)", [2]),
        ("FOREIGN EXCHANGE. Sec. 235 (a) (12), CAATSA Section 235 Information", [12]),
        ("Executive Order 13846: Sec. 5(a)(ii)", []),
        ("Sec. 235(a)(2); Sec. 235(a)(9)", [2, 9]),
    ],
)
def test_measure_numbers(text: str, numbers: list[int]) -> None:
    assert measure_numbers(text) == numbers


@given(st.integers(min_value=1, max_value=12), st.sampled_from(["Sec. ", "Sec ", "", "§ "]))
def test_every_measure_is_found_and_described(number: int, prefix: str) -> None:
    (found,) = caatsa_measures([f"CAATSA Section 235: {prefix}235(a)({number})"])
    assert isinstance(found, CaatsaMeasure)
    assert found.number == number and found.section == f"235(a)({number})"


def test_out_of_range_reference_is_kept_as_unknown() -> None:
    found = caatsa_measures(["Sec. 235(a)(13)", "Sec. 235(a)(2)", "Sec. 235(a)(2)"])
    assert [m.number for m in found] == [2, 13]
    assert isinstance(found[1], UnknownCaatsaMeasure)
    assert found[1].text == "Sec. 235(a)(13)"


@pytest.mark.slow
def test_equipment_development_department_and_its_director(sdn_2024: list[EntityProxy]) -> None:
    """ent_num 24837 and 24838 as read by eye in the raw 2024-05-03 sdn.csv remarks."""
    edd = caatsa_measures(_sanction(sdn_2024, "24837").get("provisions"))
    assert [m.number for m in edd] == [2, 7, 8, 9, 12]
    assert all(isinstance(m, CaatsaMeasure) and m.meaning for m in edd)
    assert isinstance(edd[0], CaatsaMeasure) and edd[0].title == "Export licence denial"
    li = caatsa_measures(_sanction(sdn_2024, "24838").get("provisions"))
    assert [m.number for m in li] == [7, 8, 9, 11]
    links = [e for e in sdn_2024 if e.schema.name == "UnknownLink"]
    assert any(
        e.first("subject") == "ofac-24838" and e.first("object") == "ofac-24837" for e in links
    )


def test_presidency_of_defense_industries(cons_2025: list[EntityProxy]) -> None:
    """SSB (ent_num 27016) in the 2025-12 non-SDN list: (a)(1), (2), (3), (4), (12) by eye."""
    ssb = caatsa_measures(_sanction(cons_2025, "27016").get("provisions"))
    assert [m.number for m in ssb] == [1, 2, 3, 4, 12]
    assert not any(getattr(m, "blocking", False) for m in ssb)
