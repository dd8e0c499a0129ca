"""Romanisation of tokens per script through ICU."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clearance.match.translit import romanise, token_script

CASES = [
    ("владимир", ("vladimir",), "Cyrillic"),
    ("олександр", ("oleksandr",), "Cyrillic"),
    ("習近平", ("xi", "jin", "ping"), "Han"),
    ("αλέξης", ("alexis",), "Greek"),
    ("नरेन्द्र", ("narendra",), "Devanagari"),
    ("ბიძინა", ("bidzina",), "Georgian"),
    ("11420", ("11420",), "Common"),
]


@pytest.mark.parametrize(("token", "words", "script"), CASES)
def test_romanise(token: str, words: tuple[str, ...], script: str) -> None:
    rom = romanise(token)
    assert rom.words == words and rom.script == script


def test_alternate_spellings() -> None:
    assert "vuchich" in romanise("вучић").alternates
    assert "evgenij" in romanise("евгений").alternates
    assert token_script("محمد") == "Arabic"


@given(st.text(min_size=1, max_size=40))
@example(" ")
@example("a b")
def test_romanise_gives_words(token: str) -> None:
    rom = romanise(token)
    assert all(w and " " not in w for w in rom.words + rom.alternates)
