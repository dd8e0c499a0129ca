"""The audit trail page (approvers and admins) and user management (admins).

The audit trail is read straight from ``audit_log`` (newest first, filtered by actor, action,
subject and date); "verify" recomputes the hash chain with :func:`clearance.audit.verify`.
"""

from __future__ import annotations

import io
import json
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from clearance import audit
from clearance.audit.export import (
    VersionResolver,
    day_range,
    export_entries,
    write_csv,
    write_json,
)
from clearance.audit.tables import audit_log
from clearance.workbench.context import (
    PREFIX,
    UiError,
    field,
    need,
    posted,
    render,
    signed_in,
    workbench,
)
from clearance.workbench.sessions import revoke_user
from clearance.workbench.users import (
    ROLES,
    UserError,
    create_user,
    list_users,
    set_disabled,
)

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
MAX_EXPORT_DAYS = 366
USER_MESSAGES = {
    "created": ("ok", "User created."),
    "disabled": ("ok", "User disabled; their sessions were ended."),
    "enabled": ("ok", "User enabled."),
}


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise UiError(400, f"{name} must be a date (YYYY-MM-DD).") from exc


@router.get(PREFIX + "/audit")
def audit_page(
    request: Request,
    actor: str = Query("", max_length=128),
    action: str = Query("", max_length=64),
    subject: str = Query("", max_length=255),
    start: str = Query("", max_length=10),
    end: str = Query("", max_length=10),
    page: int = Query(1, ge=1, le=100_000),
) -> Response:
    session = signed_in(request)
    need(session, "approver")
    first, last = _day(start, "From"), _day(end, "To")
    where = []
    if actor:
        where.append(audit_log.c.actor == actor)
    if action:
        where.append(audit_log.c.action == action)
    if subject:
        where.append(audit_log.c.subject == subject)
    if first:
        where.append(audit_log.c.at >= datetime.combine(first, time(), UTC))
    if last:
        where.append(audit_log.c.at < datetime.combine(last + timedelta(days=1), time(), UTC))
    with workbench(request).state.store.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log).where(*where)).scalar_one()
        rows = conn.execute(
            select(audit_log)
            .where(*where)
            .order_by(audit_log.c.seq.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        ).all()
        actions = list(
            conn.execute(select(audit_log.c.action).distinct().order_by("action")).scalars()
        )
        resolve = VersionResolver(conn)
        shown_versions = [[_version_label(resolve(v)) for v in r.versions or []] for r in rows]
    params = {"actor": actor, "action": action, "subject": subject, "start": start, "end": end}

    def page_url(n: int) -> str:
        pairs = [(k, v) for k, v in params.items() if v] + [("page", str(n))]
        return f"{PREFIX}/audit?{urlencode(pairs)}"

    entries = [
        {
            "seq": r.seq,
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "subject": r.subject,
            "summary": summary(r.action, dict(r.data or {})),
            "data": json.dumps(r.data, ensure_ascii=False, indent=1, sort_keys=True),
            "versions": labels,
            "hash": r.hash,
        }
        for r, labels in zip(rows, shown_versions, strict=True)
    ]
    return render(
        request,
        "audit.html.j2",
        entries=entries,
        total=total,
        page=page,
        pages=max(1, math.ceil(total / PER_PAGE)),
        page_url=page_url,
        params=params,
        actions=actions,
    )


def _version_label(version: dict[str, Any]) -> str:
    if version.get("id") is None:
        return str(version.get("raw"))
    if version.get("missing"):
        return f"version {version['id']}"
    return f"{version['source']} {version.get('publication_date') or ''} (v{version['id']})"


@router.get(PREFIX + "/audit/export")
def export(
    request: Request,
    start: str = Query("", max_length=10),
    end: str = Query("", max_length=10),
    format: str = Query("csv", pattern="^(csv|json)$"),
) -> Response:
    """The audit trail of a date range as CSV or JSON, list versions resolved (the export is
    itself audited)."""
    session = signed_in(request)
    need(session, "approver")
    first, last = _day(start, "From"), _day(end, "To")
    if first is None or last is None:
        raise UiError(400, "Choose the first and the last day to export.")
    if last < first or (last - first).days > MAX_EXPORT_DAYS:
        raise UiError(400, f"Export 1 to {MAX_EXPORT_DAYS} days, the last day after the first.")
    low, high = day_range(first, last)
    out = io.StringIO()
    engine = workbench(request).state.store.engine
    with engine.connect() as conn:
        rows = export_entries(conn, low, high)
        if format == "csv":
            count = write_csv(rows, out)
        else:
            meta = {"from": first.isoformat(), "to": last.isoformat()}
            count = write_json(rows, out, meta)
    with engine.begin() as conn:
        audit.append(
            conn,
            actor=session.user.username,
            action="audit.export",
            subject=f"{first.isoformat()}..{last.isoformat()}",
            data={"format": format, "entries": count},
        )
    name = f"clearance-audit-{first.isoformat()}-{last.isoformat()}.{format}"
    media = "text/csv" if format == "csv" else "application/json"
    return Response(
        out.getvalue(),
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def summary(action: str, data: dict[str, Any]) -> str:
    """One readable line for an audit entry."""
    if action.startswith("decision."):
        who = data.get("reviewed_by") if action != "decision.made" else data.get("decided_by")
        entity = data.get("entity") or {}
        text = f"{data.get('decision', '')} by {who} on {entity.get('caption', '')}"
        reason = data.get("review_reason") if action != "decision.made" else data.get("reason")
        return f"{text}: {reason}" if reason else text
    if action == "screen.search":
        shown = data.get("query") or f"sha256 {str(data.get('query_sha256', ''))[:12]}…"
        return f"searched {shown!s} ({data.get('total', 0)} hits)"
    if action == "alert.assigned":
        return f"assigned to {data.get('assignee') or 'nobody'}"
    parts = [f"{k}: {v}" for k, v in sorted(data.items()) if not isinstance(v, dict | list)]
    return ", ".join(parts)[:300]


@router.get(PREFIX + "/audit/verify")
def verify_page(request: Request) -> Response:
    session = signed_in(request)
    need(session, "approver")
    report = audit.verify(workbench(request).state.store.engine)
    return render(request, "verify.html.j2", report=report)


@router.get(PREFIX + "/users")
def users_page(request: Request, msg: str = "") -> Response:
    session = signed_in(request)
    need(session, "admin")
    with workbench(request).state.store.engine.connect() as conn:
        people = list_users(conn)
    flashes = [USER_MESSAGES[msg]] if msg in USER_MESSAGES else []
    return render(request, "users.html.j2", people=people, roles=ROLES, flashes=flashes)


@router.post(PREFIX + "/users")
async def add_user(request: Request) -> Response:
    session, form = await posted(request)
    need(session, "admin")
    roles = [r for r in form.getlist("roles") if isinstance(r, str)]
    password = form.get("password")
    try:
        with workbench(request).state.store.engine.begin() as conn:
            create_user(
                conn,
                field(form, "username", 128),
                password if isinstance(password, str) else "",
                roles,
                display_name=field(form, "display_name", 255),
                actor=session.user.username,
            )
    except UserError as exc:
        with workbench(request).state.store.engine.connect() as conn:
            people = list_users(conn)
        return render(
            request,
            "users.html.j2",
            400,
            people=people,
            roles=ROLES,
            flashes=[("error", str(exc))],
        )
    return RedirectResponse(f"{PREFIX}/users?msg=created", 303)


@router.post(PREFIX + "/users/{username}/{change}")
async def change_user(request: Request, username: str, change: str) -> Response:
    session, _form = await posted(request)
    need(session, "admin")
    if change not in ("disable", "enable"):
        raise UiError(404, "No such action.")
    if change == "disable" and username == session.user.username:
        raise UiError(400, "You cannot disable your own account.")
    try:
        with workbench(request).state.store.engine.begin() as conn:
            user = set_disabled(conn, username, change == "disable", actor=session.user.username)
            if change == "disable":
                revoke_user(conn, user.id)
    except UserError as exc:
        raise UiError(404, str(exc)) from exc
    return RedirectResponse(f"{PREFIX}/users?msg={change}d", 303)
