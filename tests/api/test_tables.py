"""The migrations (0001 + 0002_api) build exactly the store's and the API's tables."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import clearance.api.tables  # noqa: F401  (registers the API tables on the store metadata)
from clearance.store import Store, migrate
from clearance.store.tables import metadata


def test_migrated_schema_matches_store_and_api_tables(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert context.get_current_revision() == migrate.head_revision() == "0002_api"
            assert compare_metadata(context, metadata) == []
        assert {"api_keys", "screening_records", "jobs"} <= set(metadata.tables)
