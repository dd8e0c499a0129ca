"""``GET /healthz`` (the process answers) and ``GET /readyz`` (the index is loaded); open."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from clearance.api.deps import get_state
from clearance.api.errors import error_body
from clearance.api.models import ErrorResponse, HealthResponse
from clearance.api.state import AppState

router = APIRouter(tags=["System information"])


@router.get("/healthz", response_model=HealthResponse)
def healthz() -> dict[str, str]:
    """Liveness: the server process answers."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=HealthResponse,
    responses={503: {"model": ErrorResponse, "description": "No index loaded yet"}},
)
def readyz(state: AppState = Depends(get_state)) -> JSONResponse:
    """Readiness: list versions are active and their index is loaded."""
    if not state.ready:
        body = error_body(503, f"not ready: {state.not_ready_reason}")
        return JSONResponse(body, 503, {"Retry-After": "5"})
    return JSONResponse({"status": "ok"})
