"""Batch jobs: ``POST /jobs`` (upload CSV / JSON lines) → ``GET /jobs/{id}`` (progress) →
``GET /jobs/{id}/results`` (JSON lines, one per query × hit)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse

from clearance.api.auth import Principal
from clearance.api.datasets import scope
from clearance.api.deps import get_state, require
from clearance.api.errors import ApiError
from clearance.api.jobs import JobRunner
from clearance.api.models import ErrorResponse, JobStatus
from clearance.api.state import AppState

router = APIRouter(tags=["Batch jobs"])
ERRORS: dict[int | str, dict[str, Any]] = {
    c: {"model": ErrorResponse} for c in (400, 401, 403, 404, 413, 429, 503)
}
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


def runner(request: Request) -> JobRunner:
    found: JobRunner = request.app.state.jobs
    return found


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobStatus,
    responses=ERRORS,
    openapi_extra=UPLOAD_BODY,
)
async def create_job(
    request: Request,
    format: str | None = Query(None, pattern="^(csv|jsonl)$", description="csv or jsonl"),
    dataset: str = Query("default", min_length=1, max_length=128),
    threshold: float = Query(0.7, ge=0.0, le=1.0),
    limit: int = Query(5, ge=1, le=100),
    principal: Principal = Depends(require("screen")),
    state: AppState = Depends(get_state),
    jobs: JobRunner = Depends(runner),
) -> dict[str, Any]:
    """Upload a file of queries (columns: id, schema, name, birth_date, nationality, country,
    identifiers) as the request body; the job runs in the background."""
    fmt = format or _format_of(request.headers.get("content-type", ""))
    loaded = state.loaded()
    options = {"sources": scope(dataset, loaded.versions), "threshold": threshold, "limit": limit}
    body = await request.body()
    job_id = jobs.submit(principal.key_id, fmt, body, options)
    return jobs.status(job_id, principal.key_id, True)


def _format_of(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/csv", "application/csv"):
        return "csv"
    if kind in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return "jsonl"
    raise ApiError(
        400,
        "say the file format: ?format=csv|jsonl or a text/csv or application/x-ndjson Content-Type",
    )


@router.get("/jobs/{job_id}", response_model=JobStatus, responses=ERRORS)
def job_status(
    job_id: str = Path(min_length=1, max_length=64),
    principal: Principal = Depends(require("screen")),
    jobs: JobRunner = Depends(runner),
) -> dict[str, Any]:
    """Progress of a job (your own jobs; admins see all)."""
    return jobs.status(job_id, principal.key_id, principal.allows("admin"))


@router.get(
    "/jobs/{job_id}/results",
    response_class=FileResponse,
    responses={
        **ERRORS,
        409: {"model": ErrorResponse},
        200: {"content": {"application/x-ndjson": {}}},
    },
)
def job_results(
    job_id: str = Path(min_length=1, max_length=64),
    principal: Principal = Depends(require("screen")),
    jobs: JobRunner = Depends(runner),
) -> FileResponse:
    """The results of a finished job as JSON lines."""
    status = jobs.status(job_id, principal.key_id, principal.allows("admin"))
    if status["status"] != "done":
        raise ApiError(409, f"job {job_id} is {status['status']}, not done")
    return FileResponse(jobs.results_path(job_id), media_type="application/x-ndjson")
