"""``clearance book``, ``clearance monitor`` and ``clearance alerts``: ongoing screening of a
customer book (docs/monitoring.md).

    clearance book import customers.csv --book retail
    clearance book import --table customers --url postgresql+psycopg://... --book retail
    clearance monitor run --delta            # resume interrupted runs, then screen what changed
    clearance monitor schedule --cron "0 6 * * *"
    clearance monitor status
    clearance alerts list --status open
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import select

from clearance.errors import ClearanceError
from clearance.monitor.book import ImportReport, books, import_rows, table_rows
from clearance.monitor.runner import RunReport, execute_run, run_book, running_runs
from clearance.monitor.schedule import run_cycle, run_schedule
from clearance.monitor.status import monitor_status
from clearance.monitor.tables import alerts
from clearance.settings import Settings, load_settings
from clearance.store import Store

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

book_app = typer.Typer(help="Customer / counterparty books: import, status.", no_args_is_help=True)
monitor_app = typer.Typer(
    help="Ongoing screening: full and delta runs, resume, schedule, status.", no_args_is_help=True
)
alerts_app = typer.Typer(help="Alerts raised by monitoring runs.", no_args_is_help=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def _logging(log_file: Path | None = None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("clearance.monitor")
    logger.handlers = handlers
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _check_id_column(path: Path) -> None:
    """A book file must name its records (``id`` column): row numbers are not stable ids."""
    from clearance.errors import ListFormatError
    from clearance.screen.readers import file_format

    fmt = file_format(path)
    if not path.is_file():
        raise ListFormatError(path, None, "no such file")
    if fmt == "csv":
        import csv

        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
        has_id = "id" in [c.strip() for c in header]
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            has_id = "id" in pq.ParquetFile(path).schema_arrow.names
        except Exception as exc:
            raise ListFormatError(path, None, f"not a Parquet file ({exc})") from exc
    else:
        with open(path, "rb") as fh:
            first = next((line for line in fh if line.strip()), b"{}")
        try:
            has_id = "id" in json.loads(first)
        except (ValueError, TypeError):
            has_id = True  # the reader reports the broken line itself
    if not has_id:
        raise ListFormatError(path, "line 1", "a book file needs an 'id' column (record ids)")


def _print_import(report: ImportReport) -> None:
    err.print(
        f"book {report.book!r}: {report.rows} row(s) read — {report.new} new, {report.changed} "
        f"changed, {report.unchanged} unchanged, {report.deleted} deleted, "
        f"{len(report.errors)} broken"
    )
    for error in report.errors[:20]:
        err.print(f"[yellow]row {error['row']}[/yellow] ({error['where']}): {error['error']}")
    if len(report.errors) > 20:
        err.print(f"… and {len(report.errors) - 20} more broken row(s)")


@book_app.command("import")
def book_import(
    file: Annotated[
        Path | None, typer.Argument(help="A .csv / .jsonl / .parquet file (columns: id, name…).")
    ] = None,
    book: Annotated[str, typer.Option("--book", help="Book name.")] = "default",
    table: Annotated[
        str | None, typer.Option("--table", help="Import this database table instead.")
    ] = None,
    url: Annotated[
        str | None, typer.Option("--url", help="SQLAlchemy URL of the --table's database.")
    ] = None,
    id_column: Annotated[str, typer.Option(help="Record id column of the --table.")] = "id",
    replace: Annotated[
        bool, typer.Option("--replace", help="The input is the whole book: mark others deleted.")
    ] = False,
) -> None:
    """Import (add or update) book records; a changed record gets a new version."""
    from clearance.screen.readers import read_rows

    try:
        if (file is None) == (table is None):
            raise _fail("give a FILE or --table (with --url)")
        if table is not None:
            if not url:
                raise _fail("--table needs --url (the database holding it)")
            rows: Any = table_rows(url, table, id_column)
        else:
            assert file is not None
            _check_id_column(file)
            rows = read_rows(file)
        with Store.open(settings=load_settings()) as store, err.status(f"importing {book!r}…"):
            report = import_rows(store, book, rows, replace=replace)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    _print_import(report)


@book_app.command("status")
def book_status() -> None:
    """Books with their live, deleted and not-yet-screened records."""
    try:
        with Store.open(settings=load_settings()) as store:
            found = books(store)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    table = Table(title="books")
    for column in ("book", "records", "deleted", "waiting for screening", "last import"):
        table.add_column(column)
    for b in found:
        when = b.updated_at.strftime("%Y-%m-%d %H:%M UTC") if b.updated_at else "-"
        table.add_row(b.book, f"{b.records:,}", f"{b.deleted:,}", f"{b.unscreened:,}", when)
    out.print(table)


def _bar() -> Progress:
    columns = (TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    return Progress(*columns, console=err, transient=True)


def _shown(bar: Progress) -> Callable[[int, int], None]:
    """A run's progress callback drawing on a new task of ``bar``."""
    task = bar.add_task("records", total=None)
    return lambda done, total: bar.update(task, completed=done, total=total)


