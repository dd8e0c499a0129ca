"""Load time and peak memory per list of the shared-data catalog, into a fresh SQLite store.

Scenario: for each entry of ``clearance/data/shared_catalog.yml`` (the newest full file of each
official list), a fresh Python process opens a new SQLite store in a scratch folder and runs
``Store.load_path`` (detect → parse → canonicalise → write in one transaction → activate).
Measured per list: wall and CPU seconds of the load, entities per second, peak RSS of the
process (``ru_maxrss``) before and after the load, and the database size. One process per list
keeps the peak-memory numbers separate; imports and FollowTheMoney's lazily built lookup tables
(country names) are warmed up first and timed apart (``startup_seconds``). A second load of the
same file (the "unchanged" path of ``clearance lists load --catalog``) is timed too.

Writes ``bench/results/load_lists.json`` and ``load_lists.md``. Not run by the test suite::

    python bench/load_lists.py [SOURCE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(source: str, db: Path) -> dict[str, Any]:
    """Runs in the child process: load one catalog list into a new store at ``db``."""
    from followthemoney.types import registry

    from clearance.settings import load_settings
    from clearance.sources import parsers
    from clearance.store import Store
    from clearance.store.catalog import shared_catalog

    started = time.perf_counter()
    parsers()  # import every parser, and fill FtM's lazy lookup tables, before measuring
    registry.country.clean_text("Germany")
    startup = time.perf_counter() - started
    entry = next(e for e in shared_catalog() if e.source == source)
    settings = load_settings()
    path = entry.resolve(settings.shared_data, settings.home / "catalog")
    store = Store.open(f"sqlite:///{db}")
    baseline = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    info = store.load_path(path, fmt=entry.format, source=entry.source)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = _rss_mb()
    again = time.perf_counter()
    store.load_path(path, fmt=entry.format, source=entry.source)
    again = time.perf_counter() - again
    store.close()
    return {
        "source": source,
        "path": entry.path,
        "startup_seconds": round(startup, 2),
        "format": entry.format,
        "entities": info.entity_count,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "entities_per_second": round(info.entity_count / wall) if wall else None,
        "rss_before_mb": round(baseline, 1),
        "peak_rss_mb": round(peak, 1),
        "db_mb": round(db.stat().st_size / 2**20, 1),
        "reload_unchanged_seconds": round(again, 3),
    }


def markdown(rows: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    lines = [
        "# Load time and peak memory per list (fresh SQLite store)",
        "",
        f"Machine: {machine['cpus']} CPUs, Python {machine['python']}, load average at start "
        f"{machine['loadavg_start']} (the machine was shared with other jobs, so CPU seconds are "
        "the steadier number). Produced by `bench/load_lists.py`.",
        "",
        "| source | entities | startup s | wall s | CPU s | entities/s | RSS before MB "
        "| peak RSS MB | DB MB | unchanged reload s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['source']} | error: {r['error']} ||||||||| ")
            continue
        lines.append(
            f"| {r['source']} | {r['entities']:,} | {r['startup_seconds']} | "
            f"{r['wall_seconds']} | {r['cpu_seconds']} | "
            f"{r['entities_per_second']:,} | {r['rss_before_mb']} | {r['peak_rss_mb']} | "
            f"{r['db_mb']} | {r['reload_unchanged_seconds']} |"
        )
    ok = [r for r in rows if "error" not in r]
    lines += [
        "",
        f"Total: {sum(r['entities'] for r in ok):,} entities in "
        f"{sum(r['wall_seconds'] for r in ok):.1f} s wall, "
        f"{sum(r['cpu_seconds'] for r in ok):.1f} s CPU.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", help="catalog sources (default: all)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.db)))
        return

    from clearance.store.catalog import shared_catalog

    sources = args.sources or [e.source for e in shared_catalog()]
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_start": [round(x, 1) for x in os.getloadavg()],
    }
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="load-bench-") as scratch:
        for source in sources:
            db = Path(scratch) / f"{source}.db"
            cmd = [sys.executable, __file__, "--one", source, "--db", str(db)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                error = (done.stderr.strip().splitlines() or ["failed"])[-1]
                rows.append({"source": source, "error": error})
            else:
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(json.dumps(rows[-1]), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"machine": machine, "lists": rows}
    (RESULTS / "load_lists.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    (RESULTS / "load_lists.md").write_text(markdown(rows, machine), encoding="utf-8")


if __name__ == "__main__":
    main()
