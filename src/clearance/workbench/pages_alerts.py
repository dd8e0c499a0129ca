"""The alert queue, the alert detail page, and the forms posted from it.

The queue and the decisions are the decisions helper's domain logic
(:mod:`clearance.workbench.queue`, :mod:`clearance.workbench.decisions`); these handlers only
read the query string or form, call it inside one transaction, and map its errors onto pages:
:class:`~clearance.workbench.decisions.NotAllowed` is a 403, any other refused decision shows
the alert again with the reason (nothing is written: the transaction rolls back).
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from clearance.workbench.alert_view import detail_context
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
from clearance.workbench.decisions import (
    DECISIONS,
    DecisionError,
    NotAllowed,
    decide,
    review,
)
from clearance.workbench.queue import (
    AlertFilter,
    AlertNotFound,
    QueueError,
    assign,
    facets,
    list_alerts,
)
from clearance.workbench.users import find_user

router = APIRouter(include_in_schema=False)

ACTIVE = ["open", "escalated", "pending_approval"]
BANDS = {
    "high": (0.9, None, "0.90 and above"),
    "mid": (0.75, 0.9, "0.75 - 0.90"),
    "low": (None, 0.75, "below 0.75"),
}
AGES = {
    "1": (None, 1, "raised today"),
    "7": (None, 7, "up to a week"),
    "30": (7, 30, "1 week - 30 days"),
    "old": (30, None, "older than 30 days"),
}
SORTS = ("created_at", "score", "source", "status")
PER_PAGE = (25, 50, 100)
MESSAGES = {
    "decided": ("ok", "Decision recorded."),
    "pending": ("ok", "Decision recorded; it now waits for a second user's approval."),
    "approved": ("ok", "Decision approved."),
    "rejected": ("ok", "Decision rejected; the alert is back in the queue."),
    "assigned": ("ok", "Assignment saved."),
}


def _filter(
    status: list[str],
    source: str,
    program: str,
    band: str,
    age: str,
    assignee: str,
    q: str,
    me: str,
) -> AlertFilter:
    if band and band not in BANDS:
        raise UiError(400, f"Unknown score band {band!r}.")
    if age and age not in AGES:
        raise UiError(400, f"Unknown age {age!r}.")
    low, high, _ = BANDS.get(band, (None, None, ""))
    min_age, max_age, _ = AGES.get(age, (None, None, ""))
    statuses: list[str] | None = [s for s in status if s] or ACTIVE
    if statuses and "all" in statuses:
        statuses = None
    who: str | None = None
    if assignee == "me":
        who = me
    elif assignee == "none":
        who = ""
    elif assignee:
        who = assignee
    return AlertFilter(
        status=statuses,
        source=source or None,
        program=program or None,
        min_score=low,
        max_score=high - 1e-9 if high is not None else None,
        min_age_days=min_age,
        max_age_days=max_age,
        assignee=who,
        text=q or None,
    )


@router.get(PREFIX + "/alerts")
def queue(
    request: Request,
    status: list[str] = Query([]),
    source: str = "",
    program: str = "",
    band: str = "",
    age: str = "",
    assignee: str = "",
    q: str = Query("", max_length=200),
    sort: str = "-created_at",
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = 25,
) -> Response:
    session = signed_in(request)
    if sort.lstrip("-") not in SORTS:
        raise UiError(400, f"Cannot sort by {sort!r}.")
    if per_page not in PER_PAGE:
        raise UiError(400, f"Show {', '.join(map(str, PER_PAGE))} alerts per page.")
    flt = _filter(status, source, program, band, age, assignee, q.strip(), session.user.username)
    wb = workbench(request)
    try:
        with wb.state.store.engine.connect() as conn:
            rows, total = list_alerts(conn, flt, sort, page, per_page)
            options = facets(conn)
    except QueueError as exc:
        raise UiError(400, str(exc)) from exc
    params: dict[str, Any] = {
        "status": status or [],
        "source": source,
        "program": program,
        "band": band,
        "age": age,
        "assignee": assignee,
        "q": q,
        "sort": sort,
        "per_page": per_page,
    }

    def url(**changes: Any) -> str:
        merged = {**params, **changes}
        pairs = [(k, v) for k, v in merged.items() if k != "status" and v not in ("", None)]
        pairs += [("status", s) for s in merged["status"]]
        return f"{PREFIX}/alerts?{urlencode(pairs)}"

    def sort_url(key: str) -> str:
        return url(sort=key if sort == f"-{key}" else f"-{key}", page=1)

    return render(
        request,
        "alerts.html.j2",
        alerts=rows,
        total=total,
        page=page,
        pages=max(1, math.ceil(total / per_page)),
        per_page=per_page,
        per_pages=PER_PAGE,
        params=params,
        shown_status=flt.status or [],
        options=options,
        bands=BANDS,
        ages=AGES,
        sort=sort,
        sort_url=sort_url,
        page_url=lambda n: url(page=n),
    )


@router.get(PREFIX + "/alerts/{alert_id}")
def alert_detail(request: Request, alert_id: str, msg: str = "") -> Response:
    session = signed_in(request)
    wb = workbench(request)
    context = detail_context(wb.state.store, alert_id, session.user)
    if context is None:
        raise UiError(404, "No such alert.")
    flashes = [MESSAGES[msg]] if msg in MESSAGES else []
    return render(request, "alert.html.j2", flashes=flashes, decisions=DECISIONS, **context)


def _back(alert_id: str, msg: str) -> Response:
    return RedirectResponse(f"{PREFIX}/alerts/{alert_id}?msg={msg}", 303)


def _refused(request: Request, alert_id: str, message: str, status: int = 400) -> Response:
    """The alert page again, with the reason the action was refused (nothing was written)."""
    session = signed_in(request)
    context = detail_context(workbench(request).state.store, alert_id, session.user)
    if context is None:
        raise UiError(404, "No such alert.")
    return render(
        request,
        "alert.html.j2",
        status,
        flashes=[("error", message)],
        decisions=DECISIONS,
        **context,
    )


@router.post(PREFIX + "/alerts/{alert_id}/decide")
async def decide_alert(request: Request, alert_id: str) -> Response:
    session, form = await posted(request)
    decision = field(form, "decision", 32)
    reason = field(form, "reason", 4000)
    if decision not in DECISIONS:
        return _refused(
            request, alert_id, "Choose a decision: true match, false positive or escalate."
        )
    if not reason:
        return _refused(request, alert_id, "A reason is required for every decision.")
    user = session.user
    try:
        with workbench(request).state.store.engine.begin() as conn:
            made = decide(
                conn,
                alert_id,
                user=user.username,
                roles=set(user.roles),
                decision=decision,
                reason=reason,
            )
    except NotAllowed as exc:
        raise UiError(403, str(exc)) from exc
    except AlertNotFound as exc:
        raise UiError(404, "No such alert.") from exc
    except DecisionError as exc:
        return _refused(request, alert_id, str(exc), 409)
    return _back(alert_id, "pending" if made.status == "pending" else "decided")


@router.post(PREFIX + "/decisions/{decision_id}/review")
async def review_decision(request: Request, decision_id: str) -> Response:
    session, form = await posted(request)
    verdict = field(form, "verdict", 16)
    reason = field(form, "reason", 4000)
    alert_id = field(form, "alert_id", 64)
    if verdict not in ("approve", "reject"):
        raise UiError(400, "Approve or reject.")
    user = session.user
    try:
        with workbench(request).state.store.engine.begin() as conn:
            done = review(
                conn,
                decision_id,
                user=user.username,
                roles=set(user.roles),
                approve=verdict == "approve",
                reason=reason,
            )
    except NotAllowed as exc:
        raise UiError(403, str(exc)) from exc
    except DecisionError as exc:
        if alert_id:
            return _refused(request, alert_id, str(exc), 409)
        raise UiError(409, str(exc)) from exc
    return _back(done.alert_id, "approved" if verdict == "approve" else "rejected")


@router.post(PREFIX + "/alerts/{alert_id}/assign")
async def assign_alert(request: Request, alert_id: str) -> Response:
    session, form = await posted(request)
    need(session, "analyst")
    target = field(form, "assignee", 128)
    who = session.user.username if target == "me" else target
    try:
        with workbench(request).state.store.engine.begin() as conn:
            if who and find_user(conn, who) is None:
                raise UiError(400, f"No user {who!r}.")
            assign(conn, alert_id, who or None, session.user.username)
    except AlertNotFound as exc:
        raise UiError(404, "No such alert.") from exc
    return _back(alert_id, "assigned")
