"""``clearance serve`` (the HTTP API under uvicorn) and ``clearance keys create|list|revoke``.

Keys are printed once when created; the database keeps only their keyed hash (docs/api.md).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearance.api.auth import ROLES, KeyStore
from clearance.api.settings import ApiSettings, load_api_settings
from clearance.api.state import ensure_built
from clearance.errors import ClearanceError
from clearance.store import Store

keys_app = typer.Typer(help="Manage API keys of the HTTP API.", no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


WORKER_HEALTHCHECK_SECONDS = 60
"""How long uvicorn's supervisor waits for a worker to answer its health ping before killing
and replacing it. uvicorn's default (5 s) is shorter than a worker's start on a busy 2-core
machine (the answering thread starts only after the imports): workers were killed while
starting, over and over. A hung worker is still replaced, after a minute."""


def default_workers() -> int:
    """One worker per core this process may run on (screening is CPU-bound, one GIL each)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def prepare_index(settings: ApiSettings) -> str | None:
    """Build (or find) the index of the active list versions before any worker starts, so each
    worker only maps it; the index key, or None when no list version is active."""
    with Store.open(settings.db_url) as store:
        versions = store.active_versions()
    if not versions:
        return None
    return ensure_built(settings.db_url, settings.home / "index", versions)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Worker processes (default: one per core)."),
    ] = None,
    access_log: Annotated[bool, typer.Option(help="Log every request (uvicorn).")] = True,
) -> None:
    """Run the HTTP API (yente-compatible /match, /search, /entities; see docs/api.md)."""
    import uvicorn

    from clearance.api.tcp import HTTP_PROTOCOL

    try:
        settings = load_api_settings()
        settings.secret_bytes()
        Store.open(settings.db_url).close()
    except ClearanceError as exc:
        raise _fail(str(exc), 2) from exc
    count = workers or default_workers()
    err.print(f"preparing the screening index of the active list versions under {settings.home}")
    try:
        key = prepare_index(settings)
    except (ClearanceError, RuntimeError, OSError) as exc:
        raise _fail(f"cannot build the index: {exc}", 2) from exc
    err.print(f"index {key}" if key else "no list versions are active: /readyz will be 503")
    uvicorn.run(
        "clearance.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="info",
        access_log=access_log,
        server_header=False,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        http=HTTP_PROTOCOL,  # h11 with TCP_NODELAY (see clearance.api.tcp)
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
