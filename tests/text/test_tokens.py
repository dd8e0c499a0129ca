"""Text normalisation with offsets back into the original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearance.text import TokenMap, normalise_name, token_keys


def test_scripts_and_punctuation_normalise_alike() -> None:
    assert normalise_name("Владимир Путин") == normalise_name("VLADIMIR  PUTIN") == "vladimir putin"
    assert normalise_name("ALMAZ-ANTEY") == "almaz antey"
    assert normalise_name("Vučić") == "vucic"
    assert token_keys("...") == ()
    assert normalise_name("Putin's O'Neill’s") == "putin oneill"


def test_map_points_into_the_original() -> None:
    text = "Mr. Vladimir  PUTIN, (Владимир Путин)!"
    tmap = TokenMap.build(text)
    assert tmap.text == "mr vladimir putin vladimir putin"
    start = tmap.text.index("putin vladimir")
    first, last = tmap.word_at(start), tmap.word_at(start + len("putin vladimir") - 1)
    s, e = tmap.original(first, last)
    assert text[s:e] == "PUTIN, (Владимир"
    assert tmap.is_boundary(start, start + len("putin vladimir"))
    assert not tmap.is_boundary(start + 1, start + 5)


@given(st.lists(st.text(min_size=1, max_size=12), max_size=12))
def test_every_word_maps_to_a_token_of_the_original(parts: list[str]) -> None:
    text = " ".join(parts)
    tmap = TokenMap.build(text)
    words = tmap.text.split(" ") if tmap.text else []
    assert len(words) == len(tmap.spans) == len(tmap.starts)
    for n, (start, end) in enumerate(tmap.spans):
        assert 0 <= start < end <= len(text)
        assert words[n] in token_keys(text[start:end])
        assert tmap.word_at(tmap.starts[n]) == n
    assert normalise_name(tmap.text) == tmap.text  # normalised text is a fixed point
