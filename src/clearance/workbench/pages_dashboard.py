"""The dashboard: work waiting, alert volumes over time by list and by outcome, decisions, and
how fresh each list is — as server-drawn SVG charts (:mod:`clearance.workbench.charts`) with the
numbers beside them. The numbers are the decisions helper's :mod:`clearance.workbench.stats`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from clearance.workbench.charts import horizontal_bars, stacked_bars
from clearance.workbench.context import PREFIX, UiError, render, signed_in, workbench
from clearance.workbench.queue import AlertFilter, list_alerts
from clearance.workbench.stats import alert_volumes, decision_counts, list_freshness

router = APIRouter(include_in_schema=False)
WINDOWS = (7, 30, 90)
COLOURS = {
    # alert statuses and decisions in the report palette: red is a match, green cleared
    "open": "c0",
    "pending_approval": "c4",
    "escalated": "c1",
    "true_match": "c3",
    "false_positive": "c2",
    "closed": "c7",
    "escalate": "c1",
    "pending": "c4",
    "approved": "c2",
    "rejected": "c3",
    "final": "c0",
}


def _series(days: list[dict[str, Any]], key: str) -> list[tuple[str, list[float]]]:
    names = sorted({name for d in days for name in d[key]})
    return [(n, [float(d[key].get(n, 0)) for d in days]) for n in names]


def _days_since(published: object, loaded_days: float) -> float:
    """Whole days since a ``YYYY-MM-DD`` publication date; the load age when there is none."""
    try:
        day = date.fromisoformat(str(published)[:10])
    except ValueError:
        return loaded_days
    return float((datetime.now(UTC).date() - day).days)


def _colours(names: list[str]) -> list[str]:
    return [COLOURS.get(n, "c7") for n in names]


@router.get(PREFIX + "/")
def dashboard(request: Request, days: int = 30) -> Response:
    signed_in(request)
    if days not in WINDOWS:
        raise UiError(400, f"Show {', '.join(map(str, WINDOWS))} days.")
    store = workbench(request).state.store
    with store.engine.connect() as conn:
        volumes = alert_volumes(conn, days)
        counts = decision_counts(conn)
        waiting = {
            status: list_alerts(conn, AlertFilter(status=[status]), per_page=1)[1]
            for status in ("open", "escalated", "pending_approval")
        }
    fresh = list_freshness(store)
    labels = [str(d["day"]) for d in volumes]
    by_list = stacked_bars(
        labels, _series(volumes, "by_source"), title="Alerts raised per day, by list", ident="vl"
    )
    statuses = _series(volumes, "by_status")
    by_status = stacked_bars(
        labels,
        [(name.replace("_", " "), values) for name, values in statuses],
        title="Alerts raised per day, by current status",
        ident="vs",
        classes=_colours([name for name, _ in statuses]),
    )
    kinds = list(counts["by_decision"].items())
    decided = horizontal_bars(
        [(k.replace("_", " "), float(v)) for k, v in kinds],
        title="Decisions by kind",
        ident="dk",
        classes=_colours([k for k, _ in kinds]),
    )
    states = list(counts["by_status"].items())
    reviewed = horizontal_bars(
        [(k, float(v)) for k, v in states],
        title="Decisions by review status",
        ident="ds",
        classes=_colours([k for k, _ in states]),
    )
    for item in fresh:
        item["published_days"] = _days_since(item.get("publication_date"), item["age_days"])
    ages = horizontal_bars(
        [(str(f["source"]), float(f["published_days"])) for f in fresh],
        title="Days since each active list version was published (or loaded, if undated)",
        ident="fa",
        width=560,
    )
    return render(
        request,
        "dashboard.html.j2",
        days=days,
        windows=WINDOWS,
        volumes=volumes,
        raised=sum(int(d["total"]) for d in volumes),
        waiting=waiting,
        counts=counts,
        fresh=fresh,
        by_list=by_list,
        by_status=by_status,
        decided=decided,
        reviewed=reviewed,
        ages=ages,
    )