def _print_run(report: RunReport) -> None:
    c = report.counts
    resumed = (
        f" (resumed, {report.resumed_chunks} chunk(s) were done)" if report.resumed_chunks else ""
    )
    err.print(
        f"{report.kind} run {report.run_id} of book {report.book!r}: {report.status}{resumed}; "
        f"{report.done:,}/{report.total:,} record(s), {c.raised} alert(s) raised, "
        f"{c.rescored} re-scored, {c.closed} closed, {c.suppressed} suppressed (good guys); "
        f"list changes: {report.changes}; {report.seconds:.1f} s"
    )


def _books(store: Store, wanted: list[str] | None) -> list[str]:
    names = wanted or [b.book for b in books(store)]
    if not names:
        raise ClearanceError("no book imported yet: run `clearance book import FILE --book NAME`")
    return names


@monitor_app.command("run")
def monitor_run(
    book: Annotated[list[str] | None, typer.Option("--book", help="Book(s); default all.")] = None,
    full: Annotated[
        bool, typer.Option("--full/--delta", help="Full re-screen, or only what changed.")
    ] = False,
    engine: Annotated[str, typer.Option(help="Screening engine: local or spark.")] = "local",
    workers: Annotated[int, typer.Option(help="Worker processes (0: all cores).")] = 0,
    chunk_size: Annotated[int, typer.Option(help="Records per committed chunk.")] = 500,
    threshold: Annotated[float | None, typer.Option(help="Minimum score (default 0.70).")] = None,
) -> None:
    """Resume interrupted runs of each book, then run a full or delta screening."""
    _logging()
    try:
        settings = load_settings()
        with Store.open(settings=settings) as store:
            for name in _books(store, book):
                with _bar() as bar:
                    reports = run_book(
                        store,
                        name,
                        index_root=settings.home / "index",
                        kind="full" if full else "delta",
                        engine=engine,
                        workers=workers,
                        chunk_size=chunk_size,
                        threshold=threshold,
                        progress=_shown(bar),
                    )
                for report in reports:
                    _print_run(report)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc


@monitor_app.command("resume")
def monitor_resume(
    run_id: Annotated[
        str | None, typer.Argument(help="Run id (default: every unfinished run).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0: all cores).")] = 0,
) -> None:
    """Continue runs interrupted by a crash: committed chunks are skipped."""
    _logging()
    try:
        settings = load_settings()
        with Store.open(settings=settings) as store:
            ids = [run_id] if run_id else running_runs(store)
            if not ids:
                err.print("no unfinished run")
            for rid in ids:
                with _bar() as bar:
                    report = execute_run(
                        store,
                        rid,
                        index_root=settings.home / "index",
                        workers=workers,
                        progress=_shown(bar),
                    )
                _print_run(report)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc


