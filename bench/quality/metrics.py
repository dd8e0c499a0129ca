"""Quality metrics over labelled pairs: P/R/F1 at a threshold, ROC AUC, per-group breakdowns.

Breakdowns: *recall* per positive variant type and per script of positive queries;
*specificity* (share of negatives scored below the threshold, i.e. 1 - false-positive rate)
per negative type and per script of negative queries. Precision is only defined over a mix of
positives and negatives, so for negative-only groups the false-positive rate is what counts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from bench.quality.pairs import Pair


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (sklearn when installed, else the rank formula)."""
    try:
        from sklearn.metrics import roc_auc_score

        return float(roc_auc_score(labels, scores))
    except ImportError:  # pragma: no cover - sklearn is part of the bench extras
        # Mann-Whitney U with average ranks for ties, numpy only
        _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
        ranks = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]
        pos = labels == 1
        n_pos, n_neg = int(pos.sum()), int((~pos).sum())
        return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_curve(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(false-positive rates, true-positive rates) over all thresholds."""
    order = np.argsort(-scores, kind="stable")
    sorted_labels = labels[order]
    tps = np.concatenate([[0], np.cumsum(sorted_labels)])
    fps = np.concatenate([[0], np.cumsum(1 - sorted_labels)])
    return fps / max(fps[-1], 1), tps / max(tps[-1], 1)


def summary(pairs: list[Pair], scores: list[float], threshold: float) -> dict[str, Any]:
    """Headline numbers and breakdowns for one algorithm."""
    labels = np.array([p["kind"] == "positive" for p in pairs], dtype=int)
    arr = np.array(scores, dtype=float)
    hit = arr >= threshold
    tp = int((hit & (labels == 1)).sum())
    fp = int((hit & (labels == 0)).sum())
    fn = int((~hit & (labels == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "threshold": threshold,
        "pairs": len(pairs),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": roc_auc(labels, arr) if 0 < labels.sum() < len(labels) else float("nan"),
        "recall_by_variant": _rate(pairs, hit, "positive", "variant", True),
        "recall_by_script": _rate(pairs, hit, "positive", "script", True),
        "recall_by_schema": _rate(pairs, hit, "positive", "schema", True),
        "specificity_by_variant": _rate(pairs, hit, "negative", "variant", False),
        "specificity_by_script": _rate(pairs, hit, "negative", "script", False),
    }


def _rate(
    pairs: list[Pair], hit: np.ndarray, kind: str, key: str, want: bool
) -> dict[str, dict[str, float]]:
    """Per group: share of pairs whose decision is ``want`` (True = hit), and the count."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for pair, h in zip(pairs, hit, strict=True):
        if pair["kind"] == kind:
            groups[str(pair[key])].append(bool(h) == want)
    return {g: {"rate": sum(v) / len(v), "n": len(v)} for g, v in sorted(groups.items())}


def errors(
    pairs: list[Pair], scores: list[float], threshold: float, limit: int = 15
) -> dict[str, list[dict[str, Any]]]:
    """The worst misses (positives scored lowest) and false alerts (negatives scored highest)."""
    idx = range(len(pairs))
    misses = sorted(
        (i for i in idx if pairs[i]["kind"] == "positive" and scores[i] < threshold),
        key=lambda i: scores[i],
    )[:limit]
    alerts = sorted(
        (i for i in idx if pairs[i]["kind"] == "negative" and scores[i] >= threshold),
        key=lambda i: -scores[i],
    )[:limit]

    def brief(i: int) -> dict[str, Any]:
        p = pairs[i]
        return {
            "id": p["id"],
            "variant": p["variant"],
            "score": round(scores[i], 3),
            "query": p["query"]["properties"].get("name", [])[:2],
            "candidate": p["candidate"]["properties"].get("name", [])[:2],
        }

    return {"misses": [brief(i) for i in misses], "false_alerts": [brief(i) for i in alerts]}
