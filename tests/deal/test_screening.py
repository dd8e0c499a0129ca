"""Deal screening on the real OFAC SDN / non-SDN and UN lists.

Expected listings checked by eye in the raw sdn.csv and cons_prim.csv: ent_num 24837, 24838,
27016, 27018, 30685-30687, 18782, 16865."""

from __future__ import annotations

import pytest

from clearance.deal import DealResult, PartyResult, load_deal, parse_deal, worst
from clearance.exposure import CaatsaMeasure
from clearance.settings import REPO_ROOT
from tests.deal.world import DealWorld

pytestmark = pytest.mark.slow
EXAMPLES = REPO_ROOT / "examples" / "deals"


def screen(world: DealWorld, name: str) -> DealResult:
    return world.deals.screen(load_deal(EXAMPLES / name))


def party(result: DealResult, pid: str) -> PartyResult:
    return next(p for p in result.parties if p.party.id == pid)


def programs(pr: PartyResult) -> set[str]:
    return {code for h in pr.hits for code in h.hit.programs}


def test_worst() -> None:
    assert worst([]) == "clear"
    assert worst(["clear", "review", "restricted"]) == "restricted"
    assert worst(["review", "blocked", "clear"]) == "blocked"


def test_china_edd_su35_s400(world: DealWorld) -> None:
    result = screen(world, "china-su35-s400-2018.yml")
    assert result.verdict == "blocked"
    edd = party(result, "edd")
    assert edd.verdict == "blocked"
    assert edd.hits[0].hit.entity_id == "ofac-24837" and edd.hits[0].hit.source == "us_ofac_sdn"
    assert "CAATSA - RUSSIA" in programs(edd)
    assert edd.caatsa_235 == ["235(a)(2)", "235(a)(7)", "235(a)(8)", "235(a)(9)", "235(a)(12)"]
    li = party(result, "li-shangfu")
    assert li.verdict == "blocked" and li.hits[0].hit.entity_id == "ofac-24838"
    assert "CAATSA - RUSSIA" in programs(li)
    assert li.caatsa_235 == ["235(a)(7)", "235(a)(8)", "235(a)(9)", "235(a)(11)"]
    listing = li.hits[0].exposure.listings[0]
    assert any(
        isinstance(m, CaatsaMeasure) and "visa" in (m.title + m.meaning).lower()
        for m in listing.caatsa_235
    )
    seller = party(result, "roe")
    assert seller.verdict == "blocked"
    assert {(h.hit.entity_id, h.hit.source) for h in seller.hits} >= {
        ("ofac-18782", "us_ofac_sdn"),
        ("ofac-18782", "us_ofac_cons"),
    }
    assert {"RUSSIA-EO14024", "UKRAINE-EO13662"} <= programs(seller)
    assert any("31 CFR 589" in s for s in seller.secondary_sanctions)
    # the SSI (non-SDN) listing of the same entity is sectoral, the SDN one blocking
    kinds = {h.hit.source: h.exposure.measure_types for h in seller.hits}
    assert kinds["us_ofac_sdn"] == ("blocking",) and "sectoral" in kinds["us_ofac_cons"]


def test_turkey_ssb_s400(world: DealWorld) -> None:
    result = screen(world, "turkey-s400-ssb.yml")
    ssb = party(result, "ssb")
    assert ssb.hits[0].hit.entity_id == "ofac-27016" and ssb.hits[0].hit.source == "us_ofac_cons"
    assert ssb.verdict == "restricted"  # NS-MBS menu-based, not blocked
    assert ssb.hits[0].exposure.measure_types == ("menu",)
    assert ssb.caatsa_235 == ["235(a)(1)", "235(a)(2)", "235(a)(3)", "235(a)(4)", "235(a)(12)"]
    officers = {
        "demir": "ofac-27018",
        "yigit": "ofac-30685",
        "gencoglu": "ofac-30686",
        "deniz": "ofac-30687",
    }
    for pid, entity_id in officers.items():
        pr = party(result, pid)
        assert pr.verdict == "blocked", pid
        assert pr.hits[0].hit.entity_id == entity_id
        assert "CAATSA - RUSSIA" in programs(pr)
        assert pr.caatsa_235 == ["235(a)(7)", "235(a)(8)", "235(a)(9)", "235(a)(11)", "235(a)(12)"]


def test_balkan_buyer_clear_seller_and_manufacturer_flagged(world: DealWorld) -> None:
    result = screen(world, "balkan-air-defence.yml")
    buyer = party(result, "mod")
    assert buyer.verdict == "clear" and buyer.hits == [] and buyer.reasons == []
    for pid, entity_id in (("roe", "ofac-18782"), ("almaz", "ofac-16865")):
        pr = party(result, pid)
        assert pr.verdict == "blocked"
        assert entity_id in {h.hit.entity_id for h in pr.hits}
        assert "RUSSIA-EO14024" in programs(pr)
        assert any("BLOCKED: Office of Foreign Assets Control" in r for r in pr.reasons)
    assert result.verdict == "blocked"
    assert result.reasons == [
        "seller Rosoboronexport: blocked",
        "manufacturer Almaz-Antey: blocked",
    ]
    assert {v["source"] for v in result.lists} == {"us_ofac_sdn", "us_ofac_cons", "un_sc_sanctions"}
    payload = result.to_dict()
    assert payload["parties"][2]["hits"][0]["exposure"]["listings"][0]["measure_type"] == "blocking"


def test_fifty_percent_rule_on_deal_ownership(world: DealWorld) -> None:
    deal = parse_deal(
        {
            "parties": [
                {
                    "id": "roe",
                    "role": "seller",
                    "name": "Rosoboronexport",
                    "schema": "Organization",
                },
                {
                    "id": "sub",
                    "role": "broker",
                    "name": "Zebrafinch Optical Components",
                    "schema": "Company",
                },
                {
                    "id": "minor",
                    "role": "carrier",
                    "name": "Kestrelwing Freight Partners",
                    "schema": "Company",
                },
                {
                    "id": "unknown",
                    "role": "bank",
                    "name": "Quillmoor Merchant Bank",
                    "schema": "Company",
                },
                {"id": "radar", "role": "manufacturer", "name": "Heronsgate Radar Services"},
            ],
            "ownership": [
                {"owner": "roe", "asset": "sub", "percentage": "60%"},
                {"owner": "roe", "asset": "minor", "percentage": 30},
                {"owner": "roe", "asset": "unknown"},
                {"owner": "ofac-16865", "asset": "radar", "percentage": "50"},
            ],
        }
    )
    result = world.deals.screen(deal)
    sub, minor, unknown = party(result, "sub"), party(result, "minor"), party(result, "unknown")
    assert sub.hits == [] and sub.verdict == "blocked"
    assert "50 Percent Rule" in sub.reasons[0] and "Rosoboronexport" in sub.reasons[0]
    assert minor.verdict == "clear" and minor.ownership == []
    assert unknown.verdict == "review"  # missing percentage: possibly blocked
    # an owner named by its list entity id (Almaz-Antey, SDN): blocked through the list
    radar = party(result, "radar")
    assert radar.hits == [] and radar.verdict == "blocked"
    assert "ofac-16865" in radar.ownership[0]
