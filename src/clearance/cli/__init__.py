"""The ``clearance`` command line (Typer + Rich).

Each command group lives in its own module; this one assembles them.
"""

from __future__ import annotations

import typer

from clearance.cli.lists import lists_app

app = typer.Typer(
    name="clearance",
    help="Sanctions screening: load official lists, keep every version, screen names.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(lists_app, name="lists")


def main() -> None:
    app()


__all__ = ["app", "main"]
