"""Highlighting the matched words of a name (pure): any script, never a lost character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.match import Matcher
from clearance.workbench.highlight import matched_tokens, segments, token_pairs


def _explanation(query: str, candidate: str, schema: str = "Person") -> list[dict[str, object]]:
    result = Matcher().compare(
        {"schema": schema, "properties": {"name": [query]}},
        {"schema": schema, "properties": {"name": [candidate]}},
    )
    return [f.to_dict() for f in result.explanation]


def _marked(name: str, side: str, explanation: list[dict[str, object]]) -> list[str]:
    pairs = token_pairs(explanation)
    return [s.text for s in segments(name, matched_tokens(pairs, side), "Person") if s.how]


def test_cyrillic_query_against_latin_listing() -> None:
    explanation = _explanation("Путин Владимир", "Vladimir Vladimirovich PUTIN")
    assert _marked("Путин Владимир", "query", explanation) == ["Путин", "Владимир"]
    marked = _marked("Vladimir Vladimirovich PUTIN", "candidate", explanation)
    assert "PUTIN" in marked and "Vladimir" in marked
    assert "Vladimirovich" not in marked


def test_unmatched_words_stay_plain() -> None:
    explanation = _explanation("Maria Schmidt", "Mario Rossi")
    assert "Schmidt" not in _marked("Maria Schmidt", "query", explanation)
    assert "Rossi" not in _marked("Mario Rossi", "candidate", explanation)


def test_how_is_reported() -> None:
    explanation = _explanation("Abdul Baki", "ABDUL BAQI")
    parts = segments("ABDUL BAQI", matched_tokens(token_pairs(explanation), "candidate"))
    hows = {s.text: s.how for s in parts if s.how}
    assert hows["ABDUL"] is not None and hows["ABDUL"].endswith("1.00")
    assert hows["BAQI"] is not None and not hows["BAQI"].endswith("1.00")


@settings(deadline=None)  # the first call loads the transliteration tables
@given(
    st.text(max_size=80),
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=10), max_size=5),
    st.sampled_from(["Person", "Organization", "LegalEntity", "Vessel"]),
)
def test_segments_keep_every_character(name: str, matched: dict[str, str], schema: str) -> None:
    parts = segments(name, matched, schema)
    assert "".join(s.text for s in parts) == name
    assert all(s.text for s in parts)
    assert all(s.how is None or s.how in matched.values() for s in parts)
