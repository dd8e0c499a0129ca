"""What changed in the lists since a book was last screened: parties added, changed, removed.

Compares, per source, the list version a book was last screened against with the active one
(:meth:`clearance.store.Store.diff`). Only screened parties (Person, Organization, Company,
LegalEntity, PublicBody, Vessel, Airplane) can match a customer, but an ``Identification``
entity added, changed or removed changes the identifiers of its holder, so the holder counts
as changed. ``Sanction`` entities (programs, dates) do not change who matches whom.

Every change keeps its provenance — source, new and previous version id — which becomes the
``cause`` of the alerts it raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from clearance.index.records import SCREENED_SCHEMAS
from clearance.store import Store
from clearance.store.tables import entity_blobs, version_entities


@dataclass
class ListChanges:
    """Parties added / changed / removed, each ``entity_id → {source, version_id,
    previous_version_id}`` (plus ``properties`` for a change)."""

    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: dict[str, dict[str, Any]] = field(default_factory=dict)
    removed: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def affected(self) -> list[str]:
        """Entities a delta run screens the book against: added and changed parties."""
        return sorted(set(self.added) | set(self.changed))

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "changed": self.changed, "removed": self.removed}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ListChanges:
        return cls(dict(data["added"]), dict(data["changed"]), dict(data["removed"]))


def _holders(store: Store, entity_id: str, version_id: int) -> list[str]:
    entity = store.entity(entity_id, version_id)
    if entity is None:
        return []
    return [str(v) for v in entity.get("holder", quiet=True)]


def _all_parties(store: Store, version_id: int) -> list[str]:
    """The screened parties of a version (a source that appeared or disappeared)."""
    query = (
        select(version_entities.c.entity_id)
        .select_from(version_entities.join(entity_blobs))
        .where(
            version_entities.c.version_id == version_id,
            entity_blobs.c.schema.in_(sorted(SCREENED_SCHEMAS)),
        )
        .order_by(version_entities.c.entity_id)
    )
    with store.engine.connect() as conn:
        return [str(x) for x in conn.execute(query).scalars()]


def list_changes(
    store: Store, previous: Mapping[str, int], current: Mapping[str, int]
) -> ListChanges:
    """Changes from the versions ``previous`` to ``current`` (both ``source → version id``)."""
    out = ListChanges()
    for source in sorted(set(previous) | set(current)):
        old, new = previous.get(source), current.get(source)
        if old == new:
            continue
        where: dict[str, Any] = {"source": source, "version_id": new, "previous_version_id": old}
        if old is None and new is not None:
            for entity_id in _all_parties(store, new):
                out.added[entity_id] = dict(where)
            continue
        if new is None and old is not None:
            for entity_id in _all_parties(store, old):
                out.removed[entity_id] = dict(where)
            continue
        assert old is not None and new is not None
        diff = store.diff(old, new)
        holders: set[str] = set()
        for change in diff.added + diff.changed:
            if change.schema in SCREENED_SCHEMAS:
                target = out.added if change.kind == "added" else out.changed
                info: dict[str, Any] = dict(where)
                if change.kind == "changed":
                    info["properties"] = sorted(p.prop for p in change.properties)
                target[change.entity_id] = info
            elif change.schema == "Identification":
                holders.update(_holders(store, change.entity_id, new))
        for change in diff.removed:
            if change.schema in SCREENED_SCHEMAS:
                out.removed[change.entity_id] = dict(where)
            elif change.schema == "Identification":
                holders.update(_holders(store, change.entity_id, old))
        for holder in sorted(holders):
            if holder not in out.added and holder not in out.removed:
                out.changed.setdefault(holder, {**where, "properties": ["identification"]})
    return out


__all__ = ["ListChanges", "list_changes"]
