"""The store on SQLite and PostgreSQL: loading, atomic activation, failed loads, reading back."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, Table, func, select, text

from clearance.errors import ListFormatError, StoreError, VersionNotFound
from clearance.store import SourceState, Store
from clearance.store.loader import BATCH_SIZE, VersionWriter
from clearance.store.tables import entity_blobs, list_versions, version_entities
from tests.store.factory import ftm_line, parse_ftm, write_ftm

PEOPLE = [
    ftm_line("p1", name="Ivan Petrov", birthDate="1958-02-01", nationality="ru"),
    ftm_line("p2", name="Maria Lopez", country="es"),
    ftm_line("c1", "Company", name="Acme Trading LLC", jurisdiction="ae"),
]


def count(store: Store, table: Table, *where: ColumnElement[bool]) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def test_load_creates_an_active_version(store: Store, tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "a.ftm.json", PEOPLE)
    seen: list[int] = []
    info = store.load(parse_ftm(path), source="test_list", progress=seen.append)
    assert info.active and info.status == "ready"
    assert info.source == "test_list" and info.format == "ftm_json"
    assert info.entity_count == 3
    assert info.schema_counts == {"Company": 1, "Person": 2}
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert info.files == [str(path)]
    assert (datetime.now(UTC) - info.loaded_at).total_seconds() < 60
    assert seen and seen[-1] == 3
    assert store.active_version("test_list") == info
    assert [v.id for v in store.active_versions()] == [info.id]
    ids = sorted(e.id or "" for e in store.entities(info.id))
    assert ids == ["c1", "p1", "p2"]
    ivan = store.entity("p1")
    assert ivan is not None and ivan.get("birthDate") == ["1958-02-01"]
    found = store.entity_record("p1")
    assert found is not None and found[0].id == info.id and found[1] == "p1"


def test_entities_stream_with_their_version(store: Store, tmp_path: Path) -> None:
    a = store.load(parse_ftm(write_ftm(tmp_path / "a.json", PEOPLE[:2])), source="a")
    b = store.load(parse_ftm(write_ftm(tmp_path / "b.json", PEOPLE[2:])), source="b")
    pairs = [(v.id, e.id) for v, e in store.active_entities()]
    assert sorted(pairs) == [(a.id, "p1"), (a.id, "p2"), (b.id, "c1")]
    assert [e.id for _, e in store.active_entities(["b"])] == ["c1"]


def test_identical_entities_are_stored_once(store: Store, tmp_path: Path) -> None:
    first = store.load(parse_ftm(write_ftm(tmp_path / "1.json", PEOPLE)), source="s")
    changed = [*PEOPLE[:2], ftm_line("c1", "Company", name="Acme Trading LLC", jurisdiction="om")]
    second = store.load(parse_ftm(write_ftm(tmp_path / "2.json", changed)), source="s")
    assert second.id != first.id
    assert count(store, entity_blobs) == 4  # p1, p2 shared; c1 twice
    assert count(store, version_entities) == 6


def test_reloading_the_same_files_returns_the_existing_version(
    store: Store, tmp_path: Path
) -> None:
    a = write_ftm(tmp_path / "a.json", PEOPLE)
    b = write_ftm(tmp_path / "b.json", PEOPLE[:2])
    first = store.load(parse_ftm(a), source="s")
    second = store.load(parse_ftm(b), source="s")
    assert store.active_version("s") == second
    again = store.load(parse_ftm(a), source="s", activate=False)
    assert again.id == first.id and not again.active
    assert store.active_version("s") == store.version(second.id)
    again = store.load(parse_ftm(a), source="s")
    assert again.id == first.id and again.active
    assert [v.id for v in store.versions("s")] == [first.id, second.id]
    # the same bytes under another source are another list
    other = store.load(parse_ftm(a), source="t")
    assert other.id not in (first.id, second.id)


def test_no_activate_keeps_the_old_version_serving(store: Store, tmp_path: Path) -> None:
    old = store.load(parse_ftm(write_ftm(tmp_path / "a.json", PEOPLE)), source="s")
    new = store.load(
        parse_ftm(write_ftm(tmp_path / "b.json", PEOPLE[:1])), source="s", activate=False
    )
    assert not new.active and store.active_version("s") == store.version(old.id)
    store.activate(new.id)
    assert store.active_version("s") == store.version(new.id)
    assert not store.version(old.id).active
    assert store.entity("p2") is None  # not in the active version
    assert store.entity("p2", old.id) is not None


def _many(n: int) -> list[dict[str, object]]:
    return [ftm_line(f"e{i}", name=f"Person Number {i}") for i in range(n)]


def test_failed_load_mid_iteration_leaves_nothing(store: Store, tmp_path: Path) -> None:
    old = store.load(parse_ftm(write_ftm(tmp_path / "a.json", PEOPLE)), source="s")
    blobs_before = count(store, entity_blobs)
    # a whole batch is written to the database before the broken line is reached
    n = BATCH_SIZE + 500
    broken = write_ftm(tmp_path / "b.json", _many(n), tail='{"id": "x", "schema": \n')
    with pytest.raises(ListFormatError, match=rf"b\.json, line {n + 1}"):
        store.load(parse_ftm(broken), source="s")
    assert store.active_version("s") == store.version(old.id)
    assert [v.id for v in store.versions("s")] == [old.id]
    assert count(store, version_entities, version_entities.c.version_id != old.id) == 0
    assert count(store, entity_blobs) == blobs_before
    failed = [v for v in store.versions("s", include_failed=True) if v.status == "failed"]
    assert len(failed) == 1 and failed[0].entity_count == 0 and not failed[0].active
    assert f"line {n + 1}" in failed[0].warnings[0]
    with pytest.raises(StoreError):
        store.activate(failed[0].id)
    # after fixing the file, the load goes through
    fixed = write_ftm(tmp_path / "b.json", _many(n))
    assert store.load(parse_ftm(fixed), source="s").entity_count == n


def test_old_version_serves_while_a_load_is_writing(store: Store, tmp_path: Path) -> None:
    old = store.load(parse_ftm(write_ftm(tmp_path / "a.json", PEOPLE)), source="s")
    seen: list[tuple[int | None, int]] = []

    def read_meanwhile(_count: int) -> None:  # runs inside the load's open transaction
        active = store.active_version("s")
        seen.append((active.id if active else None, sum(1 for _ in store.entities(old.id))))

    new = store.load(
        parse_ftm(write_ftm(tmp_path / "b.json", _many(4500))), source="s", progress=read_meanwhile
    )
    assert len(seen) >= 3 and set(seen) == {(old.id, 3)}
    assert store.active_version("s") == store.version(new.id)


def test_duplicate_entity_id_is_refused(store: Store, tmp_path: Path) -> None:
    dup = [*PEOPLE, ftm_line("p2", name="Someone Else")]
    with pytest.raises(ListFormatError, match=r"record p2: duplicate entity id 'p2'"):
        store.load(parse_ftm(write_ftm(tmp_path / "d.json", dup)), source="s")
    assert store.active_version("s") is None
    assert count(store, version_entities) == 0


def test_overlong_entity_id_is_refused_on_every_backend(store: Store, tmp_path: Path) -> None:
    long_id = "x" * 300
    with pytest.raises(ListFormatError, match="longer than 255 characters"):
        store.load(parse_ftm(write_ftm(tmp_path / "l.json", [ftm_line(long_id, name="A")])))
    assert count(store, version_entities) == 0


def test_public_surface() -> None:
    import clearance.store as package

    assert sorted(package.__all__) == [
        "EntityChange",
        "ListDiff",
        "PropertyChange",
        "SourceState",
        "Store",
        "VersionInfo",
        "diff_entities",
    ]
    assert all(hasattr(package, name) for name in package.__all__)


def test_database_error_becomes_store_error(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.load(parse_ftm(write_ftm(tmp_path / "a.json", PEOPLE)), source="s")

    def broken_flush(self: VersionWriter, batch: object) -> None:
        self.conn.execute(text("INSERT INTO no_such_table VALUES (1)"))

    monkeypatch.setattr(VersionWriter, "_flush", broken_flush)
    with pytest.raises(StoreError, match="loading s"):
        store.load(parse_ftm(write_ftm(tmp_path / "b.json", PEOPLE[:1])), source="s")
    assert store.active_version("s") == store.version(old.id)
    assert count(store, list_versions, list_versions.c.status == "ready") == 1


def test_unknown_version(store: Store) -> None:
    with pytest.raises(VersionNotFound):
        store.version(999)
    with pytest.raises(VersionNotFound):
        store.entities(999)
    with pytest.raises(VersionNotFound):
        store.diff(1, 2)
    assert store.entity("nope") is None
    assert store.active_version("nope") is None


def test_source_state_round_trip(store: Store) -> None:
    assert store.get_source_state("us_ofac_sdn") is None
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    state = SourceState("us_ofac_sdn", etag='"abc"', sha256="0" * 64, checked_at=now)
    store.set_source_state(state)
    assert store.get_source_state("us_ofac_sdn") == state
    state.stale, state.last_error = True, "HTTP 503"
    store.set_source_state(state)
    got = store.get_source_state("us_ofac_sdn")
    assert got is not None and got.stale and got.last_error == "HTTP 503"
    assert got.checked_at == now
    assert [s.source for s in store.source_states()] == ["us_ofac_sdn"]


def test_reopening_keeps_the_data(store_url: str, tmp_path: Path) -> None:
    with Store.open(store_url) as first:
        info = first.load(parse_ftm(write_ftm(tmp_path / "a.json", PEOPLE)), source="s")
    with Store.open(store_url) as again:
        assert again.active_version("s") == info


def test_versions_record_their_parser_and_a_parser_change_reparses(
    store: Store, tmp_path: Path
) -> None:
    from clearance.sources.version import parser_version

    path = write_ftm(tmp_path / "a.json", PEOPLE)
    first = store.load_path(path, source="s")
    assert first.parser_version == parser_version() and first.parser_version.startswith("p-")
    assert store.load_path(path, source="s").id == first.id  # same bytes, same parser: reused
    # pretend the version was parsed by older parser code: the same file is parsed again
    with store.engine.begin() as conn:
        conn.execute(
            list_versions.update()
            .where(list_versions.c.id == first.id)
            .values(parser_version="p-older")
        )
    second = store.load_path(path, source="s")
    assert second.id != first.id and second.parser_version == parser_version()
    diff = store.diff(first.id, second.id)
    assert diff.is_empty and diff.parser_changed
    assert diff.parsers == ("p-older", parser_version())
    assert "different parser versions" in diff.summary()
    assert diff.to_dict()["parser_changed"] is True
    same = store.diff(second.id, second.id)
    assert not same.parser_changed and "parser" not in same.summary()
