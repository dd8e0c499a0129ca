"""The alert queue: filter, sort and page alerts, read one alert with its context and history.

An analyst needs more than the ``alerts`` row to decide: the book record *as it was screened*
(``book_record_versions`` at the alert's ``record_version``, not the current record), the list
entity *as it was listed* (the FtM JSON of the alert's list version), the publication date of that
version and the explanation of the score. :class:`AlertView` carries all of it, read in one query
per page.

Every function takes a SQLAlchemy :class:`~sqlalchemy.engine.Connection`; functions that write
(:func:`assign`) run in the caller's transaction (``with store.engine.begin() as conn: ...``), so
the change, its ``alert_events`` row and its audit entry commit or roll back together.

Filtering on programs (a JSON array inside ``alerts.hit``) needs the database's JSON functions;
SQLite (``json_each``) and PostgreSQL (``json_array_elements_text``) are supported — the two
databases the store runs on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from clearance import audit
from clearance.errors import ClearanceError
from clearance.monitor.tables import alert_events, alerts, book_record_versions, book_records
from clearance.store.tables import entity_blobs, list_versions, version_entities
from clearance.store.types import utc
from clearance.workbench.tables import decisions

ALERT_STATUSES = (
    "open",
    "pending_approval",
    "escalated",
    "true_match",
    "false_positive",
    "closed",
)
"""The alert statuses the workbench knows, in queue order (others found in the table are kept)."""

SORT_KEYS = {
    "created_at": alerts.c.created_at,
    "score": alerts.c.score,
    "source": alerts.c.source,
    "status": alerts.c.status,
}
"""The only columns a caller may sort by (a sort key never reaches SQL as text)."""

MAX_PER_PAGE = 500


class QueueError(ClearanceError):
    """A queue request that cannot be answered (bad sort key, page, filter value)."""


class AlertNotFound(QueueError):
    """No alert with that id."""


@dataclass
class AlertFilter:
    """What to show. ``None`` means "any". ``assignee=""`` selects unassigned alerts.

    Ages are whole days since the alert was raised: ``min_age_days=7`` shows alerts at least a
    week old. ``text`` matches (case-insensitively) the listed caption, entity id, record id and
    the screened record's data.
    """

    status: list[str] | None = None
    source: str | None = None
    program: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    min_age_days: int | None = None
    max_age_days: int | None = None
    assignee: str | None = None
    text: str | None = None


@dataclass
class AlertView:
    """One alert with what an analyst needs to decide it."""

    id: str
    book: str
    record_id: str
    record: dict[str, Any]
    entity_id: str
    source: str
    version_id: int
    version_label: str | None
    score: float
    status: str
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    caption: str
    programs: list[str] = field(default_factory=list)
    listing_dates: list[str] = field(default_factory=list)
    hit: dict[str, Any] = field(default_factory=dict)
    entity: dict[str, Any] = field(default_factory=dict)
    cause: dict[str, Any] = field(default_factory=dict)
    closed_reason: str | None = None
    record_version: int = 0
    record_hash: str = ""
    entity_hash: str = ""


def _like(term: str) -> str:
    """A LIKE pattern matching ``term`` literally anywhere (escape character ``!``)."""
    escaped = term.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _json_array_contains(conn: Connection, key: str, value: str) -> ColumnElement[bool]:
    """``value`` is an element of the JSON array ``alerts.hit[key]``."""
    name = conn.dialect.name
    if name == "sqlite":
        sql = f"EXISTS (SELECT 1 FROM json_each(alerts.hit, '$.{key}') AS j WHERE j.value = :jv)"
    elif name == "postgresql":
        sql = (
            "EXISTS (SELECT 1 FROM json_array_elements_text(CASE WHEN "
            f"json_typeof(alerts.hit -> '{key}') = 'array' THEN alerts.hit -> '{key}' "
            "ELSE '[]'::json END) AS j(value) WHERE j.value = :jv)"
        )
    else:
        raise QueueError(f"filtering on {key} is not supported on {name}")
    return text(sql).bindparams(jv=value)  # type: ignore[return-value]


MAX_TEXT = 200


def _check(flt: AlertFilter) -> None:
    """Refuse filter values that can only be mistakes, naming the field."""
    for name in ("min_age_days", "max_age_days"):
        value = getattr(flt, name)
        if value is not None and value < 0:
            raise QueueError(f"{name} must be 0 or more, not {value}")
    for name in ("min_score", "max_score"):
        value = getattr(flt, name)
        if value is not None and not 0.0 <= value <= 1.0:
            raise QueueError(f"{name} must be within 0-1, not {value}")
    if flt.text is not None and len(flt.text) > MAX_TEXT:
        raise QueueError(f"text is {len(flt.text)} characters long; at most {MAX_TEXT}")


def _conditions(conn: Connection, flt: AlertFilter, now: datetime) -> list[ColumnElement[bool]]:
    _check(flt)
    where: list[ColumnElement[bool]] = []
    if flt.status:
        where.append(alerts.c.status.in_(list(flt.status)))
    if flt.source:
        where.append(alerts.c.source == flt.source)
    if flt.program:
        where.append(_json_array_contains(conn, "programs", flt.program))
    if flt.min_score is not None:
        where.append(alerts.c.score >= flt.min_score)
    if flt.max_score is not None:
        where.append(alerts.c.score <= flt.max_score)
    if flt.min_age_days is not None:
        where.append(alerts.c.created_at <= now - timedelta(days=flt.min_age_days))
    if flt.max_age_days is not None:
        where.append(alerts.c.created_at >= now - timedelta(days=flt.max_age_days))
    if flt.assignee is not None:
        if flt.assignee == "":
            where.append(alerts.c.assignee.is_(None))
        else:
            where.append(alerts.c.assignee == flt.assignee)
    term = (flt.text or "").strip()
    if term:
        # stored JSON may escape non-ASCII (\u00fc): match the escaped spelling as well
        escaped = json.dumps(term)[1:-1]
        record_text = cast(book_record_versions.c.data, String)
        options = [
            alerts.c.hit["caption"].as_string().ilike(_like(term), escape="!"),
            alerts.c.entity_id.ilike(_like(term), escape="!"),
            alerts.c.record_id.ilike(_like(term), escape="!"),
            record_text.ilike(_like(term), escape="!"),
        ]
        if escaped != term:
            options.append(record_text.ilike(_like(escaped), escape="!"))
        where.append(or_(*options))
    return where


def _sort(sort: str) -> list[Any]:
    key = sort[1:] if sort.startswith("-") else sort
    column = SORT_KEYS.get(key)
    if column is None:
        allowed = ", ".join(sorted(SORT_KEYS))
        raise QueueError(f"cannot sort by {sort!r}: use one of {allowed} (prefix - to reverse)")
    if sort.startswith("-"):
        return [column.desc(), alerts.c.id.desc()]
    return [column.asc(), alerts.c.id.asc()]


def _joined() -> Any:
    """alerts + the screened record version + the list version + the listed entity's JSON."""
    return (
        alerts.outerjoin(
            book_record_versions,
            and_(
                book_record_versions.c.book == alerts.c.book,
                book_record_versions.c.record_id == alerts.c.record_id,
                book_record_versions.c.version == alerts.c.record_version,
            ),
        )
        .outerjoin(list_versions, list_versions.c.id == alerts.c.version_id)
        .outerjoin(
            version_entities,
            and_(
                version_entities.c.version_id == alerts.c.version_id,
                version_entities.c.entity_id == alerts.c.entity_id,
            ),
        )
        .outerjoin(entity_blobs, entity_blobs.c.hash == version_entities.c.hash)
    )


