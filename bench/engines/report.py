"""Write ``bench/results/<stem>.md`` and ``<stem>.png`` from ``<stem>.json`` written by
:mod:`bench.engines.run` (kept apart so the text can be regenerated without re-running).

    python -m bench.engines.report                       # engines_spark (10,000-row sample)
    python -m bench.engines.report --results engines_1m  # the full 1M-row book
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from bench.engines.run import RESULTS


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def plot(data: dict[str, Any], stem: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = data["runs"]
    names = list(runs)
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    colours = ["#4C72B0", "#DD8452"]
    panels = (
        ("queries / s (screening)", [runs[n]["queries_per_s"] for n in names]),
        ("CPU ms / query (all processes)", [runs[n]["cpu_ms_per_query"] for n in names]),
        (
            f"{data['book_rows']:,} rows: hours "
            + ("(measured)" if data["sample_rows"] >= data["book_rows"] else "(extrapolated)"),
            [runs[n]["full_book_s_extrapolated"] / 3600 for n in names],
        ),
    )
    for ax, (title, values) in zip(axes, panels, strict=True):
        ax.bar(names, values, color=colours[: len(names)])
        ax.set_title(title, fontsize=9)
        for x, v in enumerate(values):
            ax.annotate(f"{v:.3g}", (x, v), ha="center", va="bottom", fontsize=8)
    load = max(r["load_avg"]["during_mean_1m"] or 0 for r in runs.values())
    fig.suptitle(
        f"{data['sample_rows']:,} customers, {data['workers']} workers, "
        f"shared 2-core machine (load ≈ {load:.0f})",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(RESULTS / f"{stem}.png", dpi=110)


def cpu_note(runs: dict[str, Any]) -> str:
    """What the CPU figures say about the two engines (from the numbers of this run)."""
    local, spark = runs.get("local"), runs.get("spark")
    text = (
        "CPU time counts the engine's process, its reaped worker processes (local) and its "
        "living descendants read from `/proc` before closing (Spark: the JVM and its Python "
        "workers). Wall times grow with the other jobs on the machine (load average above); "
        "CPU time per query is the fairer comparison."
    )
    if local and spark:
        ratio = spark["cpu_ms_per_query"] / local["cpu_ms_per_query"]
        text += (
            f" Spark used {ratio:.2f}× the CPU per query of the local engine "
            f"({spark['cpu_s']['of_which_opening']} s of it opening: JVM start and shipping "
            "the index). On one machine Spark cannot beat plain worker processes; it exists "
            "to spread the same work over a cluster (docs/spark.md)."
        )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default="engines_spark", help="stem in bench/results")
    stem = parser.parse_args().results
    data = json.loads((RESULTS / f"{stem}.json").read_text("utf-8"))
    runs = data["runs"]
    agree = data["agreement"]
    sample = data["sample_rows"] if data["sample_rows"] < data["book_rows"] else 0
    lines = [
        "# Engines: local vs Spark local[2] (`bench/engines/`)",
        "",
        f"Run {data['when']} on the shared 2-core machine. Index: the full catalog "
        f"(`{data['index']}`). Book: {data['book_rows']:,} synthetic multi-locale customers "
        f"(`python -m bench.engines.book`) with {data['planted_in_book']:,} listed persons "
        "planted at known rows.",
        "",
    ]
    if data["sample_rows"] < data["book_rows"]:
        lines += [
            f"**Bounded run:** the first **{data['sample_rows']:,} rows** of the book were "
            f"screened on each engine ({data['planted_in_sample']} planted persons among "
            "them); the full-book times below are **extrapolated** linearly from the "
            "screening rate, not measured. The whole book at this machine's rate would take "
            "hours per engine on two cores already used by other jobs.",
            "",
        ]
    if data.get("notes"):
        lines += ["Notes:", "", *(f"- {note}" for note in data["notes"])]
    lines += [
        "",
        "| | " + " | ".join(runs) + " |",
        "|---" * (len(runs) + 1) + "|",
    ]
    rows: list[tuple[str, Any]] = [
        ("rows screened", lambda r: f"{r['rows']:,}"),
        ("hit rows", lambda r: f"{r['hit_rows']:,}"),
        ("open (Spark: JVM + shipping the index)", lambda r: f"{r['open_s']} s"),
        ("screening wall time", lambda r: f"{r['screen_s']} s"),
        ("**queries / s**", lambda r: f"**{r['queries_per_s']}**"),
        ("CPU time, all processes", lambda r: f"{r['cpu_s']['total']} s"),
        ("… of which opening the engine", lambda r: f"{r['cpu_s']['of_which_opening']} s"),
        ("CPU ms / query", lambda r: f"{r['cpu_ms_per_query']}"),
        ("planted persons found", lambda r: f"{r['planted_found']} / {data['planted_in_sample']}"),
        (
            "load average (1 min) during run, mean / max",
            lambda r: f"{r['load_avg']['during_mean_1m']} / {r['load_avg']['during_max_1m']}",
        ),
        (
            f"full book ({data['book_rows']:,} rows), extrapolated",
            lambda r: _hours(r["full_book_s_extrapolated"]),
        ),
        (
            "full book on idle cores (CPU time ÷ workers), estimate",
            lambda r: _hours(r["cpu_ms_per_query"] * data["book_rows"] / 1000 / data["workers"]),
        ),
    ]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in runs.values()) + " |")
    lines += [
        "",
        "**Same hits:** "
        + (
            f"output files byte-identical: {agree['identical_files']}; (query id, entity id, "
            f"score) sets equal: {agree['same_hit_sets']} ({agree['hits']:,} hits; "
            + ", ".join(
                f"{k.replace('_', ' ')}: {v}" for k, v in agree.items() if k.startswith("only_")
            )
            + ")."
            if agree
            else "(one engine only)"
        ),
        "",
        cpu_note(runs),
        "",
        f"![engines]({stem}.png)",
        "",
        "Reproduce:",
        "",
        "```sh",
        "export CLEARANCE_HOME=/tmp/h",
        "clearance lists load --catalog && clearance screen x   # store + index",
        "python -m bench.engines.book --index /tmp/h/index/<key> --rows 1000000 --planted 10000 \\",
        "    --out var/engines/book-1m.csv",
        "python -m bench.engines.run --index /tmp/h/index/<key> --book var/engines/book-1m.csv \\",
        f"    --sample {sample} --workers 2 --results {stem}",
        f"python -m bench.engines.report --results {stem}",
        "```",
        "",
    ]
    (RESULTS / f"{stem}.md").write_text("\n".join(lines), "utf-8")
    plot(data, stem)


if __name__ == "__main__":
    main()
