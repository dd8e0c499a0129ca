"""The tamper-evident audit trail: an append-only, hash-chained log in the store's database.

Each entry carries the hash of the one before it, and its own hash covers its content and that
previous hash::

    hash(n) = sha256(canonical JSON of {seq, at, actor, action, subject, data, versions,
                                       prev_hash = hash(n-1)})

``audit_head`` holds the sequence number and hash of the last entry. Appending updates that row
first, in the caller's transaction, so concurrent writers queue on one row lock (PostgreSQL) or on
the write lock (SQLite) and the chain never forks. :func:`verify` recomputes the chain and names
every entry that was edited, deleted or inserted out of order; a truncated tail is caught by the
head row. (Someone able to rewrite the whole chain *and* the head defeats any in-database check:
publish the head hash that ``clearance audit verify`` prints, e.g. in a daily report, to anchor it.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from clearance.audit.tables import audit_head, audit_log
from clearance.store.types import utc

GENESIS = "0" * 64
"""The ``prev_hash`` of the first entry."""

HEAD_ID = 1


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the trail, as stored."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    data: dict[str, Any]
    versions: list[Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["at"] = _iso(self.at)
        return out


@dataclass
class VerifyReport:
    """What :func:`verify` found: the entries checked and every problem, by sequence number."""

    checked: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _iso(value: datetime) -> str:
    return utc(value).isoformat(timespec="microseconds")


def entry_hash(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    data: Mapping[str, Any],
    versions: Sequence[Any],
    prev_hash: str,
) -> str:
    """The hash of an entry (see module doc)."""
    body = {
        "seq": seq,
        "at": _iso(at),
        "actor": actor,
        "action": action,
        "subject": subject,
        "data": data,
        "versions": list(versions),
        "prev_hash": prev_hash,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """JSON round-trip, so the hashed form is exactly what the database gives back.

    NaN and infinities are refused: they are not JSON, and PostgreSQL would reject the row.
    """
    try:
        return json.loads(json.dumps(value, ensure_ascii=False, default=str, allow_nan=False))
    except ValueError as exc:
        raise ValueError(f"audit data must be plain JSON: {exc}") from exc


def _insert_head_if_missing(conn: Connection) -> None:
    """Create the head row unless it exists (two first writers must not both insert it)."""
    values = {"id": HEAD_ID, "seq": 0, "hash": GENESIS}
    name = conn.dialect.name
    if name == "postgresql":
        conn.execute(pg_insert(audit_head).values(**values).on_conflict_do_nothing())
    elif name == "sqlite":
        conn.execute(sqlite_insert(audit_head).values(**values).on_conflict_do_nothing())
    else:
        conn.execute(insert(audit_head).values(**values))


def _lock_head(conn: Connection) -> None:
    """Take the write lock first: the head row is the queue every writer waits in.

    On PostgreSQL the no-op UPDATE row-locks the head until the caller's transaction ends; the
    next writer's UPDATE waits, then (READ COMMITTED) reads the head the first one wrote. SQLite
    has one writer at a time anyway; the UPDATE makes this transaction that writer at once.
    """

    def touch() -> int:
        done = conn.execute(
            update(audit_head).where(audit_head.c.id == HEAD_ID).values(seq=audit_head.c.seq)
        )
        return int(done.rowcount)

    if touch() == 0:
        _insert_head_if_missing(conn)
        touch()


def append(
    conn: Connection,
    *,
    actor: str,
    action: str,
    subject: str,
    data: Mapping[str, Any] | None = None,
    versions: Sequence[Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (it commits or rolls back with the caller's
    work, so an action and its audit entry are never separated)."""
    # everything that can be refused is checked before the head is locked
    for name, value in (("actor", actor), ("action", action), ("subject", subject)):
        limit: int | None = getattr(audit_log.c[name].type, "length", None)
        if not isinstance(value, str) or (limit is not None and len(value) > limit):
            raise ValueError(f"audit {name} must be a string of at most {limit} characters")
    when = utc(at or datetime.now(UTC))
    payload = _plain(dict(data or {}))
    used = _plain(list(versions or []))
    _lock_head(conn)
    head = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ID)
    ).one()
    seq = int(head.seq) + 1
    digest = entry_hash(seq, when, actor, action, subject, payload, used, head.hash)
    conn.execute(
        insert(audit_log).values(
            seq=seq,
            at=when,
            actor=actor,
            action=action,
            subject=subject,
            data=payload,
            versions=used,
            prev_hash=head.hash,
            hash=digest,
        )
    )
    conn.execute(update(audit_head).where(audit_head.c.id == HEAD_ID).values(seq=seq, hash=digest))
    return AuditEntry(seq, when, actor, action, subject, payload, used, head.hash, digest)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=int(row.seq),
        at=utc(row.at),
        actor=row.actor,
        action=row.action,
        subject=row.subject,
        data=dict(row.data or {}),
        versions=list(row.versions or []),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def entries(
    conn: Connection,
    start: datetime | None = None,
    end: datetime | None = None,
    batch: int = 1000,
    *,
    max_seq: int | None = None,
) -> Iterator[AuditEntry]:
    """Entries in sequence order, optionally with ``start <= at < end`` and ``seq <= max_seq``
    (read in batches)."""
    last: int | None = None
    while True:
        query = select(audit_log)
        if last is not None:
            query = query.where(audit_log.c.seq > last)
        if max_seq is not None:
            query = query.where(audit_log.c.seq <= max_seq)
        if start is not None:
            query = query.where(audit_log.c.at >= utc(start))
        if end is not None:
            query = query.where(audit_log.c.at < utc(end))
        rows = conn.execute(query.order_by(audit_log.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _entry(row)
        last = int(rows[-1].seq)


def _label(entry: AuditEntry) -> str:
    """How a problem names an entry: seq, action, subject and time."""
    return (
        f"entry {entry.seq} ({entry.action} {entry.subject!r} by {entry.actor} at {_iso(entry.at)})"
    )


def _check_entry(
    entry: AuditEntry, before: AuditEntry | None, expected: int
) -> list[tuple[int, str]]:
    """The problems of one entry, given the entry before it (``None`` for the first)."""
    problems: list[tuple[int, str]] = []
    gap = entry.seq != expected
    if gap:
        if entry.seq > expected:
            span = _span(expected, entry.seq - 1)
            after = f" after {_label(before)}" if before is not None else " at the start"
            problems.append((expected, f"{span} deleted{after}, before {_label(entry)}"))
        else:
            problems.append((entry.seq, f"{_label(entry)} is out of sequence"))
    prev = before.hash if before is not None else GENESIS
    # a broken link after a gap or after an edited entry is a consequence, not a new problem
    before_intact = before is None or _recompute(before) == before.hash
    if entry.prev_hash != prev and not gap and before_intact:
        culprit = _label(before) if before is not None else "the start of the chain"
        problems.append(
            (
                entry.seq,
                f"{_label(entry)} does not chain to {culprit}: one of them was rewritten "
                "(content and hash) or an entry was inserted",
            )
        )
    if _recompute(entry) != entry.hash:
        problems.append(
            (entry.seq, f"{_label(entry)} was edited: its content no longer hashes to its hash")
        )
    return problems


def _recompute(entry: AuditEntry) -> str:
    return entry_hash(
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.subject,
        entry.data,
        entry.versions,
        entry.prev_hash,
    )


def read_head(conn: Connection) -> tuple[int, str] | None:
    """The head row's (seq, hash), or ``None`` before the first entry."""
    row = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ID)
    ).first()
    return (int(row.seq), str(row.hash)) if row is not None else None


