"""``clearance lists update``: fetch every registered source from its official URL.

Shows a Rich progress line per source while it downloads and loads, then a summary table:
unchanged / updated (new version id) / failed (reason, stale since when, which version still
serves). Exits 1 only when every attempted source failed; a partial failure exits 0 because
the failed sources keep serving their last good version (see docs/sources.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from clearance.errors import ClearanceError
from clearance.settings import load_settings
from clearance.update.registry import Source
from clearance.update.updater import SourceOutcome, UpdateReport, run_update

_STYLE = {"unchanged": "dim", "updated": "green", "failed": "bold red"}


class RichProgress:
    """Draws the updater's callbacks as one progress line per source."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def source_started(self, source: Source) -> None:
        self.tasks[source.id] = self.progress.add_task(source.id, total=None, phase="starting")

    def phase(self, source: Source, text: str) -> None:
        self.progress.update(self.tasks[source.id], phase=text, completed=0, total=None)

    def transferred(self, source: Source, done: int, total: int | None) -> None:
        self.progress.update(self.tasks[source.id], completed=done, total=total)

    def source_finished(self, source: Source, outcome: SourceOutcome) -> None:
        task = self.tasks[source.id]
        self.progress.update(task, phase=outcome.status, completed=1, total=1)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _version(o: SourceOutcome) -> str:
    number = o.active_version if o.status == "failed" else o.version
    return str(number) if number is not None else "-"


def _detail(o: SourceOutcome) -> str:
    if o.status == "failed":
        if o.active_version is None:
            return f"{o.error}\nno version loaded yet"
        since = _when(o.stale_since)
        return f"{o.error}\nstale since {since}; version {o.active_version} still active"
    if o.status == "updated":
        text = f"new version: {o.entity_count or 0:,} entities, {o.downloaded_bytes:,} bytes"
        if o.warnings:
            text += f", {o.warnings:,} warning" + ("s" if o.warnings > 1 else "")
        return text
    if o.downloaded_bytes:
        return f"same content as the active version ({o.downloaded_bytes:,} bytes checked)"
    return "not modified (HTTP 304)"


def summary_table(report: UpdateReport) -> Table:
    """The per-source summary printed at the end of a run."""
    table = Table(title="lists update")
    table.add_column("source")
    table.add_column("result")
    table.add_column("version", justify="right")
    table.add_column("detail", overflow="fold")
    for o in report.outcomes:
        table.add_row(o.source, f"[{_STYLE[o.status]}]{o.status}[/]", _version(o), _detail(o))
    return table


def update(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Source ids to update (default: every enabled source)."),
    ] = None,
    mirror: Annotated[
        str | None,
        typer.Option(
            "--mirror",
            help="Base URL replacing scheme and host of every official URL "
            "(default: CLEARANCE_SOURCE_MIRROR).",
        ),
    ] = None,
) -> None:
    """Fetch each registered source and load what changed (see docs/sources.md).

    A source that fails keeps its last good version active and is marked stale. Exit status: 0
    when at least one source was updated or unchanged, 1 when every source failed, 2 on bad
    usage or settings.
    """
    console = Console(stderr=True)
    try:
        settings = load_settings()
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description:<26}"),
            TextColumn("{task.fields[phase]:<24}"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            report = run_update(settings, sources or (), mirror, RichProgress(bar))
    except ClearanceError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    Console().print(summary_table(report))
    raise typer.Exit(report.exit_code)
