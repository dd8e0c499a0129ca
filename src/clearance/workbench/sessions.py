"""Browser sessions of the workbench: opaque tokens, stored only as their SHA-256.

A login creates a random 256-bit token that travels only in an ``HttpOnly``, ``SameSite=Strict``
cookie (``Secure`` over https, see :mod:`clearance.workbench.settings`). The database keeps its
SHA-256 — a stolen database or backup does not hold usable session tokens — with the user, the
expiry and, once logged out, the revocation time. Each session has its own CSRF token, put into
every form as a hidden field and compared (constant time) on every POST: a token from another
session, or a form without one, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from clearance.store.types import utc
from clearance.workbench.tables import users, web_sessions
from clearance.workbench.users import User, user_from_row

COOKIE = "clearance_session"
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    """A live session and its user."""

    token_hash: str
    user: User
    csrf_token: str
    created_at: datetime
    expires_at: datetime

    def csrf_ok(self, submitted: str | None) -> bool:
        """Whether a submitted form's CSRF field is this session's token."""
        if not submitted:
            return False
        return hmac.compare_digest(submitted.encode("utf-8"), self.csrf_token.encode("utf-8"))


@dataclass(frozen=True)
class NewSession:
    """What a login hands out: the cookie token (in clear, once) and the session."""

    token: str
    session: WebSession


def open_session(conn: Connection, user: User, lifetime: timedelta) -> NewSession:
    """Start a session for ``user`` lasting ``lifetime``."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = datetime.now(UTC)
    session = WebSession(
        token_hash=token_hash(token),
        user=user,
        csrf_token=secrets.token_urlsafe(TOKEN_BYTES),
        created_at=now,
        expires_at=now + lifetime,
    )
    conn.execute(
        insert(web_sessions).values(
            token_hash=session.token_hash,
            user_id=user.id,
            csrf_token=session.csrf_token,
            created_at=now,
            expires_at=session.expires_at,
        )
    )
    return NewSession(token, session)


def lookup(conn: Connection, token: str | None, now: datetime | None = None) -> WebSession | None:
    """The live session of a cookie token: known, not revoked, not expired, user enabled."""
    if not token or len(token) > 128:
        return None
    row = conn.execute(
        select(
            users,
            web_sessions.c.token_hash,
            web_sessions.c.csrf_token,
            web_sessions.c.created_at.label("session_created_at"),
            web_sessions.c.expires_at,
            web_sessions.c.revoked_at,
        )
        .select_from(web_sessions)
        .join(users, users.c.id == web_sessions.c.user_id)
        .where(web_sessions.c.token_hash == token_hash(token))
    ).first()
    if row is None or row.revoked_at is not None or row.disabled:
        return None
    expires = utc(row.expires_at)
    if expires <= (now or datetime.now(UTC)):
        return None
    return WebSession(
        token_hash=row.token_hash,
        user=user_from_row(row),
        csrf_token=row.csrf_token,
        created_at=utc(row.session_created_at),
        expires_at=expires,
    )


def revoke(conn: Connection, token: str) -> bool:
    """End the session of a cookie token (logout); False when it was not live."""
    done = conn.execute(
        update(web_sessions)
        .where(web_sessions.c.token_hash == token_hash(token), web_sessions.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(done.rowcount)


def revoke_user(conn: Connection, user_id: str) -> int:
    """End every live session of a user (disabled, password changed); how many were ended."""
    done = conn.execute(
        update(web_sessions)
        .where(web_sessions.c.user_id == user_id, web_sessions.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return int(done.rowcount)


def purge(conn: Connection, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete sessions that expired more than ``older_than`` ago (kept a while for forensics)."""
    cut = datetime.now(UTC) - older_than
    done = conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < cut))
    return int(done.rowcount)
