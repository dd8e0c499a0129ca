"""Score the development set with our matcher and nomenklatura's logic-v2 / logic-v1, side by side.

    python -m bench.quality.run                 # full set (var/quality/devset.jsonl)
    python -m bench.quality.run --sample 2000   # quick look at a seeded random sample

Scenario: every pair is scored by each algorithm in the same process (single thread),
interleaved block by block so that every algorithm meets the same machine load
(``bench.quality.algorithms.run_interleaved``). Our matcher is timed on the hot path (both
sides prepared once outside the timing loop, only ``compare_prepared`` timed) and on the cold
path (``compare`` on dicts); nomenklatura algorithms as yente runs them, on FtM proxies built
outside the loop. Writes ``results.json``, ``results.md`` and PNG plots to
``bench/results/quality/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from bench.quality import algorithms, metrics, plots, report
from bench.quality.pairs import Pair

from clearance.settings import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results" / "quality"
DEVSET = REPO_ROOT / "var" / "quality" / "devset.jsonl"


def read_pairs(path: Path, sample: int | None, seed: int) -> list[Pair]:
    if not path.is_file():
        raise SystemExit(f"{path} not found: build it with python -m bench.quality.build_devset")
    with path.open(encoding="utf-8") as fh:
        pairs = [json.loads(line) for line in fh if line.strip()]
    if sample and sample < len(pairs):
        pairs = random.Random(seed).sample(pairs, sample)
    return pairs


def _checks(res: dict[str, dict[str, Any]], speedup: float | None) -> dict[str, bool]:
    ours, ref = res.get("clearance"), res.get("logic-v2")
    out: dict[str, bool] = {}
    if ours:
        out["F1 >= 0.95"] = ours["f1"] >= 0.95
    if ours and ref:
        for key, label in (
            ("recall_by_variant", "recall"),
            ("recall_by_script", "recall"),
            ("specificity_by_variant", "specificity"),
        ):
            worse = [g for g, v in ours[key].items() if v["rate"] < ref[key].get(g, v)["rate"]]
            out[
                f"{label} >= logic-v2 on every group of {key} (worse: {', '.join(worse) or '-'})"
            ] = not worse
    if speedup is not None:
        out[f">= 20x fewer µs/pair than logic-v2 (measured {speedup:.1f}x)"] = speedup >= 20
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", type=Path, default=DEVSET)
    ap.add_argument("--sample", type=int, default=None, help="score a random sample of N pairs")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip", nargs="*", default=[], help="algorithms to skip (logic-v1 ...)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--blocks", type=int, default=32, help="interleaved timing blocks")
    args = ap.parse_args(argv)
    pairs = read_pairs(args.devset, args.sample, args.seed)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    scorers: list[algorithms.Scorer] = []
    if "clearance" not in args.skip:
        scorers += algorithms.clearance_scorers(pairs)
    for name in ("logic-v2", "logic-v1"):
        if name not in args.skip:
            scorers.append(algorithms.nomenklatura_scorer(name, pairs))
    scored, per_block = algorithms.run_interleaved(scorers, args.blocks)
    labels = np.array([p["kind"] == "positive" for p in pairs], dtype=int)
    results, curves, timing, notes, wall = {}, {}, {}, {}, {}
    for s in scored:
        timing[s.name], notes[s.name], wall[s.name] = s.us_per_pair, s.note, s.wall_us_per_pair
        if s.name.endswith("(cold)"):
            continue
        results[s.name] = metrics.summary(pairs, s.scores, s.threshold)
        keep = [i for i, p in enumerate(pairs) if p["variant"] != "dob_conflict"]
        sub = metrics.summary([pairs[i] for i in keep], [s.scores[i] for i in keep], s.threshold)
        results[s.name]["without_dob_conflict"] = {k: sub[k] for k in ("precision", "recall", "f1")}
        curves[s.name] = metrics.roc_curve(labels, np.array(s.scores))
    by_shape: dict[str, dict[str, float]] = {}
    shape = [
        "entity vs entity (resolver)"
        if p["source"].startswith("resolver")
        else "one-name query vs entity"
        for p in pairs
    ]
    for s in scored:
        for group in sorted(set(shape)):
            times = [t for t, g in zip(s.cpu_times, shape, strict=True) if g == group]
            by_shape.setdefault(group, {})[s.name] = sum(times) / len(times) * 1e6
    speedup = None
    block_ratios: list[float] = []
    if "clearance" in timing and "logic-v2" in timing:
        speedup = timing["logic-v2"] / timing["clearance"]
        block_ratios = sorted(b["logic-v2"] / b["clearance"] for b in per_block if b["clearance"])
    run: dict[str, Any] = {
        "started": started,
        "devset": str(
            args.devset.relative_to(REPO_ROOT)
            if args.devset.is_relative_to(REPO_ROOT)
            else args.devset
        ),
        "sample": args.sample,
        "pairs": len(pairs),
        "positives": int(labels.sum()),
        "negatives": int(len(labels) - labels.sum()),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "command": "python -m bench.quality.run "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "timing": timing,
        "timing_notes": notes,
        "wall_timing": wall,
        "timing_by_pair_shape": by_shape,
        "timing_median": {s.name: float(np.median(s.cpu_times)) * 1e6 for s in scored},
        "results": results,
        "checks": _checks(results, speedup),
    }
    if speedup is not None:
        run["speedup_vs_logic_v2"] = speedup
        run["speedup_by_block"] = {
            "blocks": len(block_ratios),
            "min": block_ratios[0],
            "p10": float(np.percentile(block_ratios, 10)),
            "median": float(np.median(block_ratios)),
            "max": block_ratios[-1],
        }
    run["load_average"] = list(os.getloadavg())
    if "clearance" in results:
        ours = next(s for s in scored if s.name == "clearance")
        run["errors"] = metrics.errors(pairs, ours.scores, ours.threshold)
    paths = plots.plot_all(results, curves, timing, args.out)
    run["plots"] = [p.name for p in paths]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(run, indent=1, ensure_ascii=False))
    (args.out / "results.md").write_text(report.markdown(run), encoding="utf-8")
    for name, r in results.items():
        print(
            f"{name:18s} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
            f"AUC={r['roc_auc']:.4f} {timing[name]:.1f} µs/pair"
        )
    for check, ok in run["checks"].items():
        print(("PASS " if ok else "FAIL ") + check)
    return run


if __name__ == "__main__":
    main()