def _view_query() -> Any:
    return select(
        alerts,
        book_record_versions.c.data.label("record_data"),
        list_versions.c.publication_date.label("version_label"),
        entity_blobs.c.data.label("entity_data"),
    ).select_from(_joined())


def _view(conn: Connection, row: Any) -> AlertView:
    hit = dict(row.hit or {})
    record = row.record_data
    if record is None:  # the version row is missing: fall back to the current record
        record = conn.execute(
            select(book_records.c.data).where(
                book_records.c.book == row.book, book_records.c.record_id == row.record_id
            )
        ).scalar()
    entity = json.loads(row.entity_data) if row.entity_data else {}
    return AlertView(
        id=row.id,
        book=row.book,
        record_id=row.record_id,
        record=dict(record or {}),
        entity_id=row.entity_id,
        source=row.source,
        version_id=int(row.version_id),
        version_label=row.version_label,
        score=float(row.score),
        status=row.status,
        assignee=row.assignee,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
        caption=str(hit.get("caption") or row.entity_id),
        programs=list(hit.get("programs") or []),
        listing_dates=list(hit.get("listing_dates") or []),
        hit=hit,
        entity=entity,
        cause=dict(row.cause or {}),
        closed_reason=row.closed_reason,
        record_version=int(row.record_version),
        record_hash=row.record_hash,
        entity_hash=row.entity_hash,
    )


