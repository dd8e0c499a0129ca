"""The share computation with one sort (by entity then group, parts strongest first) gives
exactly the candidates and scores of the two-sort one it replaced, on the real small world.

Queries: every 7th listed name of the UN list and the DPL as listed, with a typo, reordered
and romanised to Cyrillic where it is Latin, and unrelated common names — with the default
knobs, with low stop-key cutoffs (many stop-key hits joining), and with the estimate on.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.index import CandidateConfig, CandidateIndex, QueryKeys
from clearance.index.candidates import Part, restrict_stopped
from clearance.match.prepared import prepare_entity
from tests.index.factory import SmallWorld
from tests.index.reference_shares import ReferenceShares

CONFIGS = {
    "default": CandidateConfig(),
    "low-cutoff": CandidateConfig(min_max_df=20, max_max_df=20, max_df_share=0.0),
    "estimate": CandidateConfig(estimate=True, coverage_weight=0.0),
    "pairs": CandidateConfig(min_max_df=50, max_max_df=50, stopped_pairs=True),
}


def _queries(index: CandidateIndex) -> list[QueryKeys]:
    out: list[dict[str, object]] = []
    for n in range(0, index.size, 7):
        raw = index.records.raw(n)
        name = (raw["properties"].get("name") or [raw["caption"]])[0]
        words = name.split()
        out.append({"schema": raw["schema"], "properties": {"name": [name]}})
        out.append({"schema": raw["schema"], "properties": {"name": [" ".join(words[::-1])]}})
        typo = name[:2] + name[3:] if len(name) > 5 else name
        out.append({"schema": "LegalEntity", "properties": {"name": [typo, *words[:1]]}})
    for name in ("Mohammed Ali", "Ivan Petrov", "Trading Company Limited", "Ahmad Hassan"):
        out.append({"schema": "Person", "properties": {"name": [name]}})
    return [QueryKeys(prepare_entity(q)) for q in out]


@pytest.mark.parametrize("config", list(CONFIGS))
def test_shares_equal_the_sorted_reference(world: SmallWorld, config: str) -> None:
    index = world.index
    reference = ReferenceShares(index.path)
    knobs = CONFIGS[config]
    checked = 0
    for query in _queries(index):
        new = index.candidates(query, knobs)
        old = reference.candidates(query, knobs)
        assert new.entities.tolist() == old.entities.tolist()
        assert new.scores.tolist() == old.scores.tolist()  # bit for bit
        assert new.full == old.full
        checked += len(new.entities) > 0
    assert checked > 500


def test_masked_query_still_matches(world: SmallWorld) -> None:
    index = world.index
    reference = ReferenceShares(index.path)
    mask = index.mask(sources=["un_sc_sanctions"])
    for query in _queries(index)[:300]:
        knobs = replace(CONFIGS["default"], top_k=10)
        new = index.candidates(query, knobs, mask)
        old = reference.candidates(query, knobs, mask)
        assert new.entities.tolist() == old.entities.tolist()
        assert new.scores.tolist() == old.scores.tolist()


entity_sets = st.lists(
    st.tuples(st.integers(0, 4), st.sets(st.integers(0, 60), max_size=15), st.floats(0.1, 3.0)),
    max_size=6,
)


@given(entity_sets.filter(bool), entity_sets, st.booleans())  # never called without parts
def test_restrict_stopped_equals_the_set_formula(
    parts_in: list[tuple[int, set[int], float]],
    stopped_in: list[tuple[int, set[int], float]],
    pairs: bool,
) -> None:
    def as_parts(items: list[tuple[int, set[int], float]]) -> list[Part]:
        return [(g, np.array(sorted(e), dtype=np.int32), w) for g, e, w in items]

    parts, stopped = as_parts(parts_in), as_parts(stopped_in)
    found = set().union(*(e for _, e, _ in parts_in))
    if pairs and len({g for g, _, _ in stopped_in}) > 1:
        groups_of: dict[int, set[int]] = {}
        for g, e, _ in stopped_in:
            for x in e:
                groups_of.setdefault(x, set()).add(g)
        found |= {x for x, gs in groups_of.items() if len(gs) >= 2}
    got = restrict_stopped(parts, stopped, pairs)
    assert [(g, e.tolist(), w) for g, e, w in got] == [
        (g, [x for x in sorted(e) if x in found], w) for g, e, w in stopped_in
    ]
