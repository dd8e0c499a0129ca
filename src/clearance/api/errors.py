"""Error bodies of the API: ``{"detail": ..., "status": ...}``, never a stack trace.

Every error the application raises on purpose is an :class:`ApiError` (or a Starlette
``HTTPException``); validation errors keep pydantic's location and message but not the input;
anything else becomes a plain 500 while the traceback goes to the server log only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from clearance.errors import ClearanceError

log = logging.getLogger("clearance.api")


class ApiError(Exception):
    """An error with its HTTP status and a message safe to show to the caller."""

    def __init__(self, status: int, detail: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(str(detail))
        self.status = status
        self.detail = detail
        self.headers = headers


def error_body(status: int, detail: Any) -> dict[str, Any]:
    return {"detail": detail, "status": status}


def _validation_detail(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        out.append(
            {
                "loc": [str(x) for x in err.get("loc", ())],
                "msg": str(err.get("msg", "invalid")),
                "type": str(err.get("type", "value_error")),
            }
        )
    return out


def install(app: FastAPI) -> None:
    """Register the exception handlers that shape every error body."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.detail), exc.status, exc.headers)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(
            error_body(exc.status_code, exc.detail), exc.status_code, dict(exc.headers or {})
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body(422, _validation_detail(exc)), 422)

    @app.exception_handler(ClearanceError)
    async def _clearance(_request: Request, exc: ClearanceError) -> JSONResponse:
        return JSONResponse(error_body(400, str(exc)), 400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body(500, "internal server error"), 500)
