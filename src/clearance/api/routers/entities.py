"""``GET /entities/{entity_id}``: one entity of the active lists, with its Sanction and
Identification entities nested in ``properties.sanctions`` / ``properties.identification``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query

from clearance.api.deps import get_state, require
from clearance.api.errors import ApiError
from clearance.api.models import EntityResponse, ErrorResponse
from clearance.api.nested import adjacent
from clearance.api.serialize import entity_response
from clearance.api.state import AppState

router = APIRouter(tags=["Data access"])
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse},
    403: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    429: {"model": ErrorResponse},
}


@router.get(
    "/entities/{entity_id}",
    response_model=EntityResponse,
    response_model_by_alias=True,
    responses=ERRORS,
    dependencies=[Depends(require("screen"))],
)
def fetch_entity(
    entity_id: str = Path(min_length=1, max_length=255),
    nested: bool = Query(True, description="Nest Sanction and Identification entities"),
    state: AppState = Depends(get_state),
) -> dict[str, Any]:
    """The entity as published in the active version of its list."""
    found = state.store.entity_record(entity_id)
    if found is None or not found[0].active:
        raise ApiError(404, f"no entity {entity_id!r} in the active lists")
    version, _record, proxy = found
    timeline = state.timeline([entity_id])[entity_id]
    extra = adjacent(state.store, proxy, version.id) if nested else None
    return entity_response(proxy, version.source, timeline, extra)
