"""``clearance deal FILE`` (screen a deal, optionally write an evidence report) and
``clearance text FILE|-`` (find listed names in a text)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from clearance.errors import ClearanceError
from clearance.settings import load_settings

out = Console()
err = Console(stderr=True)


def _open() -> tuple[object, object]:
    from clearance.screen import Screener
    from clearance.store import Store

    settings = load_settings()
    store = Store.open(settings=settings)
    if not store.active_versions():
        store.close()
        err.print("[red]no list is loaded; run `clearance lists load` first[/red]")
        raise typer.Exit(2)
    return store, Screener.open(store, index_root=settings.home / "index")


def deal(
    file: Path = typer.Argument(..., help="Deal file (.yml, .yaml or .json)"),
    report: Path | None = typer.Option(
        None, "--report", help="Write an evidence report (.html/.pdf)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
) -> None:
    """Screen every party of a deal and explain what the hits mean."""
    from clearance.deal import DealScreener, load_deal
    from clearance.report import write_report

    try:
        parsed = load_deal(file)
        store, screener = _open()
        result = DealScreener(store, screener).screen(parsed)  # type: ignore[arg-type]
        if report is not None:
            write_report(result, report)
    except ClearanceError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if as_json:
        out.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        table = Table(title=f"{parsed.title or parsed.id or file.name}: {result.verdict.upper()}")
        for column in ("role", "party", "verdict", "hits", "reasons"):
            table.add_column(column)
        for pr in result.parties:
            hits = ", ".join(f"{h.hit.caption} [{h.hit.source}] {h.hit.score:.2f}" for h in pr.hits)
            table.add_row(
                pr.party.role.value, pr.party.name, pr.verdict, hits, "\n".join(pr.reasons)
            )
        out.print(table)
    if report is not None:
        err.print(f"report written to {report}")


def text(
    file: str = typer.Argument(..., help="Text file, or - for standard input"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON"),
    threshold: float | None = typer.Option(None, "--threshold", min=0.0, max=1.0),
    report: Path | None = typer.Option(
        None, "--report", help="Write an evidence report (.html/.pdf)"
    ),
) -> None:
    """Find listed names in a text (spans, hits and reasons)."""
    from clearance.report import render_text_html, write_html_or_pdf
    from clearance.text import TextScreener

    try:
        content = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err.print(f"[red]error:[/red] cannot read {file}: {exc}")
        raise typer.Exit(1) from exc
    try:
        _, screener = _open()
        result = TextScreener(screener).scan(content, threshold=threshold)  # type: ignore[arg-type]
        if report is not None:
            title = None if file == "-" else Path(file).name
            write_html_or_pdf(render_text_html(result, content, title), report)
    except ClearanceError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if as_json:
        out.print_json(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"{len(result.hits)} listed names found")
    for column in ("span", "text", "entity", "source", "score", "programs"):
        table.add_column(column)
    for hit in result.hits:
        table.add_row(
            f"{hit.start}-{hit.end}",
            hit.text,
            f"{hit.record.caption} ({hit.record.id})",
            hit.record.source,
            f"{hit.score:.2f}",
            ", ".join(hit.record.programs),
        )
    out.print(table)
