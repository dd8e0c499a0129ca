"""Screening for the API: yente's query parameters applied around :class:`Screener`.

The screener does candidate selection and scoring; this module turns a yente query example into
our query dict, maps dataset scope / schema / topic filters onto the screener's, and applies the
filters the screener has no notion of (excluded entity ids, ``changed_since``) to its hits.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

import anyio
from followthemoney import model

from clearance.api.errors import ApiError
from clearance.api.state import AppState, Loaded
from clearance.match import ALGORITHM, MatchConfig, Matcher
from clearance.screen import Hit, InvalidQuery, Screener

ALGORITHM_NAMES = (ALGORITHM, "best", "default")
SCREEN_THREADS = 0
"""Screenings running at once in one server process.

Screening is CPU-bound Python: threads of one process take turns on the GIL (5 ms slices), so
more of them only stretch every request's latency. Two let a long screening (a cold, alias-rich
candidate) not hold up the short ones queued behind it; requests beyond that wait in order.
Throughput comes from worker processes (``clearance serve --workers``)."""
_T = TypeVar("_T")
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)
_NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
_POOL = 500


@dataclass
class Filters:
    """yente's filters of a match or search request."""

    sources: list[str]
    topics: list[str] = field(default_factory=list)
    exclude_schema: list[str] = field(default_factory=list)
    exclude_entity_ids: list[str] = field(default_factory=list)
    changed_since: str | None = None


async def run_cpu(work: Callable[[], _T]) -> _T:
    """Run CPU-bound ``work`` in a worker thread, at most :data:`SCREEN_THREADS` at once."""
    if SCREEN_THREADS == 0:
        return work()
    loop = asyncio.get_running_loop()  # one limiter per event loop (tests run several servers)
    limiter = _LIMITERS.get(loop)
    if limiter is None:
        limiter = _LIMITERS[loop] = anyio.CapacityLimiter(SCREEN_THREADS)
    return await anyio.to_thread.run_sync(work, limiter=limiter)


def check_algorithm(name: str) -> None:
    if name not in ALGORITHM_NAMES:
        raise ApiError(400, f"unknown algorithm {name!r}; use one of {', '.join(ALGORITHM_NAMES)}")


def screener_for(loaded: Loaded, config: dict[str, float]) -> Screener:
    """The loaded screener, or one with a matcher configured by the request's ``config``."""
    if not config:
        return loaded.screener
    known = {f.name for f in fields(MatchConfig)}
    unknown = sorted(set(config) - known)
    if unknown:
        raise ApiError(400, f"unknown config key(s) {unknown}; known: {sorted(known)}")
    base = loaded.screener
    matcher = Matcher(base.matcher.threshold, MatchConfig(**config))
    return Screener(base.index, matcher, base.config)


def example_query(example: Any) -> dict[str, Any]:
    """Our query dict from a yente ``EntityExample`` (unknown properties dropped, as yente)."""
    schema = model.get(example.schema_)
    assert schema is not None
    props: dict[str, list[str]] = {}
    for prop, values in example.properties.items():
        if prop not in schema.properties:
            continue
        items = [values] if isinstance(values, str) else values
        clean = [v.strip() for v in items if v.strip()]
        if clean:
            props[prop] = clean
    if "name" not in props:
        parts = [props[p][0] for p in _NAME_PARTS if p in props]
        if parts:
            props["name"] = [" ".join(parts)]
    return {"id": example.id, "schema": schema.name, "properties": props}


def check_schemas(names: Sequence[str]) -> None:
    for name in names:
        if model.get(name) is None:
            raise ApiError(400, f"unknown schema {name!r}")


def run_screen(
    state: AppState,
    screener: Screener,
    query: dict[str, Any],
    filters: Filters,
    threshold: float,
    limit: int,
    key: str = "query",
) -> tuple[list[Hit], int]:
    """Hits above ``threshold`` passing the filters (at most ``limit``) and their total."""
    everything = set(screener.index.sources) <= set(filters.sources)
    try:
        result = screener.screen(
            query,
            sources=None if everything else filters.sources,
            topics=filters.topics or None,
            threshold=threshold,
            limit=_POOL,
        )
    except InvalidQuery as exc:
        raise ApiError(400, f"{key}: {exc}") from exc
    hits = [h for h in result.hits if h.score > 0.0]
    if filters.exclude_schema:
        hits = [h for h in hits if h.schema not in filters.exclude_schema]
    if filters.exclude_entity_ids:
        dropped = set(filters.exclude_entity_ids)
        hits = [h for h in hits if h.entity_id not in dropped]
    if filters.changed_since and hits:
        times = state.timeline([h.entity_id for h in hits])
        since = filters.changed_since
        hits = [h for h in hits if (times[h.entity_id].last_change or "") > since]
    return hits[:limit], len(hits)
