"""Names of an entity, prepared for matching: cleaned, romanised, tokenised, labelled.

Every value of ``name``, ``alias``, ``previousName`` and ``weakAlias`` becomes a
:class:`NameForm`; for people, ``firstName`` / ``middleName`` / ``fatherName`` / ``lastName`` are
assembled into one more name. Tokenising a name: :func:`clean_name`, legal forms rewritten to
their generic form (organisations), titles dropped (people), each word romanised through ICU
(CJK: one token per syllable), a lower-to-upper-case boundary splits words
("OlegGOVORUN" → "Oleg GOVORUN"; split / joined matching repairs a wrong split such as
"McDONALD"), at most :data:`MAX_TOKENS` tokens of at most 40 characters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from clearance.match.legal_forms import replace_legal_forms
from clearance.match.normalize import MAX_NAME_CHARS, casefold, clean_name, strip_titles
from clearance.match.tokens import NUMBER, WORD, Token, make_token
from clearance.match.translit import romanise

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z]{2})")
MAX_TOKENS = 16
"""Tokens kept per name (bounded time on absurd input)."""

NAME_LABELS = ("name", "alias", "previousName", "weakAlias")
PART_PROPS = ("firstName", "secondName", "middleName", "fatherName", "motherName", "lastName")


class NameForm:
    """One prepared name of an entity."""

    __slots__ = (
        "heads",
        "joined",
        "label",
        "long_heads",
        "needs_strong",
        "original",
        "strong",
        "strong_texts",
        "tokens",
        "weight_sum",
        "weights",
    )

    def __init__(self, original: str, label: str, tokens: tuple[Token, ...]) -> None:
        self.original = original
        self.label = label
        self.tokens = tokens
        self.weights = tuple(t.weight for t in tokens)
        self.weight_sum = sum(self.weights)
        self.strong = tuple(t.kind in (WORD, NUMBER) for t in tokens)
        self.needs_strong = any(self.strong)
        self.joined = "".join(t.text for t in tokens)
        # hot-path helpers of the aligner: first three letters of each token longer than two
        # letters ("" otherwise), first four of tokens of six letters or more, and the text of
        # each word / number token (None otherwise)
        self.heads = tuple(t.text[:3] if t.length > 2 else "" for t in tokens)
        self.long_heads = tuple(t.text[:4] for t in tokens if t.length >= 6)
        self.strong_texts = tuple(
            t.text if strong else None for t, strong in zip(tokens, self.strong, strict=True)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled through the constructor: compiled classes (clearance.native) have no
        # instance dict to restore
        return (NameForm, (self.original, self.label, self.tokens))

    def __repr__(self) -> str:
        return f"NameForm({self.label}: {' '.join(t.text for t in self.tokens)})"


@lru_cache(maxsize=200_000)
def tokenize_name(text: str, person: bool, org: bool) -> tuple[Token, ...]:
    """Tokens of one name (see module doc); ``org`` enables legal forms, ``person`` titles."""
    text = _CAMEL.sub(" ", text[:MAX_NAME_CHARS])
    if org:
        cleaned = replace_legal_forms(clean_name(replace_legal_forms(casefold(text))))
    else:
        cleaned = clean_name(text)
    words = cleaned.split()[: MAX_TOKENS * 2]
    if person:
        words = strip_titles(words)
    tokens: list[Token] = []
    for word in words:
        rom = romanise(word[:40])
        alternates = rom.alternates if len(rom.words) == 1 else ()
        for part in rom.words:
            if part:
                tokens.append(make_token(part, rom.script, alternates, org))
        if len(tokens) >= MAX_TOKENS:
            break
    return tuple(tokens[:MAX_TOKENS])


def name_forms(
    values: dict[str, list[str]], person: bool, org: bool, limit: int = 48
) -> list[NameForm]:
    """All distinct prepared names of an entity, primary names first (at most ``limit``)."""
    forms: list[NameForm] = []
    seen: dict[tuple[str, ...], int] = {}

    def add(original: str, label: str) -> None:
        tokens = tokenize_name(original, person, org)
        if not tokens:
            return
        key = tuple(sorted(t.text for t in tokens))
        if key in seen:
            index = seen[key]
            if label != "weakAlias" and forms[index].label == "weakAlias":
                forms[index] = NameForm(original, label, tokens)
            return
        seen[key] = len(forms)
        forms.append(NameForm(original, label, tokens))

    for label in NAME_LABELS:
        for value in values.get(label, ()):
            if len(forms) < limit:
                add(value, label)
    parts = [v for prop in PART_PROPS for v in values.get(prop, ())[:1]]
    if parts and len(forms) < limit:
        add(" ".join(parts), "name")
    return forms
