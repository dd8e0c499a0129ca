"""The pre-filter's bound is never below the matcher's score, so skipping loses no hit."""

from __future__ import annotations

import pytest

from clearance.index import QueryKeys
from clearance.match import Matcher
from clearance.screen import Screener, as_query
from clearance.screen.prefilter import compare_if_reachable, may_reach, score_upper_bound
from tests.index.factory import SmallWorld

QUERIES = [
    {"name": "Abd al-Rahman Khalaf al-Anizi", "schema": "Person", "birth_date": "1974"},
    {"name": "Abd Al-Rahman Salim", "schema": "Person", "nationality": "ye"},
    {"name": "Bank of Eest Land", "schema": "Organization", "country": "kp"},
    {"name": "Mohammed Wali|Wali Mohammed Ali", "schema": "Person"},
    {"name": "Green Pine Associated Corp", "schema": "Company"},
    {"name": "Kim Jong", "schema": "Person", "birth_date": "1960-01-01", "nationality": "kp"},
    {"name": "Abdul Haq", "schema": "LegalEntity", "identifiers": "passport:G52FYPRL"},
]


@pytest.mark.parametrize("raw", QUERIES, ids=lambda q: q["name"])
def test_bound_is_at_least_the_score_for_every_listed_entity(
    world: SmallWorld, raw: dict[str, str]
) -> None:
    matcher = Matcher()
    index = world.index
    query = matcher.prepare(as_query(raw))
    above = 0
    for n in range(index.size):
        entity = index.prepared(n)
        score = matcher.compare_prepared(query, entity).score
        bound = score_upper_bound(matcher, query, entity)
        assert bound >= score - 1e-9, (raw["name"], index.record(n).id, score, bound)
        if score >= 0.7:
            above += 1
            assert may_reach(matcher, query, entity, 0.7)
        if bound < 0.5:
            assert not may_reach(matcher, query, entity, 0.5)
    assert above or raw["name"] in ("Kim Jong", "Bank of Eest Land")


def test_prefilter_changes_no_result_and_skips_most_candidates(world: SmallWorld) -> None:
    on, off = Screener(world.index), Screener(world.index, prefilter=False)
    skipped = total = 0
    for raw in QUERIES:
        for cut in (0.5, 0.7, 0.9):
            a = on.screen(raw, threshold=cut, limit=1000)
            b = off.screen(raw, threshold=cut, limit=1000)
            assert [(h.entity_id, h.score) for h in a.hits] == [
                (h.entity_id, h.score) for h in b.hits
            ]
        query = on.matcher.prepare(as_query(raw))
        found = world.index.candidates(QueryKeys(query), on.config).entities.tolist()
        total += len(found)
        skipped += sum(
            1 for n in found if not may_reach(on.matcher, query, world.index.prepared(n), 0.7)
        )
    assert skipped > 0 and total > skipped


@pytest.mark.parametrize("cut", [0.0, 0.5, 0.7, 0.9])
def test_compare_if_reachable_is_the_prefilter_then_the_matcher(
    world: SmallWorld, cut: float
) -> None:
    """The fused path (token similarities computed once, name pairs below the cut never
    aligned) keeps every pair scoring ``cut`` or more, with the matcher's exact result."""
    matcher = Matcher()
    index = world.index
    for raw in QUERIES:
        query = matcher.prepare(as_query(raw))
        for n in range(index.size):
            entity = index.prepared(n)
            full = matcher.compare_prepared(query, entity)
            fused = compare_if_reachable(matcher, query, entity, cut)
            if fused is None:
                assert full.score < cut or full.score == 0.0, (raw["name"], n, full.score)
            else:
                assert fused.score == full.score
                assert fused.findings == full.findings
