"""What monitoring is doing: books, runs, alert counts and operator alerts (CLI and API).

Operator alerts are conditions someone must look at: a list source whose last download failed
(it is stale: the last good version keeps serving — from the updater's ``source_state``) and a
monitoring run left unfinished with an error (resume it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from clearance.monitor.book import books
from clearance.monitor.tables import alerts, monitor_runs
from clearance.store import Store


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _run(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "book": row.book,
        "kind": row.kind,
        "engine": row.engine,
        "status": row.status,
        "versions": dict(row.versions),
        "total": row.total,
        "done": row.done,
        "alerts_raised": row.alerts_raised,
        "alerts_closed": row.alerts_closed,
        "error": row.error,
        "started_at": _iso(row.started_at),
        "finished_at": _iso(row.finished_at),
        "heartbeat_at": _iso(row.heartbeat_at),
    }


def monitor_status(store: Store, recent: int = 10) -> dict[str, Any]:
    """Books, the latest runs, alert counts by status, list sources and operator alerts."""
    with store.engine.connect() as conn:
        runs = conn.execute(
            select(monitor_runs).order_by(monitor_runs.c.started_at.desc()).limit(recent)
        ).all()
        unfinished = conn.execute(
            select(monitor_runs).where(monitor_runs.c.status == "running")
        ).all()
        counts = conn.execute(select(alerts.c.status, func.count()).group_by(alerts.c.status)).all()
    active = {v.source: v for v in store.active_versions()}
    sources = []
    operator: list[dict[str, Any]] = []
    for state in store.source_states():
        version = active.get(state.source)
        sources.append(
            {
                "source": state.source,
                "active_version": version.id if version else None,
                "stale": state.stale,
                "last_error": state.last_error,
                "checked_at": _iso(state.checked_at),
                "fetched_at": _iso(state.fetched_at),
            }
        )
        if state.stale:
            serving = f"version {version.id} still active" if version else "no version loaded"
            operator.append(
                {
                    "kind": "download_failed",
                    "source": state.source,
                    "message": f"last download of {state.source} failed: {state.last_error}; "
                    f"{serving} (last confirmed {_iso(state.checked_at) or 'never'})",
                }
            )
    for row in unfinished:
        if row.error:
            operator.append(
                {
                    "kind": "run_interrupted",
                    "run_id": row.id,
                    "message": f"run {row.id} of book {row.book!r} stopped at {row.done}/"
                    f"{row.total}: {row.error}; `clearance monitor resume` continues it",
                }
            )
    return {
        "books": [
            {
                "book": b.book,
                "records": b.records,
                "deleted": b.deleted,
                "unscreened": b.unscreened,
                "updated_at": _iso(b.updated_at),
            }
            for b in books(store)
        ],
        "runs": [_run(r) for r in runs],
        "running": [r.id for r in unfinished],
        "alerts": {status: int(n) for status, n in counts},
        "sources": sources,
        "operator_alerts": operator,
    }


__all__ = ["monitor_status"]
