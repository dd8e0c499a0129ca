"""Screening speed on the full catalog lists: index build vs load, per-query latency, batch
throughput, and a side-by-side with brute force and a yente-style pipeline.

Scenario (all in one run, same process unless stated):

1. open the store's index (built by an earlier run → this is the *load* time; the build time
   comes from the index's ``build.json``);
2. latency: ``Screener.screen`` on a seeded mix of development-set queries and Faker
   multi-locale person / company names — first pass (cold: list entities prepared on first
   use), then every entity prepared (``Screener.warm``, as batch runs do before forking) and
   two warm passes, with and without the score pre-filter; p50 / p99 wall and CPU time;
3. side by side on the first ``--compare`` queries: brute force (matcher on every entity),
   yente-style (top-50 index candidates scored by nomenklatura ``logic-v2``), ours; time per
   query and hits ≥ 0.70 found;
4. batch throughput: ``--batch`` synthetic Faker customer records (CSV) screened by
   :class:`~clearance.screen.batch.BatchRun` with ``--workers`` processes.

    python -m bench.screen.speed --queries 400 --compare 15 --batch 20000 --workers 2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.screen.common import bench_home, devset_queries, percentile, rss_mb, write_json

from clearance.index import CandidateConfig, QueryKeys
from clearance.screen import Screener, as_query
from clearance.screen.batch import BatchRun
from clearance.store import Store

LOCALES = ["en_US", "de_DE", "fr_FR", "es_ES", "ru_RU", "ar_AA", "zh_CN", "ja_JP", "tr_TR", "it_IT"]


def faker_records(count: int, seed: int = 11) -> list[dict[str, str]]:
    """Synthetic customers: 80 % people (with birth date, nationality), 20 % companies."""
    from faker import Faker

    fakers = [Faker(loc) for loc in LOCALES]
    for n, fake in enumerate(fakers):
        fake.seed_instance(seed + n)
    rng = random.Random(seed)
    out = []
    for n in range(count):
        fake = fakers[n % len(fakers)]
        if rng.random() < 0.8:
            out.append(
                {
                    "id": f"c{n}",
                    "schema": "Person",
                    "name": fake.name(),
                    "birth_date": fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat(),
                    "nationality": fake.current_country_code(),
                    "country": "",
                    "identifiers": "",
                }
            )
        else:
            out.append(
                {
                    "id": f"c{n}",
                    "schema": "Company",
                    "name": fake.company(),
                    "birth_date": "",
                    "nationality": "",
                    "country": fake.current_country_code(),
                    "identifiers": "",
                }
            )
    return out


def _latency(screener: Screener, queries: list[Any], prefilter: bool = True) -> dict[str, Any]:
    screener.prefilter = prefilter
    wall: list[float] = []
    cpu: list[float] = []
    cands: list[int] = []
    for q in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        result = screener.screen(q)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        cands.append(result.candidates)
    return {
        "queries": len(queries),
        "p50_ms": percentile(wall, 50),
        "p90_ms": percentile(wall, 90),
        "p99_ms": percentile(wall, 99),
        "cpu_p50_ms": percentile(cpu, 50),
        "cpu_p90_ms": percentile(cpu, 90),
        "cpu_p99_ms": percentile(cpu, 99),
        "cpu_mean_ms": statistics.mean(cpu) if cpu else 0,
        "mean_candidates": statistics.mean(cands) if cands else 0,
        "p99_candidates": percentile([float(c) for c in cands], 99),
        "wall_ms": wall,
        "cpu_ms": cpu,
        "candidates": cands,
    }


def _by_kind(queries: list[Any], cpu: list[float]) -> dict[str, dict[str, float]]:
    """Warm CPU percentiles of the two halves of the mix: dev-set queries (list entities with
    all their aliases) and Faker customers (one name, birth date, nationality)."""
    out: dict[str, dict[str, float]] = {}
    for kind, pick in (("dev-set", True), ("customers", False)):
        times = [t for q, t in zip(queries, cpu, strict=True) if ("properties" in q) == pick]
        if times:
            out[kind] = {
                "queries": len(times),
                "cpu_p50_ms": percentile(times, 50),
                "cpu_p90_ms": percentile(times, 90),
                "cpu_p99_ms": percentile(times, 99),
                "cpu_mean_ms": statistics.mean(times),
            }
    return out


def _side_by_side(screener: Screener, queries: list[Any]) -> dict[str, Any]:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algo = get_algorithm("logic-v2")
    assert algo is not None
    config = algo.default_config()
    idx, m = screener.index, screener.matcher
    top50 = CandidateConfig(top_k=50, min_share=0.0, keep_share=1.01, max_candidates=50)
    rows = []
    for i, raw in enumerate(queries):
        data = as_query(raw)
        q = m.prepare(data)
        t0 = time.process_time()
        brute = {n for n in range(idx.size) if m.compare_prepared(q, idx.prepared(n)).score >= 0.7}
        t1 = time.process_time()
        ours = {h.entity_id for h in screener.screen(data, limit=10**6).hits}
        t2 = time.process_time()
        qp = model.get_proxy(
            {"id": f"q{i}", "schema": data["schema"], "properties": data["properties"]}
        )
        cand = idx.candidates(QueryKeys(q), top50).entities.tolist()
        yente = set()
        for n in cand:
            rec = idx.record(n)
            cp = model.get_proxy(
                {"id": f"{rec.id}-{i}", "schema": rec.schema, "properties": rec.properties},
                cleaned=False,
            )
            if algo.compare(qp, cp, config).score >= 0.7:
                yente.add(rec.id)
        t3 = time.process_time()
        rows.append(
            {
                "brute_ms": (t1 - t0) * 1000,
                "ours_ms": (t2 - t1) * 1000,
                "yente_ms": (t3 - t2) * 1000,
                "brute_hits": len(brute),
                "ours_hits": len(ours),
                "ours_hits_in_brute": len(ours & {idx.record(n).id for n in brute}),
                "yente_hits": len(yente),
            }
        )
    keys = rows[0].keys() if rows else []
    return {
        "queries": len(rows),
        **{f"mean_{k}": statistics.mean(r[k] for r in rows) for k in keys},
        **{f"total_{k}": sum(r[k] for r in rows) for k in keys if k.endswith("hits") or "in_" in k},
    }


def _batch(screener: Screener, count: int, workers: int, chunk: int) -> dict[str, Any]:
    records = faker_records(count)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "customers.csv"
        with open(src, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
        out = Path(tmp) / "hits.csv"
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu0 = time.process_time()
        run = BatchRun(screener, src, out, {"limit": 10}, workers=workers, chunk_size=chunk)
        report = run.run()
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        parent_cpu = time.process_time() - cpu0
    children_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "records": count,
        "workers": workers,
        "chunk_size": chunk,
        "seconds": round(seconds, 2),
        "queries_per_second": round(count / seconds, 1),
        "parent_cpu_s": round(parent_cpu, 1),
        "workers_cpu_s": round(children_cpu, 1),
        "cpu_ms_per_query": round(1000 * (parent_cpu + children_cpu) / count, 3),
        "load_average": os.getloadavg(),
        "hit_rows": report.hits,
        "broken_rows": len(report.errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--compare", type=int, default=15)
    parser.add_argument("--batch", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=2000)
    parser.add_argument("--index", type=Path, help="an index directory (default: the store's)")
    parser.add_argument("--out", default="speed.json", help="results file (plot: speed.json only)")
    args = parser.parse_args()
    bench_home()
    if args.index:
        t0 = time.perf_counter()
        screener = Screener.from_path(args.index)
        load_s = time.perf_counter() - t0
    else:
        with Store.open() as store:
            Screener.open(store).close()  # make sure it is built (not timed)
            t0 = time.perf_counter()
            screener = Screener.open(store)
            load_s = time.perf_counter() - t0
    load_avg = [os.getloadavg()]
    build = json.loads((screener.index.path / "build.json").read_text())
    half = args.queries // 2
    queries: list[Any] = list(devset_queries(half))
    queries += [
        {k: v for k, v in r.items() if v and k != "identifiers"}
        for r in faker_records(args.queries - half, seed=5)
    ]
    random.Random(3).shuffle(queries)
    cold = _latency(screener, queries)
    t0, c0 = time.perf_counter(), time.process_time()
    screener.warm()
    warm_s = (round(time.perf_counter() - t0, 1), round(time.process_time() - c0, 1))
    if queries:
        _latency(screener, queries)  # caches of the query side (tokens, keys)
    warm = _latency(screener, queries)
    unfiltered = _latency(screener, queries, prefilter=False)
    screener.prefilter = True
    load_avg.append(os.getloadavg())
    strip = ("wall_ms", "cpu_ms", "candidates")
    summary: dict[str, Any] = {
        "entities": screener.index.size,
        "index_keys": screener.index.manifest["keys"],
        "index_postings": screener.index.manifest["postings"],
        "index_mb": round(sum(f.stat().st_size for f in screener.index.path.iterdir()) / 2**20, 1),
        "build_seconds": build,
        "load_seconds": round(load_s, 3),
        "latency_cold": {k: v for k, v in cold.items() if k not in strip},
        "warm_all_seconds_wall_cpu": warm_s,
        "latency_warm": {k: v for k, v in warm.items() if k not in strip},
        "latency_warm_no_prefilter": {k: v for k, v in unfiltered.items() if k not in strip},
        "latency_warm_by_kind": _by_kind(queries, warm["cpu_ms"]),
        "rss_mb_after_latency": round(rss_mb(), 1),
    }
    print(json.dumps(summary, indent=1))
    if args.compare:
        summary["side_by_side"] = _side_by_side(screener, queries[: args.compare])
        print(json.dumps(summary["side_by_side"], indent=1))
    if args.batch:
        summary["batch"] = _batch(screener, args.batch, args.workers, args.chunk_size)
        print(json.dumps(summary["batch"], indent=1))
    load_avg.append(os.getloadavg())
    summary["load_average"] = load_avg
    write_json(args.out, summary)
    if args.out != "speed.json" or not queries:
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        out = Path(__file__).resolve().parents[1] / "results" / "screen"
        fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4))
        bins = [0.1 * 1.15**i for i in range(60)]
        ax.hist(
            [warm["wall_ms"], warm["cpu_ms"], unfiltered["cpu_ms"]],
            bins=bins,
            label=["warm, wall", "warm, CPU", "warm, CPU, no pre-filter"],
            histtype="step",
        )
        ax.set_xscale("log")
        ax.axvline(2, color="grey", ls=":")
        ax.axvline(10, color="grey", ls="--")
        ax.set_xlabel("ms per query (goal p50 ≤ 2, p99 ≤ 10)")
        ax.set_ylabel("queries")
        ax.set_title(f"Latency, {screener.index.size:,} list entities, {len(queries)} queries")
        ax.legend(fontsize=8)
        bx.hist(warm["candidates"], bins=40)
        bx.set_xlabel("candidates per query (scored by the matcher, before the pre-filter)")
        bx.set_ylabel("queries")
        bx.set_title("Candidates per query")
        fig.tight_layout()
        fig.savefig(out / "latency.png")
    except ImportError:
        pass


if __name__ == "__main__":
    main()
