"""The alert queue: filters, sorting, paging (hostile sort keys refused), the alert view with its
record, entity and version, history, assignment and facets (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from clearance import audit
from clearance.monitor.tables import alerts, book_record_versions, book_records
from clearance.store import Store
from clearance.workbench.decisions import decide
from clearance.workbench.queue import (
    AlertFilter,
    AlertNotFound,
    AlertView,
    QueueError,
    alert_history,
    assign,
    facets,
    get_alert,
    list_alerts,
)
from tests.workbench.factory import SAMPLES, make_alert

NOW = datetime.now(UTC)


@pytest.fixture
def queue(store: Store) -> dict[str, str]:
    """Six alerts of known age, score, source, status and assignee."""
    specs = {
        "fresh_un": {"sample": 0, "score": 0.95, "created_at": NOW - timedelta(hours=1)},
        "old_un": {"sample": 0, "score": 0.71, "created_at": NOW - timedelta(days=40),
                   "assignee": "ann"},
        "ofac": {"sample": 1, "score": 0.88, "created_at": NOW - timedelta(days=3),
                 "assignee": "bob"},
        "eu": {"sample": 2, "score": 0.55, "created_at": NOW - timedelta(days=10)},
        "eu_closed": {"sample": 2, "score": 0.62, "created_at": NOW - timedelta(days=12),
                      "status": "closed"},
        "umlaut": {"sample": 2, "score": 0.8, "created_at": NOW - timedelta(days=2),
                   "record_name": "Jürgen Müller", "entity_name": "Juergen MUELLER"},
    }  # fmt: skip
    with store.engine.begin() as conn:
        return {name: make_alert(conn, **spec) for name, spec in specs.items()}


def _ids(store: Store, flt: AlertFilter, **kw: object) -> list[str]:
    with store.engine.connect() as conn:
        views, total = list_alerts(conn, flt, **kw)  # type: ignore[arg-type]
    assert total >= len(views)
    return [v.id for v in views]


def _names(queue: dict[str, str], ids: list[str]) -> list[str]:
    back = {v: k for k, v in queue.items()}
    return [back[i] for i in ids]


def test_default_is_newest_first(store: Store, queue: dict[str, str]) -> None:
    ids = _ids(store, AlertFilter())
    assert _names(queue, ids) == ["fresh_un", "umlaut", "ofac", "eu", "eu_closed", "old_un"]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (AlertFilter(status=["open"]), {"fresh_un", "old_un", "ofac", "eu", "umlaut"}),
        (AlertFilter(status=["closed", "escalated"]), {"eu_closed"}),
        (AlertFilter(source="us_ofac_sdn"), {"ofac"}),
        (AlertFilter(program="UN Taliban (1988)"), {"fresh_un", "old_un"}),
        (AlertFilter(program="RUSSIA-EO14024"), {"ofac"}),
        (AlertFilter(program="RUSSIA"), set()),  # whole program names only
        (AlertFilter(min_score=0.8), {"fresh_un", "ofac", "umlaut"}),
        (AlertFilter(max_score=0.62), {"eu", "eu_closed"}),
        (AlertFilter(min_score=0.6, max_score=0.9), {"old_un", "ofac", "eu_closed", "umlaut"}),
        (AlertFilter(min_age_days=7), {"old_un", "eu", "eu_closed"}),
        (AlertFilter(max_age_days=7), {"fresh_un", "ofac", "umlaut"}),
        (AlertFilter(min_age_days=7, max_age_days=30), {"eu", "eu_closed"}),
        (AlertFilter(assignee="ann"), {"old_un"}),
        (AlertFilter(assignee=""), {"fresh_un", "eu", "eu_closed", "umlaut"}),
        (AlertFilter(text="rosoboron"), {"ofac"}),  # the listed caption, any case
        (AlertFilter(text="ROSOBORONEXPORT OAO"), {"ofac"}),  # the screened record
        (AlertFilter(text="müller"), {"umlaut"}),  # non-ASCII in the stored record JSON
        (AlertFilter(text="%"), set()),  # LIKE wildcards are literal
        (AlertFilter(text="r_s"), set()),  # would match "ros" unescaped
        (AlertFilter(source="eu_fsf", status=["open"], min_score=0.7), {"umlaut"}),
    ],
)
def test_filters(store: Store, queue: dict[str, str], flt: AlertFilter, expected: set[str]) -> None:
    with store.engine.connect() as conn:
        views, total = list_alerts(conn, flt, per_page=100)
    assert set(_names(queue, [v.id for v in views])) == expected
    assert total == len(expected)


def test_text_matches_record_and_entity_ids(store: Store, queue: dict[str, str]) -> None:
    alert = _view(store, queue["eu"])
    assert _ids(store, AlertFilter(text=alert.record_id.lower())) == [queue["eu"]]
    assert _ids(store, AlertFilter(text=alert.entity_id)) == [queue["eu"]]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("score", ["eu", "eu_closed", "old_un", "umlaut", "ofac", "fresh_un"]),
        ("-score", ["fresh_un", "ofac", "umlaut", "old_un", "eu_closed", "eu"]),
        ("created_at", ["old_un", "eu_closed", "eu", "ofac", "umlaut", "fresh_un"]),
    ],
)
def test_sort(store: Store, queue: dict[str, str], sort: str, expected: list[str]) -> None:
    assert _names(queue, _ids(store, AlertFilter(), sort=sort)) == expected


def test_sort_by_source_and_status_groups_rows(store: Store, queue: dict[str, str]) -> None:
    with store.engine.connect() as conn:
        by_source = [v.source for v in list_alerts(conn, AlertFilter(), sort="source")[0]]
        by_status = [v.status for v in list_alerts(conn, AlertFilter(), sort="-status")[0]]
    assert by_source == sorted(by_source)
    assert by_status == sorted(by_status, reverse=True)


@pytest.mark.parametrize(
    "sort",
    ["id", "score; DROP TABLE alerts", "-", "--score", "hit", "created_at desc", "SCORE", ""],
)
def test_hostile_or_unknown_sort_keys_are_refused(
    store: Store, queue: dict[str, str], sort: str
) -> None:
    with store.engine.connect() as conn:
        with pytest.raises(QueueError, match="cannot sort"):
            list_alerts(conn, AlertFilter(), sort=sort)
        assert len(conn.execute(select(alerts.c.id)).all()) == len(queue)


def test_paging_covers_every_alert_once(store: Store, queue: dict[str, str]) -> None:
    with store.engine.begin() as conn:  # ties on score: paging must still be stable
        for _ in range(5):
            make_alert(conn, score=0.71)
    seen: list[str] = []
    with store.engine.connect() as conn:
        for page in range(1, 5):
            views, total = list_alerts(conn, AlertFilter(), sort="score", page=page, per_page=3)
            assert total == 11
            seen.extend(v.id for v in views)
        assert list_alerts(conn, AlertFilter(), page=5, per_page=3)[0] == []
    assert len(seen) == 11 and len(set(seen)) == 11


@pytest.mark.parametrize(("page", "per_page"), [(0, 25), (-1, 25), (1, 0), (1, 501)])
def test_bad_paging_is_refused(store: Store, page: int, per_page: int) -> None:
    with store.engine.connect() as conn, pytest.raises(QueueError):
        list_alerts(conn, AlertFilter(), page=page, per_page=per_page)


@pytest.mark.parametrize(
    ("flt", "field"),
    [
        (AlertFilter(min_age_days=-1), "min_age_days"),
        (AlertFilter(max_age_days=-3), "max_age_days"),
        (AlertFilter(min_score=1.5), "min_score"),
        (AlertFilter(max_score=-0.1), "max_score"),
        (AlertFilter(text="x" * 201), "text"),
    ],
)
def test_bad_filter_values_are_refused(store: Store, flt: AlertFilter, field: str) -> None:
    with store.engine.connect() as conn, pytest.raises(QueueError, match=field):
        list_alerts(conn, flt)


def _view(store: Store, alert_id: str) -> AlertView:
    with store.engine.connect() as conn:
        view = get_alert(conn, alert_id)
    assert view is not None
    return view


def test_view_has_record_entity_and_version(store: Store, queue: dict[str, str]) -> None:
    view = _view(store, queue["ofac"])
    sample = SAMPLES[1]
    assert view.source == "us_ofac_sdn" and view.version_label == sample["published"]
    assert view.caption == "ROSOBORONEXPORT"
    assert view.programs == sample["programs"] and view.listing_dates == [sample["listed"]]
    assert view.entity["id"] == view.entity_id and view.entity["schema"] == "Company"
    assert view.entity["properties"]["name"] == ["ROSOBORONEXPORT"]
    assert view.record["properties"]["name"] == ["Rosoboronexport OAO"]
    assert view.score == 0.88 and view.assignee == "bob" and view.status == "open"
    features = [f["name"] for f in view.hit["explanation"]]
    assert features and features[0].endswith("name_match")
    assert view.cause["kind"] == "new_record"
    assert view.created_at.tzinfo is not None
    with store.engine.connect() as conn:
        assert get_alert(conn, "missing") is None


def test_view_shows_the_record_as_screened(store: Store, queue: dict[str, str]) -> None:
    """After the customer record changes, the alert still shows the version that was screened."""
    alert_id = queue["eu"]
    view = _view(store, alert_id)
    changed = {**view.record, "properties": {"name": ["Someone Else"]}}
    with store.engine.begin() as conn:
        key = (book_records.c.book == view.book, book_records.c.record_id == view.record_id)
        conn.execute(book_records.update().where(*key).values(version=2, data=changed))
        conn.execute(
            book_record_versions.insert().values(
                book=view.book, record_id=view.record_id, version=2, hash="0" * 64,
                data=changed, imported_at=NOW,
            )
        )  # fmt: skip
    assert _view(store, alert_id).record == view.record


def test_assign_writes_event_and_audit(store: Store, queue: dict[str, str]) -> None:
    alert_id = queue["eu"]
    with store.engine.begin() as conn:
        assign(conn, alert_id, "carol", actor="lead")
    assert _view(store, alert_id).assignee == "carol"
    assert _ids(store, AlertFilter(assignee="carol")) == [alert_id]
    with store.engine.begin() as conn:
        assign(conn, alert_id, None, actor="lead")
    assert _view(store, alert_id).assignee is None
    with store.engine.connect() as conn:
        history = alert_history(conn, alert_id)
        trail = [(e.action, e.actor, e.subject, e.data["assignee"]) for e in audit.entries(conn)]
    assert [(h["kind"], h["text"]) for h in history][1:] == [
        ("assigned", "assigned to carol"),
        ("assigned", "unassigned"),
    ]
    assert trail == [
        ("alert.assigned", "lead", alert_id, "carol"),
        ("alert.assigned", "lead", alert_id, None),
    ]
    with store.engine.begin() as conn, pytest.raises(AlertNotFound):
        assign(conn, "missing", "carol", actor="lead")


def test_history_is_time_ordered_with_decisions(store: Store, queue: dict[str, str]) -> None:
    alert_id = queue["fresh_un"]
    with store.engine.begin() as conn:
        decide(conn, alert_id, user="ann", roles={"analyst"}, decision="escalate", reason="odd")
    with store.engine.connect() as conn:
        history = alert_history(conn, alert_id)
    assert [h["kind"] for h in history] == ["raised", "decision.made"]
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)
    assert history[1]["actor"] == "ann" and "odd" in history[1]["text"]
    assert all({"at", "actor", "kind", "text"} <= set(h) for h in history)


def test_facets(store: Store, queue: dict[str, str]) -> None:
    with store.engine.connect() as conn:
        found = facets(conn)
    assert found["sources"] == ["eu_fsf", "un_sc_sanctions", "us_ofac_sdn"]
    assert found["programs"] == sorted({p for s in SAMPLES for p in s["programs"]})
    assert found["assignees"] == ["ann", "bob"]
    assert found["statuses"][0] == "open" and "closed" in found["statuses"]


def test_empty_queue(store: Store) -> None:
    with store.engine.connect() as conn:
        assert list_alerts(conn, AlertFilter(program="X", text="y")) == ([], 0)
        assert facets(conn)["programs"] == []
        assert alert_history(conn, "none") == []
