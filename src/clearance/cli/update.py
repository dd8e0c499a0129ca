"""``clearance lists update``: fetch every registered source from its official URL."""

from __future__ import annotations


def update() -> None:
    """Fetch each registered source and load what changed (see docs/lists.md)."""
    raise NotImplementedError
