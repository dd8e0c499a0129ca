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

import numpy as np
import numpy.typing as npt
from followthemoney.proxy import EntityProxy

from clearance.store.types import VersionInfo

RECORDS_FILE = "records.jsonl"
"""One JSON line per indexed entity (:meth:`EntityRecord.to_dict`), in entity number order."""
RECORD_OFFSETS = "records.npy"
"""Byte offsets of the lines of :data:`RECORDS_FILE` (``int64``, one more than entities)."""

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


def join_key(version_id: int, entity_id: str) -> int:
    """A 64-bit key of (version, entity id) for the join (collisions are checked on use)."""
    return hash((version_id, entity_id)) & 0xFFFF_FFFF_FFFF_FFFF


@dataclass
class Joins:
    """The Sanction and Identification entities of a stream, by the entity they point at.

    Kept in stream order; resolved against the screened entities once the stream ends (the
    store streams a version by entity id, so a sanction usually comes after its target)."""

    #: (version id, target entity id, listing or None, numbers or None), in stream order
    items: list[tuple[int, str, Listing | None, tuple[str, list[str]] | None]] = field(
        default_factory=list
    )

    def add(self, info: VersionInfo, proxy: EntityProxy) -> bool:
        """Note the joins of ``proxy`` if it is a Sanction or Identification (then True)."""
        schema = proxy.schema.name
        if schema == "Identification":
            numbers = identification_numbers(proxy)
            for holder in proxy.get("holder", quiet=True):
                self.items.append((info.id, holder, None, numbers))
            return True
        if schema == "Sanction":
            listing = listing_of(proxy)
            for target in proxy.get("entity", quiet=True):
                self.items.append((info.id, target, listing, None))
            return True
        return False

    def resolve(
        self, entity_keys: npt.NDArray[np.uint64]
    ) -> dict[int, list[tuple[int, str, Listing | None, tuple[str, list[str]] | None]]]:
        """Joins per entity number (``entity_keys``: :func:`join_key` of entity ``n``).

        A key shared by several entities (a hash collision) lists the join under each; the
        caller keeps those whose target id is the record's (:func:`apply_joins`)."""
        out: dict[int, list[tuple[int, str, Listing | None, tuple[str, list[str]] | None]]] = {}
        if not self.items or not len(entity_keys):
            return out
        order = np.argsort(entity_keys, kind="stable")
        ordered = entity_keys[order]
        wanted = np.fromiter(
            (join_key(v, t) for v, t, _, _ in self.items), dtype=np.uint64, count=len(self.items)
        )
        left = np.searchsorted(ordered, wanted, side="left")
        right = np.searchsorted(ordered, wanted, side="right")
        for item, lo, hi in zip(self.items, left.tolist(), right.tolist(), strict=True):
            for n in order[lo:hi].tolist():
                out.setdefault(n, []).append(item)
        return out


def apply_joins(
    record: EntityRecord,
    joins: list[tuple[int, str, Listing | None, tuple[str, list[str]] | None]],
) -> set[str]:
    """Add the listings and numbers of ``joins`` aimed at ``record`` (in stream order) and
    sort its listings; the properties that received identification numbers."""
    numbered: set[str] = set()
    for version_id, target, listing, numbers in joins:
        if version_id != record.version_id or target != record.id:
            continue  # a hash collision in Joins.resolve
        if listing is not None:
            record.listings.append(listing)
        if numbers is not None:
            _add_numbers(record, [numbers])
            numbered.add(numbers[0])
    record.listings.sort(key=lambda x: (x.listing_date or "", x.programs))
    return numbered


def new_record(info: VersionInfo, proxy: EntityProxy) -> EntityRecord | None:
    """The record of a screened party (None: context entity or no id)."""
    schema = proxy.schema.name
    if proxy.id is None or schema not in SCREENED_SCHEMAS:
        return None
    return EntityRecord(
        id=proxy.id,
        schema=schema,
        caption=proxy.caption,
        source=info.source,
        version_id=info.id,
        publication_date=info.publication_date,
        properties={p: list(v) for p, v in proxy.properties.items()},
    )


def collect_records(rows: Iterable[tuple[VersionInfo, EntityProxy]]) -> list[EntityRecord]:
    """Matchable entities of the given (version, entity) stream, joined with their sanctions
    and with the numbers of their Identification entities (a parser that did not copy a
    number onto the entity still gets it matched).

    Joins stay within one version (a listing of one list never leaks into another list's
    hit). Order: as streamed (by version, then entity id). Everything in memory: the index
    build streams instead (:func:`clearance.index.build.build_streaming`, same result).
    """
    records: list[EntityRecord] = []
    joins = Joins()
    keys: list[int] = []
    for info, proxy in rows:
        if proxy.id is None or joins.add(info, proxy):
            continue
        record = new_record(info, proxy)
        if record is not None:
            records.append(record)
            keys.append(join_key(record.version_id, record.id))
    found = joins.resolve(np.array(keys, dtype=np.uint64))
    for n, record in enumerate(records):
        apply_joins(record, found.get(n, []))
    return records
