"""Users: argon2 hashes, roles, authentication, disabling (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from clearance import audit
from clearance.cli.users import users_app
from clearance.store import Store
from clearance.workbench.tables import users
from clearance.workbench.users import (
    UserError,
    authenticate,
    create_user,
    find_user,
    list_users,
    set_disabled,
    set_password,
    set_roles,
)

PASSWORD = "correct horse battery staple"


def test_create_stores_only_an_argon2_hash(store: Store) -> None:
    with store.engine.begin() as conn:
        user = create_user(conn, "ann", PASSWORD, ["analyst"], display_name="Ann Smith")
    assert user.roles == frozenset({"analyst"})
    assert user.label == "Ann Smith"
    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
        entries = list(audit.entries(conn))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert [(e.action, e.subject, e.data) for e in entries] == [
        ("user.create", "ann", {"roles": ["analyst"]})
    ]


def test_authenticate(store: Store) -> None:
    with store.engine.begin() as conn:
        create_user(conn, "ann", PASSWORD, ["analyst"])
    with store.engine.begin() as conn:
        found = authenticate(conn, "ann", PASSWORD)
        assert found is not None and found.username == "ann"
        assert authenticate(conn, "ann", PASSWORD + "x") is None
        assert authenticate(conn, "nobody", PASSWORD) is None
        assert authenticate(conn, "ann", "") is None


def test_disabled_user_cannot_sign_in_and_enable_restores(store: Store) -> None:
    with store.engine.begin() as conn:
        create_user(conn, "ann", PASSWORD, ["analyst"])
        set_disabled(conn, "ann", True, actor="root")
    with store.engine.begin() as conn:
        assert authenticate(conn, "ann", PASSWORD) is None
        assert set_disabled(conn, "ann", False, actor="root").disabled is False
        assert authenticate(conn, "ann", PASSWORD) is not None
    with store.engine.connect() as conn:
        actions = [e.action for e in audit.entries(conn)]
    assert actions == ["user.create", "user.disable", "user.enable"]


@pytest.mark.parametrize(
    ("name", "password", "roles", "message"),
    [
        ("ann", PASSWORD, ["auditor"], "unknown role 'auditor'"),
        ("ann", PASSWORD, [], "a user needs a role"),
        ("ann", "short", ["analyst"], "at least 12 characters"),
        ("a", PASSWORD, ["analyst"], "invalid user name"),
        ("ann smith", PASSWORD, ["analyst"], "invalid user name"),
        ("<script>", PASSWORD, ["analyst"], "invalid user name"),
    ],
)
def test_bad_users_are_refused_and_nothing_is_written(
    store: Store, name: str, password: str, roles: list[str], message: str
) -> None:
    with pytest.raises(UserError, match=message), store.engine.begin() as conn:
        create_user(conn, name, password, roles)
    with store.engine.connect() as conn:
        assert list_users(conn) == []
        assert list(audit.entries(conn)) == []


def test_duplicate_name_is_refused(store: Store) -> None:
    with store.engine.begin() as conn:
        create_user(conn, "ann", PASSWORD, ["analyst"])
    with pytest.raises(UserError, match="exists already"), store.engine.begin() as conn:
        create_user(conn, "ann", PASSWORD, ["admin"])


def test_roles_imply_lesser_roles(store: Store) -> None:
    with store.engine.begin() as conn:
        analyst = create_user(conn, "ann", PASSWORD, ["analyst"])
        approver = create_user(conn, "bob", PASSWORD, ["approver"])
        admin = create_user(conn, "root", PASSWORD, ["admin"])
    assert analyst.has("analyst") and not analyst.has("approver") and not analyst.has("admin")
    assert approver.has("analyst") and approver.has("approver") and not approver.has("admin")
    assert admin.has("analyst") and admin.has("approver") and admin.has("admin")


def test_set_roles_and_password(store: Store) -> None:
    with store.engine.begin() as conn:
        create_user(conn, "ann", PASSWORD, ["analyst"])
        assert set_roles(conn, "ann", ["approver", "analyst"], actor="root").roles == {
            "analyst",
            "approver",
        }
        set_password(conn, "ann", "another long password", actor="root")
    with store.engine.begin() as conn:
        assert authenticate(conn, "ann", PASSWORD) is None
        assert authenticate(conn, "ann", "another long password") is not None
        with pytest.raises(UserError, match="no user"):
            set_password(conn, "nobody", "another long password", actor="root")
    with store.engine.connect() as conn:
        assert find_user(conn, "ann") is not None
        password_entries = [e for e in audit.entries(conn) if e.action == "user.password"]
    assert len(password_entries) == 1 and "another" not in str(password_entries[0].data)


def test_cli_add_list_disable(
    store: Store, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_DATABASE_URL", store_url)
    runner = CliRunner()
    added = runner.invoke(
        users_app,
        ["add", "ann", "--role", "analyst", "--role", "approver", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    assert "created user ann (analyst, approver)" in added.output
    listed = runner.invoke(users_app, ["list"])
    assert "ann" in listed.output and "analyst, approver" in listed.output
    refused = runner.invoke(
        users_app, ["add", "bob", "--role", "boss", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert refused.exit_code == 1 and "unknown role 'boss'" in refused.output
    short = runner.invoke(
        users_app, ["add", "bob", "--role", "analyst", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    disabled = runner.invoke(users_app, ["disable", "ann"])
    assert disabled.exit_code == 0 and "disabled ann" in disabled.output
    assert runner.invoke(users_app, ["disable", "nobody"]).exit_code == 1
    with store.engine.connect() as conn:
        assert authenticate(conn, "ann", PASSWORD) is None
        assert [u.username for u in list_users(conn)] == ["ann"]
        actions = [(e.actor, e.action) for e in audit.entries(conn)]
    assert actions == [("cli", "user.create"), ("cli", "user.disable")]
