"""Request dependencies: the application state and the caller's key, role and rate limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from clearance.api.auth import ANONYMOUS_ADMIN, Principal
from clearance.api.errors import ApiError
from clearance.api.limits import RateLimiter
from clearance.api.state import AppState

_BEARER = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, description="X-API-Key: <API key>")


async def get_state(request: Request) -> AppState:
    """The application state (``async``: FastAPI runs a plain ``def`` dependency in a worker
    thread, a hop that costs more than the lookup)."""
    state: AppState = request.app.state.clearance
    return state


def require(role: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting keys with at least ``role`` (401 no/bad key, 403 low role, 429).

    It runs in the event loop: a key check is an HMAC and a dictionary look-up; the database
    is read only when the cached entry of the key is older than ``auth.CACHE_SECONDS``."""

    async def dependency(
        state: AppState = Depends(get_state),
        bearer: HTTPAuthorizationCredentials | None = Depends(_BEARER),
        x_api_key: str | None = Depends(_HEADER),
    ) -> Principal:
        if not state.settings.api_auth:
            return ANONYMOUS_ADMIN
        key = x_api_key.strip() if x_api_key else (bearer.credentials if bearer else None)
        if key is None:
            raise ApiError(401, "an API key is required", {"WWW-Authenticate": "Bearer"})
        principal = state.keys.verify(key)
        if principal is None:
            raise ApiError(401, "invalid or revoked API key", {"WWW-Authenticate": "Bearer"})
        if not principal.allows(role):
            raise ApiError(403, f"this endpoint needs the {role!r} role")
        wait = state.limiter.take(principal.key_id or "", principal.rate_per_minute)
        if wait > 0:
            raise ApiError(
                429, "rate limit exceeded", {"Retry-After": RateLimiter.retry_after(wait)}
            )
        return principal

    return dependency
