"""Store tests use the shared ``store`` / ``store_url`` / ``pg_url`` fixtures of
``tests/conftest.py`` (SQLite and the real PostgreSQL server)."""

from tests.conftest import PG_ENV, pg_base_url

__all__ = ["PG_ENV", "pg_base_url"]
