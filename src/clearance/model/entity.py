"""Making FollowTheMoney entities with stable, namespaced ids."""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

from followthemoney import model
from followthemoney.proxy import EntityProxy

_SLUG = re.compile(r"[^a-z0-9]+")


class Emitted(NamedTuple):
    """One entity produced by a parser, with the id of the source record it came from."""

    entity: EntityProxy
    record: str


def entity_id(prefix: str, *parts: object) -> str:
    """A stable id: ``prefix-part-part``; parts that do not slug cleanly are hashed.

    >>> entity_id("ofac", 36)
    'ofac-36'
    """
    out = [prefix]
    for part in parts:
        text = str(part).strip().lower()
        slug = _SLUG.sub("-", text).strip("-")
        if not slug or len(slug) > 64 or slug != text.replace(" ", "-"):
            slug = slug[:40] + "-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
            slug = slug.strip("-")
        out.append(slug)
    return "-".join(out)


def make_entity(schema: str, id_: str) -> EntityProxy:
    """A new FollowTheMoney entity of ``schema`` with id ``id_``."""
    entity = model.make_entity(schema)
    entity.id = id_
    return entity
