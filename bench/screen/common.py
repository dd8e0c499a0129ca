"""Shared helpers of the screening benchmarks: the catalog store, dev-set queries, results I/O.

The benchmarks expect the full lists of the shared data catalog loaded in a store
(``CLEARANCE_HOME=var/screen/home clearance lists load --catalog``; default home below).
"""

from __future__ import annotations

import json
import os
import random
import resource
from pathlib import Path
from typing import Any

from clearance.settings import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results" / "screen"
DEFAULT_HOME = REPO_ROOT / "var" / "screen" / "home"
DEVSET = REPO_ROOT / "var" / "quality" / "devset.jsonl"


def bench_home() -> Path:
    """The CLEARANCE_HOME of the benchmark store (env wins)."""
    home = Path(os.environ.get("CLEARANCE_HOME") or DEFAULT_HOME)
    os.environ["CLEARANCE_HOME"] = str(home)
    return home


def devset_queries(limit: int, seed: int = 7, path: Path = DEVSET) -> list[dict[str, Any]]:
    """Distinct query dicts of the matcher's development set, a seeded sample of ``limit``."""
    if not path.is_file():
        raise SystemExit(f"{path} missing: run `python -m bench.quality.build_devset` first")
    seen: dict[str, dict[str, Any]] = {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        query = row["query"]
        key = json.dumps(query, sort_keys=True)
        if key not in seen:
            seen[key] = {
                "id": row["id"],
                "schema": query["schema"],
                "properties": query["properties"],
            }
    items = list(seen.values())
    random.Random(seed).shuffle(items)
    return items[:limit]


def rss_mb() -> float:
    """Peak resident memory of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_json(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]
