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


def test_screening_is_the_same_with_the_table_or_the_lru(
    world: SmallWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screener reads prepared entities straight from the table when the index fits the
    cache and through the LRU otherwise: the same hits either way."""
    from clearance.screen import Screener

    queries = ["Abd al-Rahman Salim", "Green Pine Associated Corp", "Mohammed Wali"]
    fits = Screener(CandidateIndex(world.index.path))
    assert fits.index.table is not None
    expected = [[(h.entity_id, h.score) for h in fits.screen(q).hits] for q in queries]
    monkeypatch.setattr(candidates, "PREPARED_CACHE", 8)
    lru = Screener(CandidateIndex(world.index.path))
    assert lru.index.table is None
    assert [[(h.entity_id, h.score) for h in lru.screen(q).hits] for q in queries] == expected
    assert any(expected) and lru.index.prepared_count <= 8
    table = fits.index.table
    assert table is not None and sum(1 for p in table if p is not None) == fits.index.prepared_count
    fits.close()
    lru.close()


def test_prepared_entities_hold_no_reference_cycles(world: SmallWorld) -> None:
    """An evicted prepared entity must be freed by its reference count alone: prepared
    entities are moved out of the cyclic collector's sight (``gc.freeze``)."""
    import gc

    index = CandidateIndex(world.index.path)
    gc.collect()
    gc.disable()
    try:
        for n in range(index.size):
            index._prepare(n).split_index()  # made and dropped at once
        assert gc.collect() == 0  # nothing was left for the cycle collector to find
    finally:
        gc.enable()
    index.close()


def test_entities_prepared_on_demand_are_frozen_in_steps(
    world: SmallWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    monkeypatch.setattr(candidates, "FREEZE_EVERY", 4)
    index = CandidateIndex(world.index.path)
    gc.unfreeze()
    try:
        for n in range(3):
            index.prepared(n)
        assert gc.get_freeze_count() == 0
        index.prepared(3)  # the fourth: everything alive leaves the collector's sight
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    index.close()
