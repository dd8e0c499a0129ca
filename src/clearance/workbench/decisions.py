"""Decisions on alerts, with the four-eyes rule.

An analyst (role ``analyst``, ``approver`` or ``admin``) decides an alert with a mandatory reason:

``escalate``         final at once; the alert becomes ``escalated`` (an approver or admin may then
                     decide it like an open alert).
``true_match``       pending: the alert waits in ``pending_approval`` until a *second* user with
``false_positive``   role ``approver`` or ``admin`` approves or rejects the decision.

Approving ``true_match`` closes the alert as ``true_match``. Approving ``false_positive`` closes it
as ``false_positive`` *and* puts the pair in ``goodguys`` with the record's and the list entity's
hashes: monitoring suppresses the pair until either side changes (a changed record or a re-listed
entity is screened afresh). Rejecting sends the alert back to the queue in the status it had before.
Nobody reviews their own decision, whatever their roles. A decision cannot be approved when the
alert was re-scored after it (monitoring found a changed record or list entity): the decider saw
other data, so the reviewer must reject it and the alert is decided again.

Every function takes a Connection **inside a transaction the caller opened**::

    with store.engine.begin() as conn:
        decide(conn, alert_id, user="ann", roles={"analyst"}, decision="escalate", reason="...")

The decision row, the alert's new status, its ``alert_events`` row, the good-guy row and the audit
entry are written in that transaction: they commit together or not at all. Status changes are
compare-and-set updates (``... WHERE status = <expected>``), so two users deciding or reviewing the
same alert at once cannot both succeed, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Set
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from clearance import audit
from clearance.errors import ClearanceError
from clearance.monitor.tables import alert_events, alerts, goodguys
from clearance.store.types import utc
from clearance.workbench.queue import AlertNotFound
from clearance.workbench.tables import decisions

DECISIONS = ("true_match", "false_positive", "escalate")
DECIDERS = frozenset({"analyst", "approver", "admin"})
REVIEWERS = frozenset({"approver", "admin"})
DECIDABLE = ("open", "escalated")
"""Alert statuses a decision can be made on (an escalated alert only by an approver or admin)."""
MAX_REASON = 4000


class DecisionError(ClearanceError):
    """A decision or review that cannot be made (alert already decided, blank reason, ...)."""


class NotAllowed(DecisionError):
    """The user's roles do not allow this, or they would review their own decision."""


class DecisionNotFound(DecisionError):
    """No decision with that id."""


class UnknownAlert(DecisionError, AlertNotFound):
    """No alert with that id (both a DecisionError and the queue's AlertNotFound)."""


@dataclass(frozen=True)
class Decision:
    """One decision on an alert; ``status`` is pending, approved, rejected or final."""

    id: str
    alert_id: str
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime
    status: str
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_reason: str | None = None


def _decision(row: Any) -> Decision:
    return Decision(
        id=row.id,
        alert_id=row.alert_id,
        decision=row.decision,
        reason=row.reason,
        decided_by=row.decided_by,
        decided_at=utc(row.decided_at),
        status=row.status,
        reviewed_by=row.reviewed_by,
        reviewed_at=utc(row.reviewed_at) if row.reviewed_at is not None else None,
        review_reason=row.review_reason,
    )


def _reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise DecisionError("a reason is required")
    if len(cleaned) > MAX_REASON:
        raise DecisionError(f"the reason is {len(cleaned)} characters long; at most {MAX_REASON}")
    return cleaned


def _user(user: str) -> str:
    cleaned = (user or "").strip()
    if not cleaned:
        raise NotAllowed("no user given")
    return cleaned


def _alert(conn: Connection, alert_id: str) -> Any:
    row = conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise UnknownAlert(f"no alert {alert_id}")
    return row


def _set_status(conn: Connection, alert_id: str, expected: str, new: str, **values: Any) -> None:
    """Compare-and-set the alert's status; a concurrent change makes it a DecisionError."""
    done = conn.execute(
        update(alerts)
        .where(alerts.c.id == alert_id, alerts.c.status == expected)
        .values(status=new, updated_at=datetime.now(UTC), **values)
    )
    if done.rowcount != 1:
        raise DecisionError(f"alert {alert_id} changed meanwhile (it is no longer {expected})")


