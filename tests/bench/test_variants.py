"""Tests of the auditor-style name variant generators of the quality benchmark
(bench/quality/variants.py, variants_lang.py, scripts.py)."""

from __future__ import annotations

import random

import pytest
from bench.quality import variants as v
from bench.quality import variants_lang as vl
from bench.quality.scripts import script_of
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA, Levenshtein

WORD = st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=1, max_size=12)
NAMES = st.lists(WORD, min_size=1, max_size=6).map(" ".join)
ANY_TEXT = st.text(max_size=60)
ALL = {**v.PERSON_GENERATORS, **{f"org_{k}": g for k, g in v.ORG_GENERATORS.items()}}


@pytest.mark.parametrize("name", sorted(ALL))
@given(text=ANY_TEXT, seed=st.integers(0, 2**32))
@settings(max_examples=60, deadline=None)
def test_generators_never_crash_and_change_the_name(name: str, text: str, seed: int) -> None:
    out = ALL[name](text, random.Random(seed))
    assert out is None or (isinstance(out, str) and out != text)


@pytest.mark.parametrize("name", sorted(ALL))
def test_generators_are_deterministic_per_seed(name: str) -> None:
    base = "Abdul Rahman Mohammed AL-QAHTANI INTERNATIONAL"
    runs = {ALL[name](base, random.Random(42)) for _ in range(3)}
    assert len(runs) == 1


@pytest.mark.parametrize(
    ("gen", "distance"),
    [(v.typo_insert, 1), (v.typo_delete, 1), (v.typo_substitute, 1), (v.transposition, 1)],
)
@given(name=NAMES, seed=st.integers(0, 2**32))
@settings(max_examples=100, deadline=None)
def test_typos_are_one_edit_in_one_long_token(
    gen: v.Generator, distance: int, name: str, seed: int
) -> None:
    out = gen(name, random.Random(seed))
    if out is None:
        return
    assert OSA.distance(name, out) == distance
    before, after = name.split(), out.split()
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1
    assert sum(c.isalpha() for c in changed[0][0]) >= 5  # short tokens are never touched


def test_typos_skip_names_without_a_long_token() -> None:
    for gen in (v.typo_insert, v.typo_delete, v.typo_substitute, v.transposition):
        assert gen("LI WEI", random.Random(1)) is None


def test_substitution_uses_keyboard_neighbours() -> None:
    out = v.typo_substitute("aaaaa", random.Random(3))
    assert out is not None
    (changed,) = {c for c in out if c != "a"}
    assert changed in v.KEYBOARD["a"]


@given(name=NAMES, seed=st.integers(0, 2**32))
@settings(max_examples=100, deadline=None)
def test_word_order_keeps_the_tokens(name: str, seed: int) -> None:
    for org in (False, True):
        out = v.word_order(name, random.Random(seed), org=org)
        if out is not None:
            assert sorted(out.split()) == sorted(name.split())


def test_org_word_order_is_a_rotation() -> None:
    out = v.word_order("MEHDI OFFSHORE SHIP MANAGEMENT LTD", random.Random(0), org=True)
    assert out in ("OFFSHORE SHIP MANAGEMENT LTD MEHDI", "LTD MEHDI OFFSHORE SHIP MANAGEMENT")


@given(name=NAMES, seed=st.integers(0, 2**32))
@settings(max_examples=100, deadline=None)
def test_missing_token_drops_one_inner_token(name: str, seed: int) -> None:
    out = v.missing_token(name, random.Random(seed))
    if out is None:
        return
    before, after = name.split(), out.split()
    assert len(after) == len(before) - 1 >= 2
    assert after[0] == before[0] and after[-1] == before[-1]


def test_missing_token_keeps_distinctive_tokens() -> None:
    # dropping LOTTERY would leave only generic words
    for seed in range(20):
        assert v.missing_token("NATIONAL LOTTERY OOD", random.Random(seed)) != "NATIONAL OOD"


def test_initials_of_natural_and_list_order() -> None:
    out = v.initials("Vladimir Vladimirovich Putin", random.Random(1))
    assert out is not None and out.endswith("Putin") and out.split()[0][0] == "V"
    listed = v.initials("AGUILAR GARCIA, Marvin Ramiro", random.Random(2))
    assert listed is not None and listed.endswith("AGUILAR GARCIA")
    assert listed.split()[0] in ("M", "M.", "Marvin")
    assert v.initials("al Qaida", random.Random(0)) is None  # particles are not initialised


@given(name=NAMES, seed=st.integers(0, 2**32))
@settings(max_examples=100, deadline=None)
def test_truncation_keeps_a_prefix(name: str, seed: int) -> None:
    for person in (False, True):
        out = v.truncation(name, random.Random(seed), person=person)
        if out is None:
            continue
        assert name.startswith(out)
        assert len(out) >= 0.7 * len(name)
        assert len(out.split()) >= 2
        if person:
            assert len(out.split()) == len(name.split())


def test_truncation_keeps_a_distinctive_token() -> None:
    for seed in range(30):
        out = v.truncation("AKTSIONERNOE OBSHCHESTVO PLUTON", random.Random(seed))
        assert out is None or "PLUTON" in out


