"""``clearance lists ...``: load, update, status, diff, show (see docs/cli.md).

Errors a user can fix (a malformed file, an unknown version) print one line naming the file and
the place in it, and exit with code 1; the previously active version keeps serving.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from clearance.cli.update import update
from clearance.errors import ClearanceError
from clearance.settings import Settings, load_settings
from clearance.store import ListDiff, Store, VersionInfo
from clearance.store.catalog import shared_catalog

lists_app = typer.Typer(help="Load and inspect list versions.", no_args_is_help=True)
lists_app.command("update")(update)

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def _open_store() -> Iterator[tuple[Store, Settings]]:
    try:
        settings = load_settings()
        store = Store.open(settings=settings)
    except ClearanceError as exc:
        raise _fail(str(exc), 2) from exc
    try:
        yield store, settings
    finally:
        store.close()


def _age(info: VersionInfo) -> str:
    seconds = int(info.age_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m" if minutes else f"{secs}s"


def _load_one(
    store: Store, path: Path, fmt: str | None, source: str | None, activate: bool
) -> bool:
    """Load one path with a progress display; False (and a one-line error) on failure."""
    newest = max((v.id for v in store.versions(include_failed=True)), default=0)
    label = source or path.name
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,.0f} entities"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task(f"loading {label}", total=None)
            report: Callable[[int], None] = lambda n: progress.update(task, completed=n)  # noqa: E731
            info = store.load_path(path, fmt=fmt, source=source, activate=activate, progress=report)
    except (ClearanceError, ImportError) as exc:
        err.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        still = store.active_version(source) if source else None
        if still is not None:
            err.print(f"  {still.source} version {still.id} stays active", soft_wrap=True)
        return False
    verb = "unchanged" if info.id <= newest else "loaded"
    state = "active" if info.active else "not active"
    published = f", published {info.publication_date}" if info.publication_date else ""
    out.print(
        f"{verb}: {info.source} version {info.id} ({info.entity_count:,} entities"
        f"{published}, {state})",
        soft_wrap=True,
    )
    return True


@lists_app.command("load")
def load(
    paths: Annotated[list[Path] | None, typer.Argument(help="List files or folders.")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="Format id (default: detect).")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="Store under this source id.")
    ] = None,
    catalog: Annotated[
        bool, typer.Option("--catalog", help="Load every list of the shared data catalog.")
    ] = False,
    no_activate: Annotated[
        bool, typer.Option("--no-activate", help="Keep the current version active.")
    ] = False,
) -> None:
    """Load local list files as new versions (files already loaded are skipped)."""
    if not paths and not catalog:
        raise _fail("give one or more PATHs, or --catalog")
    ok = True
    with _open_store() as (store, settings):
        for path in paths or []:
            ok &= _load_one(store, path, fmt, source, not no_activate)
        if catalog:
            for entry in shared_catalog():
                path = entry.resolve(settings.shared_data, settings.home / "catalog")
                ok &= _load_one(store, path, entry.format, entry.source, not no_activate)
    if not ok:
        raise typer.Exit(1)


@lists_app.command("status")
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The active version of each source: publication date, size, age, staleness."""
    with _open_store() as (store, _settings):
        active = store.active_versions()
        states = {s.source: s for s in store.source_states()}
        failed: dict[str, VersionInfo] = {}  # sources whose latest load attempt failed
        for version in store.versions(include_failed=True):
            if version.status == "failed":
                failed[version.source] = version
            else:
                failed.pop(version.source, None)
    if as_json:
        rows = [
            {**v.to_dict(), "stale": bool(states[v.source].stale) if v.source in states else None}
            for v in active
        ]
        out.print_json(json.dumps(rows))
        return
    if not active:
        out.print("No list loaded yet: run `clearance lists load PATH` or `--catalog`.")
        return
    table = Table(title="Active list versions")
    for column in ("Source", "Version", "Published", "Entities", "Loaded at (UTC)", "Age", "Stale"):
        right = column in ("Version", "Entities", "Age")
        table.add_column(column, justify="right" if right else "left", no_wrap=True)
    for info in active:
        state = states.get(info.source)
        stale = "—" if state is None else ("[red]yes[/red]" if state.stale else "no")
        table.add_row(
            info.source,
            str(info.id),
            info.publication_date or "—",
            f"{info.entity_count:,}",
            info.loaded_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            _age(info),
            stale,
        )
    out.print(table)
    for version in failed.values():
        out.print(f"[yellow]last load of {version.source} failed:[/yellow] {version.warnings[0]}")


