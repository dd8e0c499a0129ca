"""Records joined with their sanctions, checked against the raw UN XML by eye:

``unsc-6908399`` (QDi.335, ‘ABD AL-RAHMAN KHALAF ‘UBAYD JUDAY’ AL-‘ANIZI) is listed on
2014-09-23 under Al-Qaida; ``unsc-690764`` (KPe.013, BANK OF EAST LAND) on 2013-01-22, DPRK.
"""

from __future__ import annotations

from clearance.index.records import SCREENED_SCHEMAS
from tests.index.factory import SmallWorld


def _find(world: SmallWorld, entity_id: str) -> int:
    records = world.index.records
    for n in range(len(records)):
        if records.raw(n)["id"] == entity_id:
            return n
    raise AssertionError(f"{entity_id} not indexed")


def test_person_carries_program_and_listing_date(world: SmallWorld) -> None:
    record = world.index.record(_find(world, "unsc-6908399"))
    assert record.schema == "Person"
    assert record.programs == ["Al-Qaida"]
    assert record.listing_dates == ["2014-09-23"]
    assert record.source == "un_sc_sanctions"
    assert record.publication_date == "2026-05-08"
    assert "ANIZI" in record.caption.upper()


def test_entity_carries_its_listing(world: SmallWorld) -> None:
    record = world.index.record(_find(world, "unsc-690764"))
    assert record.programs == ["DPRK"]
    assert record.listing_dates == ["2013-01-22"]
    assert record.listings[0].authority == "United Nations Security Council"


def test_only_listed_parties_are_indexed(world: SmallWorld) -> None:
    records = world.index.records
    schemas = {records.raw(n)["schema"] for n in range(len(records))}
    assert schemas <= SCREENED_SCHEMAS
    assert "Person" in schemas
    # the UN XML has 737 individuals + 272 entities (catalog note); the DPL has ~1,300 rows
    un = sum(1 for n in range(len(records)) if records.raw(n)["source"] == "un_sc_sanctions")
    assert un == 737 + 272


def test_identification_numbers_reach_the_entity(world: SmallWorld) -> None:
    # raw UN XML: DATAID 6908707 has a passport G52FYPRL and a national id 2519910
    props = world.index.record(_find(world, "unsc-6908707")).properties
    assert "G52FYPRL" in props["passportNumber"]
    assert "2519910" in props["idNumber"]
