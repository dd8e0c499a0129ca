"""The aligner's shortcuts: ``score_bound`` never under-estimates ``align_names``, and skipping
name pairs through it never changes a score (checked against the plain scan of every pair)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.match import Matcher
from clearance.match.align import align_names, score_bound, split_join_masks, token_similarities
from clearance.match.prepared import PreparedEntity

MATCHER = Matcher()
WORDS = [
    "ali",
    "al",
    "hassan",
    "hasan",
    "muhammad",
    "mohamed",
    "bank",
    "melli",
    "mellat",
    "iran",
    "petrol",
    "ticaret",
    "abdul",
    "rahman",
    "abdulrahman",
    "oleg",
    "govorun",
    "oleggovorun",
    "v",
    "j",
    "smith",
    "smyth",
    "llc",
    "ooo",
    "trading",
    "ivanov",
    "ivan",
    "petrov",
    "petr",
    "gibatdinov",
    "gibat",
    # joins with a typo and three-token joins: the split / join part of the bound
    "abdulrahmann",
    "olegovorun",
    "ivanovpetr",
    "alihasan",
    "mohamedali",
    "bankmellat",
    "bankmelliiran",
]


def entity(schema: str, names: list[str], weak: list[str]) -> dict[str, Any]:
    return {"schema": schema, "properties": {"name": names, "weakAlias": weak}}


def _plain_best(q: PreparedEntity, c: PreparedEntity) -> float:
    """Best weighted name-pair score by scanning every name pair (no shortcut)."""
    hits = token_similarities(q, c)
    best = 0.0
    for qn, qform in enumerate(q.names):
        for cn, cform in enumerate(c.names):
            raw, _ = align_names(qform, q.positions[qn], cform, c.name_maps[cn], hits)
            factor = 0.8 if "weakAlias" in (qform.label, cform.label) else 1.0
            best = max(best, raw * factor)
    return best


name_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
names = st.lists(name_text, min_size=1, max_size=4)


@settings(max_examples=150, deadline=None)
@given(names, names, st.lists(name_text, max_size=2), st.sampled_from(["Person", "Company"]))
def test_bound_never_below_alignment(
    qnames: list[str], cnames: list[str], weak: list[str], schema: str
) -> None:
    q = MATCHER.prepare(entity(schema, qnames, []))
    c = MATCHER.prepare(entity(schema, cnames, weak))
    hits = token_similarities(q, c)
    joins = split_join_masks(q, c)
    for qn, qform in enumerate(q.names):
        for cn, cform in enumerate(c.names):
            raw, _ = align_names(qform, q.positions[qn], cform, c.name_maps[cn], hits)
            bound = score_bound(qform, q.positions[qn], cform, c.name_maps[cn], hits, joins)
            assert raw <= bound + 1e-12, (qform, cform, raw, bound)


@settings(max_examples=150, deadline=None)
@given(names, names, st.lists(name_text, max_size=2), st.sampled_from(["Person", "Company"]))
def test_name_score_equals_plain_scan(
    qnames: list[str], cnames: list[str], weak: list[str], schema: str
) -> None:
    q = MATCHER.prepare(entity(schema, qnames, []))
    c = MATCHER.prepare(entity(schema, cnames, weak))
    result = MATCHER.compare_prepared(q, c)
    assert result.score == pytest.approx(_plain_best(q, c), abs=1e-12)


def test_bound_prunes_a_name_pair_that_cannot_win() -> None:
    """One spelling-variant word out of four cannot beat an exact name: the bound is low."""
    q = MATCHER.prepare(entity("Person", ["Mohamed Atta"], []))
    c = MATCHER.prepare(entity("Person", ["Mohamed Atta", "Muhammad Smith Jones Brown"], []))
    hits = token_similarities(q, c)
    bound = score_bound(q.names[0], q.positions[0], c.names[1], c.name_maps[1], hits)
    raw, _ = align_names(q.names[0], q.positions[0], c.names[1], c.name_maps[1], hits)
    assert 0.0 < raw <= bound < 0.7
    assert MATCHER.compare_prepared(q, c).score == pytest.approx(1.0)


def test_bound_counts_split_tokens() -> None:
    """ "Abdulrahman" may be "Abdul" + "Rahman": the bound counts those tokens as aligned."""
    q = MATCHER.prepare(entity("Person", ["Abdulrahman Hassan"], []))
    c = MATCHER.prepare(entity("Person", ["Abdul Rahman Hassan"], []))
    hits = token_similarities(q, c)
    joins = split_join_masks(q, c)
    assert joins == (0b1, 0b11)  # query "abdulrahman"; candidate "abdul", "rahman"
    args = (q.names[0], q.positions[0], c.names[0], c.name_maps[0], hits)
    assert score_bound(*args, joins) == 1.0
    assert score_bound(*args) < 1.0  # without the split: "rahman" cannot align
    raw, _ = align_names(*args)
    assert raw == pytest.approx(1.0)


def test_shared_word_alone_makes_no_split() -> None:
    """Sharing a word is not a possible split: a namesake is bounded by what it shares."""
    q = MATCHER.prepare(entity("Person", ["Andrea Williamson"], []))
    c = MATCHER.prepare(entity("Person", ["Kevin Williamson", "Kevin Paul Williamson"], []))
    hits = token_similarities(q, c)
    joins = split_join_masks(q, c)
    assert joins == (0, 0)
    for cn in range(2):
        bound = score_bound(q.names[0], q.positions[0], c.names[cn], c.name_maps[cn], hits, joins)
        assert bound < 0.7


def _result_key(result: Any) -> tuple[Any, ...]:
    name = result.name
    evidence = None if name is None else (name.qform, name.cform, name.raw, name.factor)
    return result.score, evidence, None if name is None else name.raw_pairs, result.findings


@settings(max_examples=200, deadline=None)
@given(
    names,
    names,
    st.lists(name_text, max_size=2),
    st.sampled_from(["Person", "Company"]),
    st.sampled_from([0.0, 0.3, 0.5, 0.7, 0.85, 0.95]),
)
def test_floor_keeps_every_pair_reaching_it(
    qnames: list[str], cnames: list[str], weak: list[str], schema: str, floor: float
) -> None:
    """``compare_reaching`` drops only pairs whose best name pair is below the floor, and a
    pair it keeps gets exactly the result of ``compare_prepared`` (same evidence too)."""
    q = MATCHER.prepare(entity(schema, qnames, []))
    c = MATCHER.prepare(entity(schema, cnames, weak))
    full = MATCHER.compare_prepared(q, c)
    hits = token_similarities(q, c)
    for given_hits in (None, hits):
        reached = MATCHER.compare_reaching(q, c, floor, given_hits)
        if reached is None:
            assert full.name is not None and full.name.raw * full.name.factor < floor
        else:
            assert _result_key(reached) == _result_key(full)
    assert _result_key(MATCHER.compare_prepared(q, c, hits)) == _result_key(full)


def _plain_run_masks(single: Any, multi: Any) -> tuple[int, int]:
    """The split / join masks by trying every target against every run of its head, with
    no length-window shortcut (the test oracle of :func:`split_join_masks`)."""
    from clearance.match.align import _join_targets

    masks = (0, 0)
    every = (1 << 64) - 1  # any length: the window test never skips
    for head, targets in single.split_targets.items():
        if head in multi.run_index:
            masks = _join_targets(targets, multi.run_index[head], every, multi.length_index, masks)
    for head in multi.short_heads:
        if head in single.split_letters:
            masks = _join_targets(
                single.split_letters[head], multi.run_index[head], every, multi.length_index, masks
            )
    return masks


JOIN_WORDS = [
    w
    for w in WORDS
    if any(w != o and (o.startswith(w) or o.endswith(w) or w.startswith(o)) for o in WORDS)
]
"""Words that start or end another word, or start with one: parts and joins of splits."""
join_names = st.lists(
    st.lists(st.sampled_from(JOIN_WORDS), min_size=1, max_size=4).map(" ".join),
    min_size=1,
    max_size=3,
)


@settings(max_examples=400, deadline=None)
@given(join_names, join_names)
def test_split_join_masks_equal_the_plain_scan(qnames: list[str], cnames: list[str]) -> None:
    """The length windows (``SplitIndex.split_windows`` / ``run_lengths``) only skip targets
    no run can reach: the masks are those of trying every run."""
    q = MATCHER.prepare(entity("Person", qnames, []))
    c = MATCHER.prepare(entity("Person", cnames, []))
    qi, ci = q.split_index(), c.split_index()
    q_mask, c_mask = _plain_run_masks(qi, ci)
    c_single, q_run = _plain_run_masks(ci, qi)
    assert split_join_masks(q, c) == (q_mask | q_run, c_mask | c_single)


def test_length_windows_skip_a_namesake_without_a_join() -> None:
    """A shared word is no join: the windows rule the pair out before any run is tried."""
    q = MATCHER.prepare(entity("Person", ["Jessica Moreno"], []))
    c = MATCHER.prepare(entity("Person", ["Luis Moreno"], []))
    qi, ci = q.split_index(), c.split_index()
    shared = [h for h in qi.split_windows if h in ci.run_lengths]
    assert shared  # "mo": both sides have a token starting so
    assert all(not qi.split_windows[h] & ci.run_lengths[h] for h in shared)
    assert split_join_masks(q, c) == (0, 0)
