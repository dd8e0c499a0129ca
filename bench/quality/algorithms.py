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

**Interleaved timing** (:func:`run_interleaved`): the pairs are cut into blocks and every
algorithm scores block 1, then every algorithm block 2, and so on (the order of the algorithms
rotating from block to block). Scoring all pairs with one algorithm and then with the next
would let the machine's load differ between the phases — our hot path scores the whole set in
under a second, logic-v2 takes half a minute — and the CPU time of a thread grows when the
other core (often a hyperthread of the same physical core) gets busy. Interleaved, every
algorithm meets the same conditions, so the *ratio* is stable even when the absolute numbers
are not; the spread of the per-block ratios is reported with it.
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


Scorer = tuple[str, float, str, list[Any], Callable[[Any], float]]
"""(name, threshold, note, items, call): one algorithm ready to score its prepared items."""


def clearance_scorers(pairs: list[Pair]) -> list[Scorer]:
    """Our matcher's hot path (prepared outside the loop) and cold path (``compare`` on dicts)."""
    from clearance.match import Matcher

    matcher = Matcher()
    matcher.compare(pairs[0]["query"], pairs[0]["candidate"])  # warm-up: lazy tables
    prepared = [(matcher.prepare(p["query"]), matcher.prepare(p["candidate"])) for p in pairs]
    return [
        (
            "clearance",
            matcher.threshold,
            "hot path: compare_prepared, both sides prepared outside the timing loop",
            prepared,
            lambda qc: matcher.compare_prepared(qc[0], qc[1]).score,
        ),
        (
            "clearance (cold)",
            matcher.threshold,
            "cold path: compare() on FtM-style dicts, preparation included",
            list(pairs),
            lambda p: matcher.compare(p["query"], p["candidate"]).score,
        ),
    ]


def nomenklatura_scorer(name: str, pairs: list[Pair]) -> Scorer:
    """nomenklatura's algorithm ``name`` on proxies built outside the loop, warmed up."""
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
    return (
        name,
        NOMENKLATURA_THRESHOLD,
        "nomenklatura default config; FtM proxies built outside the timing loop",
        proxies,
        lambda qc: float(algorithm.compare(qc[0], qc[1], config).score),
    )


def run_interleaved(
    scorers: list[Scorer], blocks: int = 32
) -> tuple[list[Scored], list[dict[str, float]]]:
    """Score every item with every scorer, block by block (see module doc).

    Returns the results per scorer (scores in item order) and, per block, each scorer's mean
    CPU µs per pair.
    """
    out = [Scored(name, threshold, note=note) for name, threshold, note, _, _ in scorers]
    size = len(scorers[0][3]) if scorers else 0
    step = max(1, -(-size // max(1, blocks)))
    per_block: list[dict[str, float]] = []
    for b, start in enumerate(range(0, size, step)):
        block: dict[str, float] = {}
        order = list(range(len(scorers)))
        order = order[b % len(order) :] + order[: b % len(order)]
        for k in order:
            name, threshold, _, items, call = scorers[k]
            part = _timed(name, threshold, items[start : start + step], call)
            dest = out[k]
            dest.scores += part.scores
            dest.cpu_times += part.cpu_times
            dest.cpu_seconds += part.cpu_seconds
            dest.seconds += part.seconds
            dest.timed_pairs += part.timed_pairs
            block[name] = part.us_per_pair
        per_block.append(block)
    return out, per_block


def _proxy(data: dict[str, Any], unique_id: str) -> Any:
    """An FtM proxy with an id unique to this pair and side: nomenklatura memoises name
    analysis per entity (``lru_cache`` keyed on the proxy, whose hash is its id), so two
    different dicts under one id would silently share names."""
    from followthemoney import model

    props = data.get("properties", {})
    return model.get_proxy(
        {"id": unique_id, "schema": data["schema"], "properties": props}, cleaned=False
    )
