"""Everything the alert detail page shows, gathered in one place (no HTML here).

The screened record and the listed entity are laid side by side with the words that matched
highlighted on both sides; the listing's provenance (list, version, publication date, programs,
listing dates, remarks and the nested ``Sanction`` entities of that list version), the score's
explanation, the decisions and the alert's history. Which forms the page offers depends on the
user's roles and the four-eyes rule (the decider never sees an approve button on their own
decision; the server refuses it anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clearance.api.nested import adjacent
from clearance.store import Store
from clearance.store.canonical import to_proxy
from clearance.workbench.decisions import DECIDABLE, Decision, alert_decisions
from clearance.workbench.highlight import Segment, matched_tokens, segments, token_pairs
from clearance.workbench.queue import AlertView, alert_history, get_alert
from clearance.workbench.users import User, list_users

NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "firstName", "middleName", "lastName")
REMARK_PROPS = ("notes", "summary", "description", "reason", "program", "topics")
SANCTION_PROPS = (
    "authority",
    "program",
    "programId",
    "listingDate",
    "startDate",
    "endDate",
    "reason",
    "provisions",
    "summary",
    "sourceUrl",
    "unscId",
)


RELATED = {
    "nationality": ("nationality", "citizenship", "country"),
    "citizenship": ("citizenship", "nationality", "country"),
    "country": ("country", "jurisdiction", "nationality", "citizenship"),
    "jurisdiction": ("jurisdiction", "country"),
    "birthDate": ("birthDate",),
    "incorporationDate": ("incorporationDate",),
}
"""Record property → the listed entity's properties that say the same kind of thing."""


@dataclass(frozen=True)
class Compared:
    """One row of the side-by-side comparison: a record property and the entity's values."""

    prop: str
    record: list[str]
    entity: list[str]


def _compare(record: dict[str, list[str]], entity: dict[str, list[str]]) -> list[Compared]:
    rows = []
    for prop, values in sorted(record.items()):
        if prop in NAME_PROPS or not values:
            continue
        related = RELATED.get(prop, (prop,))
        found = [v for p in related for v in entity.get(p, [])]
        rows.append(Compared(prop, values, list(dict.fromkeys(found))))
    return rows


@dataclass(frozen=True)
class NameLine:
    """One name of a record or entity, cut into highlighted segments."""

    prop: str
    segments: list[Segment]


def _names(props: dict[str, list[str]], matched: dict[str, str], schema: str) -> list[NameLine]:
    return [
        NameLine(prop, segments(value, matched, schema))
        for prop in NAME_PROPS
        for value in props.get(prop, [])
    ]


def _others(props: dict[str, list[str]], skip: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    return [(p, list(v)) for p, v in sorted(props.items()) if p not in skip and v]


def _props(data: dict[str, Any]) -> dict[str, list[str]]:
    raw = data.get("properties") or {}
    return {str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in raw.items()}


def _sanctions(store: Store, alert: AlertView) -> list[dict[str, list[str]]]:
    """The ``Sanction`` entities of the listed entity in the alert's list version."""
    if not alert.entity.get("id"):
        return []
    nested = adjacent(store, to_proxy(alert.entity), alert.version_id)
    out = []
    for item in nested.get("sanctions", []):
        props = item.get("properties", {})
        out.append({p: list(props[p]) for p in SANCTION_PROPS if props.get(p)})
    return out


def detail_context(store: Store, alert_id: str, user: User) -> dict[str, Any] | None:
    """The template context of the alert page, or None for an unknown alert."""
    with store.engine.connect() as conn:
        alert = get_alert(conn, alert_id)
        if alert is None:
            return None
        history = alert_history(conn, alert_id)
        decisions = alert_decisions(conn, alert_id)
        people = [u.username for u in list_users(conn) if not u.disabled and u.has("analyst")]
    explanation = list(alert.hit.get("explanation") or [])
    pairs = token_pairs(explanation)
    record_schema = str(alert.record.get("schema") or "LegalEntity")
    entity_schema = str(alert.entity.get("schema") or alert.hit.get("schema") or "LegalEntity")
    record_props = _props(alert.record)
    entity_props = _props(alert.entity) or {"name": [alert.caption]}
    pending: Decision | None = next((d for d in decisions if d.status == "pending"), None)
    can_decide = (
        alert.status in DECIDABLE
        and pending is None
        and user.has("analyst")
        and (alert.status != "escalated" or user.has("approver"))
    )
    can_review = (
        pending is not None
        and user.has("approver")
        and pending.decided_by.casefold() != user.username.casefold()
    )
    return {
        "alert": alert,
        "record_schema": record_schema,
        "entity_schema": entity_schema,
        "record_names": _names(record_props, matched_tokens(pairs, "query"), record_schema),
        "compared": _compare(record_props, entity_props),
        "record_other": _others(record_props, NAME_PROPS),
        "entity_names": _names(entity_props, matched_tokens(pairs, "candidate"), entity_schema),
        "entity_other": _others(entity_props, NAME_PROPS + REMARK_PROPS),
        "remarks": [(p, entity_props[p]) for p in REMARK_PROPS if entity_props.get(p)],
        "sanctions": _sanctions(store, alert),
        "explanation": explanation,
        "history": history,
        "decision_list": decisions,
        "pending": pending,
        "can_decide": can_decide,
        "can_review": can_review,
        "people": people,
    }
