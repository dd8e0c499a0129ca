"""Latency statistics of a load run: percentiles, per-second series and the plot."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def percentile(sorted_ms: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile of ascending values (the smallest value with at least
    ``p`` % of the values at or below it)."""
    if not sorted_ms:
        raise ValueError("no values")
    rank = max(1, math.ceil(p / 100 * len(sorted_ms)))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


def summary(latency_s: Sequence[float], status: Sequence[str], elapsed: float) -> dict[str, Any]:
    """Requests/s, latency percentiles (ms) and the errors (every status other than 200)."""
    ms = sorted(x * 1000 for x in latency_s)
    errors = Counter(s for s in status if s != "200")
    return {
        "requests": len(ms),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(ms) / elapsed, 1),
        "p50_ms": round(percentile(ms, 50), 2),
        "p90_ms": round(percentile(ms, 90), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "p999_ms": round(percentile(ms, 99.9), 2),
        "max_ms": round(ms[-1], 2),
        "mean_ms": round(sum(ms) / len(ms), 2),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
    }


def per_second(
    started_s: Sequence[float], latency_s: Sequence[float], seconds: int
) -> list[dict[str, float]]:
    """Requests, p50 and p99 (ms) of the requests started in each second of the run."""
    buckets: list[list[float]] = [[] for _ in range(seconds + 1)]
    for start, lat in zip(started_s, latency_s, strict=True):
        buckets[min(int(start), seconds)].append(lat * 1000)
    series = []
    for second, values in enumerate(buckets[:seconds]):
        values.sort()
        series.append(
            {
                "second": second,
                "requests": len(values),
                "p50_ms": round(percentile(values, 50), 2) if values else 0.0,
                "p99_ms": round(percentile(values, 99), 2) if values else 0.0,
            }
        )
    return series


def plot(series: list[dict[str, float]], title: str, path: Path, goal_ms: float = 20.0) -> None:
    """Requests/s and p50/p99 latency per second over the run (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seconds = [s["second"] for s in series]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    top.plot(seconds, [s["requests"] for s in series], lw=0.8, color="tab:blue")
    top.axhline(300, color="grey", ls="--", lw=0.8, label="goal 300 req/s")
    top.set_ylabel("requests / s")
    top.legend(loc="lower right")
    bottom.plot(seconds, [s["p50_ms"] for s in series], lw=0.8, label="p50")
    bottom.plot(seconds, [s["p99_ms"] for s in series], lw=0.8, label="p99")
    bottom.axhline(goal_ms, color="grey", ls="--", lw=0.8, label=f"goal p99 {goal_ms:g} ms")
    bottom.set_yscale("log")
    bottom.set_ylabel("latency (ms, per second)")
    bottom.set_xlabel("seconds into the run")
    bottom.legend(loc="upper right")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
