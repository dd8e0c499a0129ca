"""What the index keeps about each listed entity: provenance, sanctions and its properties.

Screening hits must say where a listed entity comes from (source list, version, publication
date) and why it is listed (programs, listing dates, authority — read from the ``Sanction``
entities of the same list version that point at it). :func:`collect_records` reads the active
versions once, joins each matchable entity with its sanctions and returns compact
:class:`EntityRecord` objects, which the index serialises (JSON lines) next to its arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney.proxy import EntityProxy

from clearance.store.types import VersionInfo

SCREENED_SCHEMAS = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "PublicBody", "Vessel", "Airplane"}
)
"""Schemas of listed parties (everything else — Sanction, Identification, Address — is context)."""


@dataclass
class Listing:
    """One Sanction entity: the programs and dates of one listing of an entity."""

    programs: list[str]
    listing_date: str | None
    authority: str | None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "programs": self.programs,
            "listing_date": self.listing_date,
            "authority": self.authority,
            "reason": self.reason,
        }


@dataclass
class EntityRecord:
    """One indexed entity with its provenance and listings."""

    id: str
    schema: str
    caption: str
    source: str
    version_id: int
    publication_date: str | None
    properties: dict[str, list[str]]
    listings: list[Listing] = field(default_factory=list)

    @property
    def programs(self) -> list[str]:
        out: list[str] = []
        for listing in self.listings:
            out.extend(p for p in listing.programs if p not in out)
        return out

    @property
    def listing_dates(self) -> list[str]:
        return sorted({x.listing_date for x in self.listings if x.listing_date})

    @property
    def topics(self) -> list[str]:
        return list(self.properties.get("topics", []))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema": self.schema,
            "caption": self.caption,
            "source": self.source,
            "version_id": self.version_id,
            "publication_date": self.publication_date,
            "properties": self.properties,
            "listings": [x.to_dict() for x in self.listings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EntityRecord:
        listings = [Listing(**x) for x in data.get("listings", [])]
        return cls(
            id=data["id"],
            schema=data["schema"],
            caption=data["caption"],
            source=data["source"],
            version_id=int(data["version_id"]),
            publication_date=data.get("publication_date"),
            properties=data["properties"],
            listings=listings,
        )


def _first(proxy: EntityProxy, prop: str) -> str | None:
    values = proxy.get(prop, quiet=True)
    return min(values) if values else None


def listing_of(sanction: EntityProxy) -> Listing:
    """The listing a Sanction entity describes."""
    return Listing(
        programs=sorted(set(sanction.get("program", quiet=True))),
        listing_date=_first(sanction, "listingDate") or _first(sanction, "startDate"),
        authority=_first(sanction, "authority"),
        reason=_first(sanction, "reason"),
    )


def identification_numbers(ident: EntityProxy) -> tuple[str, list[str]]:
    """(matching property, numbers) of an Identification entity: passports as passportNumber,
    everything else as idNumber."""
    kind = " ".join(ident.get("type", quiet=True)).lower()
    prop = "passportNumber" if "passport" in kind else "idNumber"
    return prop, [n for n in ident.get("number", quiet=True) if n.strip()]


def _add_numbers(record: EntityRecord, found: list[tuple[str, list[str]]]) -> None:
    for prop, numbers in found:
        values = record.properties.setdefault(prop, [])
        values.extend(n for n in numbers if n not in values)


def collect_records(rows: Iterable[tuple[VersionInfo, EntityProxy]]) -> list[EntityRecord]:
    """Matchable entities of the given (version, entity) stream, joined with their sanctions
    and with the numbers of their Identification entities (a parser that did not copy a
    number onto the entity still gets it matched).

    Joins stay within one version (a listing of one list never leaks into another list's
    hit). Order: as streamed (by version, then entity id).
    """
    records: list[EntityRecord] = []
    by_key: dict[tuple[int, str], EntityRecord] = {}
    pending: dict[tuple[int, str], list[Listing]] = {}
    idents: dict[tuple[int, str], list[tuple[str, list[str]]]] = {}
    for info, proxy in rows:
        schema = proxy.schema.name
        if proxy.id is None:
            continue
        if schema == "Identification":
            numbers = identification_numbers(proxy)
            for holder in proxy.get("holder", quiet=True):
                key = (info.id, holder)
                if key in by_key:
                    _add_numbers(by_key[key], [numbers])
                else:
                    idents.setdefault(key, []).append(numbers)
            continue
        if schema == "Sanction":
            listing = listing_of(proxy)
            for target in proxy.get("entity", quiet=True):
                key = (info.id, target)
                if key in by_key:
                    by_key[key].listings.append(listing)
                else:
                    pending.setdefault(key, []).append(listing)
            continue
        if schema not in SCREENED_SCHEMAS:
            continue
        props = {p: list(v) for p, v in proxy.properties.items()}
        record = EntityRecord(
            id=proxy.id,
            schema=schema,
            caption=proxy.caption,
            source=info.source,
            version_id=info.id,
            publication_date=info.publication_date,
            properties=props,
            listings=pending.pop((info.id, proxy.id), []),
        )
        _add_numbers(record, idents.pop((info.id, proxy.id), []))
        by_key[(info.id, proxy.id)] = record
        records.append(record)
    for record in records:
        record.listings.sort(key=lambda x: (x.listing_date or "", x.programs))
    return records
