"""Decisions waiting for a second user (four-eyes) and the good-guy list.

The review list shows every pending decision; the ones the user may act on (approver or admin,
and not their own decision) are marked, the others say why not. The good-guy list shows the
(record, listed entity) pairs cleared as false positives, who decided and who approved, and
whether either side has changed since (then the pair is screened afresh by monitoring).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import and_, func, select

from clearance.monitor.tables import alerts, book_records, goodguys
from clearance.workbench.context import PREFIX, render, signed_in, workbench
from clearance.workbench.decisions import pending_reviews
from clearance.workbench.queue import get_alert

router = APIRouter(include_in_schema=False)
GOODGUYS_SHOWN = 500


@router.get(PREFIX + "/reviews")
def reviews(request: Request) -> Response:
    session = signed_in(request)
    me = session.user
    rows = []
    with workbench(request).state.store.engine.connect() as conn:
        for dec in pending_reviews(conn):
            alert = get_alert(conn, dec.alert_id)
            own = dec.decided_by.casefold() == me.username.casefold()
            rows.append(
                {
                    "decision": dec,
                    "alert": alert,
                    "may_review": me.has("approver") and not own,
                    "why_not": "your own decision"
                    if own
                    else ("needs the approver role" if not me.has("approver") else ""),
                }
            )
    return render(request, "reviews.html.j2", rows=rows)


@router.get(PREFIX + "/goodguys")
def goodguys_page(request: Request, q: str = Query("", max_length=200)) -> Response:
    signed_in(request)
    query = (
        select(
            goodguys,
            book_records.c.hash.label("current_hash"),
            book_records.c.deleted_at,
            alerts.c.hit["caption"].as_string().label("caption"),
        )
        .select_from(
            goodguys.outerjoin(
                book_records,
                and_(
                    book_records.c.book == goodguys.c.book,
                    book_records.c.record_id == goodguys.c.record_id,
                ),
            ).outerjoin(alerts, alerts.c.id == goodguys.c.alert_id)
        )
        .order_by(goodguys.c.created_at.desc())
        .limit(GOODGUYS_SHOWN)
    )
    term = q.strip()
    if term:
        like = f"%{term.replace('%', '').replace('_', '')}%"
        query = query.where(
            goodguys.c.record_id.ilike(like)
            | goodguys.c.entity_id.ilike(like)
            | goodguys.c.reason.ilike(like)
        )
    with workbench(request).state.store.engine.connect() as conn:
        rows = conn.execute(query).all()
        total = conn.execute(select(func.count()).select_from(goodguys)).scalar_one()
    return render(request, "goodguys.html.j2", rows=rows, total=total, q=term)
