"""Shared fixtures.

The real list files live outside the repository (``CLEARANCE_SHARED_DATA``, default
``../shared/data``). Tests that need them fail loudly when they are missing: nothing is skipped
silently.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from clearance.settings import REPO_ROOT
from clearance.store import Store


def _shared_data() -> Path:
    env = os.environ.get("CLEARANCE_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data folder; a missing folder is an error, never a skip."""
    path = _shared_data()
    if not (path / "MANIFEST.md").is_file():
        pytest.fail(f"shared data not found at {path}; set CLEARANCE_SHARED_DATA", pytrace=False)
    return path


@pytest.fixture(scope="session")
def lists_dir(shared_data: Path) -> Path:
    return shared_data / "lists"


# -- stores on SQLite and on the real PostgreSQL server (CLEARANCE_TEST_PG_URL) -------------
# The PostgreSQL store uses a private schema per test (dropped afterwards). When the variable is
# missing or the server does not answer, the PostgreSQL tests FAIL: CI always provides the server.

PG_ENV = "CLEARANCE_TEST_PG_URL"


def pg_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(
            f"{PG_ENV} is not set: run `bash scripts/postgres.sh` and export the URL it prints "
            "(scripts/test.sh does this)",
            pytrace=False,
        )
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose connections work in a fresh, private PostgreSQL schema."""
    base = pg_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # the server must answer: fail, never skip
        admin.dispose()
        pytest.fail(f"PostgreSQL at {base} does not answer: {exc}", pytrace=False)
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'clearance.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
