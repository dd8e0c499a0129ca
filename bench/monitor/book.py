"""A book of 1,000,000 synthetic customers: import, then a full monitoring run on the local engine.

Scenario: ``--size`` Faker customers (six locales; two persons for each company) with a
*known set of listed parties* planted among them — every ``--plant-every``-th record is a
spelling variant (re-ordered, title-cased, middle name dropped) of a real party of the OFAC SDN
list of 2024-05-03 (the newest complete ``sdn.csv`` in the shared data). The list is loaded
into a fresh SQLite store, the book imported (one transaction), then a **full** monitoring run
(``clearance.monitor.runner``, local engine, ``--workers`` processes) screens it.

The machine is shared (2 cores, several jobs): when the run would exceed ``--budget`` seconds
it is stopped there — it stays resumable, like any interrupted run — and the time for the whole
book is extrapolated from the records screened (stated as such in the results). Writes
``bench/results/monitor_book.json`` and ``monitor_book.md``. Not run by the test suite::

    python -m bench.monitor.book --size 1000000 --workers 2 --budget 900
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import time
from pathlib import Path
from typing import Any

from bench.monitor.history import LOCALES, sdn_records, variant
from sqlalchemy import func, select

from clearance.monitor.book import import_rows
from clearance.monitor.indexes import full_index
from clearance.monitor.runner import create_run, execute_run
from clearance.monitor.tables import alerts
from clearance.screen.readers import read_rows
from clearance.settings import load_settings
from clearance.store import Store

SDN = "lists/ofac_sdn/2024-05-03_jackdwyer/sdn.csv"
RESULTS = Path(__file__).resolve().parents[1] / "results"


class Budget(Exception):
    """The time budget of the run is spent (the run stays resumable)."""


def write_book(path: Path, size: int, plant_every: int, listed: list[tuple[str, str, str]]) -> int:
    """The book CSV; planted listed parties at every ``plant_every``-th id. Their number.

    Faker is slow with six locales (~1 ms a name), so names are drawn from Faker-made pools:
    person = first name × last name (across locales), company = a pooled company name.
    """
    import random

    from faker import Faker

    fake = Faker(LOCALES)
    fake.seed_instance(1_000_000)
    firsts = [fake.first_name() for _ in range(6000)]
    lasts = [fake.last_name() for _ in range(20000)]
    companies = [fake.company() for _ in range(20000)]
    countries = [fake.country_code() for _ in range(500)]
    rng = random.Random(1_000_000)
    planted = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "schema", "name", "country"])
        for i in range(size):
            rid = f"c{i:07d}"
            if plant_every and i % plant_every == plant_every // 2 and listed:
                ent, name, kind = listed[(planted * 7919) % len(listed)]
                schema = "Person" if kind == "individual" else "LegalEntity"
                writer.writerow([f"{rid}-ofac-{ent}", schema, variant(name, kind), ""])
                planted += 1
            elif i % 3:
                person = f"{rng.choice(firsts)} {rng.choice(lasts)}"
                writer.writerow([rid, "Person", person, rng.choice(countries)])
            else:
                writer.writerow([rid, "Organization", rng.choice(companies), ""])
    return planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--plant-every", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=float, default=900.0, help="seconds of screening")
    parser.add_argument("--scratch", type=Path, default=Path("var/bench-monitor/book"))
    args = parser.parse_args()
    settings = load_settings()
    scratch: Path = args.scratch
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    result: dict[str, Any] = {
        "scenario": {
            "size": args.size,
            "workers": args.workers,
            "cpu_count": os.cpu_count(),
            "list": SDN,
            "engine": "local",
            "store": "SQLite",
            "budget_seconds": args.budget,
        },
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }
    out = RESULTS / "monitor_book.json"

    def save() -> None:
        result["load_average_now"] = [round(x, 2) for x in os.getloadavg()]
        out.write_text(json.dumps(result, indent=1), "utf-8")

    records = sdn_records(settings.shared_data / SDN)
    listed = [(e, n, k) for e, (n, k) in sorted(records.items()) if k in ("individual", "-0-")]
    clock = time.perf_counter()
    planted = write_book(scratch / "book.csv", args.size, args.plant_every, listed)
    result["generate_seconds"] = round(time.perf_counter() - clock, 1)
    result["planted"] = planted
    with Store.open(f"sqlite:///{scratch / 'store.db'}") as store:
        clock = time.perf_counter()
        version = store.load_path(settings.shared_data / SDN)
        result["list_load_seconds"] = round(time.perf_counter() - clock, 1)
        clock, cpu = time.perf_counter(), time.process_time()
        report = import_rows(store, "book", read_rows(scratch / "book.csv"))
        result["import"] = {
            "records": report.new,
            "broken": len(report.errors),
            "seconds": round(time.perf_counter() - clock, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),
            "db_bytes": (scratch / "store.db").stat().st_size,
        }
        save()
        print("import", result["import"], flush=True)
        clock = time.perf_counter()
        full_index(store, [version.id], scratch / "index")
        result["index_build_seconds"] = round(time.perf_counter() - clock, 1)
        run_id = create_run(store, "book", kind="full")
        started = time.perf_counter()
        state = {"done": 0, "at": 0.0}

        def progress(done: int, total: int) -> None:
            state["done"], state["at"] = done, time.perf_counter() - started
            if state["at"] > args.budget:
                raise Budget(f"budget of {args.budget:.0f} s spent after {done:,} records")

        cpu = time.process_time()
        finished = True
        try:
            run = execute_run(
                store, run_id, index_root=scratch / "index", workers=args.workers, progress=progress
            )
            state["done"], state["at"] = run.done, run.seconds
        except Budget:
            finished = False
        screened, seconds = state["done"], state["at"]
        with store.engine.connect() as conn:
            raised = conn.execute(select(func.count()).select_from(alerts)).scalar_one()
            planted_alerted = conn.execute(
                select(func.count(func.distinct(alerts.c.record_id))).where(
                    alerts.c.record_id.like("%-ofac-%")
                )
            ).scalar_one()
            planted_exact = sum(
                1
                for rid, eid in conn.execute(select(alerts.c.record_id, alerts.c.entity_id))
                if "-ofac-" in rid and rid.endswith(eid)
            )
        planted_screened = (
            sum(1 for i in range(screened) if i % args.plant_every == args.plant_every // 2)
            if args.plant_every
            else 0
        )
        rate = screened / seconds if seconds else 0.0
        result["run"] = {
            "run_id": run_id,
            "list_version": version.id,
            "finished": finished,
            "records_screened": screened,
            "seconds": round(seconds, 1),
            "main_cpu_seconds": round(time.process_time() - cpu, 1),
            "records_per_second": round(rate, 1),
            "alerts_raised": raised,
            "planted_screened": planted_screened,
            "planted_alerted": planted_alerted,
            "planted_alerted_on_their_entity": planted_exact,
            "extrapolated_full_seconds": round(args.size / rate, 0) if rate else None,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        save()
        print("run", result["run"], flush=True)
    write_md(result)


def write_md(result: dict[str, Any]) -> None:
    s, imp, run = result["scenario"], result["import"], result["run"]
    hours = (run["extrapolated_full_seconds"] or 0) / 3600
    lines = [
        "# Monitoring: a book of 1,000,000 customers, full run on the local engine",
        "",
        "Produced by `python -m bench.monitor.book` (scenario in its docstring); raw numbers in "
        "`monitor_book.json`.",
        "",
        f"- book: {s['size']:,} Faker customers (6 locales) with {result['planted']:,} planted "
        f"variants of OFAC SDN parties (2024-05-03 list); {s['store']} store; engine "
        f"`{s['engine']}`, {s['workers']} worker processes on {s['cpu_count']} cores",
        f"- load average at start / end: {result['load_average_start']} / "
        f"{result['load_average_now']} — the machine was shared with other jobs (including the "
        "history replay benchmark): wall times are inflated",
        "",
        "| step | result |",
        "|---|---|",
        f"| generate the CSV | {result['generate_seconds']} s |",
        f"| load the SDN list | {result['list_load_seconds']} s |",
        f"| build the candidate index | {result['index_build_seconds']} s |",
        f"| import the book (one transaction) | {imp['records']:,} records in {imp['seconds']} s "
        f"({imp['records'] / max(imp['seconds'], 0.001):,.0f} records/s; CPU {imp['cpu_seconds']} "
        f"s; store {imp['db_bytes'] / 1e6:,.0f} MB) |",
        f"| full run | {'finished' if run['finished'] else 'stopped at the time budget'}: "
        f"{run['records_screened']:,} records in {run['seconds']} s = "
        f"**{run['records_per_second']} records/s** |",
        f"| alerts raised (screened part) | {run['alerts_raised']:,} |",
        f"| planted parties screened / alerted / alerted on their own entity | "
        f"{run['planted_screened']} / {run['planted_alerted']} / "
        f"{run['planted_alerted_on_their_entity']} |",
    ]
    if not run["finished"]:
        lines += [
            "",
            f"**Extrapolated** (not measured): the whole book at this rate would take "
            f"{run['extrapolated_full_seconds']:,.0f} s ≈ {hours:.1f} h on this shared machine. "
            "The run was stopped at the budget and left resumable "
            "(`clearance monitor resume` would continue it).",
        ]
    (RESULTS / "monitor_book.md").write_text("\n".join(lines) + "\n", "utf-8")


if __name__ == "__main__":
    main()