def _diff_table(diff: ListDiff, limit: int) -> Table:
    table = Table(title=diff.summary(), show_lines=False)
    for column in ("Change", "Entity id", "Schema", "Name", "Properties"):
        table.add_column(column, overflow="fold")
    rows: list[tuple[str, ...]] = []
    for change in diff.added:
        rows.append(("[green]added[/green]", change.entity_id, change.schema, change.caption, ""))
    for change in diff.removed:
        rows.append(("[red]removed[/red]", change.entity_id, change.schema, change.caption, ""))
    for change in diff.changed:
        props = "; ".join(
            p.prop
            + "".join(f" +{v!r}" for v in p.added[:3])
            + "".join(f" -{v!r}" for v in p.removed[:3])
            for p in change.properties
        )
        rows.append(
            ("[yellow]changed[/yellow]", change.entity_id, change.schema, change.caption, props)
        )
    for row in rows[:limit]:
        table.add_row(*row)
    if len(rows) > limit:
        table.caption = f"{len(rows) - limit:,} more rows (use --limit or --json)"
    return table


@lists_app.command("diff")
def diff(
    old: Annotated[int | None, typer.Argument(help="Old version id.")] = None,
    new: Annotated[int | None, typer.Argument(help="New version id.")] = None,
    source: Annotated[
        str | None, typer.Option("--source", "-s", help="The last two versions of a source.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option(help="Rows to show in the table.")] = 100,
) -> None:
    """Entities added, removed and changed (with the changed properties) between two versions."""
    with _open_store() as (store, _settings):
        if source is not None:
            versions = store.versions(source)
            if len(versions) < 2:
                raise _fail(f"source {source!r} has {len(versions)} version(s); need two")
            old, new = versions[-2].id, versions[-1].id
        if old is None or new is None:
            raise _fail("give OLD and NEW version ids, or --source")
        try:
            result = store.diff(old, new)
        except ClearanceError as exc:
            raise _fail(str(exc)) from exc
    if as_json:
        out.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        out.print(_diff_table(result, limit))


def _show_version(info: VersionInfo) -> None:
    table = Table(title=f"List version {info.id}", show_header=False)
    table.add_column("Field", style="bold")
    table.add_column("Value", overflow="fold")
    fields: dict[str, Any] = {
        "source": info.source,
        "format": info.format,
        "status": info.status + (" (active)" if info.active else ""),
        "published": info.publication_date or "—",
        "loaded at": info.loaded_at.isoformat(timespec="seconds"),
        "sha256": info.sha256,
        "files": "\n".join(info.files),
        "entities": f"{info.entity_count:,}",
    }
    for schema, n in sorted(info.schema_counts.items()):
        fields[f"  {schema}"] = f"{n:,}"
    fields["warnings"] = f"{len(info.warnings)}" + "".join(f"\n{w}" for w in info.warnings[:10])
    for key, value in fields.items():
        table.add_row(key, str(value))
    out.print(table)


@lists_app.command("show")
def show(
    ref: Annotated[str, typer.Argument(metavar="VERSION_OR_ENTITY_ID")],
    version: Annotated[
        int | None, typer.Option("--version", "-v", help="Entity from this version.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A version's metadata and schema counts, or an entity with its provenance."""
    with _open_store() as (store, _settings):
        info: VersionInfo | None = None
        if ref.isdigit() and version is None:
            info = next((v for v in store.versions(include_failed=True) if v.id == int(ref)), None)
        found = None if info is not None else store.entity_record(ref, version)
    if info is not None:
        if as_json:
            out.print_json(json.dumps(info.to_dict()))
        else:
            _show_version(info)
        return
    if found is None:
        where = f" in version {version}" if version is not None else ""
        raise _fail(f"no list version or entity {ref!r}{where}")
    holder, record, entity = found
    provenance = {
        "source": holder.source,
        "version": holder.id,
        "active": holder.active,
        "published": holder.publication_date,
        "record": record,
    }
    if as_json:
        out.print_json(json.dumps({**entity.to_dict(), "provenance": provenance}))
        return
    table = Table(title=f"{entity.schema.name} {entity.id}: {entity.caption}")
    table.add_column("Property", style="bold")
    table.add_column("Values", overflow="fold")
    for prop, values in sorted(entity.to_dict()["properties"].items()):
        table.add_row(prop, "\n".join(sorted(values)))
    out.print(table)
    out.print(
        f"from {holder.source} version {holder.id}"
        f"{' (active)' if holder.active else ''}, record {record}"
        f"{', published ' + holder.publication_date if holder.publication_date else ''}"
    )
