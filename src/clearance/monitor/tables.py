"""Monitoring tables (SQLAlchemy Core) on the store's MetaData; migration ``0003_monitor``.

``book_records``          the current version of each customer / counterparty record of a book
                          (``screened_hash``: the record content last screened against the whole
                          index; a delta run re-screens records whose hash differs)
``book_record_versions``  every version of every book record (a changed record is re-screened)
``alerts``                one row per (book record, list entity) pair that screening flagged
``alert_events``          the history of an alert (raised, re-scored, assigned, decided, closed)
``goodguys``              pairs cleared as false positives: suppressed while neither side changes
``monitor_runs``          full and delta screening runs, with progress and the versions they used
                          (``heartbeat_at``: last chunk commit; a "running" run without a recent
                          heartbeat was interrupted and is resumed)
``run_chunks``            the chunks a run has committed (a restarted run skips them: no alert lost
                          or raised twice)
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from clearance.store.tables import metadata

book_records = Table(
    "book_records",
    metadata,
    Column("book", String(128), primary_key=True),
    Column("record_id", String(255), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),
    Column("screened_hash", String(64), nullable=True),
)

book_record_versions = Table(
    "book_record_versions",
    metadata,
    Column("book", String(128), primary_key=True),
    Column("record_id", String(255), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("data", JSON, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("book", String(128), nullable=False),
    Column("record_id", String(255), nullable=False),
    Column("record_version", Integer, nullable=False),
    Column("record_hash", String(64), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("entity_hash", String(64), nullable=False),
    Column("source", String(128), nullable=False),
    Column("version_id", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("hit", JSON, nullable=False),
    Column("cause", JSON, nullable=False),
    Column("status", String(24), nullable=False),
    Column("assignee", String(128), nullable=True),
    Column("run_id", String(36), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("closed_reason", Text, nullable=True),
    Index("ix_alerts_pair", "book", "record_id", "entity_id"),
    Index("ix_alerts_status", "status"),
    Index("ix_alerts_created_at", "created_at"),
)

alert_events = Table(
    "alert_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_alert_events_alert_id", "alert_id"),
)

goodguys = Table(
    "goodguys",
    metadata,
    Column("book", String(128), primary_key=True),
    Column("record_id", String(255), primary_key=True),
    Column("entity_id", String(255), primary_key=True),
    Column("record_hash", String(64), nullable=False),
    Column("entity_hash", String(64), nullable=False),
    Column("alert_id", String(36), nullable=True),
    Column("decided_by", String(128), nullable=False),
    Column("approved_by", String(128), nullable=True),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

monitor_runs = Table(
    "monitor_runs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("book", String(128), nullable=False),
    Column("engine", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("versions", JSON, nullable=False),
    Column("previous_versions", JSON, nullable=False),
    Column("plan", JSON, nullable=False),
    Column("total", Integer, nullable=False, default=0),
    Column("done", Integer, nullable=False, default=0),
    Column("alerts_raised", Integer, nullable=False, default=0),
    Column("alerts_closed", Integer, nullable=False, default=0),
    Column("error", Text, nullable=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("heartbeat_at", DateTime(timezone=True), nullable=True),
)

run_chunks = Table(
    "run_chunks",
    metadata,
    Column("run_id", String(36), primary_key=True),
    Column("chunk", Integer, primary_key=True),
    Column("rows", Integer, nullable=False),
    Column("alerts", Integer, nullable=False),
    Column("committed_at", DateTime(timezone=True), nullable=False),
)

MONITOR_TABLES = (
    book_records,
    book_record_versions,
    alerts,
    alert_events,
    goodguys,
    monitor_runs,
    run_chunks,
)
