"""Full screening time of a customer book on the local engine and on Spark ``local[N]``, and
whether both give the same hits.

Scenario: the book of :mod:`bench.engines.book` (Faker multi-locale customers with a known set
of listed persons planted) screened against the full-catalog index, as a batch file
(``Engine.screen_file``, CSV in, JSON lines out, default options: threshold 0.70, limit 10):

1. the first ``--sample`` rows (all when 0) are cut from the book;
2. each engine runs in its own child process (``--child``) so that its CPU time — the
   process, its worker processes, and for Spark the JVM and its Python workers — is
   measured alone: ``process_time`` + ``RUSAGE_CHILDREN`` (reaped workers) + the CPU of
   still-living descendants read from ``/proc`` just before the engine closes;
3. wall time is split into opening the engine (Spark: JVM start, shipping the index) and
   screening; queries/s = rows / screening time; the load average is sampled during each run;
4. the outputs are compared (byte-identical files, and the (query id, entity id, score)
   sets), and the planted persons found are counted (hit on the planted entity id);
5. when the sample is smaller than the book, the full-book time is extrapolated linearly
   from the screening rate (stated as such in the results).

    python -m bench.engines.run --index $CLEARANCE_HOME/index/<key> \\
        --book var/engines/book-1m.csv --sample 20000 --workers 2

Results: ``bench/results/engines_spark.{json,md,png}``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from clearance.settings import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results"
TICKS = os.sysconf("SC_CLK_TCK")


def descendants_cpu(root: int) -> float:
    """CPU seconds (user + system) of the living descendants of process ``root``."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
    total = 0.0
    for pid in parents:
        up = parents.get(pid, 0)
        while up > 1 and up != root:
            up = parents.get(up, 0)
        if up == root and pid != root:
            total += cpu[pid]
    return total


def child(
    engine_name: str, index: Path, src: Path, out: Path, workers: int, chunk_size: int = 500
) -> dict[str, Any]:
    """Run one engine over ``src`` (in this process); its timings as a dict."""
    from clearance.engines import open_engine

    t0, c0 = time.perf_counter(), time.process_time()
    options: dict[str, Any] = {"chunk_size": chunk_size}
    if engine_name == "spark":
        options["conf"] = {"spark.ui.enabled": "false"}
    engine = open_engine(engine_name, index, workers, **options)
    opened = time.perf_counter()
    open_cpu = time.process_time() - c0 + descendants_cpu(os.getpid())
    report = engine.screen_file(src, out)
    done = time.perf_counter()
    living = descendants_cpu(os.getpid())
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = time.process_time() - c0
    engine.close()
    return {
        "engine": engine_name,
        "rows": report.rows,
        "hit_rows": report.hits,
        "broken_rows": len(report.errors),
        "open_s": round(opened - t0, 2),
        "screen_s": round(done - opened, 2),
        "queries_per_s": round(report.rows / (done - opened), 1),
        "cpu_s": {
            "driver": round(own, 1),
            "workers_reaped": round(reaped.ru_utime + reaped.ru_stime, 1),
            "descendants_living": round(living, 1),
            "total": round(own + reaped.ru_utime + reaped.ru_stime + living, 1),
            "of_which_opening": round(open_cpu, 1),
        },
    }


def cut_sample(book: Path, rows: int, dest: Path) -> int:
    """The header and first ``rows`` data lines of ``book`` into ``dest`` (all when 0)."""
    count = 0
    with open(book, encoding="utf-8") as fh, open(dest, "w", encoding="utf-8") as out:
        out.write(fh.readline())
        for line in fh:
            if rows and count >= rows:
                break
            out.write(line)
            count += 1
    return count


def run_engine(name: str, args: argparse.Namespace, src: Path, out: Path) -> dict[str, Any]:
    loads: list[float] = []
    stop = threading.Event()

    def sample_load() -> None:
        while not stop.wait(5.0):
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample_load, daemon=True)
    sampler.start()
    before = os.getloadavg()
    command = [
        sys.executable,
        "-m",
        "bench.engines.run",
        "--child",
        name,
        "--index",
        str(args.index),
    ]
    command += ["--book", str(src), "--out", str(out), "--workers", str(args.workers)]
    command += ["--chunk-size", str(args.chunk_size)]
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=args.timeout, check=False
    )
    wall = time.perf_counter() - started
    stop.set()
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = round(wall, 2)
    result["load_avg"] = {
        "before_1m": round(before[0], 2),
        "during_mean_1m": round(sum(loads) / len(loads), 2) if loads else None,
        "during_max_1m": round(max(loads), 2) if loads else None,
    }
    return result


def hit_set(path: Path) -> set[tuple[str, str, float]]:
    rows = (json.loads(line) for line in path.read_text("utf-8").splitlines())
    return {(r["query_id"], r["entity_id"], r["score"]) for r in rows}


def planted_found(path: Path, truth: dict[str, dict[str, str]]) -> int:
    found = {(q, e) for q, e, _ in hit_set(path)}
    return sum((q, p["entity_id"]) in found for q, p in truth.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--book", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=0, help="first N rows (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=500, help="rows per chunk (task)")
    parser.add_argument("--engines", default="local,spark")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "var" / "engines")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--results", default="engines_spark", help="stem of the results file in bench/results"
    )
    args = parser.parse_args()
    if args.child:
        found = child(args.child, args.index, args.book, args.out, args.workers, args.chunk_size)
        print(json.dumps(found))
        return

    args.work.mkdir(parents=True, exist_ok=True)
    src = args.work / f"sample-{args.sample or 'all'}.csv"
    rows = cut_sample(args.book, args.sample, src)
    with open(args.book, encoding="utf-8") as fh:
        book_rows = sum(1 for _ in fh) - 1
    truth_all = json.loads(Path(f"{args.book}.truth.json").read_text("utf-8"))
    ids = {line.split(",", 1)[0] for line in src.read_text("utf-8").splitlines()[1:]}
    truth = {q: p for q, p in truth_all.items() if q in ids}
    runs: dict[str, Any] = {}
    for name in args.engines.split(","):
        out = args.work / f"out-{name}.jsonl"
        for stale in (out, out.with_name(out.name + ".parts")):
            if stale.is_file():
                stale.unlink()
        runs[name] = run_engine(name, args, src, out)
        runs[name]["planted_found"] = planted_found(out, truth)
        per_row = runs[name]["screen_s"] / rows
        runs[name]["full_book_s_extrapolated"] = round(runs[name]["open_s"] + per_row * book_rows)
        runs[name]["cpu_ms_per_query"] = round(1000 * runs[name]["cpu_s"]["total"] / rows, 2)
        print(name, json.dumps(runs[name]), flush=True)
    names = list(runs)
    same: dict[str, Any] = {}
    if len(names) == 2:
        a, b = (args.work / f"out-{n}.jsonl" for n in names)
        sa, sb = hit_set(a), hit_set(b)
        same = {
            "identical_files": a.read_bytes() == b.read_bytes(),
            "same_hit_sets": sa == sb,
            "hits": len(sa),
            "only_" + names[0]: len(sa - sb),
            "only_" + names[1]: len(sb - sa),
        }
    result = {
        "book_rows": book_rows,
        "sample_rows": rows,
        "planted_in_sample": len(truth),
        "planted_in_book": len(truth_all),
        "workers": args.workers,
        "chunk_size": args.chunk_size,
        "index": args.index.name,
        "machine": {"cpus": os.cpu_count(), "note": "shared by several jobs, see load_avg"},
        "runs": runs,
        "agreement": same,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.results}.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(json.dumps(result["agreement"]))


if __name__ == "__main__":
    main()
