"""Decisions with four-eyes: who may decide and review, what each outcome does to the alert, the
good-guy list and the audit trail (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from clearance import audit
from clearance.audit.tables import audit_log
from clearance.monitor.tables import alert_events, alerts, goodguys
from clearance.store import Store
from clearance.workbench.decisions import (
    MAX_REASON,
    Decision,
    DecisionError,
    NotAllowed,
    UnknownAlert,
    decide,
    pending_reviews,
    review,
)
from clearance.workbench.queue import AlertNotFound, alert_history
from tests.workbench.factory import make_alert

ANALYST = {"analyst"}
APPROVER = {"approver"}


def _new_alert(store: Store, **overrides: object) -> str:
    with store.engine.begin() as conn:
        return make_alert(conn, **overrides)


def _alert(store: Store, alert_id: str) -> dict[str, object]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(alerts).where(alerts.c.id == alert_id)).one()._mapping)


def _decide(
    store: Store,
    alert_id: str,
    user: str = "ann",
    roles: set[str] = ANALYST,
    decision: str = "false_positive",
    reason: str = "dob",
) -> Decision:
    with store.engine.begin() as conn:
        return decide(conn, alert_id, user=user, roles=roles, decision=decision, reason=reason)


def _review(
    store: Store,
    decision_id: str,
    user: str = "bob",
    roles: set[str] = APPROVER,
    approve: bool = True,
    reason: str = "checked",
) -> Decision:
    with store.engine.begin() as conn:
        return review(conn, decision_id, user=user, roles=roles, approve=approve, reason=reason)


def _actions(store: Store) -> list[tuple[str, str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.action, audit_log.c.actor, audit_log.c.subject).order_by(
                audit_log.c.seq
            )
        ).all()
    return [(r.action, r.actor, r.subject) for r in rows]


def test_approved_false_positive_clears_the_pair(store: Store) -> None:
    alert_id = _new_alert(store)
    before = _alert(store, alert_id)
    dec = _decide(store, alert_id, reason="  different date of birth  ")
    assert dec.status == "pending" and dec.reason == "different date of birth"
    assert _alert(store, alert_id)["status"] == "pending_approval"
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(goodguys)).scalar() == 0
        assert [d.id for d in pending_reviews(conn)] == [dec.id]
        assert pending_reviews(conn, exclude_user="ann") == []

    done = _review(store, dec.id, reason="agree: other person")
    assert done.status == "approved" and done.reviewed_by == "bob"
    after = _alert(store, alert_id)
    assert after["status"] == "false_positive"
    with store.engine.connect() as conn:
        (guy,) = conn.execute(select(goodguys)).all()
        assert pending_reviews(conn) == []
    assert (guy.book, guy.record_id, guy.entity_id) == (
        before["book"],
        before["record_id"],
        before["entity_id"],
    )
    assert guy.record_hash == before["record_hash"] and guy.entity_hash == before["entity_hash"]
    assert (guy.decided_by, guy.approved_by, guy.alert_id) == ("ann", "bob", alert_id)
    assert guy.reason == "different date of birth"

    assert _actions(store) == [
        ("decision.made", "ann", alert_id),
        ("decision.approved", "bob", alert_id),
    ]
    with store.engine.connect() as conn:
        entries = list(audit.entries(conn))
        history = alert_history(conn, alert_id)
    made = entries[0]
    assert made.data["decision"] == "false_positive"
    assert made.data["reason"] == "different date of birth"
    assert made.data["alert"]["score"] == before["score"]
    assert made.data["entity"]["id"] == before["entity_id"]
    assert made.data["record"]["id"] == before["record_id"]
    assert made.versions == [before["version_id"]]
    assert [h["kind"] for h in history] == ["raised", "decision.made", "decision.approved"]
    assert audit.verify(store.engine).ok


def test_approved_true_match_closes_without_goodguy(store: Store) -> None:
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id, decision="true_match", reason="same passport")
    _review(store, dec.id, user="cat", roles={"admin"})
    assert _alert(store, alert_id)["status"] == "true_match"
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(goodguys)).scalar() == 0


def test_approving_again_replaces_an_older_clearance(store: Store) -> None:
    first = _new_alert(store, record_id="C-1", entity_id="e-1")
    _review(store, _decide(store, first).id)
    with store.engine.begin() as conn:  # the pair is raised again (e.g. the entity changed)
        second = make_alert(conn, record_id="C-1", entity_id="e-1", sample=0)
        conn.execute(alerts.update().where(alerts.c.id == second).values(entity_hash="f" * 64))
    _review(store, _decide(store, second, user="dan").id, user="eve")
    with store.engine.connect() as conn:
        (guy,) = conn.execute(select(goodguys)).all()
    assert (guy.alert_id, guy.entity_hash, guy.decided_by) == (second, "f" * 64, "dan")


def test_reject_reopens(store: Store) -> None:
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id)
    done = _review(store, dec.id, approve=False, reason="the birth year matches")
    assert done.status == "rejected" and done.review_reason == "the birth year matches"
    assert _alert(store, alert_id)["status"] == "open"
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(goodguys)).scalar() == 0
    assert [a[0] for a in _actions(store)] == ["decision.made", "decision.rejected"]
    # reopened: it can be decided again
    again = _decide(store, alert_id, decision="true_match", reason="birth year matches")
    assert again.status == "pending"
    assert audit.verify(store.engine).ok


def test_escalate_is_final_and_an_approver_decides_next(store: Store) -> None:
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id, decision="escalate", reason="needs senior review")
    assert dec.status == "final"
    assert _alert(store, alert_id)["status"] == "escalated"
    with store.engine.connect() as conn:
        assert pending_reviews(conn) == []
    with pytest.raises(NotAllowed):
        _decide(store, alert_id, user="ann2", decision="true_match")
    with pytest.raises(DecisionError, match="already escalated"):
        _decide(store, alert_id, user="bob", roles=APPROVER, decision="escalate")
    senior = _decide(store, alert_id, user="bob", roles=APPROVER, decision="true_match")
    # rejecting the senior's decision sends the alert back to the escalated queue
    _review(store, senior.id, user="cat", approve=False, reason="not enough")
    assert _alert(store, alert_id)["status"] == "escalated"


def test_self_approval_is_refused_even_for_admins(store: Store) -> None:
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id, user="root", roles={"admin"})
    with pytest.raises(NotAllowed, match="four-eyes"):
        _review(store, dec.id, user="root", roles={"admin"})
    with pytest.raises(NotAllowed):
        _review(store, dec.id, user="ROOT", roles={"admin"})
    assert _alert(store, alert_id)["status"] == "pending_approval"


def test_analyst_cannot_review_and_nobody_without_role_decides(store: Store) -> None:
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id)
    with pytest.raises(NotAllowed, match="approver or admin"):
        _review(store, dec.id, user="zoe", roles=ANALYST)
    other = _new_alert(store)
    with pytest.raises(NotAllowed):
        _decide(store, other, user="viewer", roles={"viewer"})
    with pytest.raises(NotAllowed):
        _decide(store, other, user="  ", roles=ANALYST)
    assert _alert(store, other)["status"] == "open"
    assert [a[0] for a in _actions(store)] == ["decision.made"]


@pytest.mark.parametrize("reason", ["", "   ", "\n\t", "x" * (MAX_REASON + 1)])
def test_reason_is_required_and_bounded(store: Store, reason: str) -> None:
    alert_id = _new_alert(store)
    with pytest.raises(DecisionError, match="reason"):
        _decide(store, alert_id, reason=reason)
    dec = _decide(store, alert_id, reason="x" * MAX_REASON)
    with pytest.raises(DecisionError, match="reason"):
        _review(store, dec.id, reason=reason)
    assert _alert(store, alert_id)["status"] == "pending_approval"


def test_double_decisions_and_reviews_are_refused(store: Store) -> None:
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id)
    with pytest.raises(DecisionError, match="cannot be decided"):
        _decide(store, alert_id, user="other", decision="true_match")
    _review(store, dec.id)
    with pytest.raises(DecisionError, match="not pending"):
        _review(store, dec.id, user="carl")
    with pytest.raises(DecisionError, match="cannot be decided"):
        _decide(store, alert_id, user="other", decision="escalate")
    closed = _new_alert(store, status="closed")
    with pytest.raises(DecisionError):
        _decide(store, closed)
    with pytest.raises(DecisionError, match="unknown decision"):
        _decide(store, _new_alert(store), decision="whitelist")


def test_unknown_alert(store: Store) -> None:
    with pytest.raises(UnknownAlert) as raised:
        _decide(store, "no-such-alert")
    assert isinstance(raised.value, AlertNotFound) and isinstance(raised.value, DecisionError)
    with pytest.raises(DecisionError, match="no decision"):
        _review(store, "no-such-decision")


def test_failure_after_decide_rolls_back_everything(store: Store) -> None:
    """The decision, alert status, event and audit entry share the caller's transaction."""
    alert_id = _new_alert(store)
    with pytest.raises(RuntimeError), store.engine.begin() as conn:
        decide(conn, alert_id, user="ann", roles=ANALYST, decision="true_match", reason="r")
        raise RuntimeError("the caller fails later in the same transaction")
    assert _alert(store, alert_id)["status"] == "open"
    assert _actions(store) == []
    with store.engine.connect() as conn:
        kinds = conn.execute(
            select(alert_events.c.kind).where(alert_events.c.alert_id == alert_id)
        ).scalars()
        assert list(kinds) == ["raised"]
        assert pending_reviews(conn) == []


