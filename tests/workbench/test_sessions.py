"""Web sessions: only the token's SHA-256 is stored; expiry, revocation, CSRF (SQLite and
PostgreSQL), and the login throttle."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from clearance.store import Store
from clearance.workbench.sessions import lookup, open_session, purge, revoke, revoke_user
from clearance.workbench.tables import web_sessions
from clearance.workbench.throttle import LoginThrottle
from clearance.workbench.users import User, create_user, set_disabled

PASSWORD = "correct horse battery staple"
HOURS = timedelta(hours=8)


def _user(store: Store, name: str = "ann") -> User:
    with store.engine.begin() as conn:
        return create_user(conn, name, PASSWORD, ["analyst"])


def test_only_the_token_hash_is_stored(store: Store) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        new = open_session(conn, user, HOURS)
    with store.engine.connect() as conn:
        row = conn.execute(select(web_sessions)).one()
        assert row.token_hash == hashlib.sha256(new.token.encode()).hexdigest()
        assert new.token not in {str(v) for v in row}
        found = lookup(conn, new.token)
    assert found is not None
    assert found.user.username == "ann"
    assert found.csrf_token == new.session.csrf_token
    assert len(new.token) >= 43  # 256 bits, URL-safe base64


def test_unknown_expired_revoked_and_disabled_sessions_are_not_live(store: Store) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        first = open_session(conn, user, HOURS)
        second = open_session(conn, user, HOURS)
    with store.engine.connect() as conn:
        assert lookup(conn, None) is None
        assert lookup(conn, "") is None
        assert lookup(conn, first.token + "x") is None
        assert lookup(conn, "x" * 500) is None
        later = datetime.now(UTC) + HOURS + timedelta(seconds=1)
        assert lookup(conn, first.token, now=later) is None
    with store.engine.begin() as conn:
        assert revoke(conn, first.token) is True
        assert revoke(conn, first.token) is False
    with store.engine.connect() as conn:
        assert lookup(conn, first.token) is None
        assert lookup(conn, second.token) is not None
    with store.engine.begin() as conn:
        set_disabled(conn, "ann", True, actor="root")
    with store.engine.connect() as conn:
        assert lookup(conn, second.token) is None


def test_revoke_user_ends_every_session_of_that_user_only(store: Store) -> None:
    ann, bob = _user(store, "ann"), _user(store, "bob")
    with store.engine.begin() as conn:
        tokens = [open_session(conn, ann, HOURS).token for _ in range(3)]
        other = open_session(conn, bob, HOURS).token
    with store.engine.begin() as conn:
        assert revoke_user(conn, ann.id) == 3
    with store.engine.connect() as conn:
        assert all(lookup(conn, t) is None for t in tokens)
        assert lookup(conn, other) is not None


def test_csrf_tokens_are_per_session(store: Store) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        one = open_session(conn, user, HOURS).session
        two = open_session(conn, user, HOURS).session
    assert one.csrf_token != two.csrf_token
    assert one.csrf_ok(one.csrf_token)
    assert not one.csrf_ok(two.csrf_token)
    assert not one.csrf_ok(None)
    assert not one.csrf_ok("")


def test_purge_keeps_recent_sessions(store: Store) -> None:
    user = _user(store)
    with store.engine.begin() as conn:
        live = open_session(conn, user, HOURS).token
        old = open_session(conn, user, timedelta(days=-40)).token
    with store.engine.begin() as conn:
        assert purge(conn) == 1
    with store.engine.connect() as conn:
        assert lookup(conn, live) is not None
        hashes = set(conn.execute(select(web_sessions.c.token_hash)).scalars())
    assert hashlib.sha256(old.encode()).hexdigest() not in hashes


def test_throttle_locks_a_name_then_releases_it() -> None:
    throttle = LoginThrottle(attempts=3, window_seconds=60)
    for t in range(3):
        assert not throttle.locked("ann", "10.0.0.1", now=float(t))
        throttle.failed("ann", "10.0.0.1", now=float(t))
    assert throttle.locked("ann", "10.0.0.9", now=3.0)  # the name, from any address
    assert throttle.locked("ANN ", "10.0.0.9", now=3.0)  # however it is spelled
    assert not throttle.locked("bob", "10.0.0.9", now=3.0)
    assert not throttle.locked("ann", "10.0.0.9", now=61.0)  # the window has passed


def test_throttle_locks_an_address_spraying_names() -> None:
    throttle = LoginThrottle(attempts=3, window_seconds=60, per_address=5)
    for n in range(5):
        throttle.failed(f"user{n}", "10.0.0.1", now=1.0)
    assert throttle.locked("someone-else", "10.0.0.1", now=2.0)
    assert not throttle.locked("someone-else", "10.0.0.2", now=2.0)


def test_a_good_login_clears_the_name() -> None:
    throttle = LoginThrottle(attempts=2, window_seconds=60)
    throttle.failed("ann", "a", now=1.0)
    throttle.succeeded("ann")
    throttle.failed("ann", "a", now=2.0)
    assert not throttle.locked("ann", "b", now=3.0)
