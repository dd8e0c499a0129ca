"""``clearance serve`` (the HTTP API under uvicorn) and ``clearance keys create|list|revoke``.

Keys are printed once when created; the database keeps only their keyed hash (docs/api.md).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearance.api.auth import ROLES, KeyStore
from clearance.api.settings import load_api_settings
from clearance.errors import ClearanceError
from clearance.store import Store

keys_app = typer.Typer(help="Manage API keys of the HTTP API.", no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Run the HTTP API (yente-compatible /match, /search, /entities; see docs/api.md)."""
    import uvicorn

    try:
        settings = load_api_settings()
        settings.secret_bytes()
        Store.open(settings.db_url).close()
    except ClearanceError as exc:
        raise _fail(str(exc), 2) from exc
    uvicorn.run(
        "clearance.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        server_header=False,
    )


def _keys() -> tuple[KeyStore, Store]:
    try:
        settings = load_api_settings()
        store = Store.open(settings.db_url)
        return KeyStore(store.engine, settings.secret_bytes()), store
    except ClearanceError as exc:
        raise _fail(str(exc), 2) from exc


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Who or what uses the key.")],
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")] = "screen",
    rate: Annotated[
        float | None, typer.Option(min=0.1, help="Requests per minute (default: setting).")
    ] = None,
) -> None:
    """Create a key and print it (once: only its hash is stored)."""
    if role not in ROLES:
        raise _fail(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    keys, store = _keys()
    try:
        key = keys.create(name, role, rate)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    out.print(key)


@keys_app.command("list")
def list_keys() -> None:
    """Show every key (id, name, role, created, revoked) — never the key itself."""
    keys, store = _keys()
    try:
        rows = keys.list()
    finally:
        store.close()
    table = Table("id", "name", "role", "rate/min", "created", "revoked")
    for k in rows:
        table.add_row(
            k.id,
            k.name,
            k.role,
            "" if k.rate_per_minute is None else f"{k.rate_per_minute:g}",
            k.created_at.isoformat(timespec="seconds"),
            k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="Key id (or the whole key).")]) -> None:
    """Revoke a key; requests with it get 401 within a few seconds."""
    keys, store = _keys()
    try:
        done = keys.revoke(key_id)
    finally:
        store.close()
    if not done:
        raise _fail(f"no active key {key_id!r}")
    out.print(f"revoked {key_id}")