def test_concurrent_decisions_on_one_alert_one_wins(store: Store) -> None:
    """Compare-and-set: the second decider waits for the first and is then refused."""
    alert_id = _new_alert(store)
    outcome: list[BaseException | str] = []

    def second() -> None:
        try:
            _decide(store, alert_id, user="bob", roles=APPROVER, decision="true_match")
            outcome.append("decided")
        except BaseException as exc:  # reported to the main thread
            outcome.append(exc)

    with store.engine.begin() as conn:
        decide(conn, alert_id, user="ann", roles=ANALYST, decision="escalate", reason="r")
        worker = threading.Thread(target=second)
        worker.start()
        worker.join(timeout=0.5)  # it waits on our uncommitted write
    worker.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], DecisionError), outcome
    assert _alert(store, alert_id)["status"] == "escalated"
    assert [a[0] for a in _actions(store)] == ["decision.made"]
    assert audit.verify(store.engine).ok


def test_rescored_alert_cannot_be_approved(store: Store) -> None:
    """Monitoring updated the pending alert (new record data): the decider saw other data."""
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id)
    with store.engine.begin() as conn:  # what a re-score does to the alert row
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(record_hash="e" * 64))
    # the caller catches the error and commits anyway
    with store.engine.begin() as conn, pytest.raises(DecisionError, match="re-scored"):
        review(conn, dec.id, user="bob", roles=APPROVER, approve=True, reason="ok")
    assert _alert(store, alert_id)["status"] == "pending_approval"
    with store.engine.connect() as conn:
        assert [d.id for d in pending_reviews(conn)] == [dec.id]
        assert conn.execute(select(func.count()).select_from(goodguys)).scalar() == 0
    assert [a[0] for a in _actions(store)] == ["decision.made"]
    _review(store, dec.id, approve=False, reason="data changed")
    assert _alert(store, alert_id)["status"] == "open"


