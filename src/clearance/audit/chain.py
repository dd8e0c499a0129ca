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

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from clearance.audit.tables import audit_head, audit_log

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


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(value: datetime) -> str:
    return _utc(value).isoformat(timespec="microseconds")


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
    """JSON round-trip, so the hashed form is exactly what the database gives back."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


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
    # take the write lock first: the head row is the queue every writer waits in
    locked = conn.execute(
        update(audit_head).where(audit_head.c.id == HEAD_ID).values(seq=audit_head.c.seq)
    )
    if locked.rowcount == 0:
        conn.execute(insert(audit_head).values(id=HEAD_ID, seq=0, hash=GENESIS))
    head = conn.execute(
        select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ID)
    ).one()
    seq = int(head.seq) + 1
    when = _utc(at or datetime.now(UTC))
    payload = _plain(dict(data or {}))
    used = _plain(list(versions or []))
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
        at=_utc(row.at),
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
) -> Iterator[AuditEntry]:
    """Entries in sequence order, optionally with ``start <= at < end`` (read in batches)."""
    last = 0
    while True:
        query = select(audit_log).where(audit_log.c.seq > last)
        if start is not None:
            query = query.where(audit_log.c.at >= _utc(start))
        if end is not None:
            query = query.where(audit_log.c.at < _utc(end))
        rows = conn.execute(query.order_by(audit_log.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _entry(row)
        last = int(rows[-1].seq)


def verify(engine: Engine) -> VerifyReport:
    """Recompute the whole chain; every edited, deleted or re-ordered entry is reported."""
    report = VerifyReport()
    with engine.connect() as conn:
        head = conn.execute(
            select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == HEAD_ID)
        ).first()
        expected_seq, prev = 1, GENESIS
        for entry in entries(conn):
            report.checked += 1
            if entry.seq != expected_seq:
                missing = f"{expected_seq}" + (
                    f"-{entry.seq - 1}" if entry.seq - 1 > expected_seq else ""
                )
                report.problems.append((expected_seq, f"entry {missing} deleted"))
            if entry.prev_hash != prev:
                report.problems.append(
                    (entry.seq, f"entry {entry.seq} does not follow the entry before it")
                )
            recomputed = entry_hash(
                entry.seq,
                entry.at,
                entry.actor,
                entry.action,
                entry.subject,
                entry.data,
                entry.versions,
                entry.prev_hash,
            )
            if recomputed != entry.hash:
                report.problems.append(
                    (
                        entry.seq,
                        f"entry {entry.seq} was edited (its content no longer hashes to "
                        f"its stored hash)",
                    )
                )
            prev, expected_seq = entry.hash, entry.seq + 1
    last_seq = expected_seq - 1
    if head is not None:
        report.head_seq, report.head_hash = int(head.seq), head.hash
        if int(head.seq) > last_seq:
            report.problems.append(
                (last_seq + 1, f"entries {last_seq + 1}-{head.seq} deleted from the end")
            )
        elif head.hash != prev:
            report.problems.append((last_seq, "the head does not match the last entry"))
    elif report.checked:
        report.problems.append((0, "the audit head row is missing"))
    return report


__all__ = ["GENESIS", "AuditEntry", "VerifyReport", "append", "entries", "entry_hash", "verify"]
