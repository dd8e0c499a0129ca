"""``GET /search/{dataset}?q=``: text search over the names of the listed entities.

The text is screened as a name (our index is a name and identifier index, not full text), at a
low threshold, and the entities are returned best first in yente's ``SearchResponse`` shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request

from clearance.api.auth import Principal
from clearance.api.datasets import scope
from clearance.api.deps import get_state, require
from clearance.api.errors import ApiError
from clearance.api.models import ErrorResponse, SearchResponse
from clearance.api.routers.match import DATE_PATTERN
from clearance.api.screening import Filters, check_schemas, run_screen
from clearance.api.serialize import hit_record
from clearance.api.state import AppState
from clearance.match import ALGORITHM
from clearance.screen.query import DEFAULT_SCHEMA, SCREENABLE

router = APIRouter(tags=["Matching"])
SEARCH_THRESHOLD = 0.5
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 429, 503)
}


@router.get("/search/{dataset}", response_model=SearchResponse, responses=ERRORS)
def search(
    request: Request,
    dataset: str = Path(min_length=1, max_length=128),
    q: str = Query(min_length=1, max_length=1000, description="Name to look for"),
    schema: str = Query(DEFAULT_SCHEMA, max_length=64, description=", ".join(SCREENABLE)),
    countries: list[str] = Query([], max_length=20),
    topics: list[str] = Query([], max_length=20),
    include_dataset: list[str] = Query([], max_length=50),
    exclude_dataset: list[str] = Query([], max_length=50),
    exclude_schema: list[str] = Query([], max_length=20),
    changed_since: str | None = Query(None, pattern=DATE_PATTERN),
    limit: int = Query(10, ge=1, le=500),
    offset: int = Query(0, ge=0, le=9499),
    principal: Principal = Depends(require("screen")),
    state: AppState = Depends(get_state),
) -> dict[str, Any]:
    """Entities whose names resemble ``q``, best first."""
    if schema not in SCREENABLE:
        raise ApiError(400, f"cannot search schema {schema!r}; use one of {', '.join(SCREENABLE)}")
    check_schemas(exclude_schema)
    if not q.strip():
        raise ApiError(400, "q is empty")
    loaded = state.loaded()
    filters = Filters(
        sources=scope(dataset, loaded.versions, include_dataset, exclude_dataset),
        topics=topics,
        exclude_schema=exclude_schema,
        changed_since=changed_since,
    )
    query = {"id": None, "schema": schema, "properties": {"name": [q.strip()]}}
    hits, _ = run_screen(state, loaded.screener, query, filters, SEARCH_THRESHOLD, 10_000, "q")
    if countries:
        wanted = {c.lower() for c in countries}
        hits = [
            h
            for h in hits
            if wanted
            & {
                c.lower()
                for p in ("country", "nationality", "jurisdiction")
                for c in h.record.properties.get(p, [])
            }
        ]
    page = hits[offset : offset + limit]
    times = state.timeline([h.entity_id for h in page])
    results = []
    for hit in page:
        record = hit.record
        t = times[hit.entity_id]
        results.append(
            {
                "id": record.id,
                "caption": record.caption,
                "schema": record.schema,
                "properties": record.properties,
                "datasets": [record.source],
                "referents": [],
                "target": bool(record.listings) or "sanction" in record.topics,
                "first_seen": t.first_seen,
                "last_seen": t.last_seen,
                "last_change": t.last_change,
            }
        )
    state.records.add(
        key_id=principal.key_id,
        key_name=principal.name,
        endpoint=f"/search/{dataset}",
        query={"q": q, "params": dict(request.query_params)},
        versions=[
            {"id": v.id, "source": v.source} for v in loaded.versions if v.source in filters.sources
        ],
        algorithm=ALGORITHM,
        results={"q": [hit_record(h) for h in page]},
    )
    return {
        "results": results,
        "total": {"value": len(hits), "relation": "eq"},
        "limit": limit,
        "offset": offset,
        "facets": {},
    }
