"""Property tests: hostile input never crashes, stays bounded, keeps the score's invariants."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.match import Matcher
from clearance.match.names import MAX_TOKENS, tokenize_name

MATCHER = Matcher()
SCRIPTS = st.sampled_from(
    [
        "Vladimir Putin",
        "Владимир Путин",
        "محمد عطا",
        "习近平",
        "김정은",
        "בנימין",
        "Αλέξης",
        "\u200f\u202e",
        "\x00\x07",
        "!!!",
        "",
        " ",
        "ООО Аргумент",
        "11420 CORP.",
    ]
)
NAMES = st.one_of(st.text(max_size=60), SCRIPTS, st.lists(SCRIPTS, max_size=4).map(" ".join))


def person(name: str) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name]}}


@given(NAMES, NAMES)
@settings(max_examples=300, deadline=None)
def test_any_pair_scores_in_range(a: str, b: str) -> None:
    result = MATCHER.compare(person(a), person(b))
    assert 0.0 <= result.score <= 1.0
    assert result.to_dict()["score"] == round(result.score, 4)
    assert result.explanation


@given(NAMES)
@settings(max_examples=300, deadline=None)
def test_self_match(name: str) -> None:
    if not tokenize_name(name, True, True):
        return
    for schema in ("Person", "Company", "LegalEntity"):
        entity = {"schema": schema, "properties": {"name": [name]}}
        assert MATCHER.compare(entity, entity).match


@given(
    st.lists(st.text(alphabet="abcdefghijklmnop", min_size=4, max_size=9), min_size=1, max_size=4),
    st.randoms(),
)
@settings(max_examples=200, deadline=None)
def test_symmetric_for_reordered_names(words: list[str], rnd: object) -> None:
    shuffled = list(words)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a, b = person(" ".join(words)), person(" ".join(shuffled))
    assert MATCHER.compare(a, b).score == pytest.approx(MATCHER.compare(b, a).score, abs=1e-9)


def test_huge_and_weird_names_are_bounded() -> None:
    huge = "Muhammad " * 2000 + "x" * 10_000
    weird = "\u202e\u200b" * 3000 + "Putin" + "\x00" * 100 + "Путин محمد 习近平 " * 300
    start = time.perf_counter()
    for a, b in ((huge, weird), (weird, weird), (huge, huge), ("", huge)):
        result = MATCHER.compare(person(a), person(b))
        assert 0.0 <= result.score <= 1.0
    assert time.perf_counter() - start < 5.0
    assert len(tokenize_name(huge, True, True)) <= MAX_TOKENS
    many = {"schema": "Person", "properties": {"name": [f"Name {i} Person" for i in range(500)]}}
    start = time.perf_counter()
    MATCHER.compare(many, many)
    assert time.perf_counter() - start < 5.0
