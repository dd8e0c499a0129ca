"""The Alembic migrations build exactly the tables of ``clearance.store.tables``."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from clearance.store import Store, migrate
from clearance.store.tables import STORE_TABLES, metadata

_OURS = {table.name for table in STORE_TABLES}


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Compare only the store's own tables and what belongs to them."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is None or table.name in _OURS


def test_migrated_schema_matches_the_tables(store: Store) -> None:
    """The store's own tables; other packages' tables (clearance.api) are tested there."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _ours})
        assert context.get_current_revision() == migrate.head_revision()
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_opening_twice_is_a_no_op(store_url: str) -> None:
    with Store.open(store_url) as one:
        head = migrate.current_revision(one.engine)
    with Store.open(store_url) as two:
        assert migrate.current_revision(two.engine) == head == migrate.head_revision()
