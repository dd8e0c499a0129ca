"""Tests for clearance.exposure.explain: what a listing means for a deal."""

from __future__ import annotations

from typing import Any

import pytest
from followthemoney.proxy import EntityProxy

from clearance.exposure.explain import explain_listing, explain_sanctions
from clearance.exposure.programs import ProgramInfo, UnknownProgram

OFAC = "Office of Foreign Assets Control"


def sanction(authority: str, *programs: str, **props: list[str]) -> dict[str, Any]:
    """A Sanction entity as FtM JSON."""
    properties: dict[str, list[str]] = {"authority": [authority], "program": list(programs)}
    properties.update(props)
    return {"id": "x-sanction", "schema": "Sanction", "properties": properties}


def _sanction(entities: list[EntityProxy], ent_num: str) -> EntityProxy:
    return next(e for e in entities if e.id == f"ofac-{ent_num}-sanction")


@pytest.mark.slow
def test_edd_is_blocked_under_caatsa(sdn_2024: list[EntityProxy]) -> None:
    exposure = explain_sanctions([_sanction(sdn_2024, "24837")], "ofac-24837", "us_ofac_sdn")
    assert exposure.is_blocked
    (item,) = exposure.listings
    (program,) = item.programs
    assert isinstance(program, ProgramInfo) and program.code == "CAATSA - RUSSIA"
    assert "CAATSA" in program.legal_basis
    assert [m.number for m in item.caatsa_235] == [2, 7, 8, 9, 12]
    assert exposure.summary.startswith("BLOCKED")
    assert "Export licence denial" in exposure.summary
    # without the dataset id, OFAC's file URL tells the SDN list apart
    assert explain_listing(_sanction(sdn_2024, "24838")).is_blocking


def test_ssb_is_menu_based_not_blocked(cons_2025: list[EntityProxy]) -> None:
    exposure = explain_sanctions([_sanction(cons_2025, "27016")], dataset="us_ofac_cons")
    assert not exposure.is_blocked
    assert exposure.measure_types == ("menu",)
    assert [m.number for m in exposure.listings[0].caatsa_235] == [1, 2, 3, 4, 12]
    assert exposure.summary.startswith("menu-based sanctions")


def test_vtb_is_sectoral_with_secondary_risk(cons_2025: list[EntityProxy]) -> None:
    """ent_num 17013: "Subject to Directive 1" and two secondary-sanctions statements (raw)."""
    item = explain_listing(_sanction(cons_2025, "17013"))
    assert item.measure_type == "sectoral" and not item.is_blocking
    assert "Executive Order 13662 Directive 1" in item.directives
    assert len(item.secondary_sanctions) == 2
    assert any("589.201" in s for s in item.secondary_sanctions)


@pytest.mark.parametrize(
    ("entity", "measure"),
    [
        (sanction(OFAC, "SSI", "UKRAINE-EO13662"), "sectoral"),
        (sanction(OFAC, "NS-MBS", "MBS"), "menu"),
        (sanction("Bureau of Industry and Security", "EL"), "export_control"),
        (sanction("US Department of State", "DTC"), "debarment"),
        (sanction(OFAC, "SDN", "SDGT"), "blocking"),
        (sanction(OFAC, "CMIC", "CMIC-EO13959"), "other"),
        (sanction("United Nations Security Council", "Al-Qaida"), "blocking"),
        (sanction("European Union", "UKR", listingDate=["2022-02-28"]), "blocking"),
        (
            sanction(
                "Foreign, Commonwealth and Development Office",
                "Russia",
                provisions=["Asset freeze", "Travel Ban"],
            ),
            "blocking",
        ),
        (
            sanction(
                "Foreign, Commonwealth and Development Office",
                "Russia",
                provisions=["Travel Ban"],
            ),
            "other",
        ),
        (
            sanction(OFAC, "CAATSA - RUSSIA", provisions=["CAATSA Section 235: Sec. 235(a)(2)"]),
            "menu",
        ),
    ],
)
def test_measure_type(entity: dict[str, Any], measure: str) -> None:
    assert explain_listing(entity).measure_type == measure


def test_non_sdn_listing_is_not_blocking_even_for_sdn_programs() -> None:
    entity = sanction(
        OFAC,
        "UKRAINE-EO13662",
        provisions=["Executive Order 13662 Directive 4"],
        sourceUrl=["https://www.treasury.gov/ofac/downloads/consolidated/cons_prim.csv"],
    )
    assert explain_listing(entity).measure_type == "sectoral"
    sdn = dict(entity, properties=dict(entity["properties"]))
    assert explain_listing(sdn, dataset="us_ofac_sdn").measure_type == "blocking"


def test_unknown_programs_are_reported() -> None:
    exposure = explain_sanctions([sanction(OFAC, "SDGT", "BRAND-NEW-EO99999")], "e1")
    assert [p.code for p in exposure.unknown_programs] == ["BRAND-NEW-EO99999"]
    assert isinstance(exposure.listings[0].programs[1], UnknownProgram)
    assert "BRAND-NEW-EO99999" in exposure.summary
    assert exposure.listings[0].measure_type == "blocking"


def test_listing_fields_and_summary() -> None:
    entity = sanction(
        "European Union",
        "UKR",
        listingDate=["2022-02-28"],
        reason=["Member of the State Duma"],
        provisions=["Additional Sanctions Information: Subject to Secondary Sanctions"],
    )
    item = explain_listing(entity)
    assert item.listing_date == "2022-02-28"
    assert item.reason == "Member of the State Duma"
    assert item.secondary_sanctions and not item.other_provisions
    assert "listed 2022-02-28" in item.summary and "secondary sanctions risk" in item.summary


def test_no_listing() -> None:
    exposure = explain_sanctions([])
    assert not exposure.is_blocked and exposure.summary == "no listing"


@pytest.mark.slow
def test_rosoboronexport_is_blocked_and_sectoral(
    sdn_2024: list[EntityProxy], cons_2025: list[EntityProxy]
) -> None:
    """ent_num 18782 is on the SDN list and, as SSI Directive 3, on the non-SDN list (raw)."""
    exposure = explain_sanctions(
        [
            (_sanction(sdn_2024, "18782"), "us_ofac_sdn"),
            (_sanction(cons_2025, "18782"), "us_ofac_cons"),
        ],
        "ofac-18782",
    )
    assert exposure.is_blocked
    assert exposure.measure_types == ("blocking", "sectoral")
    sdn, ssi = exposure.listings
    assert {p.code for p in sdn.programs} == {
        "SYRIA",
        "UKRAINE-EO13662",
        "IRAN-CON-ARMS-EO",
        "RUSSIA-EO14024",
    }
    assert "Executive Order 13662 Directive 3" in ssi.directives
    assert sdn.secondary_sanctions and ssi.secondary_sanctions
    assert exposure.unknown_programs == ()
