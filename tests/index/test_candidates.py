"""The index finds real UN / DPL list entries from variants of their names and identifiers.

Entries checked by eye in the raw files: UN ``unsc-6908399`` ‘ABD AL-RAHMAN KHALAF ‘UBAYD JUDAY’
AL-‘ANIZI (Kuwait); ``unsc-690764`` BANK OF EAST LAND; ``unsc-6908707`` Abd Al-Rahman SALIM,
passport G52FYPRL, born 1986-07-27; GREEN PINE ASSOCIATED CORPORATION (UN); DPL
"ANNEXFIELD , LTD." (Warwick, GB).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from clearance.index import CandidateConfig, QueryKeys
from clearance.index.candidates import restrict_stopped
from clearance.match.prepared import prepare_entity
from tests.index.factory import SmallWorld


def _candidate_ids(world: SmallWorld, schema: str, **props: list[str]) -> list[str]:
    query = prepare_entity({"schema": schema, "properties": props})
    found = world.index.candidates(QueryKeys(query), CandidateConfig())
    return [world.index.record(n).id for n in found.entities.tolist()]


@pytest.mark.parametrize(
    ("name", "schema", "expected"),
    [
        ("Abd al-Rahman Khalaf al-Anizi", "Person", "unsc-6908399"),  # as listed (alias)
        ("Abd al-Rahman Khalaf al-Anizzi", "Person", "unsc-6908399"),  # typo
        ("al-Anizi Khalaf Abd al-Rahman", "Person", "unsc-6908399"),  # reordered
        ("Абд аль-Рахман Халаф аль-Анизи", "Person", "unsc-6908399"),  # Cyrillic
        ("عبد الرحمن خلف العنزي", "Person", "unsc-6908399"),  # Arabic
        ("Bank of East Land", "Organization", "unsc-690764"),
        ("Bank of Eest Land", "Organization", "unsc-690764"),  # typo
        ("Dongbang Bank", "Organization", "unsc-690764"),  # alias
        ("Green Pine Associated Corp.", "Company", None),  # legal form variant
        ("Green Pine Associated Corporation Limited", "Company", None),
        ("Annexfield Limited", "Company", None),  # DPL, legal form written out
    ],
)
def test_variants_find_the_listed_entity(
    world: SmallWorld, name: str, schema: str, expected: str | None
) -> None:
    ids = _candidate_ids(world, schema, name=[name])
    if expected is not None:
        assert expected in ids[:10], ids[:10]
    else:
        captions = [world.index.record(n).caption.upper() for n in range(world.index.size)]
        wanted = "GREEN PINE" if "Green" in name else "ANNEXFIELD"
        targets = {world.index.record(n).id for n, c in enumerate(captions) if wanted in c}
        assert targets and targets & set(ids[:10]), ids[:10]


def test_identifier_alone_finds_the_holder(world: SmallWorld) -> None:
    ids = _candidate_ids(world, "Person", passportNumber=["G52-FYPRL"])
    assert ids == ["unsc-6908707"]


def test_identifier_finds_the_holder_under_a_wrong_name(world: SmallWorld) -> None:
    ids = _candidate_ids(world, "Person", name=["Totally Different"], idNumber=["g52fyprl"])
    assert "unsc-6908707" in ids


def test_unknown_name_finds_nothing_strong(world: SmallWorld) -> None:
    query = prepare_entity({"schema": "Person", "properties": {"name": ["Xqzvbn Wplkjh"]}})
    found = world.index.candidates(QueryKeys(query), CandidateConfig())
    assert len(found.entities) == 0


def test_candidates_are_bounded_and_best_first(world: SmallWorld) -> None:
    query = prepare_entity({"schema": "Person", "properties": {"name": ["Muhammad"]}})
    config = CandidateConfig(top_k=5, keep_share=1.01, tie_cap=0)
    found = world.index.candidates(QueryKeys(query), config)
    assert 0 < len(found.entities) <= 5
    assert list(found.scores) == sorted(found.scores, reverse=True)


def test_a_tie_at_the_cut_is_kept_whole(world: SmallWorld) -> None:
    query = QueryKeys(prepare_entity({"schema": "Person", "properties": {"name": ["Muhammad"]}}))
    base = CandidateConfig(top_k=1, keep_share=1.01, min_share=0.0, tie_cap=0)
    everything = world.index.candidates(query, replace(base, top_k=10**6))
    best = everything.scores[0]
    tied = int(np.count_nonzero(everything.scores == best))
    assert tied > 1  # many Muhammads share the best share
    cut = world.index.candidates(query, base)
    assert len(cut.entities) == 1
    kept = world.index.candidates(query, replace(base, tie_cap=tied))
    assert len(kept.entities) == tied
    assert set(kept.entities.tolist()) == set(everything.entities[:tied].tolist())
    too_many = world.index.candidates(query, replace(base, tie_cap=tied - 1))
    assert len(too_many.entities) == 1


def test_stop_key_hits_count_only_for_entities_found_otherwise() -> None:
    parts = [(0, np.array([3, 7], dtype=np.int32), 2.0)]
    stopped = [(1, np.array([1, 3, 5, 7, 9], dtype=np.int32), 0.5)]
    [(group, ents, weight)] = restrict_stopped(parts, stopped)
    assert (group, ents.tolist(), weight) == (1, [3, 7], 0.5)


def test_masks_filter_sources_schemas_and_programs(world: SmallWorld) -> None:
    index = world.index
    query = prepare_entity({"schema": "LegalEntity", "properties": {"name": ["Bank of East Land"]}})
    keys = QueryKeys(query)
    only_dpl = index.mask(sources=["us_bis_denied"])
    assert only_dpl is not None
    ids = [index.record(n).id for n in index.candidates(keys, CandidateConfig(), only_dpl).entities]
    assert "unsc-690764" not in ids
    assert all(i.startswith("us-bis-dpl-") for i in ids)
    dprk = index.mask(programs=["DPRK"])
    ids = [index.record(n).id for n in index.candidates(keys, CandidateConfig(), dprk).entities]
    assert "unsc-690764" in ids
    people = index.mask(schemas=["Person"])
    ids = [index.record(n).id for n in index.candidates(keys, CandidateConfig(), people).entities]
    assert "unsc-690764" not in ids
    assert index.mask() is None


def test_two_stop_key_tokens_together_find_an_entity_when_asked() -> None:
    parts = [(0, np.array([3], dtype=np.int32), 2.0)]
    stopped = [
        (1, np.array([1, 5, 7], dtype=np.int32), 0.5),
        (1, np.array([5, 8], dtype=np.int32), 0.4),  # another key of the same token
        (2, np.array([5, 7, 9], dtype=np.int32), 0.5),
    ]
    alone = restrict_stopped(parts, stopped)
    assert all(len(e) == 0 for _, e, _ in alone)
    paired = restrict_stopped(parts, stopped, pairs=True)
    assert sorted({int(x) for _, e, _ in paired for x in e}) == [5, 7]  # 8: one token only


def test_options_off_by_default_still_rank_the_listed_entity_first(world: SmallWorld) -> None:
    query = QueryKeys(
        prepare_entity(
            {"schema": "Person", "properties": {"name": ["Abd al-Rahman Khalaf al-Anizi"]}}
        )
    )
    for config in (
        CandidateConfig(),
        CandidateConfig(stopped_pairs=True),
        CandidateConfig(estimate=True),
    ):
        found = world.index.candidates(query, config)
        ids = [world.index.record(n).id for n in found.entities[:3].tolist()]
        assert "unsc-6908399" in ids
        assert np.all(np.diff(found.scores) <= 1e-12)  # best first
