"""The per-process cache of prepared list entities keeps the most recently used ones."""

from __future__ import annotations

import pytest

from clearance.index import CandidateIndex, candidates
from tests.index.factory import SmallWorld


def test_cache_drops_least_recently_used_quarter(
    world: SmallWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = CandidateIndex(world.index.path)
    monkeypatch.setattr(candidates, "PREPARED_CACHE", 8)
    first = index.prepared(0)
    for n in range(1, 8):
        index.prepared(n)
        assert index.prepared(0) is first  # used again: stays the most recent
    index.prepared(8)  # full: the two least recently used (1, 2) go, 0 stays
    assert index.prepared(0) is first
    assert 1 not in index._lazy and 2 not in index._lazy
    assert len(index._lazy) == 7
    index.close()
