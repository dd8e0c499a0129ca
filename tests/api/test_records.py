"""Screening records: who, when, sha256 of the canonical query, versions, results; retention
and redaction."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from clearance.api.records import RecordBook, canonical_sha256
from clearance.api.tables import screening_records
from clearance.store import Store
from tests.api.conftest import Server, make_settings

BODY = {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Abdul Baqi Basir"]}}}}


def test_each_match_request_is_recorded(server: Server) -> None:
    with server.client() as client:
        resp = client.post("/match/un_sc_sanctions", json=BODY, params={"limit": 3})
    record_id = resp.headers["x-screening-id"]
    state_records = RecordBook(server.store.engine, server.settings)
    try:
        record = None
        for _ in range(50):
            record = state_records.get(record_id)
            if record is not None:
                break
            import time

            time.sleep(0.1)
    finally:
        state_records.close()
    assert record is not None
    assert record.key_name == "test-screen"
    assert record.endpoint == "/match/un_sc_sanctions"
    assert abs((datetime.now(UTC) - record.created_at).total_seconds()) < 60
    # independent hash of the canonical form of what was screened
    query = {
        "queries": {"q1": {"id": None, "schema": "Person",
                           "properties": {"name": ["Abdul Baqi Basir"]}}},
        "params": {"limit": "3"},
    }  # fmt: skip
    text = json.dumps(query, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert record.query_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert [v["source"] for v in record.versions] == ["un_sc_sanctions"]
    hits = record.results["q1"]
    shown = resp.json()["responses"]["q1"]["results"]
    assert [h["entity_id"] for h in hits] == [r["id"] for r in shown]
    assert hits[0]["explanation"][0]["detail"]


def test_redaction_and_retention(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, api_redact=True, api_retention_days=30)
    with Store.open(settings.db_url) as store:
        book = RecordBook(store.engine, settings)
        hit = {
            "entity_id": "e1",
            "score": 0.9,
            "explanation": [
                {"name": "name_match", "value": 0.9, "detail": "query 'Jane Roe' ~ ...",
                 "tokens": [{"query": "jane"}]}
            ],
        }  # fmt: skip
        query = {"queries": {"q": {"properties": {"name": ["Jane Roe"]}}}}
        record_id = book.add(
            key_id="k", key_name="n", endpoint="/match/default", query=query,
            versions=[{"id": 1, "source": "s"}], algorithm="clearance-v1", results={"q": [hit]},
        )  # fmt: skip
        record = book.get(record_id)
        assert record is not None and record.redacted
        assert record.query is None
        assert record.query_sha256 == canonical_sha256(query)
        assert "Jane" not in json.dumps(record.results)
        assert record.results["q"][0]["explanation"][0]["value"] == 0.9
        # age the record past the retention period
        with store.engine.begin() as conn:
            conn.execute(
                screening_records.update().values(created_at=datetime.now(UTC) - timedelta(days=31))
            )
        fresh = book.add(
            key_id="k", key_name="n", endpoint="/x", query={}, versions=[],
            algorithm="clearance-v1", results={},
        )  # fmt: skip
        book.flush()
        assert book.purge_expired() == 1
        with store.engine.connect() as conn:
            left = [r.id for r in conn.execute(select(screening_records.c.id))]
        assert left == [fresh]
        book.close()
