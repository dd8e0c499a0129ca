"""Links between OFAC records: "Linked To" remarks and published relationships.

"Linked To: NAME" (CSV, sdn.xml remarks) names another record by its primary name: the parsers
look the name up with :func:`name_key` among the records of the same file and make an
UnknownLink ``<subject>-link-<target>`` (:func:`link`). The ADVANCED and ENHANCED XML publish
relationships with ids: :func:`relation` makes an Ownership ("Owned or Controlled By") or an
UnknownLink ``ofac-rel-<id>``.
"""

from __future__ import annotations

from followthemoney.proxy import EntityProxy

from clearance.model import Emitted, entity_id, make_entity
from clearance.sources.ofac_listing import PREFIX


def link(subject: str, target: str, record: str) -> Emitted:
    """``Linked To`` → UnknownLink ``<subject>-link-<target>``."""
    entity = make_entity("UnknownLink", f"{subject}-link-{target}")
    entity.add("subject", subject)
    entity.add("object", target)
    entity.add("role", "Linked To")
    return Emitted(entity, record)


def relation(rel_id: str, kind: str, source: str, target: str) -> EntityProxy:
    """A published relationship ``source`` → ``target``: Ownership when "Owned or Controlled
    By" (owner = target), else UnknownLink (role = kind); id ``ofac-rel-<rel_id>``."""
    owned = kind.lower().startswith("owned or controlled")
    entity = make_entity("Ownership" if owned else "UnknownLink", entity_id(PREFIX, "rel", rel_id))
    entity.add("owner" if owned else "subject", target if owned else source)
    entity.add("asset" if owned else "object", source if owned else target)
    entity.add("role", kind)
    return entity


def name_key(name: str) -> str:
    """A primary name as key for "Linked To" lookups (case, spacing, final dots ignored)."""
    return " ".join(name.upper().split()).strip(" .")


__all__ = ["link", "name_key", "relation"]