def _audit_data(alert: Any, dec: Decision, before: str, after: str) -> dict[str, Any]:
    hit = dict(alert.hit or {})
    return {
        "decision_id": dec.id,
        "decision": dec.decision,
        "status": dec.status,
        "reason": dec.reason,
        "decided_by": dec.decided_by,
        "reviewed_by": dec.reviewed_by,
        "review_reason": dec.review_reason,
        "alert": {"id": alert.id, "score": alert.score, "from": before, "to": after},
        "entity": {
            "id": alert.entity_id,
            "hash": alert.entity_hash,
            "caption": hit.get("caption"),
            "source": alert.source,
            "version_id": alert.version_id,
        },
        "record": {
            "book": alert.book,
            "id": alert.record_id,
            "version": alert.record_version,
            "hash": alert.record_hash,
        },
    }


def _record(
    conn: Connection, alert: Any, dec: Decision, action: str, before: str, after: str, at: datetime
) -> None:
    """The alert event and the audit entry of a decision or review."""
    actor = dec.reviewed_by if action != "decision.made" else dec.decided_by
    assert actor is not None
    if action == "decision.made":
        text = f"{dec.decision} by {dec.decided_by}: {dec.reason}"
    else:
        verb = action.split(".", 1)[1]
        text = f"{dec.decision} {verb} by {actor}: {dec.review_reason}"
    conn.execute(
        insert(alert_events).values(
            alert_id=alert.id,
            at=at,
            actor=actor,
            kind=action,
            data={
                "decision_id": dec.id,
                "decision": dec.decision,
                "status": dec.status,
                "previous_status": before,
                "alert_status": after,
                "record_hash": alert.record_hash,
                "entity_hash": alert.entity_hash,
                "text": text,
            },
        )
    )
    audit.append(
        conn,
        actor=actor,
        action=action,
        subject=alert.id,
        data=_audit_data(alert, dec, before, after),
        versions=[int(alert.version_id)],
        at=at,
    )


def decide(
    conn: Connection, alert_id: str, *, user: str, roles: Set[str], decision: str, reason: str
) -> Decision:
    """Decide an alert (see the module doc); returns the decision (``final`` or ``pending``)."""
    user = _user(user)
    if not DECIDERS & set(roles):
        raise NotAllowed(f"{user} may not decide alerts (roles: {', '.join(sorted(roles))})")
    if decision not in DECISIONS:
        raise DecisionError(f"unknown decision {decision!r}: use one of {', '.join(DECISIONS)}")
    reason = _reason(reason)
    alert = _alert(conn, alert_id)
    before = alert.status
    if before not in DECIDABLE:
        raise DecisionError(f"alert {alert_id} is {before}: it cannot be decided")
    if before == "escalated":
        if decision == "escalate":
            raise DecisionError(f"alert {alert_id} is already escalated")
        if not REVIEWERS & set(roles):
            raise NotAllowed(f"an escalated alert is decided by an approver or admin, not {user}")
    pending = conn.execute(
        select(decisions.c.id).where(
            decisions.c.alert_id == alert_id, decisions.c.status == "pending"
        )
    ).first()
    if pending is not None:
        raise DecisionError(f"alert {alert_id} already has a pending decision ({pending.id})")
    now = datetime.now(UTC)
    final = decision == "escalate"
    after = "escalated" if final else "pending_approval"
    _set_status(conn, alert_id, before, after)
    dec = Decision(
        id=str(uuid.uuid4()),
        alert_id=alert_id,
        decision=decision,
        reason=reason,
        decided_by=user,
        decided_at=now,
        status="final" if final else "pending",
    )
    conn.execute(
        insert(decisions).values(
            id=dec.id,
            alert_id=alert_id,
            decision=decision,
            reason=reason,
            decided_by=user,
            decided_at=now,
            status=dec.status,
        )
    )
    _record(conn, alert, dec, "decision.made", before, after, now)
    return dec


def _made_event(conn: Connection, dec: Decision) -> dict[str, Any]:
    """The data of the ``decision.made`` event of ``dec`` (empty if another tool wrote it)."""
    rows = conn.execute(
        select(alert_events.c.data).where(
            alert_events.c.alert_id == dec.alert_id, alert_events.c.kind == "decision.made"
        )
    ).scalars()
    for data in rows:
        if data and data.get("decision_id") == dec.id:
            return dict(data)
    return {}


