"""The CSR inverted index equals a naive dict of sets, whatever the key sets."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from clearance.index.build import inverted_index

key_sets = st.lists(st.sets(st.integers(0, 2**64 - 1), max_size=12), max_size=30)


@given(key_sets)
def test_postings_equal_naive_inverted_index(sets: list[set[int]]) -> None:
    arrays = [np.array(sorted(s), dtype=np.uint64) for s in sets]
    keys, offsets, postings, idf = inverted_index(arrays)
    naive: dict[int, list[int]] = {}
    for n, s in enumerate(sets):
        for k in s:
            naive.setdefault(k, []).append(n)
    assert [int(k) for k in keys] == sorted(naive)
    assert len(offsets) == len(keys) + 1
    for i, key in enumerate(keys.tolist()):
        assert postings[offsets[i] : offsets[i + 1]].tolist() == naive[key]
        assert math.isclose(idf[i], math.log1p(len(sets) / len(naive[key])), rel_tol=1e-5)


def test_empty_index() -> None:
    keys, offsets, postings, idf = inverted_index([])
    assert len(keys) == len(postings) == len(idf) == 0
    assert offsets.tolist() == [0]
