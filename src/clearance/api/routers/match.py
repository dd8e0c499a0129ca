"""``POST /match/{dataset}``: yente's query-by-example batch matching."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from clearance.api.auth import Principal
from clearance.api.datasets import scope
from clearance.api.deps import get_state, require
from clearance.api.errors import ApiError
from clearance.api.models import EntityMatchQuery, EntityMatchResponse, ErrorResponse
from clearance.api.screening import (
    Filters,
    check_algorithm,
    check_schemas,
    example_query,
    run_cpu,
    run_screen,
    screener_for,
)
from clearance.api.serialize import hit_record, json_response, scored_response
from clearance.api.state import AppState
from clearance.match import ALGORITHM
from clearance.screen import Screener

router = APIRouter(tags=["Matching"])
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$"
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 413, 429, 503)
}


@router.post(
    "/match/{dataset}",
    response_model=EntityMatchResponse,
    response_model_by_alias=True,
    responses=ERRORS,
)
async def match(
    body: EntityMatchQuery,
    request: Request,
    dataset: str = Path(min_length=1, max_length=128, description="Dataset or source id"),
    limit: int = Query(5, ge=1, le=500, description="Results per query"),
    threshold: float = Query(0.7, ge=0.0, le=1.0, description="Match threshold"),
    cutoff: float | None = Query(None, ge=0.0, le=1.0, deprecated=True),
    algorithm: str = Query("best", max_length=64),
    topics: list[str] = Query([], max_length=20),
    include_dataset: list[str] = Query([], max_length=50),
    exclude_dataset: list[str] = Query([], max_length=50),
    exclude_schema: list[str] = Query([], max_length=20),
    exclude_entity_ids: list[str] = Query([], max_length=100),
    changed_since: str | None = Query(None, pattern=DATE_PATTERN),
    principal: Principal = Depends(require("screen")),
    state: AppState = Depends(get_state),
) -> Response:
    """Match each query entity against the dataset; the response keeps the query keys.

    The screening is recorded; its id is returned in the ``X-Screening-Id`` header (see
    ``GET /explain/{screening_id}/{entity_id}``).
    """
    max_batch = state.settings.api_max_batch
    if len(body.queries) > max_batch:
        raise ApiError(
            422, f"too many queries: {len(body.queries)} in one request, at most {max_batch}"
        )
    if not body.queries:
        raise ApiError(422, "no queries given")
    check_algorithm(algorithm)
    check_schemas(exclude_schema)
    loaded = state.loaded()
    screener = screener_for(loaded, body.config)
    filters = Filters(
        sources=scope(dataset, loaded.versions, include_dataset, exclude_dataset),
        topics=topics,
        exclude_schema=exclude_schema,
        exclude_entity_ids=exclude_entity_ids,
        changed_since=changed_since,
    )
    cut = threshold if cutoff is None else min(cutoff, threshold)
    queries = {key: example_query(example) for key, example in body.queries.items()}
    work = partial(_screen_all, state, screener, queries, filters, cut, limit, threshold)
    responses, recorded = await run_cpu(work)
    screening_id = state.records.add(
        key_id=principal.key_id,
        key_name=principal.name,
        endpoint=f"/match/{dataset}",
        query={"queries": queries, "params": dict(request.query_params)},
        versions=[
            {"id": v.id, "source": v.source} for v in loaded.versions if v.source in filters.sources
        ],
        algorithm=ALGORITHM,
        results=recorded,
    )
    return json_response(
        {"responses": responses, "limit": limit},
        {"X-Screening-Id": screening_id, "X-Batch-Size": str(len(queries))},
    )


def _screen_all(
    state: AppState,
    screener: Screener,
    queries: dict[str, dict[str, Any]],
    filters: Filters,
    cut: float,
    limit: int,
    threshold: float,
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The ``responses`` of a match request and the hits to record, query by query."""
    responses: dict[str, Any] = {}
    recorded: dict[str, list[dict[str, Any]]] = {}
    for key, query in queries.items():
        hits, _total = run_screen(state, screener, query, filters, cut, limit, key)
        times = state.timeline([h.entity_id for h in hits])
        results = [scored_response(h, times[h.entity_id], threshold) for h in hits]
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": sum(1 for r in results if r["match"]), "relation": "eq"},
            "query": query,
        }
        recorded[key] = [hit_record(h) for h in hits]
    return responses, recorded
