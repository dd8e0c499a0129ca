"""The audit trail's tables on the store's MetaData; migration ``0004_workbench``.

``audit_log``   append-only, hash-chained entries: ``hash = sha256(prev_hash + canonical entry)``
``audit_head``  one row holding the last sequence number and hash; appending updates it in the same
                transaction, which serialises concurrent writers on SQLite and PostgreSQL alike
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Table, Text

from clearance.store.tables import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("data", JSON, nullable=False),
    Column("versions", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_at", "at"),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("note", Text, nullable=True),
)

AUDIT_TABLES = (audit_log, audit_head)