@monitor_app.command("schedule")
def monitor_schedule(
    cron: Annotated[
        str, typer.Option(help='Cron expression (UTC), e.g. "0 6 * * *".')
    ] = "0 6 * * *",
    once: Annotated[bool, typer.Option("--once", help="Run one cycle now and exit.")] = False,
    update: Annotated[
        bool, typer.Option("--update/--no-update", help="Download the lists first.")
    ] = True,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Sources to update (default all).")
    ] = None,
    mirror: Annotated[str | None, typer.Option(help="Mirror base URL for downloads.")] = None,
    book: Annotated[list[str] | None, typer.Option("--book", help="Book(s); default all.")] = None,
    engine: Annotated[str, typer.Option(help="Screening engine: local or spark.")] = "local",
    workers: Annotated[int, typer.Option(help="Worker processes (0: all cores).")] = 0,
    log_file: Annotated[
        Path | None, typer.Option(help="Log file (default $CLEARANCE_HOME/monitor.log).")
    ] = None,
) -> None:
    """Update the lists, then delta re-screen every book, at each time of the cron schedule."""
    try:
        settings = load_settings()
        _logging(log_file or settings.home / "monitor.log")
        with Store.open(settings=settings) as store:
            names = _books(store, book)

            def cycle() -> Any:
                return _cycle(settings, store, names, source or [], mirror, update, engine, workers)

            reports = run_schedule(cron, cycle, once=once)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    if once and reports and reports[0].failed:
        raise typer.Exit(1)


def _cycle(
    settings: Settings,
    store: Store,
    names: list[str],
    sources: list[str],
    mirror: str | None,
    update: bool,
    engine: str,
    workers: int,
) -> Any:
    return run_cycle(
        settings,
        store,
        names,
        index_root=settings.home / "index",
        sources=sources,
        mirror=mirror,
        update=update,
        engine=engine,
        workers=workers,
    )


@monitor_app.command("status")
def monitor_status_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Books, recent runs, alert counts and operator alerts (failed downloads, stopped runs)."""
    try:
        with Store.open(settings=load_settings()) as store:
            status = monitor_status(store)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        out.print_json(json.dumps(status))
        return
    for alert in status["operator_alerts"]:
        out.print(f"[bold red]operator alert:[/] {alert['message']}")
    runs = Table(title="recent runs")
    for column in ("run", "book", "kind", "status", "progress", "raised", "closed", "started"):
        runs.add_column(column)
    for r in status["runs"]:
        runs.add_row(
            r["id"][:8],
            r["book"],
            r["kind"],
            r["status"],
            f"{r['done']:,}/{r['total']:,}",
            str(r["alerts_raised"]),
            str(r["alerts_closed"]),
            (r["started_at"] or "")[:19],
        )
    out.print(runs)
    out.print("alerts: " + (", ".join(f"{k} {v}" for k, v in status["alerts"].items()) or "none"))


@alerts_app.command("list")
def alerts_list(
    book: Annotated[str | None, typer.Option(help="Only this book.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status, e.g. open.")] = "open",
    limit: Annotated[int, typer.Option(help="At most this many (newest first).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Alerts, newest first: record, listed entity, score, cause and status."""
    query = select(alerts).order_by(alerts.c.created_at.desc(), alerts.c.id).limit(limit)
    if book:
        query = query.where(alerts.c.book == book)
    if status and status != "all":
        query = query.where(alerts.c.status == status)
    try:
        with Store.open(settings=load_settings()) as store, store.engine.connect() as conn:
            rows = conn.execute(query).all()
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        for row in rows:
            data = dict(row._mapping)
            for key in ("created_at", "updated_at"):
                data[key] = str(data[key])
            out.print(json.dumps(data, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    table = Table(title=f"{len(rows)} alert(s)")
    for column in ("alert", "book / record", "entity", "score", "cause", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        cause = dict(row.cause)
        table.add_row(
            row.id[:8],
            f"{row.book} / {row.record_id}",
            f"{row.hit.get('caption', '')}\n"
            f"[dim]{row.entity_id} ({row.source} v{row.version_id})[/dim]",
            f"{row.score:.2f}",
            f"{cause.get('kind')} ({cause.get('source')} v{cause.get('version_id')})",
            row.status + (f"\n{row.closed_reason}" if row.closed_reason else ""),
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``book``, ``monitor`` and ``alerts`` command groups to the main app."""
    app.add_typer(book_app, name="book")
    app.add_typer(monitor_app, name="monitor")
    app.add_typer(alerts_app, name="alerts")


__all__ = ["alerts_app", "book_app", "monitor_app", "register"]
