"""Dashboard numbers on SQLite and PostgreSQL: volumes per UTC day, decision counts, freshness."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from clearance.store import Store
from clearance.store.types import SourceState
from clearance.workbench.decisions import decide, review
from clearance.workbench.stats import alert_volumes, decision_counts, list_freshness
from tests.store.factory import ftm_line, write_ftm
from tests.workbench.factory import make_alert

TODAY = date(2026, 6, 10)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_alert_volumes_per_utc_day(store: Store) -> None:
    d0, d2 = TODAY, TODAY - timedelta(days=2)
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # days must not follow the session's zone
            conn.execute(text("SET TIME ZONE 'America/New_York'"))
        make_alert(conn, sample=0, created_at=_at(d0, 0, 5))  # early UTC: still TODAY
        make_alert(conn, sample=1, created_at=_at(d0, 23, 55))
        make_alert(conn, sample=1, created_at=_at(d2, 12), status="closed")
        make_alert(conn, sample=2, created_at=_at(d2, 13))
        make_alert(conn, sample=2, created_at=_at(TODAY - timedelta(days=7), 12))  # outside
        make_alert(conn, sample=2, created_at=_at(TODAY + timedelta(days=1), 12))  # future
        series = alert_volumes(conn, days=7, today=TODAY)
    assert [s["day"] for s in series] == [
        (TODAY - timedelta(days=6 - i)).isoformat() for i in range(7)
    ]
    by_day = {s["day"]: s for s in series}
    today = by_day[d0.isoformat()]
    assert today["total"] == 2
    assert today["by_source"] == {"un_sc_sanctions": 1, "us_ofac_sdn": 1}
    assert today["by_status"] == {"open": 2}
    two = by_day[d2.isoformat()]
    assert two["by_source"] == {"eu_fsf": 1, "us_ofac_sdn": 1}
    assert two["by_status"] == {"closed": 1, "open": 1}
    assert [s["total"] for s in series] == [0, 0, 0, 0, 2, 0, 2]


def test_alert_volumes_rejects_bad_window(store: Store) -> None:
    with store.engine.connect() as conn, pytest.raises(ValueError):
        alert_volumes(conn, days=0)


def test_decision_counts(store: Store) -> None:
    with store.engine.connect() as conn:
        empty = decision_counts(conn)
    assert empty["total"] == 0 and empty["pending"] == 0 and empty["rejection_rate"] is None
    with store.engine.begin() as conn:
        ids = [make_alert(conn) for _ in range(5)]
        analyst: dict[str, Any] = {"user": "ann", "roles": {"analyst"}}
        approver: dict[str, Any] = {"user": "bob", "roles": {"approver"}}
        a = decide(conn, ids[0], decision="false_positive", reason="r", **analyst)
        b = decide(conn, ids[1], decision="true_match", reason="r", **analyst)
        decide(conn, ids[2], decision="true_match", reason="r", **analyst)
        decide(conn, ids[3], decision="escalate", reason="r", **analyst)
        review(conn, a.id, approve=True, reason="ok", **approver)
        review(conn, b.id, approve=False, reason="no", **approver)
        counts = decision_counts(conn)
    assert counts["total"] == 4
    assert counts["by_decision"] == {"true_match": 2, "false_positive": 1, "escalate": 1}
    assert counts["by_status"] == {"pending": 1, "approved": 1, "rejected": 1, "final": 1}
    assert counts["matrix"]["true_match"] == {
        "pending": 1,
        "approved": 0,
        "rejected": 1,
        "final": 0,
    }
    assert counts["pending"] == 1 and counts["rejection_rate"] == 0.5
    assert counts["oldest_pending_at"] is not None
    assert counts["oldest_pending_at"].tzinfo is not None


def test_list_freshness(store: Store, tmp_path: Path) -> None:
    path = write_ftm(tmp_path / "list.json", [ftm_line("p1", name="Jane Roe")])
    info = store.load_path(path, source="test_list")
    other = write_ftm(tmp_path / "other.json", [ftm_line("p2", name="John Doe")])
    store.load_path(other, source="fetched_list")
    store.set_source_state(
        SourceState(source="fetched_list", stale=True, last_error="HTTP 503",
                    checked_at=datetime.now(UTC))
    )  # fmt: skip
    later = info.loaded_at + timedelta(days=3, hours=12)
    rows = {r["source"]: r for r in list_freshness(store, now=later)}
    assert set(rows) == {"test_list", "fetched_list"}
    mine = rows["test_list"]
    assert mine["version_id"] == info.id and mine["age_days"] == 3.5
    assert mine["stale"] is None and mine["entity_count"] == 1
    assert rows["fetched_list"]["stale"] is True
    assert rows["fetched_list"]["last_error"] == "HTTP 503"
