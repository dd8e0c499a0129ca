"""The API's tables (SQLAlchemy Core) on the store's MetaData; migration ``0002_api`` makes them.

``api_keys``           one row per API key: id (public prefix), name, role, keyed hash, revocation
``screening_records``  the audit trail: who screened what (query hash), when, against which
                       list versions, and the results
``jobs``               batch screening jobs: owner, status, progress, input and output files
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Float, Index, Integer, String, Table, Text

from clearance.store.tables import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("rate_per_minute", Float, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

screening_records = Table(
    "screening_records",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("key_id", String(32), nullable=True),
    Column("key_name", String(255), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("endpoint", String(255), nullable=False),
    Column("query_sha256", String(64), nullable=False),
    Column("query", JSON, nullable=True),
    Column("versions", JSON, nullable=False),
    Column("algorithm", String(64), nullable=False),
    Column("redacted", Integer, nullable=False, default=0),
    Column("results", JSON, nullable=False),
    Index("ix_screening_records_created_at", "created_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("key_id", String(32), nullable=True),
    Column("status", String(16), nullable=False),
    Column("format", String(16), nullable=False),
    Column("options", JSON, nullable=False),
    Column("total", Integer, nullable=False, default=0),
    Column("done", Integer, nullable=False, default=0),
    Column("hits", Integer, nullable=False, default=0),
    Column("errors", JSON, nullable=False),
    Column("message", Text, nullable=True),
    Column("screening_id", String(36), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
)
