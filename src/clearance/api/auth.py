"""API keys and roles.

A key looks like ``clr_<id>_<secret>``; the database keeps only the public ``id`` and an
HMAC-SHA256 of the whole key under the server secret (``CLEARANCE_API_SECRET``), so a stolen
database does not reveal usable keys. Roles are ordered: ``screen`` < ``review`` < ``admin``;
an endpoint names the least role it needs. A missing or unknown key is 401, a key whose role is
too low is 403. Lookups are cached for a few seconds (revocation takes effect within that).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from clearance.api.tables import api_keys

ROLES = ("screen", "review", "admin")
KEY_PREFIX = "clr_"
CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Principal:
    """The caller behind a request."""

    key_id: str | None
    name: str
    role: str
    rate_per_minute: float | None = None

    def allows(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


ANONYMOUS_ADMIN = Principal(None, "anonymous", "admin")
"""The principal of every request when authentication is switched off."""


@dataclass(frozen=True)
class KeyInfo:
    id: str
    name: str
    role: str
    created_at: datetime
    revoked_at: datetime | None
    rate_per_minute: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "rate_per_minute": self.rate_per_minute,
        }


def key_hash(secret: bytes, key: str) -> str:
    return hmac.new(secret, key.encode("utf-8"), hashlib.sha256).hexdigest()


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


class KeyStore:
    """Create, list, revoke and verify API keys in the ``api_keys`` table."""

    def __init__(self, engine: Engine, secret: bytes) -> None:
        self.engine = engine
        self.secret = secret
        self._cache: dict[str, tuple[float, str, Principal | None]] = {}
        self._lock = threading.Lock()

    def create(self, name: str, role: str, rate_per_minute: float | None = None) -> str:
        """A new key (returned once, in clear); only its hash is stored."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
        if not name.strip():
            raise ValueError("a key needs a name")
        key_id = secrets.token_hex(6)
        key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(24)}"
        with self.engine.begin() as conn:
            conn.execute(
                insert(api_keys).values(
                    id=key_id,
                    name=name.strip(),
                    role=role,
                    hash=key_hash(self.secret, key),
                    rate_per_minute=rate_per_minute,
                    created_at=datetime.now(UTC),
                )
            )
        return key

    def list(self) -> list[KeyInfo]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at)).all()
        return [
            KeyInfo(
                r.id,
                r.name,
                r.role,
                _aware(r.created_at) or datetime.now(UTC),
                _aware(r.revoked_at),
                r.rate_per_minute,
            )
            for r in rows
        ]

    def revoke(self, key_id: str) -> bool:
        """Revoke a key by id (or by the whole key); False when there is no such active key."""
        if key_id.startswith(KEY_PREFIX):
            key_id = key_id[len(KEY_PREFIX) :].split("_", 1)[0]
        with self.engine.begin() as conn:
            done = conn.execute(
                update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
        with self._lock:
            self._cache.pop(key_id, None)
        return bool(done.rowcount)

    def verify(self, key: str) -> Principal | None:
        """The principal of a valid, unrevoked key; None otherwise."""
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        key_id = key[len(KEY_PREFIX) :].split("_", 1)[0]
        digest = key_hash(self.secret, key)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(key_id)
        if cached is not None and cached[1] == digest and now - cached[0] < CACHE_SECONDS:
            return cached[2]
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        principal = None
        if row is not None and row.revoked_at is None and hmac.compare_digest(row.hash, digest):
            principal = Principal(row.id, row.name, row.role, row.rate_per_minute)
        with self._lock:
            self._cache[key_id] = (now, digest, principal)
        return principal
