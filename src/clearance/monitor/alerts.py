"""Raising, re-scoring and closing alerts: the write side, inside the caller's transaction.

An alert is one (book record, list entity) pair screening flagged. The dedup rule (also in
docs/monitoring.md), applied to every pair a run finds:

1. the pair has an **active** alert (``open`` / ``escalated`` / ``pending_approval``): nothing
   new is raised. If the record's or the entity's content hash changed since, the alert is
   updated in place (new score, hit, hashes) and gets a ``rescored`` event;
2. the pair was decided ``true_match``: not raised again (the customer is a known match);
3. the pair is a **good guy** (a ``goodguys`` row, or an alert decided ``false_positive``) whose
   record hash *and* entity hash equal the current ones: suppressed. If either side changed
   (new alias on the list, new birth date in the book) it is alerted again;
4. otherwise a new ``open`` alert is raised (also after a system-``closed`` one: an entity
   removed from a list and listed again is a new listing).

A list entity removed by a new version closes its active alerts (status ``closed``,
``closed_reason`` naming the version); so does a record deleted from the book. Every raise,
re-score and close writes an ``alert_events`` row and an audit entry
(:func:`clearance.audit.append`) in the same transaction as the alert itself, so an alert and
its audit trail are never separated — and a crashed chunk leaves neither.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from clearance import audit
from clearance.monitor.tables import alert_events, alerts, goodguys

ACTIVE = ("open", "escalated", "pending_approval")
"""Alert statuses still waiting for (or under) review."""
DECIDED = ("true_match", "false_positive")
ACTOR = "monitor"
IN_BATCH = 500
"""Ids per ``IN (...)`` lookup."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A pair screening found: the record and entity as screened, the hit and what caused it."""

    record_id: str
    record_version: int
    record_hash: str
    entity_id: str
    entity_hash: str
    source: str
    version_id: int
    score: float
    hit: dict[str, Any]
    cause: dict[str, Any]


@dataclass
class AlertCounts:
    """What one write did: alerts raised, re-scored, closed; pairs suppressed or already known."""

    raised: int = 0
    rescored: int = 0
    closed: int = 0
    suppressed: int = 0
    known: int = 0

    def add(self, other: AlertCounts) -> None:
        for name in ("raised", "rescored", "closed", "suppressed", "known"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _event(conn: Connection, alert_id: str, kind: str, at: datetime, data: dict[str, Any]) -> None:
    conn.execute(
        insert(alert_events).values(alert_id=alert_id, at=at, actor=ACTOR, kind=kind, data=data)
    )


def _pair_state(
    conn: Connection, book: str, record_ids: Sequence[str]
) -> tuple[dict[tuple[str, str], list[Any]], dict[tuple[str, str], Any]]:
    """Existing alerts and good-guy rows of the records, by (record_id, entity_id)."""
    found: dict[tuple[str, str], list[Any]] = {}
    good: dict[tuple[str, str], Any] = {}
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), IN_BATCH):
        part = ids[start : start + IN_BATCH]
        rows = conn.execute(
            select(
                alerts.c.id,
                alerts.c.record_id,
                alerts.c.entity_id,
                alerts.c.status,
                alerts.c.record_hash,
                alerts.c.entity_hash,
            ).where(alerts.c.book == book, alerts.c.record_id.in_(part))
        )
        for row in rows:
            found.setdefault((row.record_id, row.entity_id), []).append(row)
        for row in conn.execute(
            select(goodguys).where(goodguys.c.book == book, goodguys.c.record_id.in_(part))
        ):
            good[(row.record_id, row.entity_id)] = row
    return found, good


