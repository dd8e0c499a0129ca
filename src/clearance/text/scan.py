"""Free-text screening: gazetteer candidates in a text, confirmed by the matcher.

The text is normalised word by word (:mod:`clearance.text.tokens`) and scanned once with the
gazetteer automaton (linear in the text). A candidate counts only on whole words. Each candidate
span is confirmed by the matcher against the entities of the pattern (at most
``MAX_ENTITIES_PER_PATTERN``), also with one neighbouring word on either side (partial or
reordered names: "General Li Shangfu"); the best score wins. Scores are cached per (span, entity),
so a long text repeating a name costs one comparison. Single-word patterns need a capitalised
word in the text, short ones (≤ 5 letters, acronyms such as "SSB") an all-capitals word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearance.index.records import EntityRecord
from clearance.match import MatchResult
from clearance.screen import Screener, as_query
from clearance.text.gazetteer import load_automaton
from clearance.text.tokens import TokenMap

MAX_CANDIDATES = 500_000
"""Candidate spans confirmed per text at most (beyond this the result says ``truncated``)."""


@dataclass
class TextHit:
    """A listed entity named in the text, at ``[start, end)`` of the original text."""

    start: int
    end: int
    text: str
    record: EntityRecord
    result: MatchResult

    @property
    def score(self) -> float:
        return self.result.score

    def reasons(self) -> str:
        return "; ".join(
            f"{f.name} ({f.contribution:+.2f})" + (f": {f.detail}" if f.detail else "")
            for f in self.result.explanation
        )

    def to_dict(self) -> dict[str, Any]:
        rec = self.record
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "entity_id": rec.id,
            "caption": rec.caption,
            "schema": rec.schema,
            "source": rec.source,
            "version_id": rec.version_id,
            "publication_date": rec.publication_date,
            "programs": rec.programs,
            "score": round(self.score, 4),
            "reasons": self.reasons(),
        }


@dataclass
class TextResult:
    hits: list[TextHit] = field(default_factory=list)
    candidates: int = 0
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidates": self.candidates,
            "truncated": self.truncated,
            "hits": [h.to_dict() for h in self.hits],
        }


def _capitalised(text: str, short: bool) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    if short:
        return all(c.isupper() for c in letters)
    return letters[0].isupper() or not letters[0].islower()  # scripts without case pass


class TextScreener:
    """Finds listed names in free text (see module doc)."""

    def __init__(self, screener: Screener, automaton: Any | None = None) -> None:
        self.screener = screener
        self.automaton = automaton if automaton is not None else load_automaton(screener.index)

    def _confirm(
        self, cache: dict[tuple[str, str, int], MatchResult], span: str, schema: str, n: int
    ) -> MatchResult:
        key = (span, schema, n)
        found = cache.get(key)
        if found is None:
            matcher = self.screener.matcher
            query = matcher.prepare(as_query({"schema": schema, "name": span}))
            found = matcher.compare_prepared(query, self.screener.index.prepared(n))
            cache[key] = found
        return found

    def scan(self, text: str, *, threshold: float | None = None) -> TextResult:
        """Listed entities named in ``text``, in text order (longest span per entity)."""
        cut = self.screener.matcher.threshold if threshold is None else threshold
        tmap = TokenMap.build(text)
        index = self.screener.index
        cache: dict[tuple[str, str, int], MatchResult] = {}
        best: dict[tuple[int, int, int], TextHit] = {}
        records: dict[int, EntityRecord] = {}
        result = TextResult()
        last = len(tmap.spans) - 1
        for end_pos, (pattern, positions) in self.automaton.iter(tmap.text):
            start_pos = end_pos - len(pattern) + 1
            if not tmap.is_boundary(start_pos, end_pos + 1):
                continue
            first, final = tmap.word_at(start_pos), tmap.word_at(end_pos)
            o_start, o_end = tmap.original(first, final)
            raw = text[o_start:o_end]
            if " " not in pattern and not _capitalised(raw, len(pattern) <= 5):
                continue
            if result.candidates >= MAX_CANDIDATES:
                result.truncated = True
                break
            result.candidates += 1
            windows = [(first, final)]
            if first > 0:
                windows.append((first - 1, final))
            if final < last:
                windows.append((first, final + 1))
            for n in positions:
                record = records.get(n)
                if record is None:
                    record = records[n] = index.record(n)
                schema = "Person" if record.schema == "Person" else "LegalEntity"
                top: tuple[MatchResult, int, int] | None = None
                for a, b in windows:
                    s, e = tmap.original(a, b)
                    res = self._confirm(cache, text[s:e], schema, n)
                    if top is None or res.score > top[0].score:
                        top = (res, s, e)
                assert top is not None
                res, s, e = top
                if res.score < cut or res.score <= 0.0:
                    continue
                # the gazetteer span, unless a neighbour word made the match
                s, e = (o_start, o_end) if (s, e) == tmap.original(first, final) else (s, e)
                best[(s, e, n)] = TextHit(s, e, text[s:e], record, res)
        result.hits = _longest(list(best.values()))
        return result


def _longest(hits: list[TextHit]) -> list[TextHit]:
    """Per entity, drop spans inside a longer span of the same entity; sort by position.

    One sweep per entity over spans sorted by start (longest first): a span ending before the
    furthest end seen so far lies inside an earlier span."""
    keep: list[TextHit] = []
    by_entity: dict[tuple[str, str], list[TextHit]] = {}
    for hit in hits:
        by_entity.setdefault((hit.record.source, hit.record.id), []).append(hit)
    for group in by_entity.values():
        group.sort(key=lambda h: (h.start, -(h.end - h.start)))
        reach = -1
        for hit in group:
            if hit.end <= reach:
                continue
            keep.append(hit)
            reach = hit.end
    keep.sort(key=lambda h: (h.start, h.end, -h.score, h.record.id))
    return keep
