"""Fixtures of the update tests: the local mirror server and fast settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.settings import Settings
from tests.update.mirror import PROXY_VARIABLES, Mirror, running_mirror


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 must never go through a proxy set in the environment."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    with running_mirror() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with CLEARANCE_HOME in tmp_path and fast timeouts and backoff."""
    return Settings(
        home=tmp_path / "home",
        database_url=None,
        source_mirror=None,
        sources_file=None,
        http_timeout=1.0,
        http_retries=2,
        http_backoff=0.01,
        download_max_bytes=64 * 1024**2,
    )
