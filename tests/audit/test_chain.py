"""The hash chain on SQLite and PostgreSQL: append and verify, and tampering done directly with
SQL (edit, delete in the middle, delete at the end, forge an entry) named by seq."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from clearance import audit
from clearance.audit import GENESIS, entry_hash
from clearance.audit.tables import audit_log
from clearance.store import Store


def _fill(store: Store, n: int) -> list[audit.AuditEntry]:
    out = []
    for i in range(1, n + 1):
        with store.engine.begin() as conn:
            out.append(
                audit.append(
                    conn,
                    actor=f"user{i % 3}",
                    action="decision.made" if i % 2 else "screen.api",
                    subject=f"subject-{i}",
                    data={"i": i, "reason": "Müller ≠ Miller", "score": 0.5 + i / 100},
                    versions=[i, i + 1],
                )
            )
    return out


def _sql(store: Store, sql: str, **params: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_append_links_entries_and_verify_passes(store: Store) -> None:
    assert audit.verify(store.engine).ok  # empty trail
    made = _fill(store, 5)
    assert [e.seq for e in made] == [1, 2, 3, 4, 5]
    assert made[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(made))
    # the stored hash is the documented function of the content
    first = made[0]
    assert first.hash == entry_hash(
        1, first.at, "user1", "decision.made", "subject-1", first.data, [1, 2], GENESIS
    )
    report = audit.verify(store.engine)
    assert report.ok and report.checked == 5
    assert (report.head_seq, report.head_hash) == (5, made[-1].hash)
    with store.engine.connect() as conn:
        read = list(audit.entries(conn))
    assert [e.to_dict() for e in read] == [e.to_dict() for e in made]


def test_rolled_back_append_leaves_no_trace(store: Store) -> None:
    _fill(store, 2)
    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        audit.append(conn, actor="a", action="x", subject="s")
        raise RuntimeError("the caller's work failed")
    after = _fill(store, 1)
    assert after[0].seq == 3  # the rolled-back entry used no sequence number
    report = audit.verify(store.engine)
    assert report.ok and report.checked == 3 and report.head_seq == 3


def test_entries_by_date_range(store: Store) -> None:
    base = datetime(2026, 3, 1, 12, tzinfo=UTC)
    with store.engine.begin() as conn:
        for day in range(5):
            audit.append(
                conn, actor="a", action="x", subject=str(day), at=base + timedelta(days=day)
            )
    with store.engine.connect() as conn:
        got = list(audit.entries(conn, base + timedelta(days=1), base + timedelta(days=3), batch=1))
    assert [e.subject for e in got] == ["1", "2"]
    assert audit.verify(store.engine).ok


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor", "'mallory'"),
        ("action", "'decision.approved'"),
        ("subject", "'other-alert'"),
        ("data", '\'{"i": 3, "reason": "Miller", "score": 0.53}\''),
        ("versions", "'[99]'"),
        ("prev_hash", "'" + "a" * 64 + "'"),
        ("hash", "'" + "b" * 64 + "'"),
    ],
)
def test_edited_row_is_named(store: Store, column: str, value: str) -> None:
    _fill(store, 5)
    if store.engine.dialect.name == "postgresql" and column in ("data", "versions"):
        value += "::json"
    _sql(store, f"UPDATE audit_log SET {column} = {value} WHERE seq = 3")
    report = audit.verify(store.engine)
    assert not report.ok
    seqs = {seq for seq, _ in report.problems}
    assert 3 in seqs and seqs <= {3, 4}, report.problems
    named = next(msg for seq, msg in report.problems if seq == 3)
    assert "entry 3 (" in named


def test_edited_time_is_named(store: Store) -> None:
    _fill(store, 4)
    _sql(store, "UPDATE audit_log SET at = :at WHERE seq = 2", at=datetime(2020, 1, 1, tzinfo=UTC))
    report = audit.verify(store.engine)
    assert [seq for seq, _ in report.problems] == [2]
    assert "was edited" in report.problems[0][1] and "2020-01-01" in report.problems[0][1]


def test_rewritten_entry_with_recomputed_hash_is_named(store: Store) -> None:
    """Editing an entry and fixing its own hash breaks the link to the next one."""
    made = _fill(store, 4)
    old = made[1]
    forged = entry_hash(old.seq, old.at, "mallory", old.action, old.subject, old.data,
                        old.versions, old.prev_hash)  # fmt: skip
    _sql(store, "UPDATE audit_log SET actor='mallory', hash=:h WHERE seq=2", h=forged)
    report = audit.verify(store.engine)
    assert len(report.problems) == 1
    seq, msg = report.problems[0]
    assert seq == 3 and "entry 2 (" in msg and "entry 3 (" in msg


def test_deleted_middle_row_is_named(store: Store) -> None:
    _fill(store, 6)
    _sql(store, "DELETE FROM audit_log WHERE seq = 3")
    report = audit.verify(store.engine)
    assert report.problems == [(3, report.problems[0][1])]
    assert report.problems[0][1].startswith("entry 3 deleted after entry 2 (")
    _sql(store, "DELETE FROM audit_log WHERE seq IN (4, 5)")
    report = audit.verify(store.engine)
    assert [seq for seq, _ in report.problems] == [3]
    assert report.problems[0][1].startswith("entries 3-5 deleted")


def test_deleted_first_row_is_named(store: Store) -> None:
    _fill(store, 3)
    _sql(store, "DELETE FROM audit_log WHERE seq = 1")
    report = audit.verify(store.engine)
    assert [seq for seq, _ in report.problems] == [1]
    assert "at the start" in report.problems[0][1]


@pytest.mark.parametrize("deleted", [1, 2, 5])
def test_deleted_tail_is_caught_by_the_head(store: Store, deleted: int) -> None:
    _fill(store, 5)
    _sql(store, "DELETE FROM audit_log WHERE seq > :n", n=5 - deleted)
    report = audit.verify(store.engine)
    assert [seq for seq, _ in report.problems] == [6 - deleted]
    assert "deleted from the end" in report.problems[0][1]
    assert str(5) in report.problems[0][1]


def test_head_tampering_is_caught(store: Store) -> None:
    _fill(store, 3)
    _sql(store, "UPDATE audit_head SET hash = :h", h="c" * 64)
    assert [seq for seq, _ in audit.verify(store.engine).problems] == [3]
    _sql(store, "DELETE FROM audit_head")
    report = audit.verify(store.engine)
    assert not report.ok and "head row is missing" in report.problems[0][1]


def test_forged_entry_beyond_the_head_is_caught(store: Store) -> None:
    made = _fill(store, 3)
    at = datetime.now(UTC)
    forged = entry_hash(4, at, "mallory", "x", "s", {}, [], made[-1].hash)
    with store.engine.begin() as conn:
        conn.execute(
            audit_log.insert().values(
                seq=4, at=at, actor="mallory", action="x", subject="s", data={}, versions=[],
                prev_hash=made[-1].hash, hash=forged,
            )
        )  # fmt: skip
    report = audit.verify(store.engine)
    assert [seq for seq, _ in report.problems] == [4]
    assert "behind the head's back" in report.problems[0][1]


def test_bad_data_is_refused_before_writing(store: Store) -> None:
    with store.engine.begin() as conn, pytest.raises(ValueError, match="plain JSON"):
        audit.append(conn, actor="a", action="x", subject="s", data={"score": float("nan")})
    assert audit.verify(store.engine).checked == 0


@pytest.mark.parametrize(
    ("field", "value"), [("actor", "a" * 129), ("action", "x" * 65), ("subject", "s" * 256)]
)
def test_overlong_fields_are_refused_on_every_database(
    store: Store, field: str, value: str
) -> None:
    args = {"actor": "a", "action": "x", "subject": "s", field: value}
    with store.engine.begin() as conn, pytest.raises(ValueError, match=field):
        audit.append(conn, **args)
    assert audit.verify(store.engine).checked == 0
