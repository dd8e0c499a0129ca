"""The scorers compared by the quality benchmark, behind one small interface.

* ``clearance`` — our ``clearance.match.Matcher`` (threshold ``Matcher().threshold``). Timed
  twice: *hot* (both sides prepared once, outside the timing loop; only ``compare_prepared``
  timed) and *cold* (``compare`` on the raw dicts, preparation included).
* ``logic-v2`` / ``logic-v1`` — nomenklatura's heuristic algorithms (a benchmark-only
  dependency) with their default configuration, called as yente calls them:
  ``Algorithm.compare(query_proxy, candidate_proxy, Algorithm.default_config())``. Threshold
  0.70, yente's default ``threshold`` for ``/match``. The FtM proxies are built outside the
  timing loop (that is what yente holds in memory), each with an id unique to its pair.

Each algorithm is warmed up on one pair first (lazy data loading is not timed). Time per pair
is CPU time of the scoring thread (``time.thread_time``), the headline because the benchmark
machines are shared by parallel jobs; wall time is recorded too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.quality.pairs import Pair

NOMENKLATURA_THRESHOLD = 0.70


@dataclass
class Scored:
    """Scores of one algorithm over the pairs, with timing."""

    name: str
    threshold: float
    scores: list[float] = field(default_factory=list)
    seconds: float = 0.0  # summed wall time inside the timed calls
    cpu_seconds: float = 0.0  # summed CPU time of this thread inside the timed calls
    timed_pairs: int = 0
    note: str = ""
    cpu_times: list[float] = field(default_factory=list)  # per pair, seconds

    @property
    def us_per_pair(self) -> float:
        """Mean CPU µs per pair (robust to other processes sharing the cores)."""
        return self.cpu_seconds / self.timed_pairs * 1e6 if self.timed_pairs else float("nan")

    @property
    def wall_us_per_pair(self) -> float:
        return self.seconds / self.timed_pairs * 1e6 if self.timed_pairs else float("nan")


def _timed(name: str, threshold: float, items: list[Any], call: Callable[[Any], float]) -> Scored:
    out = Scored(name, threshold)
    clock, cpu = time.perf_counter, time.thread_time
    for item in items:
        start, start_cpu = clock(), cpu()
        score = call(item)
        spent = cpu() - start_cpu
        out.cpu_seconds += spent
        out.cpu_times.append(spent)
        out.seconds += clock() - start
        out.scores.append(score)
    out.timed_pairs = len(items)
    return out


def run_clearance(pairs: list[Pair]) -> tuple[Scored, Scored]:
    """(hot, cold) results of our matcher; scores come from the hot path."""
    from clearance.match import Matcher

    matcher = Matcher()
    matcher.compare(pairs[0]["query"], pairs[0]["candidate"])  # warm-up: lazy tables
    prepared = [(matcher.prepare(p["query"]), matcher.prepare(p["candidate"])) for p in pairs]
    hot = _timed(
        "clearance",
        matcher.threshold,
        prepared,
        lambda qc: matcher.compare_prepared(qc[0], qc[1]).score,
    )
    hot.note = "hot path: compare_prepared, both sides prepared outside the timing loop"
    cold = _timed(
        "clearance (cold)",
        matcher.threshold,
        pairs,
        lambda p: matcher.compare(p["query"], p["candidate"]).score,
    )
    cold.note = "cold path: compare() on FtM-style dicts, preparation included"
    return hot, cold


def _proxy(data: dict[str, Any], unique_id: str) -> Any:
    """An FtM proxy with an id unique to this pair and side: nomenklatura memoises name
    analysis per entity (``lru_cache`` keyed on the proxy, whose hash is its id), so two
    different dicts under one id would silently share names."""
    from followthemoney import model

    props = data.get("properties", {})
    return model.get_proxy(
        {"id": unique_id, "schema": data["schema"], "properties": props}, cleaned=False
    )


def run_nomenklatura(name: str, pairs: list[Pair]) -> Scored:
    """Scores of nomenklatura's algorithm ``name`` ('logic-v2', 'logic-v1')."""
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm(name)
    if algorithm is None:
        raise ValueError(f"nomenklatura has no algorithm {name!r}")
    config = algorithm.default_config()
    proxies = [
        (_proxy(p["query"], f"{p['id']}-q-{i}"), _proxy(p["candidate"], f"{p['id']}-c-{i}"))
        for i, p in enumerate(pairs)
    ]
    warm_q, warm_c = _proxy(pairs[0]["query"], "warm-q"), _proxy(pairs[0]["candidate"], "warm-c")
    algorithm.compare(warm_q, warm_c, config)  # loads rigour's data once, outside the timing
    out = _timed(
        name,
        NOMENKLATURA_THRESHOLD,
        proxies,
        lambda qc: float(algorithm.compare(qc[0], qc[1], config).score),
    )
    out.note = "nomenklatura default config; FtM proxies built outside the timing loop"
    return out