def test_pending_decision_on_a_closed_alert_can_only_be_rejected(store: Store) -> None:
    alert_id = _new_alert(store)
    dec = _decide(store, alert_id, decision="true_match")
    with store.engine.begin() as conn:  # monitoring closed it: the entity left the list
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(status="closed"))
    with pytest.raises(DecisionError, match="closed now"):
        _review(store, dec.id)
    done = _review(store, dec.id, approve=False, reason="delisted meanwhile")
    assert done.status == "rejected"
    assert _alert(store, alert_id)["status"] == "closed"
    with store.engine.connect() as conn:
        assert pending_reviews(conn) == []
        (rejected,) = [e for e in audit.entries(conn) if e.action == "decision.rejected"]
    assert rejected.data["alert"]["from"] == rejected.data["alert"]["to"] == "closed"
    assert audit.verify(store.engine).ok


def test_refused_calls_write_nothing_even_when_committed(store: Store) -> None:
    alert_id = _new_alert(store)
    with store.engine.begin() as conn:
        dec = decide(conn, alert_id, user="ann", roles=ANALYST, decision="true_match", reason="r")
    with store.engine.begin() as conn:
        for call in (
            lambda: decide(
                conn, alert_id, user="x", roles=ANALYST, decision="escalate", reason="r"
            ),
            lambda: review(conn, dec.id, user="ann", roles=APPROVER, approve=True, reason="r"),
            lambda: review(conn, dec.id, user="bob", roles=APPROVER, approve=True, reason=" "),
        ):
            with pytest.raises(DecisionError):
                call()
    assert _alert(store, alert_id)["status"] == "pending_approval"
    assert [a[0] for a in _actions(store)] == ["decision.made"]
    with store.engine.connect() as conn:
        assert [d.status for d in pending_reviews(conn)] == ["pending"]
