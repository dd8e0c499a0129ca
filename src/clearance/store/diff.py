"""What changed between two list versions: a pure function over two entity maps.

Input is ``{entity_id: (hash, entity dict)}`` for the old and the new version (the dict in the
canonical form of :mod:`clearance.store.canonical`). Entities whose hash is equal are unchanged
and are not looked at further; the store passes only the rows whose hashes differ, the history
benchmark passes whole parsed versions. For a changed entity the result says, per property, which
values were added and which removed (a schema change shows as the pseudo-property ``schema``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from clearance.store.canonical import EntityData, caption

EntityMap = Mapping[str, tuple[str, EntityData]]
ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class PropertyChange:
    """Values of one property that appeared (``added``) or disappeared (``removed``)."""

    prop: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityChange:
    """One entity added, removed or changed between two versions."""

    entity_id: str
    kind: ChangeKind
    schema: str
    caption: str
    properties: tuple[PropertyChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "entity_id": self.entity_id,
            "kind": self.kind,
            "schema": self.schema,
            "caption": self.caption,
        }
        if self.kind == "changed":
            out["properties"] = {
                p.prop: {"added": list(p.added), "removed": list(p.removed)}
                for p in self.properties
            }
        return out


@dataclass
class ListDiff:
    """The difference between an old and a new version, each list sorted by entity id."""

    old_version_id: int | None = None
    new_version_id: int | None = None
    added: list[EntityChange] = field(default_factory=list)
    removed: list[EntityChange] = field(default_factory=list)
    changed: list[EntityChange] = field(default_factory=list)
    #: parser versions of the old and new version (see ``clearance.sources.version``)
    parsers: tuple[str | None, str | None] = (None, None)

    @property
    def parser_changed(self) -> bool:
        """True when the two versions were parsed by different parser code, so some of the
        differences may come from the parser rather than from the list."""
        return self.parsers[0] != self.parsers[1]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def changed_properties(self) -> dict[str, int]:
        """How many changed entities touched each property, most frequent first."""
        tally: dict[str, int] = {}
        for change in self.changed:
            for prop in change.properties:
                tally[prop.prop] = tally.get(prop.prop, 0) + 1
        return dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> str:
        """One readable paragraph, e.g. for a log line or the CLI."""
        versions = ""
        if self.old_version_id is not None and self.new_version_id is not None:
            versions = f"version {self.old_version_id} → {self.new_version_id}: "
        c = self.counts
        text = f"{versions}{c['added']} added, {c['removed']} removed, {c['changed']} changed"
        props = self.changed_properties()
        if props:
            top = ", ".join(f"{name} ({n})" for name, n in list(props.items())[:5])
            text += f"; changed properties: {top}"
        if self.parser_changed:
            old, new = (p or "unrecorded" for p in self.parsers)
            text += (
                f" (note: parsed by different parser versions, {old} → {new}; some differences "
                "may come from the parser, not the list)"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "old_version_id": self.old_version_id,
            "new_version_id": self.new_version_id,
            "counts": self.counts,
            "parsers": list(self.parsers),
            "parser_changed": self.parser_changed,
            "added": [c.to_dict() for c in self.added],
            "removed": [c.to_dict() for c in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


def property_changes(old: EntityData, new: EntityData) -> tuple[PropertyChange, ...]:
    """Per property, the values only in ``new`` (added) and only in ``old`` (removed)."""
    out: list[PropertyChange] = []
    if old.get("schema") != new.get("schema"):
        out.append(PropertyChange("schema", (str(new.get("schema")),), (str(old.get("schema")),)))
    old_props: dict[str, list[str]] = old.get("properties", {})
    new_props: dict[str, list[str]] = new.get("properties", {})
    for prop in sorted(set(old_props) | set(new_props)):
        before = set(old_props.get(prop, ()))
        after = set(new_props.get(prop, ()))
        if before != after:
            out.append(
                PropertyChange(prop, tuple(sorted(after - before)), tuple(sorted(before - after)))
            )
    return tuple(out)


def _change(entity_id: str, kind: ChangeKind, data: EntityData) -> EntityChange:
    return EntityChange(entity_id, kind, str(data.get("schema", "")), caption(data))


def diff_entities(
    old: EntityMap,
    new: EntityMap,
    *,
    old_version_id: int | None = None,
    new_version_id: int | None = None,
) -> ListDiff:
    """Compare two versions given as ``{entity_id: (hash, data)}`` maps."""
    result = ListDiff(old_version_id, new_version_id)
    for entity_id in sorted(old.keys() - new.keys()):
        result.removed.append(_change(entity_id, "removed", old[entity_id][1]))
    for entity_id in sorted(new.keys() - old.keys()):
        result.added.append(_change(entity_id, "added", new[entity_id][1]))
    for entity_id in sorted(old.keys() & new.keys()):
        old_hash, old_data = old[entity_id]
        new_hash, new_data = new[entity_id]
        if old_hash == new_hash:
            continue
        props = property_changes(old_data, new_data)
        if not props:  # same content, different hash: not a change worth reporting
            continue
        change = _change(entity_id, "changed", new_data)
        result.changed.append(
            EntityChange(change.entity_id, "changed", change.schema, change.caption, props)
        )
    return result
