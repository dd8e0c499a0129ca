"""Load benchmark of ``POST /match/default`` (single-query requests) on loopback.

Scenario: a clearance server (uvicorn, ``--workers`` processes) over a store holding all the
catalog lists (``CLEARANCE_HOME`` after ``clearance lists load --catalog``); an asyncio httpx
client keeps ``--concurrency`` requests in flight for ``--duration`` seconds (default 60; the
issue's 5-minute run is ``--duration 300``). Queries are real list names (half perturbed by a
dropped letter or swapped word order) and as many names recombined from unrelated entities
(mostly no match, like real customer traffic); fixed seed. Client and server share the machine,
so the numbers are a floor. Records requests/s, p50/p90/p99/max latency and the error count in
``bench/results/api/load-<duration>s.json``.

    python bench/api/load.py --home /path/to/clearance-home --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from bench.api.server import running_server

from clearance.api.settings import ApiSettings
from clearance.store import Store

RESULTS = Path(__file__).resolve().parents[1] / "results" / "api"


def sample_queries(store: Store, count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    names: list[tuple[str, str]] = []
    for _info, proxy in store.active_entities():
        if proxy.schema.name in ("Person", "Organization", "Company", "LegalEntity"):
            for name in proxy.get("name", quiet=True)[:1]:
                names.append((proxy.schema.name, name))
    rng.shuffle(names)
    queries = []
    for i in range(count):
        schema, name = names[i % len(names)]
        tokens = name.split()
        kind = i % 4
        if kind == 1 and len(tokens) > 1:
            tokens = tokens[::-1]
        elif kind == 2 and tokens and len(tokens[0]) > 4:
            cut = rng.randrange(1, len(tokens[0]) - 1)
            tokens[0] = tokens[0][:cut] + tokens[0][cut + 1 :]
        elif kind == 3:
            other = names[rng.randrange(len(names))][1].split()
            tokens = tokens[:1] + other[-1:]
        queries.append(
            {"queries": {"q": {"schema": schema, "properties": {"name": [" ".join(tokens)]}}}}
        )
    return queries


async def run_load(
    url: str, key: str, queries: list[dict[str, Any]], duration: float, concurrency: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {key}"}, limits=limits, timeout=30
    ) as client:

        async def worker(offset: int) -> None:
            i = offset
            while time.perf_counter() < stop:
                body = queries[i % len(queries)]
                i += concurrency
                started = time.perf_counter()
                try:
                    resp = await client.post("/match/default", json=body)
                    code = str(resp.status_code)
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                latencies.append(time.perf_counter() - started)
                if code != "200":
                    errors[code] = errors.get(code, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        elapsed = time.perf_counter() - began
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return round(ms[min(len(ms) - 1, int(p / 100 * len(ms)))], 2)

    return {
        "requests": len(ms),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(ms) / elapsed, 1),
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "max_ms": round(ms[-1], 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=os.environ.get("CLEARANCE_HOME"))
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--queries", type=int, default=5000)
    args = parser.parse_args()
    if args.home is None:
        parser.error("give --home or CLEARANCE_HOME (a home with the catalog lists loaded)")
    settings = ApiSettings(home=args.home, database_url=None)
    with Store.open(settings.db_url) as store:
        versions = store.active_versions()
        queries = sample_queries(store, args.queries)
    with running_server(args.home, args.port, workers=args.workers) as (url, key):
        asyncio.run(run_load(url, key, queries[:200], 5.0, args.concurrency))  # warm-up
        result = asyncio.run(run_load(url, key, queries, args.duration, args.concurrency))
    report = {
        "benchmark": "POST /match/default, one query per request",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "server_workers": args.workers,
        "concurrency": args.concurrency,
        "lists": [{"source": v.source, "entities": v.entity_count} for v in versions],
        **result,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"load-{int(args.duration)}s.json"
    out.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
