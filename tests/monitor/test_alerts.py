"""The alert dedup rule (clearance.monitor.alerts) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

from clearance.audit import entries, verify
from clearance.monitor.alerts import Finding, apply_findings, close_alerts
from clearance.monitor.tables import alert_events, alerts, goodguys
from clearance.store import Store


def finding(
    record: str = "r1",
    entity: str = "ofac-1",
    rh: str = "a" * 64,
    eh: str = "b" * 64,
    score: float = 0.9,
) -> Finding:
    return Finding(
        record_id=record,
        record_version=1,
        record_hash=rh,
        entity_id=entity,
        entity_hash=eh,
        source="us_ofac_sdn",
        version_id=1,
        score=score,
        hit={"entity_id": entity, "score": score},
        cause={"kind": "full", "source": "us_ofac_sdn", "version_id": 1},
    )


def apply(store: Store, *found: Finding) -> Any:
    with store.engine.begin() as conn:
        return apply_findings(conn, "book", found, run_id="run", versions=[1])


def rows(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(alerts).order_by(alerts.c.created_at)).all())


def events(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(alert_events.c.kind).order_by(alert_events.c.id)).scalars())


def set_status(store: Store, status: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(alerts).values(status=status))


def test_same_pair_is_raised_once(store: Store) -> None:
    first = apply(store, finding())
    again = apply(store, finding(), finding())
    assert (first.raised, again.raised, again.known) == (1, 0, 2)
    [alert] = rows(store)
    assert alert.status == "open" and alert.cause["kind"] == "full"
    assert events(store) == ["raised"]


def test_changed_side_rescores_the_active_alert(store: Store) -> None:
    apply(store, finding())
    counts = apply(store, finding(eh="c" * 64, score=0.95))
    assert (counts.raised, counts.rescored) == (0, 1)
    [alert] = rows(store)
    assert alert.entity_hash == "c" * 64 and alert.score == 0.95
    assert events(store) == ["raised", "rescored"]


def test_escalated_and_pending_alerts_count_as_active(store: Store) -> None:
    apply(store, finding())
    for status in ("escalated", "pending_approval"):
        set_status(store, status)
        assert apply(store, finding()).raised == 0
    assert len(rows(store)) == 1


def test_true_match_is_never_raised_again(store: Store) -> None:
    apply(store, finding())
    set_status(store, "true_match")
    counts = apply(store, finding(rh="d" * 64))
    assert (counts.raised, counts.known) == (0, 1)
    assert len(rows(store)) == 1


def _good_guy(store: Store, rh: str, eh: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(
            insert(goodguys).values(
                book="book",
                record_id="r1",
                entity_id="ofac-1",
                record_hash=rh,
                entity_hash=eh,
                alert_id=None,
                decided_by="ana",
                approved_by="bo",
                reason="different birth date",
                created_at=datetime.now(UTC),
            )
        )


def test_good_guy_is_suppressed_until_a_side_changes(store: Store) -> None:
    _good_guy(store, "a" * 64, "b" * 64)
    assert apply(store, finding()).suppressed == 1
    assert rows(store) == []
    assert apply(store, finding(eh="e" * 64)).raised == 1  # the list entity changed
    assert len(rows(store)) == 1


def test_false_positive_decision_suppresses_the_same_content(store: Store) -> None:
    apply(store, finding())
    set_status(store, "false_positive")
    assert apply(store, finding()).suppressed == 1
    assert apply(store, finding(rh="f" * 64)).raised == 1  # the customer record changed
    assert sorted(r.status for r in rows(store)) == ["false_positive", "open"]


def test_close_names_the_reason_and_a_relisting_is_a_new_alert(store: Store) -> None:
    apply(store, finding(), finding(record="r2"))
    with store.engine.begin() as conn:
        closed = close_alerts(
            conn,
            "book",
            reason="list entity removed by version 2",
            entity_ids=["ofac-1"],
            run_id="run",
            versions=[2],
        )
    assert closed == 2
    assert {(r.status, r.closed_reason) for r in rows(store)} == {
        ("closed", "list entity removed by version 2")
    }
    assert apply(store, finding()).raised == 1
    assert sorted(r.status for r in rows(store)) == ["closed", "closed", "open"]


def test_every_write_is_in_the_audit_trail(store: Store) -> None:
    apply(store, finding(), finding(record="r2"))
    apply(store, finding(eh="c" * 64))
    with store.engine.begin() as conn:
        close_alerts(conn, "book", reason="gone", record_ids=["r2"], run_id="run", versions=[1])
    with store.engine.connect() as conn:
        actions = [(e.action, e.actor) for e in entries(conn)]
    assert actions == [
        ("alert.raised", "monitor"),
        ("alert.raised", "monitor"),
        ("alert.rescored", "monitor"),
        ("alert.closed", "monitor"),
    ]
    assert verify(store.engine).ok


def test_a_failed_transaction_leaves_no_alert_and_no_audit_entry(store: Store) -> None:
    try:
        with store.engine.begin() as conn:
            apply_findings(conn, "book", [finding()], run_id="run", versions=[1])
            raise RuntimeError("crash before commit")
    except RuntimeError:
        pass
    assert rows(store) == []
    with store.engine.connect() as conn:
        assert list(entries(conn)) == []
