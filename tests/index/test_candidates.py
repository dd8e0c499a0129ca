"""The index finds real UN / DPL list entries from variants of their names and identifiers.

Entries checked by eye in the raw files: UN ``unsc-6908399`` ‘ABD AL-RAHMAN KHALAF ‘UBAYD JUDAY’
AL-‘ANIZI (Kuwait); ``unsc-690764`` BANK OF EAST LAND; ``unsc-6908707`` Abd Al-Rahman SALIM,
passport G52FYPRL, born 1986-07-27; GREEN PINE ASSOCIATED CORPORATION (UN); DPL
"ANNEXFIELD , LTD." (Warwick, GB).
"""

from __future__ import annotations

import pytest

from clearance.index import CandidateConfig, QueryKeys
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
    config = CandidateConfig(top_k=5, keep_share=1.01)
    found = world.index.candidates(QueryKeys(query), config)
    assert 0 < len(found.entities) <= 5
    assert list(found.scores) == sorted(found.scores, reverse=True)


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
