"""The per-process cache of prepared list entities: all of them when the index fits, else the
most recently used ones."""

from __future__ import annotations

import pytest

from clearance.index import CandidateIndex, candidates
from tests.index.factory import SmallWorld


def test_cache_drops_least_recently_used_quarter(
    world: SmallWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(candidates, "PREPARED_CACHE", 8)  # smaller than the index: LRU
    index = CandidateIndex(world.index.path)
    assert index.size > 8
    first = index.prepared(0)
    for n in range(1, 8):
        index.prepared(n)
        assert index.prepared(0) is first  # used again: stays the most recent
    index.prepared(8)  # full: the two least recently used (1, 2) go, 0 stays
    assert index.prepared(0) is first
    assert 1 not in index._lazy and 2 not in index._lazy
    assert len(index._lazy) == index.prepared_count == 7
    index.close()


def test_an_index_that_fits_the_cache_keeps_every_entity(world: SmallWorld) -> None:
    index = CandidateIndex(world.index.path)
    assert index.size <= candidates.PREPARED_CACHE
    first = index.prepared(3)
    assert index.prepared(3) is first and index.prepared_count == 1
    for n in range(index.size):
        index.prepared(n)
    assert index.prepared(3) is first and index.prepared_count == index.size
    index.close()
