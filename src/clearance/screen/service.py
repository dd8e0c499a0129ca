"""The screening service: query → candidates (index) → matcher → ranked hits.

    >>> from clearance.store import Store
    >>> from clearance.screen import Screener
    >>> screener = Screener.open(Store.open())          # loads or builds the index
    >>> result = screener.screen("Vladimir Putin", schema="Person")
    >>> [(h.caption, h.source, round(h.score, 2)) for h in result.hits]

The service only loops: candidate selection is :mod:`clearance.index`, scoring is the pure
:class:`~clearance.match.Matcher` on prepared entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from followthemoney import model

from clearance.index import CandidateConfig, CandidateIndex, QueryKeys, ensure_index
from clearance.index.candidates import Candidates
from clearance.match import Matcher
from clearance.match.matcher import NameMemo
from clearance.match.prepared import PreparedEntity
from clearance.screen.prefilter import compare_reachable
from clearance.screen.query import InvalidQuery, as_query
from clearance.screen.results import Hit, ScreenResult
from clearance.store import Store

Filter = Sequence[str] | str | None


def _names(value: Filter) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _schemas(value: Filter) -> list[str] | None:
    """A schema filter includes the schemata that extend it (LegalEntity → Person, Company…)."""
    names = _names(value)
    if names is None:
        return None
    out: set[str] = set()
    for name in names:
        schema = model.get(name)
        if schema is None:
            raise InvalidQuery(f"unknown schema {name!r}")
        out.add(schema.name)
        out.update(s.name for s in model.schemata.values() if s.is_a(schema))
    return sorted(out)


class Screener:
    """Screens queries against one candidate index (see module doc)."""

    def __init__(
        self,
        index: CandidateIndex,
        matcher: Matcher | None = None,
        config: CandidateConfig | None = None,
        prefilter: bool = True,
    ) -> None:
        self.index = index
        self.matcher = matcher or Matcher()
        self.config = config or CandidateConfig()
        #: skip candidates whose score upper bound is below the cut (see screen.prefilter)
        self.prefilter = prefilter

    @classmethod
    def open(
        cls,
        store: Store,
        *,
        index_root: Path | None = None,
        matcher: Matcher | None = None,
        config: CandidateConfig | None = None,
    ) -> Screener:
        """A screener over the store's active list versions (index loaded, or built once)."""
        return cls(ensure_index(store, index_root), matcher, config)

    @classmethod
    def from_path(cls, path: Path, **kwargs: Any) -> Screener:
        """A screener over an index directory written before (no store needed)."""
        return cls(CandidateIndex(path), **kwargs)

    def screen(
        self,
        query: Any,
        *,
        sources: Filter = None,
        schema: Filter = None,
        topics: Filter = None,
        programs: Filter = None,
        threshold: float | None = None,
        limit: int = 10,
    ) -> ScreenResult:
        """Hits for one query (a name, flat record, FtM dict or proxy), best first.

        Filters keep list entities of the given ``sources``, ``schema`` (or a schema extending
        it), with one of ``topics`` / ``programs``. ``threshold`` defaults to the matcher's.
        """
        data = as_query(query)
        cut = self.matcher.threshold if threshold is None else threshold
        if not 0.0 <= cut <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], not {cut}")
        prepared = self.matcher.prepare(data)
        index = self.index
        found = self.shortlist(
            prepared, sources=sources, schema=schema, topics=topics, programs=programs
        )
        matcher = self.matcher
        numbers: list[int] = found.entities.tolist()
        if self.prefilter:
            memo: NameMemo = {}
            scored = compare_reachable(
                matcher, prepared, numbers, index.table, index.prepared, cut, memo
            )
        else:
            compare = matcher.compare_prepared
            scored = [(n, compare(prepared, index.prepared(n))) for n in numbers]
        hits = [
            Hit(result.score, result.match, result, index.record(n))
            for n, result in scored
            if result.score >= cut and result.score > 0.0
        ]
        hits.sort(key=lambda h: (-h.score, h.record.id))
        return ScreenResult(data, hits[: max(0, limit)], len(found.entities), cut)

    def shortlist(
        self,
        prepared: PreparedEntity,
        *,
        sources: Filter = None,
        schema: Filter = None,
        topics: Filter = None,
        programs: Filter = None,
        config: CandidateConfig | None = None,
    ) -> Candidates:
        """The list entities :meth:`screen` scores for a prepared query (index candidates
        passing the filters and of a schema that can describe the same thing)."""
        mask = self.index.mask(
            _names(sources), _schemas(schema), _names(programs), _names(topics), prepared.kind
        )
        return self.index.candidates(QueryKeys(prepared), config or self.config, mask)

    def warm(self) -> Screener:
        """Prepare every list entity now (see :meth:`CandidateIndex.warm`); returns self."""
        self.index.warm()
        return self

    def screen_many(self, queries: Iterable[Any], **options: Any) -> Iterator[ScreenResult]:
        """Screen each query in turn (same options as :meth:`screen`)."""
        for query in queries:
            yield self.screen(query, **options)

    def close(self) -> None:
        self.index.close()
