"""Recall of the candidate index against exhaustive scoring of every list entity.

Scenario: the full catalog lists loaded (see :mod:`bench.screen.common`); a seeded sample of
distinct queries of the matcher's development set (``var/quality/devset.jsonl``, built by
``bench.quality.build_devset``). For each query, *exhaustive* scores the query against every
indexed entity with the matcher (``compare_prepared``) and keeps those at or above the
threshold. The index ranks all entities sharing a key; each candidate policy
(``min_share``, ``top_k``, ``keep_share``) selects from that ranking, and its recall is the share
of exhaustive matches it selects. Goal ≥ 99.5 %. The default policy's misses are written out.

    python -m bench.screen.recall --queries 400 --workers 2

Exhaustive matches are cached per query in ``var/screen/recall-exhaustive.json`` (keyed by the
matcher's version, the list versions and the index size), so candidate policies can be
re-measured without re-scoring every entity; ``--fresh`` ignores the cache.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import time
from dataclasses import replace
from typing import Any

from bench.screen.common import DEFAULT_HOME, bench_home, devset_queries, write_json

from clearance.index import CandidateConfig
from clearance.screen import Screener, as_query
from clearance.screen.prefilter import may_reach
from clearance.store import Store

_SCREENER: Screener | None = None
_NUMBERS: dict[str, int] = {}
CACHE = DEFAULT_HOME.parent / "recall-exhaustive.json"
POLICIES = [
    (min_share, top_k, keep_share)
    for min_share in (0.2, 0.3, 0.4, 0.5)
    for top_k in (10, 20, 50, 100)
    for keep_share in (0.6, 0.75, 1.01)
]


def _init() -> None:
    global _SCREENER
    bench_home()
    with Store.open() as store:
        _SCREENER = Screener.open(store)
    for n in range(_SCREENER.index.size):
        _SCREENER.index.prepared(n)
        _NUMBERS[_SCREENER.index.records.get(n).id] = n


def _one(item: tuple[dict[str, Any], dict[str, float] | None]) -> dict[str, Any]:
    assert _SCREENER is not None
    query, cached = item
    s = _SCREENER
    m, idx = s.matcher, s.index
    q = m.prepare(as_query(query))
    t0 = time.process_time()
    if cached is None:
        every = {n: m.compare_prepared(q, idx.prepared(n)).score for n in range(idx.size)}
        scores = {n: v for n, v in every.items() if v >= m.threshold}
    else:
        scores = {_NUMBERS[eid]: v for eid, v in cached.items()}
    full = set(scores)
    t1 = time.process_time()
    everything = replace(s.config, top_k=10**9, min_share=0.0, max_candidates=10**9)
    ranked = s.shortlist(q, config=everything)
    t2 = time.process_time()
    default = set(s.shortlist(q).entities.tolist())
    t3 = time.process_time()
    # the pre-filter must keep every exhaustive match (its bound is never below the score)
    dropped = [
        idx.record(n).id for n in sorted(full) if not may_reach(m, q, idx.prepared(n), m.threshold)
    ]
    shares = ranked.scores
    rank = {
        int(n): (i, float(sh))
        for i, (n, sh) in enumerate(zip(ranked.entities, shares, strict=True))
    }
    return {
        "exhaustive": {idx.record(n).id: v for n, v in scores.items()},
        "cached": cached is not None,
        "id": query["id"],
        "names": query["properties"].get("name", [])[:1],
        "matches": [(n, rank.get(n, (None, None)), scores[n]) for n in sorted(full)],
        "shares": shares.tolist()[:2000],
        "default_missed": [idx.record(n).id for n in sorted(full - default)],
        "default_missed_scores": [scores[n] for n in sorted(full - default)],
        "default_candidates": len(default),
        "prefilter_dropped": dropped,
        "brute_s": t1 - t0,
        "rank_s": t2 - t1,
        "default_s": t3 - t2,
    }


def _policy(
    rows: list[dict[str, Any]], min_share: float, top_k: int, keep: float
) -> dict[str, Any]:
    found = total = cands = 0
    for r in rows:
        shares = r["shares"]
        strong = sum(1 for x in shares if x >= keep)
        limit = min(1000, max(top_k, strong))
        selected = sum(1 for i, x in enumerate(shares) if i < limit and x >= min_share)
        cands += selected
        for _, (i, share), _ in r["matches"]:
            total += 1
            if i is not None and i < limit and share >= min_share:
                found += 1
    return {
        "min_share": min_share,
        "top_k": top_k,
        "keep_share": keep,
        "recall": found / total if total else None,
        "mean_candidates": cands / max(1, len(rows)),
    }


def _banded(rows: list[dict[str, Any]], band: float) -> dict[str, Any]:
    """Recall of the default policy on exhaustive matches scoring at least ``band``."""
    total = sum(1 for r in rows for *_, score in r["matches"] if score >= band)
    missed = sum(1 for r in rows for score in r["default_missed_scores"] if score >= band)
    return {"matches": total, "recall": (total - missed) / total if total else None}


def _plot(summary: dict[str, Any], candidates: list[int]) -> None:
    """``recall.png``: recall per score band, the policy grid, candidates per query."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    from bench.screen.common import RESULTS

    fig, (ax, bx, cx) = plt.subplots(1, 3, figsize=(14, 4))
    bands = summary["default_recall_by_score"]
    ax.bar(list(bands), [100 * (b["recall"] or 0) for b in bands.values()])
    ax.axhline(99.5, color="red", ls="--", label="goal 99.5 %")
    ax.set_ylim(80, 100.5)
    ax.set_xlabel("exhaustive matches scoring")
    ax.set_ylabel("% found through the index")
    ax.set_title("Recall of the default policy")
    ax.legend()
    grid = summary["policies"]
    bx.scatter([p["mean_candidates"] for p in grid], [100 * (p["recall"] or 0) for p in grid], s=10)
    default = summary["default_policy"]
    bx.scatter(
        [default["mean_candidates"]], [100 * default["recall"]], color="red", label="default"
    )
    bx.set_xlabel("mean candidates per query")
    bx.set_ylabel("recall %")
    bx.set_title("Policy grid (min share × top-k × keep share)")
    bx.legend()
    cx.hist(candidates, bins=40)
    cx.set_xlabel("candidates per query (default policy)")
    cx.set_ylabel("queries")
    cx.set_title(f"{summary['queries']} dev-set queries")
    fig.tight_layout()
    fig.savefig(RESULTS / "recall.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="ignore cached exhaustive scores")
    args = parser.parse_args()
    bench_home()
    queries = devset_queries(args.queries)
    with Store.open() as store:  # build the index once, before the workers start
        screener = Screener.open(store)
        manifest = screener.index.manifest
        matcher = str(manifest.get("algorithm", "")).rsplit("/", 1)[-1]
        versions = ",".join(str(v["id"]) for v in manifest.get("versions", []))
        stamp = f"{matcher}:{versions}:{screener.index.size}"
        screener.close()
    cache: dict[str, Any] = {}
    if CACHE.is_file() and not args.fresh:
        cache = json.loads(CACHE.read_text("utf-8"))
        if cache.get("stamp") != stamp:
            cache = {}
    known: dict[str, dict[str, float]] = cache.get("queries", {})
    started = time.perf_counter()
    items = [(q, known.get(q["id"])) for q in queries]
    with mp.get_context("fork").Pool(args.workers, initializer=_init) as pool:
        rows = list(pool.imap_unordered(_one, items, chunksize=2))
    known.update({r["id"]: r.pop("exhaustive") for r in rows})
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps({"stamp": stamp, "queries": known}), "utf-8")
    total = sum(len(r["matches"]) for r in rows)
    missed = sum(len(r["default_missed"]) for r in rows)
    cfg = CandidateConfig()
    fresh = [r for r in rows if not r["cached"]]
    summary = {
        "queries": len(rows),
        "queries_with_matches": sum(1 for r in rows if r["matches"]),
        "exhaustive_matches": total,
        "default_policy": {
            "config": cfg.__dict__,
            "found": total - missed,
            "recall": (total - missed) / total if total else None,
            "mean_candidates": sum(r["default_candidates"] for r in rows) / max(1, len(rows)),
        },
        "policies": [_policy(rows, *p) for p in POLICIES],
        "default_candidates_p99": sorted(r["default_candidates"] for r in rows)[
            int(0.99 * (len(rows) - 1))
        ],
        "default_recall_by_score": {
            f">={band}": _banded(rows, band) for band in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
        },
        "brute_cpu_ms_per_query": (
            1000 * sum(r["brute_s"] for r in fresh) / len(fresh) if fresh else None
        ),
        "index_cpu_ms_per_query": 1000 * sum(r["default_s"] for r in rows) / max(1, len(rows)),
        "wall_seconds": round(time.perf_counter() - started, 1),
        "misses": [
            {"id": r["id"], "names": r["names"], "missed": r["default_missed"]}
            for r in rows
            if r["default_missed"]
        ],
        "match_shares": sorted(
            sh for r in rows for _, (_, sh), _ in r["matches"] if sh is not None
        )[:200],
        "prefilter_dropped_matches": [x for r in rows for x in r["prefilter_dropped"]],
        "unindexed_matches": sum(1 for r in rows for _, (i, _), _ in r["matches"] if i is None),
    }
    path = write_json("recall.json", summary)
    _plot(summary, [r["default_candidates"] for r in rows])
    print({k: v for k, v in summary.items() if k not in ("misses", "policies", "match_shares")})
    print(path)


if __name__ == "__main__":
    main()
