"""Full and delta runs on two real SDN slices: what a delta raises, closes and re-scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from clearance.audit import entries, verify
from clearance.monitor.book import import_rows
from clearance.monitor.runner import create_run, execute_run, run_book
from clearance.monitor.tables import alerts, monitor_runs
from clearance.screen.readers import read_rows
from clearance.store import Store
from tests.monitor.conftest import Lists, book_rows, write_book


def active(store: Store) -> dict[tuple[str, str], Any]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(alerts).where(alerts.c.status == "open")).all()
    return {(r.record_id, r.entity_id): r for r in rows}


def all_alerts(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(alerts)).all())


def setup_book(store: Store, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    import_rows(store, "retail", read_rows(write_book(tmp_path / "book.csv", rows)))


def test_full_then_delta(store: Store, sdn_lists: Lists, tmp_path: Path) -> None:
    index = tmp_path / "index"
    v1 = store.load_path(sdn_lists.v1)
    setup_book(store, tmp_path, book_rows(200))
    [full] = run_book(store, "retail", index_root=index, workers=1)
    assert full.kind == "full" and full.done == 205
    first = active(store)
    assert ("p-aero", "ofac-36") in first and ("p-bnc", "ofac-306") in first
    assert not any(rid in ("p-roso", "p-melli") for rid, _ in first)
    assert {r.cause["kind"] for r in first.values()} == {"full"}

    # nothing changed: a delta screens nothing and raises nothing
    [idle] = run_book(store, "retail", index_root=index, workers=1)
    assert (idle.kind, idle.total, idle.counts.raised) == ("delta", 0, 0)

    v2 = store.load_path(sdn_lists.v2)
    [delta] = run_book(store, "retail", index_root=index, workers=1)
    assert delta.kind == "delta"
    assert delta.changes["added"] >= 2 and delta.changes["removed"] >= 1
    after = active(store)
    added = {k: r for k, r in after.items() if k not in first}
    assert ("p-roso", "ofac-18782") in added and ("p-melli", "ofac-25578") in added
    assert ("p-havana", "ofac-306") in added  # matches the alias version 2 added
    for row in added.values():
        assert row.cause["kind"] in ("list_added", "list_changed")
        assert row.cause["source"] == "us_ofac_sdn"
        assert row.cause["version_id"] == v2.id and row.cause["previous_version_id"] == v1.id
    assert after[("p-roso", "ofac-18782")].cause["kind"] == "list_added"
    assert after[("p-havana", "ofac-306")].cause["kind"] == "list_changed"
    # the removed airline's alert is closed with the version that removed it
    [closed] = [r for r in all_alerts(store) if r.status == "closed"]
    assert (closed.record_id, closed.entity_id) == ("p-aero", "ofac-36")
    assert f"by version {v2.id}" in closed.closed_reason
    # an alert pair found before and again (BNC, whose entity changed) is re-scored, not doubled
    pairs = [(r.record_id, r.entity_id) for r in all_alerts(store) if r.status == "open"]
    assert len(pairs) == len(set(pairs))
    assert verify(store.engine).ok


def test_delta_equals_a_full_run_from_scratch(
    store: Store, sdn_lists: Lists, tmp_path: Path, store_url: str
) -> None:
    """After the delta, the open pairs are those a full run over version 2 finds."""
    index = tmp_path / "index"
    rows = book_rows(200)
    store.load_path(sdn_lists.v1)
    setup_book(store, tmp_path, rows)
    run_book(store, "retail", index_root=index, workers=1)
    store.load_path(sdn_lists.v2)
    run_book(store, "retail", index_root=index, workers=1)
    delta_pairs = set(active(store))

    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        fresh.load_path(sdn_lists.v2)
        setup_book(fresh, tmp_path / "fresh", rows)
        # another store: its own index root (index keys are version ids of one store)
        run_book(fresh, "retail", index_root=tmp_path / "fresh-index", workers=1)
        assert delta_pairs == set(active(fresh))
    finally:
        fresh.close()


def test_changed_and_new_records_are_rescreened(
    store: Store, sdn_lists: Lists, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    store.load_path(sdn_lists.v1)
    rows = book_rows(50)
    setup_book(store, tmp_path, rows)
    run_book(store, "retail", index_root=index, workers=1)
    rows[0] = {"id": rows[0]["id"], "schema": "Organization", "name": "Banco Nacional de Cuba"}
    rows.append({"id": "z-new", "schema": "Organization", "name": "Aerocaribbean Airlines"})
    setup_book(store, tmp_path / "2", rows)
    [delta] = run_book(store, "retail", index_root=index, workers=1)
    assert delta.total == 2  # only the changed and the new record
    found = active(store)
    assert found[(rows[0]["id"], "ofac-306")].cause["kind"] == "record_changed"
    assert found[("z-new", "ofac-36")].cause["kind"] == "record_new"
    assert found[(rows[0]["id"], "ofac-306")].record_version == 2


def test_deleted_record_closes_its_alerts(store: Store, sdn_lists: Lists, tmp_path: Path) -> None:
    index = tmp_path / "index"
    store.load_path(sdn_lists.v1)
    rows = book_rows(20)
    setup_book(store, tmp_path, rows)
    run_book(store, "retail", index_root=index, workers=1)
    keep = [r for r in rows if r["id"] != "p-bnc"]
    import_rows(store, "retail", read_rows(write_book(tmp_path / "k.csv", keep)), replace=True)
    [delta] = run_book(store, "retail", index_root=index, workers=1)
    assert delta.counts.closed >= 1
    closed = [r for r in all_alerts(store) if r.record_id == "p-bnc"]
    assert closed and {r.status for r in closed} == {"closed"}
    assert {r.closed_reason for r in closed} == {"record deleted from the book"}


def test_a_full_run_twice_raises_nothing_new(
    store: Store, sdn_lists: Lists, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    store.load_path(sdn_lists.v1)
    setup_book(store, tmp_path, book_rows(30))
    run_book(store, "retail", index_root=index, kind="full", workers=1)
    count = len(all_alerts(store))
    [again] = run_book(store, "retail", index_root=index, kind="full", workers=1)
    assert again.counts.raised == 0 and again.counts.known == count
    assert len(all_alerts(store)) == count
    with store.engine.connect() as conn:
        actions = [e.action for e in entries(conn)]
        runs = conn.execute(select(monitor_runs.c.status)).scalars().all()
    assert actions.count("alert.raised") == count
    assert actions.count("run.started") == actions.count("run.finished") == 2
    assert runs == ["completed", "completed"]


def test_a_resumed_run_uses_its_pinned_versions(
    store: Store, sdn_lists: Lists, tmp_path: Path
) -> None:
    """A run planned on version 1 but executed after version 2 was activated screens version 1."""
    index = tmp_path / "index"
    v1 = store.load_path(sdn_lists.v1)
    setup_book(store, tmp_path, book_rows(20))
    run_id = create_run(store, "retail", kind="full")
    store.load_path(sdn_lists.v2)
    report = execute_run(store, run_id, index_root=index, workers=1)
    assert report.status == "completed"
    found = active(store)
    assert ("p-aero", "ofac-36") in found  # only in version 1
    assert {r.version_id for r in found.values()} == {v1.id}


def test_two_processes_on_one_run_raise_each_alert_once(
    store: Store, sdn_lists: Lists, tmp_path: Path
) -> None:
    """A chunk finished by two executors is committed once: the second rolls back."""
    from clearance.monitor.runner import RunExecutor

    index = tmp_path / "index"
    store.load_path(sdn_lists.v1)
    setup_book(store, tmp_path, book_rows(120))
    run_id = create_run(store, "retail", kind="full", chunk_size=25)
    first = RunExecutor(store, run_id, index_root=index, workers=1)
    second = RunExecutor(store, run_id, index_root=index, workers=1)  # saw nothing committed
    done = first.execute()
    late = second.execute()
    assert done.counts.raised > 0 and late.counts.raised == 0 and late.chunks == 0
    pairs = [(r.record_id, r.entity_id) for r in all_alerts(store)]
    assert len(pairs) == len(set(pairs)) == done.counts.raised
    with store.engine.connect() as conn:
        actions = [e.action for e in entries(conn)]
    assert actions.count("run.finished") == 1
    assert actions.count("alert.raised") == done.counts.raised


def test_list_changes_name_the_parties_and_versions(store: Store, sdn_lists: Lists) -> None:
    from clearance.monitor.changes import list_changes

    v1 = store.load_path(sdn_lists.v1)
    v2 = store.load_path(sdn_lists.v2)
    changes = list_changes(store, {"us_ofac_sdn": v1.id}, {"us_ofac_sdn": v2.id})
    assert {"ofac-18782", "ofac-25578"} <= set(changes.added)
    assert "ofac-36" in changes.removed
    assert changes.changed["ofac-306"]["properties"] == ["weakAlias"]  # the a.k.a. added
    where = changes.added["ofac-18782"]
    assert (where["source"], where["version_id"], where["previous_version_id"]) == (
        "us_ofac_sdn",
        v2.id,
        v1.id,
    )
    assert all(not e.endswith(("-sanction", "-id")) for e in changes.affected)
    assert list_changes(store, {"us_ofac_sdn": v2.id}, {"us_ofac_sdn": v2.id}).is_empty


def test_the_delta_index_is_removed_when_the_run_completes(
    store: Store, sdn_lists: Lists, tmp_path: Path
) -> None:
    from clearance.monitor.indexes import delta_root

    index = tmp_path / "index"
    store.load_path(sdn_lists.v1)
    setup_book(store, tmp_path, book_rows(20))
    run_book(store, "retail", index_root=index, workers=1)
    store.load_path(sdn_lists.v2)
    [delta] = run_book(store, "retail", index_root=index, workers=1)
    assert delta.counts.raised >= 2
    assert not any(delta_root(index).glob("delta-*"))
