"""Speed of the matcher's hot path (``Matcher.compare_prepared``) on a fixed pair set.

Loads ``--pairs`` pairs spread evenly over the quality development set
(``var/quality/devset.jsonl``, built by ``python -m bench.quality.build_devset``), prepares
both sides once (outside the timing), then times ``compare_prepared`` over all pairs
``--repeat`` times (CPU time of this process, ``time.process_time``; the machine is shared,
so CPU time is the honest clock).

``--save FILE`` writes every score and decision (JSON); ``--check FILE`` asserts the scores
equal a saved run to 1e-9 and the decisions are identical — the guard for speed work, which
must never change a score. ``--profile`` prints the cProfile top entries of one pass.

    python -m bench.match_speed --pairs 4000 --repeat 5 --save /tmp/golden.json
    python -m bench.match_speed --pairs 4000 --repeat 5 --check /tmp/golden.json --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from clearance.match import Matcher, PreparedEntity

DEVSET = Path("var/quality/devset.jsonl")


def load_pairs(path: Path, limit: int) -> list[dict[str, Any]]:
    """``limit`` pairs spread evenly over a dev-set JSONL file (every k-th line: all kinds of
    pairs, the same ones every run)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    step = max(1, len(lines) // limit)
    return [json.loads(line) for line in lines[::step][:limit]]


def run_once(
    matcher: Matcher, prepared: list[tuple[PreparedEntity, PreparedEntity]]
) -> tuple[float, list[float], list[bool]]:
    """(CPU seconds, scores, decisions) of one pass over the prepared pairs."""
    compare = matcher.compare_prepared
    scores: list[float] = []
    decisions: list[bool] = []
    start = time.process_time()
    for q, c in prepared:
        result = compare(q, c)
        scores.append(result.score)
        decisions.append(result.match)
    return time.process_time() - start, scores, decisions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--pairs", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--check", type=Path)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    pairs = load_pairs(args.devset, args.pairs)
    matcher = Matcher()
    matcher.compare(pairs[0]["query"], pairs[0]["candidate"])  # lazy tables loaded
    prepared = [(matcher.prepare(p["query"]), matcher.prepare(p["candidate"])) for p in pairs]
    run_once(matcher, prepared)  # warm-up pass
    times: list[float] = []
    scores: list[float] = []
    decisions: list[bool] = []
    for _ in range(args.repeat):
        spent, scores, decisions = run_once(matcher, prepared)
        times.append(spent / len(prepared) * 1e6)
    print(
        f"{len(prepared)} pairs x {args.repeat}: CPU µs/pair min {min(times):.2f} "
        f"median {statistics.median(times):.2f} all {[round(t, 2) for t in times]}"
    )
    if args.save:
        args.save.write_text(json.dumps({"scores": scores, "decisions": decisions}))
        print(f"saved {len(scores)} scores to {args.save}")
    if args.check:
        golden = json.loads(args.check.read_text())
        bad = [
            i
            for i, (a, b) in enumerate(zip(golden["scores"], scores, strict=True))
            if abs(a - b) > 1e-9
        ]
        flips = sum(a != b for a, b in zip(golden["decisions"], decisions, strict=True))
        if bad or flips:
            for i in bad[:10]:
                print(f"pair {i} ({pairs[i]['id']}): {golden['scores'][i]!r} -> {scores[i]!r}")
            print(f"FAIL: {len(bad)} scores differ, {flips} decisions flipped")
            return 1
        print(f"OK: all {len(scores)} scores identical (1e-9), decisions identical")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run_once(matcher, prepared)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
