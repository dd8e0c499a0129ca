"""Blocking keys: typo neighbourhoods, spelling variants, stop-keys, stable hashes."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.index.keys import QueryKeys, deletions, entity_keys, key_hash, token_keys
from clearance.match.names import tokenize_name
from clearance.match.prepared import prepare_entity

letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=14)


def _edit(word: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(word) - 1))
    kind = data.draw(st.sampled_from(["sub", "ins", "del", "swap"]))
    ch = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    if kind == "sub":
        return word[:i] + ch + word[i + 1 :]
    if kind == "ins":
        return word[:i] + ch + word[i:]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    j = min(i + 1, len(word) - 1)
    chars = list(word)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)


@given(letters, st.data())
def test_one_edit_apart_share_a_deletion_key(word: str, data: st.DataObject) -> None:
    other = _edit(word, data)
    assert deletions(word) & deletions(other)


@given(st.text(max_size=30))
def test_deletions_have_the_key_and_one_shorter_strings(word: str) -> None:
    out = deletions(word)
    assert word in out
    assert all(len(x) == len(word) - 1 for x in out if x != word)


def _entity_keys(name: str, schema: str = "Person") -> set[int]:
    return entity_keys(prepare_entity({"schema": schema, "properties": {"name": [name]}}))


def _shared(a: str, b: str, schema: str = "Person") -> set[int]:
    return _entity_keys(a, schema) & _entity_keys(b, schema)


def test_typo_in_a_long_token_still_shares_keys() -> None:
    assert _shared("Khalaf", "Khalf")
    assert _shared("Chaudhry", "Chaudhyr")


def test_four_letter_token_meets_a_one_edit_spelling() -> None:
    assert _shared("Mohammed Wali", "Walid Ghazal")
    assert _shared("Omar Wail", "Umar Wali")
    assert not _shared("Wali", "Kony")


def test_transliterated_name_shares_keys_with_latin_spelling() -> None:
    assert _shared("Владимир Путин", "Vladimir Putin")
    assert _shared("Yevgeniy", "Evgenii")


def test_legal_forms_and_particles_are_stop_keys() -> None:
    for token in tokenize_name("Limited", False, True) + tokenize_name("bin", True, False):
        assert token_keys(token) == ()
    # two companies that share only their legal form share no key
    assert not _shared("Alpha Trading Limited", "Omega Shipping Limited", "Company") - _shared(
        "Alpha", "Omega", "Company"
    )


def test_identifiers_are_keys_whatever_their_type() -> None:
    a = prepare_entity({"schema": "Person", "properties": {"passportNumber": ["G52 FYPRL"]}})
    b = prepare_entity({"schema": "Person", "properties": {"idNumber": ["g52fyprl"]}})
    assert entity_keys(a) & entity_keys(b)
    assert QueryKeys(a).identifiers


def test_joined_tokens_meet_split_ones() -> None:
    assert _shared("Abdulrahman Salim", "Abdul Rahman Nobody")


def test_key_hash_is_stable_across_processes() -> None:
    code = "from clearance.index.keys import key_hash; print(key_hash('k:putin'))"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert int(other) == key_hash("k:putin")
    assert 0 <= key_hash("k:putin") < 2**64


def test_query_keys_group_per_token() -> None:
    q = QueryKeys(prepare_entity({"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}))
    word_groups = [g for g in q.groups if len(g) > 1]
    assert len(word_groups) == 2  # one group per word
    assert len(q.groups) == 3  # + the word pair "vladimirputin"
    assert q.name_groups == [[0, 1, 2]]


def _query_keys(name: str) -> set[int]:
    query = QueryKeys(prepare_entity({"schema": "Person", "properties": {"name": [name]}}))
    return {h for group in query.groups for h, _ in group}


@pytest.mark.parametrize(("query", "listed"), [("Wali", "Ali"), ("Ali", "Wali"), ("Omar", "Oma")])
def test_a_query_meets_a_one_edit_spelling_across_the_four_letter_limit(
    query: str, listed: str
) -> None:
    # the listed 3-letter token has no deletion keys: the query side looks up the other half
    assert _query_keys(query) & _entity_keys(listed)
    assert not _shared(query, listed) or len(query) == len(listed)


def test_a_query_does_not_meet_a_two_edit_spelling_by_deletion() -> None:
    assert not _query_keys("Wali") & _entity_keys("Al")
