"""What every workbench page handler needs: the state, the session, CSRF checks, templates.

Pages are server-rendered Jinja2 templates (autoescaped). A handler asks for the signed-in
session with :func:`signed_in` (a page without a live session redirects to the login page) and,
for a form post, :func:`posted` — the session *and* the parsed form, after checking the form's
CSRF field against the session's token (403 otherwise). Role checks are :func:`need`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from clearance.api.state import AppState
from clearance.workbench.sessions import COOKIE, WebSession, lookup
from clearance.workbench.settings import WorkbenchSettings
from clearance.workbench.throttle import LoginThrottle

PREFIX = "/ui"
TEMPLATES = Path(__file__).parent / "templates"


class UiError(Exception):
    """An error page with its status (403 role or CSRF, 404 unknown alert, 400 bad input)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class LoginRequired(Exception):
    """No live session: the handler answers with a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


@dataclass
class Workbench:
    """The UI's share of the application: API state, UI settings, login throttle, templates."""

    state: AppState
    settings: WorkbenchSettings
    throttle: LoginThrottle
    templates: Environment


def make_templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["U"] = PREFIX
    env.filters["when"] = when
    env.filters["pct"] = lambda v: f"{float(v) * 100:.0f}"
    env.filters["urlq"] = lambda v: quote(str(v), safe="")
    return env


def when(value: Any) -> str:
    """A timestamp as ``YYYY-MM-DD HH:MM`` UTC (strings are passed through)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def workbench(request: Request) -> Workbench:
    found: Workbench = request.app.state.workbench
    return found


def current_session(request: Request) -> WebSession | None:
    """The live session of the request's cookie, if any (looked up once per request)."""
    if "wb_session" not in request.scope:
        wb = workbench(request)
        with wb.state.store.engine.connect() as conn:
            request.scope["wb_session"] = lookup(conn, request.cookies.get(COOKIE))
    found: WebSession | None = request.scope["wb_session"]
    return found


def signed_in(request: Request) -> WebSession:
    """The live session, or LoginRequired (redirect to the login page, then back here)."""
    session = current_session(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else PREFIX + "/")
    return session


async def posted(request: Request) -> tuple[WebSession, FormData]:
    """The session and the form of a POST whose CSRF field matches the session's token."""
    session = current_session(request)
    if session is None:
        raise UiError(403, "Your session has ended. Sign in again and repeat the action.")
    form = await request.form()
    value = form.get("csrf")
    if not session.csrf_ok(value if isinstance(value, str) else None):
        raise UiError(403, "The form's security token is missing or wrong. Reload the page.")
    return session, form


def need(session: WebSession, role: str) -> None:
    """403 unless the session's user holds ``role``."""
    if not session.user.has(role):
        raise UiError(403, f"This needs the {role} role, which your account does not have.")


def field(form: FormData, name: str, limit: int = 2000) -> str:
    """A text field of a form, stripped ('' when missing); 400 when longer than ``limit``."""
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise UiError(400, f"The field {name!r} is longer than {limit} characters.")
    return text


def render(
    request: Request,
    template: str,
    code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page: the template with the session, its CSRF token and the current path."""
    wb = workbench(request)
    session = current_session(request)
    html = wb.templates.get_template(template).render(
        session=session,
        user=session.user if session else None,
        csrf=session.csrf_token if session else "",
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, code)
