"""PNG plots of a quality run (matplotlib, headless): recall by variant and by script, ROC
curves, and microseconds per pair."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def _grouped(
    results: dict[str, dict[str, Any]], key: str, title: str, path: Path, ylabel: str
) -> None:
    groups = sorted({g for r in results.values() for g in r[key]})
    width = 0.8 / max(len(results), 1)
    fig, ax = plt.subplots(figsize=(max(8, len(groups) * 0.6), 5))
    x = np.arange(len(groups))
    for i, (name, res) in enumerate(results.items()):
        vals = [res[key].get(g, {}).get("rate", np.nan) for g in groups]
        ax.bar(x + i * width, vals, width, label=name)
    labels = [
        f"{g}\n(n={next(iter(results.values()))[key].get(g, {}).get('n', 0)})" for g in groups
    ]
    ax.set_xticks(x + width * (len(results) - 1) / 2, labels, rotation=60, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(results), fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_all(
    results: dict[str, dict[str, Any]],
    curves: dict[str, tuple[Any, Any]],
    timing: dict[str, float],
    out: Path,
) -> list[Path]:
    """Write the plots into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        out / n
        for n in (
            "recall_by_variant.png",
            "recall_by_script.png",
            "specificity_by_negative_type.png",
            "roc.png",
            "us_per_pair.png",
        )
    ]
    _grouped(results, "recall_by_variant", "Recall by variant type (positives)", paths[0], "recall")
    _grouped(results, "recall_by_script", "Recall by query script (positives)", paths[1], "recall")
    _grouped(
        results,
        "specificity_by_variant",
        "Specificity by negative type (1 - FP rate)",
        paths[2],
        "specificity",
    )
    fig, ax = plt.subplots(figsize=(6, 6))
    for name, (fpr, tpr) in curves.items():
        ax.plot(fpr, tpr, label=f"{name} (AUC {results[name]['roc_auc']:.3f})")
    ax.plot([0, 1], [0, 1], "k:", lw=0.8)
    ax.set_xlabel("false-positive rate")
    ax.set_ylabel("true-positive rate")
    ax.set_title("ROC")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(paths[3], dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 4))
    names = list(timing)
    ax.bar(names, [timing[n] for n in names], color="tab:gray")
    for i, n in enumerate(names):
        ax.text(i, timing[n], f"{timing[n]:.1f}", ha="center", va="bottom")
    ax.set_ylabel("mean µs per pair")
    ax.set_yscale("log")
    ax.set_title("Time per pair (same run, same pairs)")
    fig.tight_layout()
    fig.savefig(paths[4], dpi=110)
    plt.close(fig)
    return paths