def apply_findings(
    conn: Connection,
    book: str,
    findings: Iterable[Finding],
    *,
    run_id: str | None,
    versions: Sequence[int],
) -> AlertCounts:
    """Raise or re-score alerts for ``findings`` under the dedup rule (module doc)."""
    todo = list(findings)
    counts = AlertCounts()
    if not todo:
        return counts
    existing, good = _pair_state(conn, book, [f.record_id for f in todo])
    now = datetime.now(UTC)
    used = sorted(set(versions))
    done: set[tuple[str, str]] = set()
    for f in todo:
        pair = (f.record_id, f.entity_id)
        if pair in done:  # found twice in one write (both delta directions): once is enough
            counts.known += 1
            continue
        done.add(pair)
        rows = existing.get(pair, [])
        active = next((r for r in rows if r.status in ACTIVE), None)
        if active is not None:
            if (active.record_hash, active.entity_hash) == (f.record_hash, f.entity_hash):
                counts.known += 1
                continue
            _rescore(conn, active.id, f, run_id, now, used)
            counts.rescored += 1
            continue
        if any(r.status == "true_match" for r in rows):
            counts.known += 1
            continue
        same = (f.record_hash, f.entity_hash)
        cleared = good.get(pair)
        if (cleared is not None and (cleared.record_hash, cleared.entity_hash) == same) or any(
            r.status == "false_positive" and (r.record_hash, r.entity_hash) == same for r in rows
        ):
            counts.suppressed += 1
            continue
        _raise(conn, book, f, run_id, now, used)
        counts.raised += 1
    return counts


def _raise(
    conn: Connection,
    book: str,
    f: Finding,
    run_id: str | None,
    now: datetime,
    versions: list[int],
) -> str:
    alert_id = str(uuid.uuid4())
    conn.execute(
        insert(alerts).values(
            id=alert_id,
            book=book,
            record_id=f.record_id,
            record_version=f.record_version,
            record_hash=f.record_hash,
            entity_id=f.entity_id,
            entity_hash=f.entity_hash,
            source=f.source,
            version_id=f.version_id,
            score=f.score,
            hit=f.hit,
            cause=f.cause,
            status="open",
            assignee=None,
            run_id=run_id,
            created_at=now,
            updated_at=now,
            closed_reason=None,
        )
    )
    data = {
        "book": book,
        "record_id": f.record_id,
        "entity_id": f.entity_id,
        "score": round(f.score, 4),
        "cause": f.cause,
        "run_id": run_id,
    }
    _event(conn, alert_id, "raised", now, data)
    audit.append(
        conn, actor=ACTOR, action="alert.raised", subject=alert_id, data=data, versions=versions
    )
    return alert_id


def _rescore(
    conn: Connection,
    alert_id: str,
    f: Finding,
    run_id: str | None,
    now: datetime,
    versions: list[int],
) -> None:
    conn.execute(
        update(alerts)
        .where(alerts.c.id == alert_id)
        .values(
            record_version=f.record_version,
            record_hash=f.record_hash,
            entity_hash=f.entity_hash,
            version_id=f.version_id,
            score=f.score,
            hit=f.hit,
            updated_at=now,
        )
    )
    data = {"score": round(f.score, 4), "cause": f.cause, "run_id": run_id}
    _event(conn, alert_id, "rescored", now, data)
    audit.append(
        conn, actor=ACTOR, action="alert.rescored", subject=alert_id, data=data, versions=versions
    )


def close_alerts(
    conn: Connection,
    book: str,
    *,
    reason: str,
    entity_ids: Sequence[str] = (),
    record_ids: Sequence[str] = (),
    run_id: str | None,
    versions: Sequence[int],
) -> int:
    """Close the active alerts of ``book`` on these list entities or book records."""
    now = datetime.now(UTC)
    used = sorted(set(versions))
    closed = 0
    for column, ids in ((alerts.c.entity_id, entity_ids), (alerts.c.record_id, record_ids)):
        values = sorted(set(ids))
        for start in range(0, len(values), IN_BATCH):
            rows = conn.execute(
                select(alerts.c.id, alerts.c.record_id, alerts.c.entity_id)
                .where(
                    alerts.c.book == book,
                    alerts.c.status.in_(ACTIVE),
                    column.in_(values[start : start + IN_BATCH]),
                )
                .order_by(alerts.c.id)
            ).all()
            for row in rows:
                conn.execute(
                    update(alerts)
                    .where(alerts.c.id == row.id)
                    .values(status="closed", closed_reason=reason, updated_at=now)
                )
                data = {
                    "book": book,
                    "record_id": row.record_id,
                    "entity_id": row.entity_id,
                    "reason": reason,
                    "run_id": run_id,
                }
                _event(conn, row.id, "closed", now, data)
                audit.append(
                    conn,
                    actor=ACTOR,
                    action="alert.closed",
                    subject=row.id,
                    data=data,
                    versions=used,
                )
                closed += 1
    return closed


__all__ = ["ACTIVE", "AlertCounts", "Finding", "apply_findings", "close_alerts"]
