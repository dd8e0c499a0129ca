"""Markdown tables of a quality run (``bench/results/quality/results.md``)."""

from __future__ import annotations

from typing import Any


def _pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.1f}"


def _table(results: dict[str, dict[str, Any]], key: str, first: str) -> list[str]:
    names = list(results)
    groups = sorted({g for r in results.values() for g in r[key]})
    head = f"| {first} | n | " + " | ".join(names) + " | best |"
    lines = [head, "|" + "---|" * (len(names) + 3)]
    for g in groups:
        vals = [results[n][key].get(g, {}).get("rate", float("nan")) for n in names]
        n = next((results[x][key][g]["n"] for x in names if g in results[x][key]), 0)
        best = max(range(len(names)), key=lambda i: -1 if vals[i] != vals[i] else vals[i])
        cells = [f"**{_pct(v)}**" if i == best else _pct(v) for i, v in enumerate(vals)]
        lines.append(f"| {g} | {n} | " + " | ".join(cells) + f" | {names[best]} |")
    return lines


def markdown(run: dict[str, Any]) -> str:
    """The results page: headline table, breakdowns, timing, worst errors of our matcher."""
    res: dict[str, dict[str, Any]] = run["results"]
    lines = [
        "# Matcher quality benchmark — latest results",
        "",
        f"Run {run['started']} on {run['pairs']} pairs ({run['positives']} positive, "
        f"{run['negatives']} negative) of `{run['devset']}`"
        + (f", **sample of {run['sample']}**" if run.get("sample") else "")
        + ".",
        f"Machine: {run['machine']}. Command: `{run['command']}`.",
        "How the set is built and its caveats: [docs/quality.md](../../../docs/quality.md).",
        "",
        "## Headline (each algorithm at its own default threshold)",
        "",
        "| algorithm | threshold | precision | recall | F1 | ROC AUC | CPU µs/pair |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in res.items():
        lines.append(
            f"| {name} | {r['threshold']:.2f} | {_pct(r['precision'])} | {_pct(r['recall'])} | "
            f"{_pct(r['f1'])} | {r['roc_auc']:.4f} | {run['timing'][name]:.1f} |"
        )
    lines += ["", "Without the `dob_conflict` negatives (same name, conflicting birth date):", ""]
    for name, r in res.items():
        w = r.get("without_dob_conflict")
        if w:
            lines.append(
                f"- {name}: precision {_pct(w['precision'])}, recall "
                f"{_pct(w['recall'])}, F1 {_pct(w['f1'])}"
            )
    lines += [
        "",
        "Timing (mean CPU µs per pair of the scoring thread; wall µs in brackets; same "
        "pairs, same process):",
        "",
    ]
    for name, us in run["timing"].items():
        wall = run.get("wall_timing", {}).get(name, float("nan"))
        lines.append(f"- {name}: {us:.1f} µs ({wall:.1f}) — {run['timing_notes'].get(name, '')}")
    medians = run.get("timing_median", {})
    if medians:
        cells = ", ".join(f"{n} {us:.1f}" for n, us in medians.items())
        lines.append(f"- median CPU µs per pair (insensitive to one-off lazy loading): {cells}")
    for shape, times in run.get("timing_by_pair_shape", {}).items():
        cells = ", ".join(f"{n} {us:.1f}" for n, us in times.items())
        lines.append(f"- CPU µs per pair for {shape}: {cells}")
    if "speedup_vs_logic_v2" in run:
        lines.append(
            f"- speed-up of our hot path over logic-v2: "
            f"**{run['speedup_vs_logic_v2']:.1f}×** (goal ≥ 20×)"
        )
    blocks = run.get("speedup_by_block")
    if blocks:
        lines.append(
            f"- timing interleaved in {blocks['blocks']} blocks (every algorithm scores a block "
            "before the next block starts, so all meet the same machine load); speed-up per "
            f"block: min {blocks['min']:.1f}×, p10 {blocks['p10']:.1f}×, median "
            f"{blocks['median']:.1f}×, max {blocks['max']:.1f}×"
        )
    if "load_average" in run:
        load = ", ".join(f"{x:.1f}" for x in run["load_average"])
        lines.append(f"- load average at the end of the run (1, 5, 15 min): {load}")
    sections = [
        ("Recall by variant type (positives)", "recall_by_variant", "variant"),
        ("Recall by query script (positives)", "recall_by_script", "script"),
        ("Recall by schema (positives)", "recall_by_schema", "schema"),
        (
            "Specificity by negative type (share of negatives NOT alerted)",
            "specificity_by_variant",
            "negative type",
        ),
        ("Specificity by query script (negatives)", "specificity_by_script", "script"),
    ]
    for title, key, first in sections:
        lines += ["", f"## {title}", "", *_table(res, key, first)]
    lines += ["", "## Must-show checks", ""]
    for check, ok in run.get("checks", {}).items():
        lines.append(f"- [{'x' if ok else ' '}] {check}")
    lines += ["", "## Worst errors of clearance (hot path)", ""]
    for kind in ("misses", "false_alerts"):
        lines += [
            f"### {kind.replace('_', ' ')}",
            "",
            "| id | variant | score | query | candidate |",
            "|---|---|---|---|---|",
        ]
        for e in run.get("errors", {}).get(kind, []):
            q = "; ".join(e["query"]).replace("|", "/")
            c = "; ".join(e["candidate"]).replace("|", "/")
            lines.append(f"| {e['id']} | {e['variant']} | {e['score']} | {q} | {c} |")
        lines.append("")
    lines += ["## Plots", ""]
    for png in run.get("plots", []):
        lines.append(f"![{png}]({png})")
    return "\n".join(lines) + "\n"
