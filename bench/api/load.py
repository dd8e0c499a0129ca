"""Load benchmark of ``POST /match/default`` (one query per request) on loopback.

Scenario: ``clearance serve --workers N`` over a store holding all the catalog lists
(``CLEARANCE_HOME`` after ``clearance lists load --catalog``). A closed-loop client
(:mod:`bench.api.client`: asyncio streams, kept-alive connections, pre-encoded requests) keeps
``--concurrency`` requests in flight for ``--duration`` seconds after a warm-up, with the query
mix of :mod:`bench.api.queries` (listed names, perturbed, other scripts, made-up names). Every
latency is recorded. The client shares the machine's cores with the server: it lowers its own
priority (``--nice``, after the server started) and may be pinned (``--cpu``); its CPU time
and the server's are measured and reported, with the load average before and after.

Writes ``bench/results/api/load-<duration>s.json``, ``.md`` and ``.png`` (requests/s and p50/p99
per second).

    python -m bench.api.load --home /tmp/clr-api --duration 300 --concurrency 4 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from bench.api.client import closed_loop, encode_post
from bench.api.queries import query_mix
from bench.api.server import running_server
from bench.api.stats import per_second, plot, summary

from clearance.api.settings import ApiSettings
from clearance.store import Store

RESULTS = Path(__file__).resolve().parents[1] / "results" / "api"
PATH = "/match/default"


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children."""
    root = psutil.Process(pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def worker_cpu(pid: int) -> dict[int, float]:
    """CPU seconds so far of each child process of the server (its workers)."""
    found: dict[int, float] = {}
    for proc in psutil.Process(pid).children():
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        found[proc.pid] = times.user + times.system
    return found


def machine_busy() -> float:
    """CPU seconds all processes of the machine have used (every core)."""
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + t.irq + t.softirq + t.steal)


def markdown(report: dict[str, Any]) -> str:
    r = report
    cpu = r["cpu"]
    lines = [
        f"# Load: {r['benchmark']}",
        "",
        f"{r['date']}, {r['machine']['cpus']} cores, Python {r['machine']['python']}; "
        f"server `clearance serve --workers {r['server_workers']}`; client: {r['client']}.",
        "",
        "| duration | concurrency | req/s | p50 | p90 | p99 | p99.9 | max | errors |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {r['seconds']} s | {r['concurrency']} | {r['requests_per_second']} | {r['p50_ms']} ms "
        f"| {r['p90_ms']} ms | {r['p99_ms']} ms | {r['p999_ms']} ms | {r['max_ms']} ms "
        f"| {r['errors']} |",
        "",
        f"- requests: {r['requests']}; error kinds: {r['error_kinds'] or 'none'}; "
        f"200 answers without a `responses` body: {r['bad_bodies']}",
        f"- load average (1/5/15 min) before: {r['load_before']}, after: {r['load_after']}",
        f"- CPU over the run (core-seconds per second): server {cpu['server']}, "
        f"client {cpu['client']}, whole machine {cpu['machine']} of {r['machine']['cpus']} "
        f"(others: {cpu['others']}); per server process: {cpu['server_processes']}",
        f"- client niceness {r['client_nice']}, CPU affinity {r['client_cpus']}",
        f"- query mix: {r['query_mix']}",
        f"- goal: ≥ 300 req/s and p99 ≤ 20 ms → "
        f"{'met' if r['requests_per_second'] >= 300 and r['p99_ms'] <= 20 else 'not met'}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=os.environ.get("CLEARANCE_HOME"))
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--queries", type=int, default=20000)
    parser.add_argument("--nice", type=int, default=5, help="client niceness (server keeps 0)")
    parser.add_argument("--cpu", type=int, action="append", help="pin the client to this core")
    parser.add_argument("--access-log", action="store_true")
    parser.add_argument("--tag", default="", help="suffix of the result file names")
    args = parser.parse_args()
    if args.home is None:
        parser.error("give --home or CLEARANCE_HOME (a home with the catalog lists loaded)")
    settings = ApiSettings(home=args.home, database_url=None)
    with Store.open(settings.db_url) as store:
        versions = store.active_versions()
        mix = query_mix(store, args.queries)
    bodies = [json.dumps(q.body(), ensure_ascii=False).encode("utf-8") for q in mix]
    with running_server(
        args.home, args.port, workers=args.workers, access_log=args.access_log
    ) as server:
        if args.nice:
            os.nice(args.nice)
        if args.cpu:
            os.sched_setaffinity(0, set(args.cpu))
        auth = {"Authorization": f"Bearer {server.key}"}
        requests = [encode_post("127.0.0.1", PATH, b, auth) for b in bodies]
        asyncio.run(
            closed_loop("127.0.0.1", args.port, requests[-500:], args.warmup, args.concurrency)
        )
        load_before = [round(x, 2) for x in os.getloadavg()]
        workers_before = worker_cpu(server.pid)
        server_cpu, client_cpu, busy = tree_cpu(server.pid), time.process_time(), machine_busy()
        outcome = asyncio.run(
            closed_loop("127.0.0.1", args.port, requests, args.duration, args.concurrency)
        )
        server_cpu = tree_cpu(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        busy = machine_busy() - busy
        workers_after = worker_cpu(server.pid)
        load_after = [round(x, 2) for x in os.getloadavg()]
    result = summary(outcome.latency, outcome.status, outcome.elapsed)
    seconds = outcome.elapsed
    report = {
        "benchmark": "POST /match/default, one query per request, all catalog lists",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "server_workers": args.workers,
        "server_access_log": args.access_log,
        "client": "bench/api/client.py (asyncio streams, keep-alive, closed loop)",
        "client_nice": os.nice(0),
        "client_cpus": sorted(os.sched_getaffinity(0)),
        "concurrency": args.concurrency,
        "warmup_seconds": args.warmup,
        "query_mix": dict(Counter(q.kind for q in mix)),
        "lists": [{"source": v.source, "entities": v.entity_count} for v in versions],
        **result,
        "bad_bodies": outcome.bad_bodies,
        "load_before": load_before,
        "load_after": load_after,
        "cpu": {
            "server": round(server_cpu / seconds, 2),
            "client": round(client_cpu / seconds, 2),
            "machine": round(busy / seconds, 2),
            "others": round((busy - server_cpu - client_cpu) / seconds, 2),
            "server_processes": sorted(
                (
                    round((after - workers_before.get(pid, 0.0)) / seconds, 2)
                    for pid, after in workers_after.items()
                ),
                reverse=True,
            ),
        },
        "per_second": per_second(outcome.started, outcome.latency, int(seconds)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"load-{int(args.duration)}s{args.tag}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=1) + "\n", "utf-8")
    stem.with_suffix(".md").write_text(markdown(report), "utf-8")
    plot(
        report["per_second"],
        f"POST /match/default: {args.workers} workers, concurrency {args.concurrency}, "
        f"{report['requests_per_second']} req/s, p99 {report['p99_ms']} ms",
        stem.with_suffix(".png"),
    )
    print(markdown(report))


if __name__ == "__main__":
    main()
