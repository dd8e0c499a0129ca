"""Property: any single-field edit of any stored entry is detected, and named at that entry.

Each example edits one column of one row with SQL inside a transaction, verifies on the same
connection (which sees the edit) and rolls back, so one chain serves every example.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from clearance import audit
from clearance.audit.tables import audit_log
from clearance.store import Store

N = 6

# no NUL (PostgreSQL text) and no lone surrogates (not UTF-8)
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
JSON_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-(2**31), 2**31)
    | TEXT
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
)
JSON = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
HASH = st.text("0123456789abcdef", min_size=64, max_size=64)

EDITS: dict[str, st.SearchStrategy[Any]] = {
    "actor": TEXT,
    "action": TEXT,
    "subject": TEXT,
    "data": st.dictionaries(TEXT, JSON, max_size=4),
    "versions": st.lists(st.integers(0, 10**6) | JSON_SCALAR, max_size=4),
    "prev_hash": HASH,
    "hash": HASH,
    "at": st.datetimes(
        min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
    ),
    "seq": st.integers(-1000, 1000).filter(lambda s: not 1 <= s <= N),
}


def _same(field: str, old: Any, new: Any) -> bool:
    if field == "at":
        return bool(old.astimezone(UTC) == new.astimezone(UTC))
    return bool(old == new)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_single_field_edit_is_detected(store: Store, data: st.DataObject) -> None:
    with store.engine.begin() as conn:
        if audit.read_head(conn) is None:  # the chain is built once, by the first example
            base = datetime(2026, 5, 1, tzinfo=UTC)
            for i in range(1, N + 1):
                audit.append(
                    conn, actor="ann", action="decision.made", subject=f"alert-{i}",
                    data={"i": i, "why": "Ünïcode", "score": 0.91, "nested": {"a": [1, None]}},
                    versions=[i], at=base + timedelta(minutes=i),
                )  # fmt: skip
    seq = data.draw(st.integers(1, N), label="seq")
    field = data.draw(st.sampled_from(sorted(EDITS)), label="field")
    with store.engine.connect() as conn:
        original = next(e for e in audit.entries(conn) if e.seq == seq)
    old = original.seq if field == "seq" else getattr(original, field)
    new = data.draw(EDITS[field].filter(lambda v: not _same(field, old, v)), label="new")
    with store.engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(update(audit_log).where(audit_log.c.seq == seq).values({field: new}))
            report = audit.verify_connection(conn)
        finally:
            trans.rollback()
    assert not report.ok, (field, old, new)
    assert seq in {s for s, _ in report.problems}, (field, old, new, report.problems)
