"""Which words of a name took part in a match, for highlighting (pure).

The matcher's explanation lists aligned token pairs (``{"query": "vladimir", "candidate":
"vladimir", "how": "exact", "similarity": 1.0}``) in its romanised, lower-case token form. To mark
the words of the *original* names (any script), each word is tokenised the way the matcher does
it (:func:`clearance.match.names.tokenize_name`) and marked when one of its tokens is in the
matched set, with how it matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from clearance.match.names import tokenize_name

_SPLIT = re.compile(r"(\s+|[,;()/]+)")


@dataclass(frozen=True)
class Segment:
    """A piece of a name: its text and, when it matched, how (``"exact 1.00"``)."""

    text: str
    how: str | None = None


@dataclass(frozen=True)
class TokenPair:
    query: str
    candidate: str
    how: str
    similarity: float


def token_pairs(explanation: Iterable[Mapping[str, Any]]) -> list[TokenPair]:
    """The aligned name-token pairs of an explanation (features with a ``tokens`` list)."""
    out: list[TokenPair] = []
    for feature in explanation:
        for row in feature.get("tokens") or ():
            out.append(
                TokenPair(
                    str(row.get("query", "")),
                    str(row.get("candidate", "")),
                    str(row.get("how", "")),
                    float(row.get("similarity", 0.0) or 0.0),
                )
            )
    return out


def matched_tokens(pairs: Iterable[TokenPair], side: str) -> dict[str, str]:
    """Token → how it matched, for the ``query`` or ``candidate`` side of the pairs."""
    found: dict[str, str] = {}
    for pair in pairs:
        text = pair.query if side == "query" else pair.candidate
        for token in text.split():
            found.setdefault(token, f"{pair.how} {pair.similarity:.2f}")
    return found


def segments(name: str, matched: Mapping[str, str], schema: str = "LegalEntity") -> list[Segment]:
    """``name`` cut into words and separators, each word marked when its tokens matched."""
    person = schema == "Person"
    org = schema in ("Organization", "Company", "PublicBody", "LegalEntity")
    out: list[Segment] = []
    for part in _SPLIT.split(name):
        if not part:
            continue
        how = None
        if matched and not _SPLIT.fullmatch(part):
            for token in tokenize_name(part, person, org):
                if token.text in matched:
                    how = matched[token.text]
                    break
        out.append(Segment(part, how))
    return out


def any_marked(parts: Iterable[Segment]) -> bool:
    return any(s.how is not None for s in parts)
