"""The search page: a name in any script → hits with scores, reasons and highlighted names.

Searches use the server's loaded screener (the index of the active list versions, as ``/match``).
Every search is written to the audit trail (``screen.search``: who, the query — or only its hash
when ``CLEARANCE_API_REDACT`` is on —, the hits, and the list versions searched).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearance import audit
from clearance.api.datasets import scope
from clearance.api.errors import ApiError
from clearance.api.screening import Filters, run_screen
from clearance.screen import Hit
from clearance.workbench.context import PREFIX, UiError, render, signed_in, workbench
from clearance.workbench.highlight import (
    Segment,
    any_marked,
    matched_tokens,
    segments,
    token_pairs,
)

router = APIRouter(include_in_schema=False)
SCHEMAS = ("LegalEntity", "Person", "Organization", "Company", "Vessel", "Airplane")
MAX_RESULTS = 50


@dataclass
class ShownHit:
    """A hit as the page shows it."""

    hit: Hit
    caption: list[Segment]
    matched_name: list[Segment] | None
    """The listed name that matched, when it is not the caption (an alias, a previous name)."""
    query: list[Segment]
    explanation: list[dict[str, Any]]


def _shown(hit: Hit, q: str, schema: str) -> ShownHit:
    explanation = [f.to_dict() for f in hit.explanation]
    pairs = token_pairs(explanation)
    listed = matched_tokens(pairs, "candidate")
    caption = segments(hit.caption, listed, hit.schema)
    other = None
    if not any_marked(caption):
        props = hit.record.properties
        for name in (
            v for p in ("name", "alias", "previousName", "weakAlias") for v in props.get(p, [])
        ):
            found = segments(name, listed, hit.schema)
            if any_marked(found):
                other = found
                break
    return ShownHit(
        hit=hit,
        caption=caption,
        matched_name=other,
        query=segments(q, matched_tokens(pairs, "query"), schema),
        explanation=explanation,
    )


def _threshold(value: str) -> float:
    try:
        cut = float(value) if value else 0.6
    except ValueError as exc:
        raise UiError(400, "The threshold must be a number between 0.3 and 1.") from exc
    if not 0.3 <= cut <= 1.0:
        raise UiError(400, "The threshold must be a number between 0.3 and 1.")
    return cut


@router.get(PREFIX + "/search")
def search(
    request: Request,
    q: str = "",
    schema: str = "LegalEntity",
    threshold: str = "",
    source: str = "",
) -> Response:
    session = signed_in(request)
    wb = workbench(request)
    q = q.strip()[:500]
    if schema not in SCHEMAS:
        raise UiError(400, f"Unknown entity type {schema!r}.")
    cut = _threshold(threshold)
    loaded = wb.state.current
    sources = sorted({v.source for v in loaded.versions}) if loaded else []
    context: dict[str, Any] = {
        "q": q,
        "schema": schema,
        "schemas": SCHEMAS,
        "threshold": cut,
        "source": source,
        "sources": sources,
        "hits": None,
        "total": 0,
        "not_ready": None if loaded else wb.state.not_ready_reason,
    }
    if not q or loaded is None:
        return render(request, "search.html.j2", **context)
    if source and source not in sources:
        raise UiError(400, f"Unknown list {source!r}.")
    filters = Filters(sources=[source] if source else scope("default", loaded.versions))
    query = {"id": None, "schema": schema, "properties": {"name": [q]}}
    try:
        hits, total = run_screen(wb.state, loaded.screener, query, filters, cut, MAX_RESULTS)
    except ApiError as exc:
        raise UiError(400, f"Cannot search this name: {exc.detail}") from exc
    versions = [v.id for v in loaded.versions if v.source in filters.sources]
    redact = wb.state.settings.api_redact
    digest = hashlib.sha256(q.encode("utf-8")).hexdigest()
    with wb.state.store.engine.begin() as conn:
        audit.append(
            conn,
            actor=session.user.username,
            action="screen.search",
            subject=f"query:{digest[:16]}",
            data={
                "query": None if redact else q,
                "query_sha256": digest,
                "schema": schema,
                "threshold": cut,
                "sources": filters.sources,
                "hits": [{"entity_id": h.entity_id, "score": round(h.score, 4)} for h in hits],
                "total": total,
            },
            versions=versions,
        )
    context.update(hits=[_shown(h, q, schema) for h in hits], total=total)
    return render(request, "search.html.j2", **context)
