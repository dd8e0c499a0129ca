"""``clearance screen``: screen one name (a table of hits with reasons) or a whole file.

    clearance screen "Vladimir Putin" --schema Person --birth-date 1952
    clearance screen customers.csv -o hits.parquet --workers 2

A TARGET that is an existing ``.csv`` / ``.jsonl`` / ``.parquet`` file is screened row by row
(columns in docs/screening.md); anything else is a name. The index of the active list versions
is loaded, or built the first time (that takes a while; later runs map it from disk).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from clearance.engines import open_engine
from clearance.errors import ClearanceError
from clearance.screen import Screener, ScreenResult
from clearance.screen.readers import FORMATS, count_rows
from clearance.settings import load_settings
from clearance.store import Store

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def _open_screener() -> Screener:
    settings = load_settings()
    with Store.open(settings=settings) as store:
        if not store.active_versions():
            raise ClearanceError("no list loaded yet: run `clearance lists load PATH` first")
        with err.status("loading the screening index (built on first use)…"):
            return Screener.open(store, index_root=settings.home / "index")


def _table(result: ScreenResult) -> Table:
    table = Table(title=f"{len(result.hits)} hit(s), {result.candidates} candidate(s) scored")
    for column in ("score", "entity", "schema", "source (version)", "programs", "reasons"):
        table.add_column(column, overflow="fold")
    for hit in result.hits:
        table.add_row(
            f"{hit.score:.2f}{' ✔' if hit.match else ''}",
            f"{hit.caption}\n[dim]{hit.entity_id}[/dim]",
            hit.schema,
            f"{hit.source} (v{hit.version_id})",
            ", ".join(hit.programs[:4]),
            hit.reasons(),
        )
    return table


def screen(
    target: Annotated[str, typer.Argument(help="A name, or a .csv/.jsonl/.parquet file.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Output file (for a file TARGET).")
    ] = None,
    schema: Annotated[str | None, typer.Option(help="Query schema, e.g. Person.")] = None,
    birth_date: Annotated[str | None, typer.Option(help="Birth date or year.")] = None,
    country: Annotated[str | None, typer.Option(help="Country (name or code).")] = None,
    nationality: Annotated[str | None, typer.Option(help="Nationality.")] = None,
    ident: Annotated[
        list[str] | None, typer.Option("--id", help="Identifier, e.g. passport:AB123.")
    ] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these source lists.")] = None,
    topic: Annotated[list[str] | None, typer.Option(help="Only entities with a topic.")] = None,
    program: Annotated[list[str] | None, typer.Option(help="Only these programs.")] = None,
    threshold: Annotated[float | None, typer.Option(help="Minimum score (default 0.70).")] = None,
    limit: Annotated[int, typer.Option(help="Hits per query.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (0: all cores).")] = 0,
    chunk_size: Annotated[int, typer.Option(help="Rows per committed chunk.")] = 500,
    engine: Annotated[str, typer.Option(help="Engine for a file: local or spark.")] = "local",
) -> None:
    """Screen a name, or every row of a file, against the active lists."""
    options: dict[str, Any] = {
        "sources": source or None,
        "topics": topic or None,
        "programs": program or None,
        "threshold": threshold,
        "limit": limit,
    }
    path = Path(target)
    is_file = path.suffix.lower() in FORMATS and path.is_file()
    try:
        screener = _open_screener()
        if is_file:
            if output is None:
                raise _fail("screening a file needs --output / -o")
            _screen_file(screener, path, output, options, workers, chunk_size, engine)
            return
        fields = {
            "name": target,
            "schema": schema,
            "birth_date": birth_date,
            "country": country,
            "nationality": nationality,
            "identifiers": ";".join(ident or []) or None,
        }
        query = {k: v for k, v in fields.items() if v}
        result = screener.screen(query, **options)
    except ClearanceError as exc:
        raise _fail(str(exc)) from exc
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        out.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        out.print(_table(result))


def _screen_file(
    screener: Screener,
    path: Path,
    output: Path,
    options: dict[str, Any],
    workers: int,
    chunk_size: int,
    engine_name: str = "local",
) -> None:
    engine = open_engine(engine_name, screener.index.path, workers, chunk_size=chunk_size)
    columns = (
        TextColumn("screening"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task("rows", total=count_rows(path))
            report = engine.screen_file(
                path, output, progress=lambda n: bar.advance(task, n), **options
            )
    finally:
        engine.close()
    resumed = (
        f" (resumed: {report.resumed_chunks} chunk(s) were done)" if report.resumed_chunks else ""
    )
    err.print(f"{report.rows} row(s) screened{resumed}, {report.hits} hit row(s) → {output}")
    for error in report.errors[:20]:
        err.print(f"[yellow]row {error['row']}[/yellow] ({error['where']}): {error['error']}")
    if report.errors:
        err.print(
            f"{len(report.errors)} broken row(s) skipped; all listed in {output.name}.errors.jsonl"
        )