def _span(first: int, last: int) -> str:
    return f"entry {first}" if first == last else f"entries {first}-{last}"


def verify(engine: Engine) -> VerifyReport:
    """Recompute the whole chain; every edited, deleted or inserted entry is reported."""
    with engine.connect() as conn:
        return verify_connection(conn)


def verify_connection(conn: Connection) -> VerifyReport:
    """:func:`verify` on an open connection (e.g. inside a transaction a test rolls back).

    The head is read first and the chain checked up to it, so entries appended while verifying
    (a live system) are not mistaken for tampering. Entries beyond the head are then compared
    with a fresh read of the head: only entries it does not cover were inserted behind its back.
    """
    report = VerifyReport()
    head = read_head(conn)
    before: AuditEntry | None = None
    expected = 1
    for entry in entries(conn, max_seq=head[0] if head is not None else None):
        report.checked += 1
        report.problems.extend(_check_entry(entry, before, expected))
        if entry.seq >= expected:  # an out-of-sequence entry is reported, not followed
            before, expected = entry, entry.seq + 1
    last_seq = before.seq if before is not None else 0
    last_hash = before.hash if before is not None else GENESIS
    if head is None:
        if report.checked:
            report.problems.append((1, f"the audit head row is missing ({report.checked} entries)"))
        return report
    report.head_seq, report.head_hash = head
    if head[0] > last_seq:
        after = f" after {_label(before)}" if before is not None else ""
        span = _span(last_seq + 1, head[0])
        report.problems.append((last_seq + 1, f"{span} deleted from the end{after}"))
    elif head[1] != last_hash:
        report.problems.append(
            (last_seq, f"the head hash does not match the last entry, {_label(before)}")
            if before is not None
            else (0, "the head hash is not the genesis hash of an empty trail")
        )
    beyond = conn.execute(
        select(func.max(audit_log.c.seq)).where(audit_log.c.seq > head[0])
    ).scalar()
    if beyond is not None:
        now = read_head(conn)
        if now is None or int(beyond) > now[0]:
            covered = now[0] if now is not None else head[0]
            span = _span(max(covered, head[0]) + 1, int(beyond))
            report.problems.append(
                (max(covered, head[0]) + 1, f"{span} added behind the head's back")
            )
    return report


__all__ = [
    "GENESIS",
    "AuditEntry",
    "VerifyReport",
    "append",
    "entries",
    "entry_hash",
    "read_head",
    "verify",
    "verify_connection",
]
