"""``GET /explain/{screening_id}/{entity_id}``: why a recorded screening hit that entity.

Shows the recorded hit (score, features) next to the listed entity as it was in the list
version screened, and — when the query was kept (no redaction) — a replay of the pure matcher
on the same query and entity, proving the recorded score can be reproduced.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query

from clearance.api.deps import get_state, require
from clearance.api.errors import ApiError
from clearance.api.models import ErrorResponse, ExplainResponse
from clearance.api.nested import adjacent
from clearance.api.serialize import entity_response
from clearance.api.state import AppState, Timeline, iso
from clearance.match import ALGORITHM, Matcher

router = APIRouter(tags=["Audit"])


@router.get(
    "/explain/{screening_id}/{entity_id}",
    response_model=ExplainResponse,
    response_model_by_alias=True,
    responses={c: {"model": ErrorResponse} for c in (401, 403, 404, 429)},
    dependencies=[Depends(require("review"))],
)
def explain(
    screening_id: str = Path(min_length=1, max_length=64),
    entity_id: str = Path(min_length=1, max_length=255),
    query_key: str | None = Query(None, max_length=255, description="Query of a batch request"),
    state: AppState = Depends(get_state),
) -> dict[str, Any]:
    """The recorded hit of ``entity_id`` in screening ``screening_id``, explained."""
    record = state.records.get(screening_id)
    if record is None:
        raise ApiError(404, f"no screening record {screening_id!r}")
    found = None
    for key, hits in record.results.items():
        if query_key is not None and key != query_key:
            continue
        for hit in hits:
            if hit.get("entity_id") == entity_id:
                found = (key, hit)
                break
        if found:
            break
    if found is None:
        raise ApiError(404, f"screening {screening_id} has no hit {entity_id!r}")
    key, hit = found
    entity = state.store.entity(entity_id, hit["version_id"])
    entity_doc = None
    replay = None
    if entity is not None:
        timeline = Timeline(None, None, None)
        nested = adjacent(state.store, entity, hit["version_id"])
        entity_doc = entity_response(entity, hit["source"], timeline, nested)
        query = _recorded_query(record.query, key)
        if query is not None and record.algorithm == ALGORITHM:
            result = Matcher().compare(query, entity)
            replay = {
                "score": round(result.score, 4),
                "match": result.match,
                "same_score": abs(result.score - hit["score"]) < 1e-3,
                "explanation": [f.to_dict() for f in result.explanation],
            }
    return {
        "screening_id": record.id,
        "created_at": iso(record.created_at),
        "key_name": record.key_name,
        "endpoint": record.endpoint,
        "query_sha256": record.query_sha256,
        "query": record.query,
        "query_key": key,
        "redacted": record.redacted,
        "algorithm": record.algorithm,
        "versions": record.versions,
        "hit": hit,
        "entity": entity_doc,
        "replay": replay,
    }


def _recorded_query(query: Any, key: str) -> dict[str, Any] | None:
    if not isinstance(query, dict):
        return None
    queries = query.get("queries")
    if isinstance(queries, dict) and isinstance(queries.get(key), dict):
        found: dict[str, Any] = queries[key]
        return found
    return None
