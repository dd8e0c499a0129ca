"""The screening service on the small real store (UN + DPL): hits, provenance, filters."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clearance.screen import InvalidQuery, Screener
from tests.index.factory import SmallWorld


@pytest.fixture(scope="module")
def screener(world: SmallWorld) -> Screener:
    return Screener(world.index)


def test_hit_carries_score_explanation_and_provenance(screener: Screener) -> None:
    result = screener.screen(
        {"name": "Abd al-Rahman Khalaf al-Anizi", "schema": "Person", "nationality": "Kuwait"}
    )
    top = result.hits[0]
    assert top.entity_id == "unsc-6908399"
    assert top.match and top.score >= 0.9
    assert top.source == "un_sc_sanctions"
    assert top.publication_date == "2026-05-08"
    assert top.programs == ["Al-Qaida"]
    assert top.listing_dates == ["2014-09-23"]
    assert top.version_id > 0
    names = [f.name for f in top.explanation]
    assert any(n.endswith("match") for n in names)
    assert "country_match" in names
    data = result.to_dict()
    assert data["hits"][0]["entity_id"] == "unsc-6908399"
    assert "khalaf" in top.reasons().lower()


def test_identifier_lifts_a_weak_name(screener: Screener) -> None:
    result = screener.screen({"name": "A. Salim", "identifiers": "passport:G52FYPRL"})
    assert result.hits and result.hits[0].entity_id == "unsc-6908707"
    assert "identifier_match" in [f.name for f in result.hits[0].explanation]


def test_threshold_and_limit(screener: Screener) -> None:
    loose = screener.screen("Muhammad Ali", threshold=0.3, limit=50)
    assert len(loose.hits) > 3
    assert [h.score for h in loose.hits] == sorted((h.score for h in loose.hits), reverse=True)
    assert all(h.score >= 0.3 for h in loose.hits)
    assert len(screener.screen("Muhammad Ali", threshold=0.3, limit=2).hits) == 2
    strict = screener.screen("Muhammad Ali", threshold=0.99)
    assert all(h.score >= 0.99 for h in strict.hits)
    with pytest.raises(ValueError, match="threshold"):
        screener.screen("Muhammad Ali", threshold=1.5)


def test_filters_restrict_hits(screener: Screener) -> None:
    name = "Bank of East Land"
    assert screener.screen(name).hits[0].entity_id == "unsc-690764"
    assert not screener.screen(name, sources=["us_bis_denied"]).hits
    assert screener.screen(name, sources="un_sc_sanctions").hits
    assert not screener.screen(name, schema="Person").hits
    assert screener.screen(name, schema="LegalEntity").hits  # Organization extends it
    assert screener.screen(name, programs=["DPRK"]).hits
    assert not screener.screen(name, programs=["Al-Qaida"]).hits
    assert screener.screen(name, topics=["sanction"]).hits
    with pytest.raises(InvalidQuery):
        screener.screen(name, schema="Nope")


def test_dpl_entries_are_found(screener: Screener) -> None:
    hits = screener.screen({"name": "Annexfield Limited", "schema": "Company"}).hits
    assert hits and hits[0].source == "us_bis_denied"
    assert "ANNEXFIELD" in hits[0].caption.upper()


def test_screen_many_keeps_order(screener: Screener) -> None:
    results = list(screener.screen_many(["Bank of East Land", "Nobody Xqzv"], limit=1))
    assert results[0].hits[0].entity_id == "unsc-690764"
    assert results[1].hits == []


def test_empty_query_is_a_clear_error(screener: Screener) -> None:
    with pytest.raises(InvalidQuery, match="empty query"):
        screener.screen("  ")


def test_shortlist_leaves_out_schemas_that_cannot_match(screener: Screener) -> None:
    """A person query never spends candidate places on organisations (the matcher scores
    them 0); a schema-less query still reaches both kinds."""
    index = screener.index
    person = screener.matcher.prepare({"schema": "Person", "properties": {"name": ["Bank Ali"]}})
    anyone = screener.matcher.prepare(
        {"schema": "LegalEntity", "properties": {"name": ["Bank Ali"]}}
    )
    people = [index.record(n).schema for n in screener.shortlist(person).entities.tolist()]
    both = [index.record(n).schema for n in screener.shortlist(anyone).entities.tolist()]
    assert people and set(people) <= {"Person", "LegalEntity"}
    assert {"Person", "Organization"} <= set(both)


def test_a_filter_never_narrows_the_cap_of_what_it_passes(screener: Screener) -> None:
    """The cap counts strong candidates before the filters: the filtered shortlist keeps every
    entity of the unfiltered one that passes the filter."""
    query = screener.matcher.prepare(
        {"schema": "LegalEntity", "properties": {"name": ["Muhammad Ali"]}}
    )
    config = replace(screener.config, top_k=5, max_candidates=8)
    wide = screener.shortlist(query, config=config).entities.tolist()
    narrow = screener.shortlist(query, config=config, sources="un_sc_sanctions").entities.tolist()
    passing = [n for n in wide if screener.index.record(n).source == "un_sc_sanctions"]
    assert set(passing) <= set(narrow)


def test_a_cut_through_equal_shares_keeps_the_lightest_names(screener: Screener) -> None:
    """Of entities tied at the cut, those whose lightest name weighs least are kept (then the
    lowest entity numbers): the cut does not depend on a partition's order."""
    query = screener.matcher.prepare({"schema": "Person", "properties": {"name": ["Muhammad Ali"]}})
    every = replace(screener.config, top_k=10**6, min_share=0.0, max_candidates=10**6)
    ranked = screener.shortlist(query, config=every)
    cut = replace(screener.config, top_k=3, keep_share=1.01, max_candidates=3, tie_cap=0)
    kept = screener.shortlist(query, config=cut)
    assert len(kept.entities) == 3
    last = kept.scores.min()
    weight = screener.index.arrays.name_weight
    tied = sorted(
        (float(weight[n]), int(n))
        for n, s in zip(ranked.entities, ranked.scores, strict=True)
        if s == last
    )
    kept_tied = sorted(
        (float(weight[n]), int(n))
        for n, s in zip(kept.entities, kept.scores, strict=True)
        if s == last
    )
    assert len(tied) > len(kept_tied)  # the cut falls inside a tie
    assert kept_tied == tied[: len(kept_tied)]
    assert list(kept.scores) == sorted(kept.scores, reverse=True)
