"""The pure diff function, and the store's diff on hand-made versions (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clearance.store import Store
from clearance.store.canonical import canonical_data, canonicalize, to_proxy
from clearance.store.diff import EntityMap, PropertyChange, diff_entities
from tests.store.factory import ftm_line, parse_ftm, write_ftm


def entity_map(*entities: dict[str, object]) -> EntityMap:
    out = {}
    for data in entities:
        canon = canonicalize(to_proxy(data))
        out[canon.data["id"]] = (canon.hash, canon.data)
    return out


OLD = entity_map(
    ftm_line("a", name="Anna Alpha", nationality="de"),
    ftm_line("b", name="Bob Beta"),
    ftm_line("c", name=["Carl Gamma", "Karl Gamma"], birthDate="1960"),
)
NEW = entity_map(
    ftm_line("a", name="Anna Alpha", nationality="de"),
    ftm_line("c", name=["Carl Gamma", "Charles Gamma"], birthDate="1960", country="fr"),
    ftm_line("d", "Company", name="Delta Ltd"),
)


def test_added_removed_changed() -> None:
    diff = diff_entities(OLD, NEW, old_version_id=1, new_version_id=2)
    assert diff.counts == {"added": 1, "removed": 1, "changed": 1}
    assert [c.entity_id for c in diff.added] == ["d"]
    assert diff.added[0].schema == "Company" and diff.added[0].caption == "Delta Ltd"
    assert [c.entity_id for c in diff.removed] == ["b"]
    (change,) = diff.changed
    assert change.entity_id == "c"
    assert change.properties == (
        PropertyChange("country", added=("fr",)),
        PropertyChange("name", added=("Charles Gamma",), removed=("Karl Gamma",)),
    )
    assert diff.changed_properties() == {"country": 1, "name": 1}
    assert diff.summary().startswith("version 1 → 2: 1 added, 1 removed, 1 changed")
    as_json = diff.to_dict()
    assert as_json["changed"][0]["properties"]["name"] == {
        "added": ["Charles Gamma"],
        "removed": ["Karl Gamma"],
    }


def test_schema_change_is_reported() -> None:
    old = entity_map(ftm_line("x", "LegalEntity", name="X"))
    new = entity_map(ftm_line("x", "Organization", name="X"))
    (change,) = diff_entities(old, new).changed
    assert change.properties == (PropertyChange("schema", ("Organization",), ("LegalEntity",)),)


def test_value_order_does_not_matter() -> None:
    one = canonicalize(to_proxy(ftm_line("x", name=["B", "A"], country=["fr", "de"])))
    two = canonicalize(to_proxy(ftm_line("x", country=["de", "fr"], name=["A", "B"])))
    assert one.hash == two.hash and one.text == two.text


_values = st.lists(st.sampled_from(["Anna", "Bob", "Carl", "Dora"]), max_size=3, unique=True)
_entity = st.fixed_dictionaries({"name": _values, "alias": _values})
_versions = st.dictionaries(st.sampled_from(list("abcdefgh")), _entity, max_size=8)


def _as_map(version: dict[str, dict[str, list[str]]]) -> EntityMap:
    out = {}
    for entity_id, props in version.items():
        data = canonical_data(entity_id, "Person", props)
        out[entity_id] = (repr(data), data)
    return out


@given(_versions, _versions)
def test_diff_properties(
    old_v: dict[str, dict[str, list[str]]], new_v: dict[str, dict[str, list[str]]]
) -> None:
    old, new = _as_map(old_v), _as_map(new_v)
    diff = diff_entities(old, new)
    back = diff_entities(new, old)
    assert {c.entity_id for c in diff.added} == set(new) - set(old)
    assert {c.entity_id for c in diff.removed} == set(old) - set(new)
    assert {c.entity_id for c in diff.changed} == {
        k for k in set(old) & set(new) if old[k][1] != new[k][1]
    }
    assert back.counts == {
        "added": diff.counts["removed"],
        "removed": diff.counts["added"],
        "changed": diff.counts["changed"],
    }
    assert diff_entities(old, old).is_empty
    # applying the property changes to the old entity gives the new one
    for change in diff.changed:
        props = {k: set(v) for k, v in old[change.entity_id][1]["properties"].items()}
        for p in change.properties:
            props[p.prop] = (props.get(p.prop, set()) - set(p.removed)) | set(p.added)
        expected = {k: set(v) for k, v in new[change.entity_id][1]["properties"].items()}
        assert {k: v for k, v in props.items() if v} == expected


def test_store_diff_matches_the_pure_function(store: Store, tmp_path: Path) -> None:
    old_lines = [ftm_line(f"e{i}", name=f"Name {i}") for i in range(50)]
    new_lines = [ftm_line(f"e{i}", name=f"Name {i}") for i in range(5, 55)]
    new_lines[0] = ftm_line("e5", name=["Name 5", "Other 5"])
    old = store.load(parse_ftm(write_ftm(tmp_path / "old.json", old_lines)), source="s")
    new = store.load(parse_ftm(write_ftm(tmp_path / "new.json", new_lines)), source="s")
    diff = store.diff(old.id, new.id)
    assert [c.entity_id for c in diff.removed] == sorted(f"e{i}" for i in range(5))
    assert [c.entity_id for c in diff.added] == sorted(f"e{i}" for i in range(50, 55))
    assert [c.entity_id for c in diff.changed] == ["e5"]
    assert diff.changed[0].properties == (PropertyChange("name", added=("Other 5",)),)
    assert diff.old_version_id == old.id and diff.new_version_id == new.id
    pure = diff_entities(
        entity_map(*old_lines), entity_map(*new_lines), old_version_id=old.id, new_version_id=new.id
    )
    assert diff.parsers[0] == diff.parsers[1] == old.parser_version  # same parser code
    assert replace(diff, parsers=(None, None)) == pure
    assert store.diff(new.id, new.id).is_empty