def test_truncation_drops_short_fragments() -> None:
    out = v.truncation("JAMAAH ANSHARUT DAULAH WILAYAH", random.Random(5))
    assert out is not None
    assert all(len(t) >= 4 for t in out.split())


@given(name=NAMES, seed=st.integers(0, 2**32))
@settings(max_examples=100, deadline=None)
def test_concatenation_and_split_only_move_spaces(name: str, seed: int) -> None:
    joined = v.concatenation(name, random.Random(seed))
    if joined is not None:
        assert joined.replace(" ", "") == name.replace(" ", "")
        assert len(joined.split()) == len(name.split()) - 1
    split = v.split_token(name, random.Random(seed))
    if split is not None:
        assert split.replace(" ", "") == name.replace(" ", "")
        assert len(split.split()) == len(name.split()) + 1


def test_concatenation_example() -> None:
    assert v.concatenation("JSC ARGUMENT", random.Random(0)) == "JSCARGUMENT"


@given(name=NAMES, seed=st.integers(0, 2**32))
@settings(max_examples=100, deadline=None)
def test_case_punct_keeps_the_letters(name: str, seed: int) -> None:
    out = v.case_punct(name, random.Random(seed))
    if out is not None:
        # compare case-insensitively the Unicode way (dotless ı and ß change under case maps)
        letters = [c for c in name.upper().casefold() if c.isalnum()]
        assert [c for c in out.upper().casefold() if c.isalnum()] == letters


def test_extra_token_adds_exactly_one_token() -> None:
    out = v.extra_token("Ali HASSAN", random.Random(0))
    assert out is not None and len(out.split()) == 3 and out.endswith("HASSAN")
    org = v.extra_token("SYRIAN AIR FORCE", random.Random(0), org=True)
    assert org is not None and org.startswith("SYRIAN AIR FORCE ")


def test_natural_order() -> None:
    assert v.natural_order("PUTIN, Vladimir Vladimirovich") == "Vladimir Vladimirovich PUTIN"
    assert v.natural_order("RI WON HO") == "RI WON HO"
    assert v.natural_order("A, B, C") == "A, B, C"


def test_to_cyrillic_reverses_bgn() -> None:
    assert vl.to_cyrillic("Yevgeniy PRIGOZHIN", random.Random(0)) == "Евгений Пригожин"
    assert vl.to_cyrillic("Aleksandr Kharchenko", random.Random(0)) == "Александр Харченко"
    assert vl.to_cyrillic("Владимир", random.Random(0)) is None  # not romanised input


def test_romanisation_uses_the_table_and_the_diacritic_rules() -> None:
    out = vl.romanisation("Mohammed ALI", random.Random(0))
    assert out is not None
    first = out.split()[0]
    assert first != "Mohammed" or out.split()[1] != "ALI"
    vucic = vl.romanisation("Aleksandar Vučić", random.Random(1))
    assert vucic is not None and vucic.split()[1] in {"Vucic", "Vuchich", "Vuchic", "Vucich"}
    assert vl.romanisation("John Smith", random.Random(0)) is None


def test_nickname_replaces_a_given_name_only() -> None:
    table = {"william": ["Bill"], "smith": ["Smitty"]}
    assert vl.nickname("William SMITH", random.Random(0), table) == "Bill SMITH"
    assert vl.nickname("John SMITH", random.Random(0), table) is None


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("AVIATRADE LLC", {"L.L.C.", "Limited Liability Company", "OOO", "ООО"}),
        ("JOINT STOCK COMPANY NEW HOLDING 3", {"JSC", "AO", "АО", "JSCo"}),
        ("MIKAM HOLDINGS LIMITED", {"Ltd", "Ltd."}),
    ],
)
def test_legal_form_swaps_within_its_group(name: str, group: set[str]) -> None:
    for seed in range(5):
        out = vl.legal_form(name, random.Random(seed))
        assert out is not None and out != name
        assert any(form in out for form in group), out


def test_legal_form_is_added_when_missing() -> None:
    out = vl.legal_form("SYRIAN CHAMBER OF SHIPPING", random.Random(0))
    assert out is not None and out.startswith("SYRIAN CHAMBER OF SHIPPING ")


def test_title_prefixes_a_known_title() -> None:
    out = vl.title("Fadi AL-RAHYAH", random.Random(0))
    assert out is not None and out.endswith(" Fadi AL-RAHYAH")
    assert out.split()[0] in vl.TITLES


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Vladimir Putin", "latin"),
        ("Владимир Путин", "cyrillic"),
        ("عبدالخالق الحوثي", "arabic"),
        ("张伟", "cjk"),
        ("ハヤシレイ", "cjk"),
        ("김정은", "hangul"),
        ("शंकर", "devanagari"),
        ("", "none"),
        ("123 !!", "none"),
        ("Vladimir Путин", "mixed"),
    ],
)
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script


def test_levenshtein_sanity() -> None:
    # guards the distance used above: a transposition is 2 Levenshtein edits, 1 OSA edit
    assert Levenshtein.distance("ab", "ba") == 2 and OSA.distance("ab", "ba") == 1
