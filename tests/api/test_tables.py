"""The migrations (0001 … 0004) build exactly the tables of the store, API, monitoring, audit
trail and workbench."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import clearance.api.tables
import clearance.audit.tables
import clearance.monitor.tables
import clearance.workbench.tables  # noqa: F401
from clearance.store import Store, migrate
from clearance.store.tables import metadata


def test_migrated_schema_matches_all_tables(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert (
                context.get_current_revision() == migrate.head_revision() == "0005_parser_version"
            )
            assert compare_metadata(context, metadata) == []
        assert {"api_keys", "screening_records", "jobs", "alerts", "audit_log", "users"} <= set(
            metadata.tables
        )
