"""The ``clearance`` command line (Typer + Rich).

Each command group lives in its own module; this one assembles them.
"""

from __future__ import annotations

import typer

from clearance.cli.audit import audit_app
from clearance.cli.deal import deal, text
from clearance.cli.lists import lists_app
from clearance.cli.monitor import register as register_monitor
from clearance.cli.screen import screen
from clearance.cli.serve import keys_app, serve
from clearance.cli.users import users_app

app = typer.Typer(
    name="clearance",
    help="Sanctions screening: load official lists, keep every version, screen names.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(lists_app, name="lists")
app.command("screen")(screen)
app.command("deal")(deal)
app.command("text")(text)
app.command("serve")(serve)
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
register_monitor(app)


def main() -> None:
    app()


__all__ = ["app", "main"]
