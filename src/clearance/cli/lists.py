"""``clearance lists ...``: load, update, status, diff, show."""

from __future__ import annotations

import typer

from clearance.cli.update import update

lists_app = typer.Typer(help="Load and inspect list versions.", no_args_is_help=True)
lists_app.command("update")(update)
