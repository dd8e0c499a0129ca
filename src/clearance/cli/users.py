"""``clearance users add|list|disable|enable|password``: accounts of the web workbench.

Passwords are read from a hidden prompt (typed twice) or, for scripts, from standard input
(``--password-stdin``); they never appear on the command line, where ``ps`` and shell
histories would show them. Every change is written to the audit trail (actor ``cli``).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearance.errors import ClearanceError
from clearance.settings import load_settings
from clearance.store import Store
from clearance.workbench.sessions import revoke_user
from clearance.workbench.users import (
    ROLES,
    create_user,
    find_user,
    list_users,
    set_disabled,
    set_password,
)

users_app = typer.Typer(help="Manage users of the web workbench (/ui).", no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
ACTOR = "cli"


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def _store() -> Store:
    try:
        return Store.open(load_settings().db_url)
    except ClearanceError as exc:
        raise _fail(str(exc), 2) from exc


def _password(from_stdin: bool) -> str:
    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise _fail("no password on standard input")
        return value
    value = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return str(value)


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name used to sign in.")],
    role: Annotated[
        list[str], typer.Option("--role", help=f"One of {', '.join(ROLES)} (repeatable).")
    ],
    display_name: Annotated[str, typer.Option(help="Full name shown in the UI.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user with one or more roles."""
    password = _password(password_stdin)
    store = _store()
    try:
        with store.engine.begin() as conn:
            user = create_user(
                conn, name, password, role, display_name=display_name or None, actor=ACTOR
            )
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    out.print(f"created user {user.username} ({', '.join(sorted(user.roles))})")


@users_app.command("list")
def list_() -> None:
    """List users, their roles and whether they are disabled."""
    store = _store()
    try:
        with store.engine.connect() as conn:
            people = list_users(conn)
    finally:
        store.close()
    table = Table("user", "name", "roles", "created", "state")
    for user in people:
        table.add_row(
            user.username,
            user.display_name or "",
            ", ".join(sorted(user.roles)),
            user.created_at.strftime("%Y-%m-%d %H:%M"),
            "disabled" if user.disabled else "active",
        )
    out.print(table)


def _set_disabled(name: str, disabled: bool) -> None:
    store = _store()
    try:
        with store.engine.begin() as conn:
            user = set_disabled(conn, name, disabled, actor=ACTOR)
            ended = revoke_user(conn, user.id) if disabled else 0
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    if disabled:
        out.print(f"disabled {user.username}; {ended} session(s) ended")
    else:
        out.print(f"enabled {user.username}")


@users_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Disable a user: they cannot sign in, and their open sessions end at once."""
    _set_disabled(name, True)


@users_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Enable a disabled user again."""
    _set_disabled(name, False)


@users_app.command("password")
def password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a new password; the user's open sessions end."""
    value = _password(password_stdin)
    store = _store()
    try:
        with store.engine.begin() as conn:
            set_password(conn, name, value, actor=ACTOR)
            user = find_user(conn, name)
            assert user is not None
            revoke_user(conn, user.id)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    out.print(f"password of {name} changed; their sessions were ended")
