"""Name normalisation: case, Unicode form, invisible marks, punctuation, titles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearance.match.normalize import MAX_NAME_CHARS, clean_name, is_particle, strip_titles


def test_clean_name_examples() -> None:
    assert clean_name("  O'Brien,   JOHN ") == "obrien john"
    assert clean_name("Al-Qaida\u200f") == "al qaida"
    assert clean_name("ＡＢＣ\u200bＤ") == "abcd"
    assert clean_name("Straße") == "strasse"
    assert clean_name("!!!") == ""
    assert clean_name("11420 CORP.") == "11420 corp"


def test_titles_and_particles() -> None:
    assert strip_titles(["dr", "sheikh", "ahmed", "yassin"]) == ["ahmed", "yassin"]
    assert strip_titles(["sheikh"]) == ["sheikh"]
    assert is_particle("bin") and is_particle("van") and not is_particle("putin")


def test_length_is_capped() -> None:
    assert len(clean_name("a" * 20_000)) <= MAX_NAME_CHARS


@given(st.text(max_size=200))
def test_clean_name_idempotent(text: str) -> None:
    once = clean_name(text)
    assert clean_name(once) == once
    assert once == once.strip() and "  " not in once
