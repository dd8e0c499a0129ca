"""Shared fixtures.

The real list files live outside the repository (``CLEARANCE_SHARED_DATA``, default
``../shared/data``). Tests that need them fail loudly when they are missing: nothing is skipped
silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clearance.settings import REPO_ROOT


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