def list_alerts(
    conn: Connection,
    flt: AlertFilter,
    sort: str = "-created_at",
    page: int = 1,
    per_page: int = 25,
) -> tuple[list[AlertView], int]:
    """One page of the alerts ``flt`` selects, sorted, and the total number selected.

    ``sort`` is one of :data:`SORT_KEYS`, ``-`` first for descending; anything else raises
    :class:`QueueError` (ties are broken by alert id, so pages never overlap).
    """
    order = _sort(sort)
    if page < 1:
        raise QueueError(f"page must be 1 or more, not {page}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueueError(f"per_page must be within 1-{MAX_PER_PAGE}, not {per_page}")
    where = _conditions(conn, flt, datetime.now(UTC))
    total = conn.execute(select(func.count()).select_from(_joined()).where(*where)).scalar_one()
    rows = conn.execute(
        _view_query().where(*where).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return [_view(conn, row) for row in rows], int(total)


def get_alert(conn: Connection, alert_id: str) -> AlertView | None:
    """One alert with its record, list entity and version, or ``None``."""
    row = conn.execute(_view_query().where(alerts.c.id == alert_id)).first()
    return _view(conn, row) if row is not None else None


def _event_text(kind: str, data: dict[str, Any]) -> str:
    if data.get("text"):
        return str(data["text"])
    details = ", ".join(f"{k}: {v}" for k, v in sorted(data.items()) if not isinstance(v, dict))
    return f"{kind} ({details})" if details else kind


def alert_history(conn: Connection, alert_id: str) -> list[dict[str, Any]]:
    """What happened to an alert, oldest first: its events and the decisions on it.

    Each item has ``at``, ``actor``, ``kind``, ``text`` and ``data``. Decisions written by
    :mod:`clearance.workbench.decisions` also have events (which name the decision id); decisions
    without an event (written by other tools) are shown from the ``decisions`` table.
    """
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    rows = conn.execute(
        select(alert_events)
        .where(alert_events.c.alert_id == alert_id)
        .order_by(alert_events.c.at, alert_events.c.id)
    ).all()
    for row in rows:
        data = dict(row.data or {})
        if data.get("decision_id"):
            seen.add(str(data["decision_id"]))
        at = utc(row.at)
        text_ = _event_text(row.kind, data)
        items.append({"at": at, "actor": row.actor, "kind": row.kind, "text": text_, "data": data})
    for dec in conn.execute(select(decisions).where(decisions.c.alert_id == alert_id)).all():
        if dec.id in seen:
            continue
        items.append(
            {
                "at": utc(dec.decided_at),
                "actor": dec.decided_by,
                "kind": "decision.made",
                "text": f"{dec.decision} ({dec.status}): {dec.reason}",
                "data": {"decision_id": dec.id, "decision": dec.decision},
            }
        )
        if dec.reviewed_at is not None:
            verb = "approved" if dec.status == "approved" else "rejected"
            items.append(
                {
                    "at": utc(dec.reviewed_at),
                    "actor": dec.reviewed_by or "",
                    "kind": f"decision.{verb}",
                    "text": f"{verb} {dec.decision}: {dec.review_reason or ''}".rstrip(": "),
                    "data": {"decision_id": dec.id, "decision": dec.decision},
                }
            )
    items.sort(key=lambda item: item["at"])
    return items


def assign(conn: Connection, alert_id: str, assignee: str | None, actor: str) -> None:
    """Assign an alert (``None`` or ``""`` un-assigns), with an event and an audit entry, in the
    caller's transaction."""
    who = (assignee or "").strip() or None
    now = datetime.now(UTC)
    current = conn.execute(select(alerts.c.assignee).where(alerts.c.id == alert_id)).first()
    if current is None:
        raise AlertNotFound(f"no alert {alert_id}")
    conn.execute(update(alerts).where(alerts.c.id == alert_id).values(assignee=who, updated_at=now))
    text_ = f"assigned to {who}" if who else "unassigned"
    conn.execute(
        insert(alert_events).values(
            alert_id=alert_id,
            at=now,
            actor=actor,
            kind="assigned",
            data={"assignee": who, "previous": current.assignee, "text": text_},
        )
    )
    audit.append(
        conn,
        actor=actor,
        action="alert.assigned",
        subject=alert_id,
        data={"assignee": who, "previous": current.assignee},
        at=now,
    )


def _programs(conn: Connection) -> list[str]:
    name = conn.dialect.name
    if name == "sqlite":
        sql = "SELECT DISTINCT j.value FROM alerts, json_each(alerts.hit, '$.programs') AS j"
    elif name == "postgresql":
        sql = (
            "SELECT DISTINCT j.value FROM alerts CROSS JOIN LATERAL json_array_elements_text("
            "CASE WHEN json_typeof(alerts.hit -> 'programs') = 'array' "
            "THEN alerts.hit -> 'programs' ELSE '[]'::json END) AS j(value)"
        )
    else:
        raise QueueError(f"listing programs is not supported on {name}")
    return sorted(str(v) for (v,) in conn.execute(text(sql)) if v is not None)


def facets(conn: Connection) -> dict[str, list[str]]:
    """The values the queue's filters can take: sources, programs, statuses, assignees."""
    sources = conn.execute(select(alerts.c.source).distinct().order_by(alerts.c.source)).scalars()
    found = set(conn.execute(select(alerts.c.status).distinct()).scalars())
    assignees = conn.execute(
        select(alerts.c.assignee)
        .distinct()
        .where(alerts.c.assignee.is_not(None))
        .order_by(alerts.c.assignee)
    ).scalars()
    statuses = list(ALERT_STATUSES) + sorted(found - set(ALERT_STATUSES))
    return {
        "sources": list(sources),
        "programs": _programs(conn),
        "statuses": statuses,
        "assignees": list(assignees),
    }


__all__ = [
    "ALERT_STATUSES",
    "SORT_KEYS",
    "AlertFilter",
    "AlertNotFound",
    "AlertView",
    "QueueError",
    "alert_history",
    "assign",
    "facets",
    "get_alert",
    "list_alerts",
]
