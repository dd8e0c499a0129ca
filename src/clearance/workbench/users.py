"""Workbench users: analysts, approvers and admins, with argon2id password hashes.

A user has one or more roles:

``analyst``   searches, works the alert queue, records decisions
``approver``  also approves or rejects another user's true-match / good-guy decision
``admin``     also manages users and reads the whole audit trail

Only an argon2id hash of the password is stored. :func:`authenticate` spends the same hashing
work whether the user name exists or not, so response times do not reveal valid names. User
changes are written to the audit trail in the caller's transaction.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from clearance import audit
from clearance.errors import ClearanceError
from clearance.store.types import utc
from clearance.workbench.tables import users

ROLES = ("analyst", "approver", "admin")
IMPLIED = {
    "analyst": frozenset({"analyst"}),
    "approver": frozenset({"analyst", "approver"}),
    "admin": frozenset(ROLES),
}
"""What each role may do: an approver can also do an analyst's work, an admin everything."""
MIN_PASSWORD = 12
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password of anybody")


class UserError(ClearanceError):
    """A user cannot be created or changed (bad name, role or password; unknown user)."""


@dataclass(frozen=True)
class User:
    """A workbench user as stored (without the password hash)."""

    id: str
    username: str
    display_name: str | None
    roles: frozenset[str]
    disabled: bool
    created_at: datetime

    def has(self, role: str) -> bool:
        """Whether the user may act in ``role`` (see :data:`IMPLIED`)."""
        return any(role in IMPLIED.get(r, ()) for r in self.roles)

    @property
    def label(self) -> str:
        return self.display_name or self.username


def user_from_row(row: Any) -> User:
    created = utc(row.created_at)
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles=frozenset(row.roles or ()),
        disabled=bool(row.disabled),
        created_at=created,
    )


def check_roles(roles: Iterable[str]) -> list[str]:
    """The roles, sorted, or UserError naming an unknown one (at least one role is needed)."""
    out = sorted(set(roles))
    unknown = [r for r in out if r not in ROLES]
    if unknown:
        raise UserError(f"unknown role {unknown[0]!r}; use one of {', '.join(ROLES)}")
    if not out:
        raise UserError(f"a user needs a role: one of {', '.join(ROLES)}")
    return out


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise UserError("the password is longer than 1024 characters")


def create_user(
    conn: Connection,
    username: str,
    password: str,
    roles: Iterable[str],
    *,
    display_name: str | None = None,
    actor: str = "system",
) -> User:
    """Create a user (the name must be new); audited as ``user.create``."""
    name = username.strip()
    if not _NAME.match(name):
        raise UserError(
            f"invalid user name {username!r}: 2-64 letters, digits, '.', '_', '@' or '-'"
        )
    wanted = check_roles(roles)
    check_password(password)
    if find_user(conn, name) is not None:
        raise UserError(f"user {name!r} exists already")
    now = datetime.now(UTC)
    user_id = str(uuid.uuid4())
    conn.execute(
        insert(users).values(
            id=user_id,
            username=name,
            display_name=(display_name or "").strip() or None,
            password_hash=_HASHER.hash(password),
            roles=wanted,
            disabled=False,
            created_at=now,
        )
    )
    audit.append(conn, actor=actor, action="user.create", subject=name, data={"roles": wanted})
    found = get_user(conn, user_id)
    assert found is not None
    return found


def get_user(conn: Connection, user_id: str) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return user_from_row(row) if row is not None else None


def find_user(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(users).where(users.c.username == username.strip())).first()
    return user_from_row(row) if row is not None else None


def list_users(conn: Connection) -> list[User]:
    return [user_from_row(r) for r in conn.execute(select(users).order_by(users.c.username))]


def authenticate(conn: Connection, username: str, password: str) -> User | None:
    """The enabled user with this name and password, else None (same work either way)."""
    row = conn.execute(select(users).where(users.c.username == username.strip())).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
        good = row is not None
    except (VerificationError, InvalidHashError):
        good = False
    if not good or row is None or row.disabled:
        return None
    if _HASHER.check_needs_rehash(stored):
        conn.execute(
            update(users).where(users.c.id == row.id).values(password_hash=_HASHER.hash(password))
        )
    return user_from_row(row)


def set_disabled(conn: Connection, username: str, disabled: bool, *, actor: str) -> User:
    """Disable (or enable again) a user; a disabled user's sessions stop working at once."""
    user = find_user(conn, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    conn.execute(update(users).where(users.c.id == user.id).values(disabled=disabled))
    action = "user.disable" if disabled else "user.enable"
    audit.append(conn, actor=actor, action=action, subject=user.username)
    found = get_user(conn, user.id)
    assert found is not None
    return found


def set_roles(conn: Connection, username: str, roles: Iterable[str], *, actor: str) -> User:
    """Replace a user's roles; audited as ``user.roles``."""
    user = find_user(conn, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    wanted = check_roles(roles)
    conn.execute(update(users).where(users.c.id == user.id).values(roles=wanted))
    audit.append(
        conn, actor=actor, action="user.roles", subject=user.username, data={"roles": wanted}
    )
    found = get_user(conn, user.id)
    assert found is not None
    return found


def set_password(conn: Connection, username: str, password: str, *, actor: str) -> None:
    """Set a new password (audited as ``user.password``, without the password of course)."""
    user = find_user(conn, username)
    if user is None:
        raise UserError(f"no user {username!r}")
    check_password(password)
    conn.execute(
        update(users).where(users.c.id == user.id).values(password_hash=_HASHER.hash(password))
    )
    audit.append(conn, actor=actor, action="user.password", subject=user.username)
