"""``clearance audit verify|export``: check the tamper-evident trail, export a date range.

``verify`` exits 0 when the chain is intact and 1 (printing every problem, naming the entry's
seq, action, subject and time) when it is not; it always prints the number of entries checked and
the head hash, which is worth publishing somewhere the database's owners cannot rewrite
(docs/audit.md, "Anchoring the head").
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console

from clearance.audit import verify as verify_chain
from clearance.audit.chain import read_head
from clearance.audit.export import FORMATS, day_range, export_entries, write_csv, write_json
from clearance.errors import ClearanceError
from clearance.settings import load_settings
from clearance.store import Store

audit_app = typer.Typer(help="Check and export the audit trail.", no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


@contextmanager
def _open_store() -> Iterator[Store]:
    try:
        store = Store.open(settings=load_settings())
    except ClearanceError as exc:
        raise _fail(str(exc), 2) from exc
    try:
        yield store
    finally:
        store.close()


@audit_app.command("verify")
def verify(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Recompute the hash chain; exit 1 and name every edited, deleted or inserted entry."""
    with _open_store() as store:
        report = verify_chain(store.engine)
    if as_json:
        body = {
            "ok": report.ok,
            "checked": report.checked,
            "head_seq": report.head_seq,
            "head_hash": report.head_hash,
            "problems": [{"seq": seq, "problem": text} for seq, text in report.problems],
        }
        out.print_json(json.dumps(body))
    else:
        for _seq, text in report.problems:
            out.print(f"[red]problem:[/red] {text}", soft_wrap=True)
        state = "[green]intact[/green]" if report.ok else "[red]BROKEN[/red]"
        out.print(f"audit trail {state}: {report.checked:,} entries checked", soft_wrap=True)
        out.print(f"head: seq {report.head_seq} hash {report.head_hash}", soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    """stdout, or a temporary file renamed onto ``path`` only when the export completed."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    target = path.expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _fail(f"{option} {value!r} is not a date (YYYY-MM-DD)") from exc


@audit_app.command("export")
def export(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, UTC).")],
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, included (default: today).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or json.")] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
) -> None:
    """Export a date range, each entry with the list versions it used (source, date, sha256)."""
    if fmt not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    first = _day(start, "--from")
    last = _day(end, "--to") if end else datetime.now(UTC).date()
    try:
        since, until = day_range(first, last)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    with _open_store() as store, store.engine.connect() as conn, conn.begin():
        head = read_head(conn)
        rows = export_entries(conn, since, until)
        with _output(output) as handle:
            if fmt == "csv":
                count = write_csv(rows, handle)
            else:
                meta: dict[str, Any] = {
                    "from": first.isoformat(),
                    "to": last.isoformat(),
                    "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "store": store.url,
                    "head": {"seq": head[0], "hash": head[1]} if head else None,
                }
                count = write_json(rows, handle, meta)
    if output is not None:
        err.print(f"{count:,} entries written to {output}", soft_wrap=True)


__all__ = ["audit_app"]
