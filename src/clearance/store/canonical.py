"""Canonical JSON of an entity, and its content hash.

Two entities are the same content when their id, schema and property values are equal, whatever
the order in which a parser added the values. The canonical form sorts properties and values and
serialises without white space; its sha256 is the key of ``entity_blobs``, so an entity that did
not change between two list versions is stored once and compares equal by hash alone.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

from followthemoney import model
from followthemoney.proxy import EntityProxy

#: ``{"id": str, "schema": str, "properties": {prop: [values]}}``
EntityData = dict[str, Any]


class Canonical(NamedTuple):
    """One entity in canonical form: its hash, its JSON text and the parsed dict."""

    hash: str
    text: str
    data: EntityData


def canonical_data(entity_id: str, schema: str, properties: dict[str, list[str]]) -> EntityData:
    """The canonical dict: properties sorted by name, values sorted and de-duplicated."""
    props = {prop: sorted(set(values)) for prop, values in sorted(properties.items()) if values}
    return {"id": entity_id, "schema": schema, "properties": props}


def canonical_text(data: EntityData) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonicalize(entity: EntityProxy) -> Canonical:
    """Canonical form of a FollowTheMoney entity (its id must be set)."""
    if not entity.id:
        raise ValueError("entity has no id")
    data = canonical_data(entity.id, entity.schema.name, entity.to_dict()["properties"])
    text = canonical_text(data)
    return Canonical(hashlib.sha256(text.encode("utf-8")).hexdigest(), text, data)


def to_proxy(data: EntityData) -> EntityProxy:
    """An ``EntityProxy`` from stored canonical data (values were cleaned when loaded)."""
    return model.get_proxy(data, cleaned=True)


def caption(data: EntityData) -> str:
    """A short human label: the first name-like value, else the id."""
    props = data.get("properties", {})
    for prop in ("name", "alias", "lastName", "number", "imoNumber"):
        values = props.get(prop)
        if values:
            return str(values[0])
    return str(data.get("id", ""))
