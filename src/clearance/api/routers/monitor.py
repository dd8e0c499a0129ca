"""``GET /monitor/status``: monitoring books, recent runs, alert counts and operator alerts.

Operator alerts include a list download that failed (the last good version keeps serving) and
a monitoring run left unfinished; see docs/monitoring.md.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from clearance.api.deps import get_state, require
from clearance.api.models import ErrorResponse
from clearance.api.state import AppState
from clearance.monitor.status import monitor_status

router = APIRouter(tags=["Monitoring"])


class OperatorAlert(BaseModel):
    kind: str = Field(description="download_failed or run_interrupted")
    message: str
    source: str | None = None
    run_id: str | None = None


class MonitorStatusResponse(BaseModel):
    books: list[dict[str, Any]] = Field(description="book, records, deleted, unscreened")
    runs: list[dict[str, Any]] = Field(description="the latest monitoring runs, newest first")
    running: list[str] = Field(description="ids of runs not finished (running or interrupted)")
    alerts: dict[str, int] = Field(description="number of alerts per status")
    sources: list[dict[str, Any]] = Field(description="download state of each list source")
    operator_alerts: list[OperatorAlert]


@router.get(
    "/monitor/status",
    response_model=MonitorStatusResponse,
    responses={c: {"model": ErrorResponse} for c in (401, 403, 429)},
    dependencies=[Depends(require("review"))],
)
def status(state: AppState = Depends(get_state)) -> dict[str, Any]:
    """Books, recent runs, alert counts and operator alerts (failed downloads, stopped runs)."""
    return monitor_status(state.store)
