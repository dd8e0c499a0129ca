"""Alembic environment of the clearance store.

The store passes an open connection in ``config.attributes["connection"]`` (see
``clearance.store.migrate``). Run by hand, the URL comes from ``-x url=...`` or, failing that,
from the clearance settings (``CLEARANCE_DATABASE_URL`` / ``CLEARANCE_HOME``).
"""

from __future__ import annotations

import importlib
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from clearance.store.tables import metadata

#: modules that add their tables to the store's ``metadata`` (so autogenerate sees every table)
TABLE_MODULES = (
    "clearance.api.tables",
    "clearance.monitor.tables",
    "clearance.audit.tables",
    "clearance.workbench.tables",
)
for _module in TABLE_MODULES:
    importlib.import_module(_module)

config = context.config
target_metadata = metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        from clearance.settings import load_settings

        url = load_settings().db_url
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("clearance migrations run online only (pass -x url=...)")
run_migrations_online()
