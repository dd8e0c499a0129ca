"""Sign in and sign out.

The login form has its own CSRF protection before any session exists (a random value both in a
``SameSite=Strict`` cookie and in the form, which must agree), so another site cannot sign a
browser in under the attacker's account. A login always starts a new session (no fixation);
logout revokes the session in the database, so a copied cookie stops working too. Successful
and failed logins of known users and every logout are written to the audit trail.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clearance import audit
from clearance.workbench.context import (
    PREFIX,
    current_session,
    field,
    posted,
    render,
    workbench,
)
from clearance.workbench.sessions import COOKIE, open_session, purge, revoke
from clearance.workbench.users import authenticate, find_user

router = APIRouter(include_in_schema=False)
LOGIN_COOKIE = "clearance_login"


def safe_next(value: str) -> str:
    """Where to go after login: a path inside the UI only (no open redirect)."""
    if value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return PREFIX + "/"


def _login_page(request: Request, next_url: str, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request, "login.html.j2", status, login_token=token, next_url=next_url, error=error
    )
    wb = workbench(request)
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=PREFIX + "/login",
        httponly=True,
        samesite="strict",
        secure=wb.settings.secure_cookie(request.url.scheme),
    )
    return response


@router.get(PREFIX + "/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "") -> Response:
    if current_session(request) is not None:
        return RedirectResponse(safe_next(next), 303)
    return _login_page(request, safe_next(next))


@router.post(PREFIX + "/login")
async def login(request: Request) -> Response:
    wb = workbench(request)
    form = await request.form()
    username = field(form, "username", 128)
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    next_url = safe_next(field(form, "next", 500))
    expected = request.cookies.get(LOGIN_COOKIE, "")
    submitted = field(form, "csrf", 200)
    if not expected or not hmac.compare_digest(expected.encode(), submitted.encode()):
        return _login_page(
            request, next_url, "The login form expired or came from elsewhere; try again.", 403
        )
    address = request.client.host if request.client else "?"
    if wb.throttle.locked(username, address):
        return _login_page(
            request,
            next_url,
            "Too many failed sign-ins. Wait a few minutes or ask an administrator.",
            429,
        )
    with wb.state.store.engine.begin() as conn:
        user = authenticate(conn, username, password) if username and password else None
        if user is None:
            known = find_user(conn, username) if username else None
            if known is not None:
                audit.append(
                    conn,
                    actor=known.username,
                    action="auth.login_failed",
                    subject=known.username,
                    data={"address": address},
                )
        else:
            lifetime = timedelta(hours=wb.settings.session_hours)
            purge(conn)  # sessions that ended long ago; keeps the table small
            started = open_session(conn, user, lifetime)
            audit.append(
                conn,
                actor=user.username,
                action="auth.login",
                subject=user.username,
                data={"address": address},
            )
    if user is None:
        wb.throttle.failed(username, address)
        return _login_page(request, next_url, "Unknown user name or wrong password.", 401)
    wb.throttle.succeeded(username)
    response = RedirectResponse(next_url, 303)
    response.set_cookie(
        COOKIE,
        started.token,
        max_age=int(lifetime.total_seconds()),
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=wb.settings.secure_cookie(request.url.scheme),
    )
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX + "/login", httponly=True, samesite="strict")
    return response


@router.post(PREFIX + "/logout")
async def logout(request: Request) -> Response:
    if current_session(request) is None:  # already ended: nothing to do, no CSRF needed
        return RedirectResponse(PREFIX + "/login", 303)
    session, _form = await posted(request)
    wb = workbench(request)
    with wb.state.store.engine.begin() as conn:
        revoke(conn, request.cookies.get(COOKIE, ""))
        audit.append(
            conn, actor=session.user.username, action="auth.logout", subject=session.user.username
        )
    response = RedirectResponse(PREFIX + "/login", 303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response
