"""``POST /deals/screen`` (a deal: parties, goods, ownership) and ``POST /text/screen`` (free
text): deal and document screening over the loaded index (see docs/deals.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from clearance.api.auth import Principal
from clearance.api.deps import get_state, require
from clearance.api.errors import ApiError
from clearance.api.state import AppState
from clearance.deal import DealError, DealScreener, parse_deal

router = APIRouter(tags=["Deals"])
MAX_TEXT_CHARS = 5_000_000
_TEXT_SCREENERS: dict[int, Any] = {}
_DEAL_SCREENERS: dict[int, DealScreener] = {}


class TextQuery(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    threshold: float | None = Field(None, ge=0.0, le=1.0)


@router.post("/deals/screen", response_model=None)
def screen_deal(
    body: dict[str, Any] = Body(..., description="A deal (see docs/deals.md)"),
    report: str | None = Query(None, pattern="^(html|pdf)$", description="Return a report"),
    principal: Principal = Depends(require("screen")),
    state: AppState = Depends(get_state),
) -> Any:
    """Screen every party of a deal; the verdicts, hits, exposures and list versions."""
    try:
        deal = parse_deal(body, "body")
    except DealError as exc:
        raise ApiError(422, str(exc)) from exc
    loaded = state.loaded()
    key = id(loaded.screener.index)
    screener = _DEAL_SCREENERS.get(key)
    if screener is None:  # one per loaded index: the lists' ownership links are read once
        _DEAL_SCREENERS.clear()
        screener = _DEAL_SCREENERS[key] = DealScreener(state.store, loaded.screener)
    result = screener.screen(deal)
    if report == "html":
        from clearance.report import render_html

        return HTMLResponse(render_html(result))
    if report == "pdf":
        from clearance.report import render_pdf

        return Response(render_pdf(result), media_type="application/pdf")
    return result.to_dict()


@router.post("/text/screen")
def screen_text(
    body: TextQuery,
    principal: Principal = Depends(require("screen")),
    state: AppState = Depends(get_state),
) -> dict[str, Any]:
    """Listed names found in a text, with character spans into the text and the reasons."""
    from clearance.text import TextScreener

    loaded = state.loaded()
    key = id(loaded.screener.index)
    screener = _TEXT_SCREENERS.get(key)
    if screener is None:
        _TEXT_SCREENERS.clear()
        screener = _TEXT_SCREENERS[key] = TextScreener(loaded.screener)
    return screener.scan(body.text, threshold=body.threshold).to_dict()
