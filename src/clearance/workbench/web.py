"""The analyst workbench: a server-rendered web UI under ``/ui`` of ``clearance serve``.

:func:`install` adds it to the API application. The UI is its own small ASGI application in
front of the API's middleware because its rules differ from the JSON API's: HTML form posts
(the API's body guard accepts JSON bodies only), HTML error pages instead of JSON error bodies,
cookie sessions instead of API keys, and strict security headers (CSP without inline scripts,
no framing, no caching of pages). Its routes are not in the API's OpenAPI document.

Pages: login, dashboard, search, alert queue, alert detail with decisions, reviews (four-eyes
approvals), good-guy list, audit trail, users (admins). See docs/workbench.md.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearance.api.state import AppState
from clearance.workbench import (
    pages_admin,
    pages_alerts,
    pages_auth,
    pages_dashboard,
    pages_reviews,
    pages_search,
)
from clearance.workbench.context import (
    PREFIX,
    LoginRequired,
    UiError,
    Workbench,
    make_templates,
    render,
)
from clearance.workbench.settings import WorkbenchSettings, load_workbench_settings
from clearance.workbench.throttle import LoginThrottle

log = logging.getLogger("clearance.workbench")
STATIC = Path(__file__).parent / "static"

SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


def _is_ui(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


class UiDispatch:
    """Sends ``/ui`` requests to the UI application (with a form-size limit and security
    headers) and everything else down the API's own middleware stack."""

    def __init__(self, app: ASGIApp, ui: ASGIApp, max_form_bytes: int) -> None:
        self.app = app
        self.ui = ui
        self.max_form_bytes = max_form_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_ui(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        static = path.startswith(PREFIX + "/static/")

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(SECURITY_HEADERS)
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        if scope["method"] in ("POST", "PUT", "PATCH", "DELETE"):
            body = await self._read(scope, receive)
            if body is None:
                await _too_large(guarded_send, self.max_form_bytes)
                return
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.ui(scope, replay, guarded_send)
            return
        await self.ui(scope, receive, guarded_send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes | None:
        """The body, or None once it passes the limit (whatever Content-Length says)."""
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_form_bytes:
                return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b""
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_form_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _too_large(send: Send, limit: int) -> None:
    body = f"Form larger than {limit} bytes.".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def build_ui(state: AppState, settings: WorkbenchSettings) -> FastAPI:
    """The UI application over the API's state."""
    ui = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    ui.state.workbench = Workbench(
        state=state,
        settings=settings,
        throttle=LoginThrottle(settings.login_attempts, settings.lockout_minutes * 60),
        templates=make_templates(),
    )
    ui.state.clearance = state
    for module in (
        pages_auth,
        pages_dashboard,
        pages_search,
        pages_alerts,
        pages_reviews,
        pages_admin,
    ):
        ui.include_router(module.router)
    ui.mount(PREFIX + "/static", StaticFiles(directory=STATIC), name="static")

    @ui.get(PREFIX, include_in_schema=False)
    def _root() -> Response:
        return RedirectResponse(PREFIX + "/", 307)

    @ui.exception_handler(LoginRequired)
    async def _login(_request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"{PREFIX}/login?next={quote(exc.next_url, safe='/')}", 303)

    @ui.exception_handler(UiError)
    async def _error(request: Request, exc: UiError) -> Response:
        return render(request, "error.html.j2", exc.status, status=exc.status, message=exc.message)

    @ui.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        names = ", ".join(str(e.get("loc", ("?",))[-1]) for e in exc.errors())
        message = f"Invalid value for: {names}."
        return render(request, "error.html.j2", 400, status=400, message=message)

    @ui.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = "No such page." if exc.status_code == 404 else str(exc.detail)
        return render(
            request, "error.html.j2", exc.status_code, status=exc.status_code, message=message
        )

    @ui.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return render(
            request, "error.html.j2", 500, status=500, message="Something went wrong on our side."
        )

    return ui


def install(app: FastAPI, state: AppState, settings: WorkbenchSettings | None = None) -> None:
    """Serve the workbench under ``/ui`` of ``app`` (call after the API's middleware is added,
    so the UI sits in front of it)."""
    settings = settings or load_workbench_settings()
    ui = build_ui(state, settings)
    app.add_middleware(UiDispatch, ui=ui, max_form_bytes=settings.max_form_bytes)
