"""The CSR inverted index equals a naive dict of sets, whatever the key sets, however the
postings are split into sort buckets, and whatever extra keys are joined later."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.index import build
from clearance.index.build import KeyBuffer, inverted_index, postings_of

key_sets = st.lists(st.sets(st.integers(0, 2**64 - 1), max_size=12), max_size=30)


def _naive(sets: list[set[int]]) -> dict[int, list[int]]:
    naive: dict[int, list[int]] = {}
    for n, s in enumerate(sets):
        for k in sorted(s):
            naive.setdefault(k, []).append(n)
    return naive


def _check(sets: list[set[int]], keys, offsets, postings, idf) -> None:  # type: ignore[no-untyped-def]
    naive = _naive(sets)
    assert [int(k) for k in keys] == sorted(naive)
    assert len(offsets) == len(keys) + 1
    assert offsets[-1] == len(postings)
    for i, key in enumerate(keys.tolist()):
        assert postings[offsets[i] : offsets[i + 1]].tolist() == naive[key]
        assert math.isclose(idf[i], math.log1p(max(1, len(sets)) / len(naive[key])), rel_tol=1e-5)


@given(key_sets)
def test_postings_equal_naive_inverted_index(sets: list[set[int]]) -> None:
    _check(sets, *inverted_index([np.array(sorted(s), dtype=np.uint64) for s in sets]))


@given(key_sets, st.integers(1, 40))
def test_sort_buckets_do_not_change_the_index(sets: list[set[int]], bucket: int) -> None:
    # keys concentrated in a few top-bit buckets as well as spread over all of them
    shifted = [{k >> (k % 7) for k in s} for s in sets]
    old = build.BUCKET_POSTINGS
    build.BUCKET_POSTINGS = bucket
    try:
        for variant in (sets, shifted):
            _check(variant, *inverted_index([np.array(sorted(s), np.uint64) for s in variant]))
    finally:
        build.BUCKET_POSTINGS = old


@given(key_sets, st.data())
def test_extra_keys_join_their_entity(sets: list[set[int]], data: st.DataObject) -> None:
    """Keys added to an entity later (identification numbers joined after it was keyed),
    some of which it already had, give the index of the merged key sets."""
    buffer = KeyBuffer()
    for s in sets:
        buffer.add(s)
    merged = [set(s) for s in sets]
    if sets:
        for _ in range(data.draw(st.integers(0, 5))):
            n = data.draw(st.integers(0, len(sets) - 1))
            extra = data.draw(st.sets(st.integers(0, 2**64 - 1), max_size=4))
            extra |= data.draw(st.sets(st.sampled_from(sorted(sets[n]) or [0]), max_size=3))
            buffer.add_extra(n, extra)
            merged[n] |= extra
    old = build.BUCKET_POSTINGS
    build.BUCKET_POSTINGS = data.draw(st.sampled_from([1, 3, 1_000_000]))
    try:
        _check(merged, *postings_of(buffer))
    finally:
        build.BUCKET_POSTINGS = old


def test_empty_index() -> None:
    keys, offsets, postings, idf = inverted_index([])
    assert len(keys) == len(postings) == len(idf) == 0
    assert offsets.tolist() == [0]


@pytest.mark.parametrize("bits", [0, 1, 8])
def test_bucket_ids_are_the_top_bits(bits: int) -> None:
    keys = np.array([0, 1, 2**63, 2**64 - 1, 0x0123_4567_89AB_CDEF], dtype=np.uint64)
    expected = [int(k) >> (64 - bits) if bits else 0 for k in keys.tolist()]
    assert build._bucket_ids(keys, bits).tolist() == expected
