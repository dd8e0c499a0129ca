"""``clearance audit verify`` and ``clearance audit export`` on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from clearance import audit
from clearance.cli import app
from clearance.monitor.tables import alerts
from clearance.store import Store
from clearance.store.tables import list_versions
from clearance.workbench.decisions import decide, review
from tests.workbench.factory import make_alert

DAY1 = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
DAY2 = datetime(2026, 6, 2, 23, 59, 59, tzinfo=UTC)
DAY3 = datetime(2026, 6, 3, 0, 0, tzinfo=UTC)


@pytest.fixture
def env(store: Store, store_url: str, tmp_path: Path) -> dict[str, str]:
    return {"CLEARANCE_HOME": str(tmp_path), "CLEARANCE_DATABASE_URL": store_url}


def _run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["audit", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def _trail(store: Store) -> tuple[str, int]:
    """A decision and its approval (today), plus three dated entries on DAY1..DAY3."""
    with store.engine.begin() as conn:
        alert_id = make_alert(conn, sample=1)
        dec = decide(conn, alert_id, user="ann", roles={"analyst"}, decision="false_positive",
                     reason="different company")  # fmt: skip
        review(conn, dec.id, user="bob", roles={"approver"}, approve=True, reason="ok")
        version_id = conn.execute(select(alerts.c.version_id)).scalar_one()
        for at, subject in ((DAY1, "first"), (DAY2, "second"), (DAY3, "third")):
            audit.append(
                conn, actor="api-key-1", action="screen.api", subject=subject,
                data={"query_sha256": "ab" * 32}, at=at,
                versions=[version_id, {"id": version_id, "source": "x"}, 999_999],
            )  # fmt: skip
    return alert_id, version_id


def test_verify_ok_prints_count_and_head(store: Store, env: dict[str, str]) -> None:
    _trail(store)
    code, out, _ = _run(env, "verify")
    report = audit.verify(store.engine)
    assert code == 0, out
    assert "5 entries checked" in out and report.head_hash in out and "intact" in out
    code, out, _ = _run(env, "verify", "--json")
    body = json.loads(out)
    assert (code, body["ok"], body["checked"], body["head_hash"]) == (0, True, 5, report.head_hash)


def test_verify_names_each_problem_and_exits_1(store: Store, env: dict[str, str]) -> None:
    alert_id, _ = _trail(store)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"))
        conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    code, out, _ = _run(env, "verify")
    assert code == 1
    problems = [line for line in out.splitlines() if line.startswith("problem:")]
    assert len(problems) == 2, out
    assert "entry 1 (decision.made" in problems[0] and alert_id in problems[0]
    assert "by mallory at 20" in problems[0]
    assert problems[1].startswith("problem: entry 3 deleted after entry 2 (decision.approved")
    assert "BROKEN" in out and "4 entries checked" in out


def _version(store: Store, version_id: int) -> dict[str, object]:
    with store.engine.connect() as conn:
        row = conn.execute(select(list_versions).where(list_versions.c.id == version_id)).one()
    return {"id": version_id, "source": row.source, "publication_date": row.publication_date,
            "sha256": row.sha256}  # fmt: skip


def test_export_json_resolves_versions(store: Store, env: dict[str, str], tmp_path: Path) -> None:
    _, version_id = _trail(store)
    target = tmp_path / "out" / "audit.json"
    code, _, err = _run(
        env, "export", "--from", "2026-06-01", "--to", "2026-06-02", "-o", str(target)
    )
    assert code == 0, err
    assert "2 entries written" in err
    body = json.loads(target.read_text(encoding="utf-8"))
    assert (body["from"], body["to"]) == ("2026-06-01", "2026-06-02")
    assert body["head"]["seq"] == 5
    assert [e["subject"] for e in body["entries"]] == ["first", "second"]
    first = body["entries"][0]
    expected = _version(store, version_id)
    assert first["versions"] == [expected, expected, {"id": 999_999, "missing": True}]
    assert first["at"].startswith("2026-06-01T09:30:00")
    assert len(first["hash"]) == 64 and first["prev_hash"] != first["hash"]
    assert list(tmp_path.joinpath("out").iterdir()) == [target]  # no temporary file left


def test_export_csv_to_stdout_includes_decisions(store: Store, env: dict[str, str]) -> None:
    alert_id, version_id = _trail(store)
    today = datetime.now(UTC).date().isoformat()
    code, out, _ = _run(env, "export", "--from", today, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in rows] == ["decision.made", "decision.approved"]
    assert all(r["subject"] == alert_id for r in rows)
    published = _version(store, version_id)["publication_date"]
    assert f"us_ofac_sdn {published} (version {version_id}, sha256 " in rows[0]["versions"]
    data = json.loads(rows[0]["data"])
    assert data["decision"] == "false_positive" and data["reason"] == "different company"


def test_export_empty_range_is_valid_json(store: Store, env: dict[str, str]) -> None:
    _trail(store)
    code, out, _ = _run(env, "export", "--from", "2020-01-01", "--to", "2020-01-31")
    assert code == 0
    assert json.loads(out)["entries"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01"], "--from '2026-13-01' is not a date"),
        (["--from", "2026-06-02", "--to", "yesterday"], "--to 'yesterday' is not a date"),
        (["--from", "2026-06-02", "--to", "2026-06-01"], "ends (2026-06-01) before it starts"),
        (["--from", "2026-06-01", "--format", "xml"], "--format must be one of csv, json"),
    ],
)
def test_export_bad_options(
    store: Store, env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "never.json"
    code, _, err = _run(env, "export", *args, "-o", str(target))
    assert code == 1 and message in " ".join(err.split())
    assert not target.exists()
