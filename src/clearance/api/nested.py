"""Adjacent entities of a listed entity, nested the way yente nests them.

Parsers name a listing ``<entity id>-sanction[-n]`` and an identity document
``<entity id>-id-<n>`` (see the brief's entity conventions), so the neighbours are found by id
prefix within the same list version and then checked by their ``entity`` / ``holder`` link.
"""

from __future__ import annotations

import json
from typing import Any

from followthemoney.proxy import EntityProxy
from sqlalchemy import select

from clearance.store import Store
from clearance.store.canonical import to_proxy
from clearance.store.tables import entity_blobs, version_entities

# schema of the neighbour → (property linking it to the entity, property it is nested under)
LINKS = {"Sanction": ("entity", "sanctions"), "Identification": ("holder", "identification")}
MAX_NESTED = 200


def _like_prefix(entity_id: str) -> str:
    escaped = entity_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "-%"


def adjacent(store: Store, proxy: EntityProxy, version_id: int) -> dict[str, list[dict[str, Any]]]:
    """``{"sanctions": [...], "identification": [...]}`` of ``proxy`` in ``version_id``."""
    assert proxy.id is not None
    query = (
        select(entity_blobs.c.data)
        .select_from(version_entities.join(entity_blobs))
        .where(
            version_entities.c.version_id == version_id,
            version_entities.c.entity_id.like(_like_prefix(proxy.id), escape="\\"),
            entity_blobs.c.schema.in_(list(LINKS)),
        )
        .order_by(version_entities.c.entity_id)
        .limit(MAX_NESTED)
    )
    out: dict[str, list[dict[str, Any]]] = {}
    with store.engine.connect() as conn:
        for (data,) in conn.execute(query):
            other = to_proxy(json.loads(data))
            link, nest = LINKS[other.schema.name]
            if proxy.id not in other.get(link, quiet=True):
                continue
            props = {p: list(v) for p, v in other.properties.items() if p != link}
            out.setdefault(nest, []).append(
                {
                    "id": other.id,
                    "caption": other.caption,
                    "schema": other.schema.name,
                    "properties": props,
                    "datasets": [],
                    "referents": [],
                    "target": False,
                }
            )
    return out
