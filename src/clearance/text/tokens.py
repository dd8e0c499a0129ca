"""Text tokens with their original offsets, normalised the way gazetteer names are.

A token is a run of word characters (apostrophes inside words kept, a possessive "'s" cut
off). Each token becomes one or more ASCII keys (:func:`clearance.match.normalize.clean_name`
then the matcher's per-script romanisation), so "Владимир Путин" and "Vladimir Putin" give the
same keys. The normalised text is the keys joined by single spaces; :class:`TokenMap` maps
normalised offsets back to the original.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from clearance.match.normalize import clean_name
from clearance.match.translit import romanise

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_POSSESSIVE = re.compile(r"['’][sS]$")


@lru_cache(maxsize=200_000)
def token_keys(token: str) -> tuple[str, ...]:
    """The normalised ASCII words of one raw token (empty for punctuation-only)."""
    out: list[str] = []
    for word in clean_name(token).split():
        out.extend(w for w in romanise(word).words if w)
    return tuple(out)


def tokenize(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, raw token)`` of every token in ``text``."""
    for m in _TOKEN.finditer(text):
        token, end = m.group(), m.end()
        cut = _POSSESSIVE.search(token)
        if cut is not None and cut.start() > 0:  # "Putin's" → "Putin"
            token, end = token[: cut.start()], end - (len(token) - cut.start())
        yield m.start(), end, token


def normalise_name(name: str) -> str:
    """A name as the gazetteer stores it: the token keys joined by spaces."""
    return " ".join(k for _, _, tok in tokenize(name) for k in token_keys(tok))


@dataclass
class TokenMap:
    """The normalised text and, per normalised word, its original span."""

    text: str
    starts: list[int]  # normalised offset where each word starts
    spans: list[tuple[int, int]]  # original (start, end) of each word

    @classmethod
    def build(cls, original: str) -> TokenMap:
        parts: list[str] = []
        starts: list[int] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for start, end, tok in tokenize(original):
            for key in token_keys(tok):
                starts.append(pos)
                spans.append((start, end))
                parts.append(key)
                pos += len(key) + 1
        return cls(" ".join(parts), starts, spans)

    def word_at(self, offset: int) -> int:
        """Index of the word containing normalised ``offset``."""
        return bisect_right(self.starts, offset) - 1

    def is_boundary(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` of the normalised text covers whole words."""
        text = self.text
        return (start == 0 or text[start - 1] == " ") and (end == len(text) or text[end] == " ")

    def original(self, first_word: int, last_word: int) -> tuple[int, int]:
        """Original span of words ``first_word..last_word`` (inclusive)."""
        return self.spans[first_word][0], self.spans[last_word][1]
