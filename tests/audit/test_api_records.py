"""Every recorded API screening is also an audit entry (``screen.api``), written in the same
transaction as the screening record (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from clearance import audit
from clearance.api.records import AUDIT_MAX_HITS, RecordBook, canonical_sha256
from clearance.store import Store
from tests.api.conftest import make_settings

HIT = {
    "entity_id": "NK-abc",
    "caption": "Abdul Baqi Basir",
    "score": 0.9357,
    "explanation": [{"name": "name_match", "value": 0.95, "detail": "query 'Abdul' ~ ..."}],
}


def _book(store_url: str, tmp_path: Path, store: Store, **settings: object) -> RecordBook:
    return RecordBook(store.engine, make_settings(tmp_path, database_url=store_url, **settings))


def test_screening_record_has_an_audit_entry(store: Store, store_url: str, tmp_path: Path) -> None:
    book = _book(store_url, tmp_path, store)
    try:
        query = {"queries": {"q1": {"schema": "Person", "properties": {"name": ["Abdul"]}}}}
        first = book.add(
            key_id="k1", key_name="crm", endpoint="/match/default", query=query,
            versions=[{"id": 7, "source": "un_sc_sanctions"}, {"id": 9, "source": "eu_fsf"}],
            algorithm="clearance-v1", results={"q1": [HIT], "q2": []},
        )  # fmt: skip
        second = book.add(
            key_id=None, key_name=None, endpoint="/search/default", query={"q": "x"},
            versions=[], algorithm="clearance-v1", results={},
        )  # fmt: skip
        record = book.get(first)
    finally:
        book.close()
    assert record is not None
    with store.engine.connect() as conn:
        entries = list(audit.entries(conn))
    assert [(e.action, e.subject, e.actor) for e in entries] == [
        ("screen.api", first, "crm"),
        ("screen.api", second, "anonymous"),
    ]
    entry = entries[0]
    assert entry.versions == [7, 9]
    assert entry.data["query_sha256"] == record.query_sha256 == canonical_sha256(query)
    assert entry.data["endpoint"] == "/match/default" and entry.data["key_id"] == "k1"
    assert entry.data["results"] == {"q1": [["NK-abc", 0.9357]], "q2": []}
    assert entry.data["results_sha256"] == canonical_sha256(record.results)
    assert (entry.data["queries"], entry.data["hits"]) == (2, 1)
    assert entry.at == record.created_at
    assert audit.verify(store.engine).ok


def test_large_results_are_summarised_by_hash(store: Store, store_url: str, tmp_path: Path) -> None:
    book = _book(store_url, tmp_path, store, api_redact=True)
    hits = [{**HIT, "entity_id": f"e{i}"} for i in range(AUDIT_MAX_HITS + 1)]
    try:
        record_id = book.add(
            key_id="k", key_name="batch", endpoint="/match/default", query={},
            versions=[{"id": 1, "source": "s"}], algorithm="clearance-v1", results={"q": hits},
        )  # fmt: skip
        record = book.get(record_id)
    finally:
        book.close()
    assert record is not None
    with store.engine.connect() as conn:
        (entry,) = list(audit.entries(conn))
    assert entry.data["results"] == {} and entry.data["results_truncated"] is True
    assert entry.data["hits"] == AUDIT_MAX_HITS + 1
    assert entry.data["results_sha256"] == canonical_sha256(record.results)  # redacted, as stored


def test_no_record_without_its_audit_entry(store: Store, store_url: str, tmp_path: Path) -> None:
    """When the audit entry cannot be written, the screening record is not written either."""
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE audit_log"))
    book = _book(store_url, tmp_path, store)
    try:
        record_id = book.add(
            key_id="k", key_name="n", endpoint="/match/default", query={}, versions=[],
            algorithm="clearance-v1", results={},
        )  # fmt: skip
        assert book.get(record_id) is None
    finally:
        book.close()


def test_long_key_names_are_audited(store: Store, store_url: str, tmp_path: Path) -> None:
    """API key names may be longer than the trail's actor column: the record is not lost."""
    name = "integration key for the onboarding service " * 5
    book = _book(store_url, tmp_path, store)
    try:
        record_id = book.add(
            key_id="k", key_name=name, endpoint="/match/default", query={}, versions=[],
            algorithm="clearance-v1", results={},
        )  # fmt: skip
        assert book.get(record_id) is not None
    finally:
        book.close()
    with store.engine.connect() as conn:
        (entry,) = list(audit.entries(conn))
    assert entry.actor == name[:128] and entry.data["key_name"] == name