def review(
    conn: Connection, decision_id: str, *, user: str, roles: Set[str], approve: bool, reason: str
) -> Decision:
    """Approve or reject a pending decision as a second user (see the module doc).

    Every check runs before the first write, and the first write is the compare-and-set of the
    alert's status: a refused review writes nothing, even if the caller catches the error and
    commits.
    """
    user = _user(user)
    row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).first()
    if row is None:
        raise DecisionNotFound(f"no decision {decision_id}")
    current = _decision(row)
    if not REVIEWERS & set(roles):
        raise NotAllowed(f"{user} may not review decisions (needs role approver or admin)")
    if current.decided_by.casefold() == user.casefold():
        raise NotAllowed(f"{user} made this decision and cannot review it (four-eyes rule)")
    if current.status != "pending":
        raise DecisionError(f"decision {decision_id} is {current.status}, not pending")
    reason = _reason(reason)
    alert = _alert(conn, current.alert_id)
    made = _made_event(conn, current)
    # monitoring may have closed the alert (entity delisted, record deleted) meanwhile: the
    # decision can then only be rejected, which leaves the alert as it is
    waiting = alert.status == "pending_approval"
    if approve:
        if not waiting:
            raise DecisionError(
                f"alert {alert.id} is {alert.status} now: reject this decision instead"
            )
        seen = (made.get("record_hash"), made.get("entity_hash"))
        if made.get("record_hash") is not None and seen != (alert.record_hash, alert.entity_hash):
            raise DecisionError(
                f"alert {alert.id} was re-scored after the decision (the record or the list "
                "entity changed): reject this decision so the alert is decided again"
            )
    now = datetime.now(UTC)
    status = "approved" if approve else "rejected"
    before = alert.status
    if not waiting:
        after = alert.status
    elif approve:
        after = current.decision
        closed = f"{current.decision}: {current.reason}"
        _set_status(conn, alert.id, "pending_approval", after, closed_reason=closed)
    else:
        after = str(made.get("previous_status") or "open")
        _set_status(conn, alert.id, "pending_approval", after)
    done = conn.execute(
        update(decisions)
        .where(decisions.c.id == decision_id, decisions.c.status == "pending")
        .values(status=status, reviewed_by=user, reviewed_at=now, review_reason=reason)
    )
    if done.rowcount != 1:  # only possible for a closed alert: nothing was written before
        raise DecisionError(f"decision {decision_id} was reviewed meanwhile")
    reviewed = Decision(
        **{
            **current.__dict__,
            "status": status,
            "reviewed_by": user,
            "reviewed_at": now,
            "review_reason": reason,
        }
    )
    if approve and current.decision == "false_positive":
        _clear_pair(conn, alert, reviewed, now)
    action = "decision.approved" if approve else "decision.rejected"
    _record(conn, alert, reviewed, action, before, after, now)
    return reviewed


def _clear_pair(conn: Connection, alert: Any, dec: Decision, at: datetime) -> None:
    """Put the (record, entity) pair on the good-guy list, replacing an older clearance."""
    key = (
        goodguys.c.book == alert.book,
        goodguys.c.record_id == alert.record_id,
        goodguys.c.entity_id == alert.entity_id,
    )
    conn.execute(delete(goodguys).where(*key))
    conn.execute(
        insert(goodguys).values(
            book=alert.book,
            record_id=alert.record_id,
            entity_id=alert.entity_id,
            record_hash=alert.record_hash,
            entity_hash=alert.entity_hash,
            alert_id=alert.id,
            decided_by=dec.decided_by,
            approved_by=dec.reviewed_by,
            reason=dec.reason,
            created_at=at,
        )
    )


def get_decision(conn: Connection, decision_id: str) -> Decision | None:
    row = conn.execute(select(decisions).where(decisions.c.id == decision_id)).first()
    return _decision(row) if row is not None else None


def alert_decisions(conn: Connection, alert_id: str) -> list[Decision]:
    """The decisions on one alert, oldest first."""
    rows = conn.execute(
        select(decisions).where(decisions.c.alert_id == alert_id).order_by(decisions.c.decided_at)
    ).all()
    return [_decision(row) for row in rows]


def pending_reviews(conn: Connection, exclude_user: str | None = None) -> list[Decision]:
    """Decisions waiting for a second user, oldest first (without ``exclude_user``'s own, which
    they may not review)."""
    query = select(decisions).where(decisions.c.status == "pending")
    if exclude_user is not None:
        query = query.where(decisions.c.decided_by != exclude_user)
    rows = conn.execute(query.order_by(decisions.c.decided_at, decisions.c.id)).all()
    return [_decision(row) for row in rows]


__all__ = [
    "DECISIONS",
    "Decision",
    "DecisionError",
    "DecisionNotFound",
    "NotAllowed",
    "UnknownAlert",
    "alert_decisions",
    "decide",
    "get_decision",
    "pending_reviews",
    "review",
]
