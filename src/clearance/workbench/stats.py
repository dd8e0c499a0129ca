"""Dashboard numbers: alert volumes per day, decision counts, and how fresh each list is.

Counting happens in SQL (``GROUP BY`` day, source, status), so a dashboard over a busy book reads
a few hundred rows, not every alert. Days are UTC days; PostgreSQL is told so explicitly, because
its ``date()`` of a ``timestamptz`` would follow the session's time zone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from clearance.monitor.tables import alerts
from clearance.store import Store
from clearance.store.types import utc
from clearance.workbench.decisions import DECISIONS
from clearance.workbench.tables import decisions

DECISION_STATUSES = ("pending", "approved", "rejected", "final")


def _utc_day(conn: Connection, column: Any) -> ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    return func.date(column)  # SQLite keeps UTC text: its first 10 characters are the day


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def alert_volumes(
    conn: Connection, days: int = 90, today: date | None = None
) -> list[dict[str, Any]]:
    """Alerts raised per UTC day over the last ``days`` days (today included), oldest first;
    every day is present, with ``total``, ``by_source`` and ``by_status`` (current status)."""
    if days < 1:
        raise ValueError(f"days must be 1 or more, not {days}")
    last = today or datetime.now(UTC).date()
    first = last - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), UTC)
    day = _utc_day(conn, alerts.c.created_at).label("day")
    rows = conn.execute(
        select(day, alerts.c.source, alerts.c.status, func.count().label("n"))
        .where(alerts.c.created_at >= since)
        .group_by(day, alerts.c.source, alerts.c.status)
    ).all()
    window = [first + timedelta(days=i) for i in range(days)]
    totals: dict[date, int] = dict.fromkeys(window, 0)
    by_source: dict[date, dict[str, int]] = {d: defaultdict(int) for d in window}
    by_status: dict[date, dict[str, int]] = {d: defaultdict(int) for d in window}
    for row in rows:
        key = _as_date(row.day)
        if key not in totals:  # raised "in the future" (clock skew): not part of the window
            continue
        totals[key] += int(row.n)
        by_source[key][row.source] += int(row.n)
        by_status[key][row.status] += int(row.n)
    return [
        {
            "day": d.isoformat(),
            "total": totals[d],
            "by_source": dict(sorted(by_source[d].items())),
            "by_status": dict(sorted(by_status[d].items())),
        }
        for d in window
    ]


def decision_counts(conn: Connection) -> dict[str, Any]:
    """Decisions by kind and status, the pending reviews and the oldest one waiting."""
    rows = conn.execute(
        select(decisions.c.decision, decisions.c.status, func.count().label("n")).group_by(
            decisions.c.decision, decisions.c.status
        )
    ).all()
    matrix: dict[str, dict[str, int]] = {d: dict.fromkeys(DECISION_STATUSES, 0) for d in DECISIONS}
    for row in rows:
        matrix.setdefault(row.decision, dict.fromkeys(DECISION_STATUSES, 0))
        matrix[row.decision][row.status] = matrix[row.decision].get(row.status, 0) + int(row.n)
    by_status = {s: sum(m.get(s, 0) for m in matrix.values()) for s in DECISION_STATUSES}
    oldest = conn.execute(
        select(func.min(decisions.c.decided_at)).where(decisions.c.status == "pending")
    ).scalar()
    reviewed = by_status["approved"] + by_status["rejected"]
    return {
        "total": sum(sum(m.values()) for m in matrix.values()),
        "by_decision": {d: sum(m.values()) for d, m in matrix.items()},
        "by_status": by_status,
        "matrix": matrix,
        "pending": by_status["pending"],
        "oldest_pending_at": utc(oldest) if oldest is not None else None,
        "rejection_rate": round(by_status["rejected"] / reviewed, 4) if reviewed else None,
    }


def list_freshness(store: Store, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per source with an active version: the version, its publication date, when it was loaded,
    its age in days, and what the downloader last saw (``stale`` is ``None`` when the source was
    never fetched by the updater, e.g. loaded from a local file)."""
    now = now or datetime.now(UTC)
    states = {s.source: s for s in store.source_states()}
    out: list[dict[str, Any]] = []
    for info in store.active_versions():
        state = states.get(info.source)
        out.append(
            {
                "source": info.source,
                "version_id": info.id,
                "publication_date": info.publication_date,
                "loaded_at": info.loaded_at,
                "age_days": round(info.age_seconds(now) / 86400, 1),
                "entity_count": info.entity_count,
                "stale": bool(state.stale) if state is not None else None,
                "checked_at": state.checked_at if state is not None else None,
                "last_error": state.last_error if state is not None else None,
            }
        )
    return out


__all__ = ["alert_volumes", "decision_counts", "list_freshness"]
