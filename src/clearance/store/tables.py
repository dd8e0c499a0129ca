"""The store's tables (SQLAlchemy Core), identical on SQLite and PostgreSQL.

``entity_blobs``      one row per distinct entity content (hash = sha256 of canonical JSON)
``list_versions``     one row per loaded list publication (immutable once written)
``version_entities``  which entity (by id) a version holds, pointing at its content hash
``active_versions``   the version each source serves; switching it is one row update
``source_state``      what the downloader last saw of a source (ETag, checksum, errors)

The Alembic migrations in ``clearance/store/migrations`` create exactly these tables; a test
checks that the migrated schema matches them. Other packages keeping tables in the same database
define them on this ``metadata`` (``clearance.api.tables`` 0002, ``clearance.monitor.tables`` 0003,
``clearance.audit.tables`` and ``clearance.workbench.tables`` 0004) and are listed
in ``migrations/env.py``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

entity_blobs = Table(
    "entity_blobs",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("schema", String(64), nullable=False),
    Column("data", Text, nullable=False),
)

list_versions = Table(
    "list_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(128), nullable=False),
    Column("format", String(64), nullable=False),
    Column("publication_date", String(32), nullable=True),
    Column("sha256", String(64), nullable=False),
    Column("files", JSON, nullable=False),
    Column("entity_count", Integer, nullable=False, default=0),
    Column("schema_counts", JSON, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    #: fingerprint of the parser code that produced the version (``clearance.sources.version``)
    Column("parser_version", String(64), nullable=True),
    Index("ix_list_versions_source_sha256", "source", "sha256"),
)

version_entities = Table(
    "version_entities",
    metadata,
    Column(
        "version_id",
        Integer,
        ForeignKey("list_versions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("entity_id", String(255), primary_key=True),
    Column("hash", String(64), ForeignKey("entity_blobs.hash"), nullable=False),
    Column("record_id", String(255), nullable=True),
    Index("ix_version_entities_entity_id", "entity_id"),
)

active_versions = Table(
    "active_versions",
    metadata,
    Column("source", String(128), primary_key=True),
    Column("version_id", Integer, ForeignKey("list_versions.id"), nullable=False),
)

source_state = Table(
    "source_state",
    metadata,
    Column("source", String(128), primary_key=True),
    Column("etag", String(512), nullable=True),
    Column("last_modified", String(128), nullable=True),
    Column("sha256", String(64), nullable=True),
    Column("checked_at", DateTime(timezone=True), nullable=True),
    Column("fetched_at", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("stale", Boolean, nullable=False, default=False),
)

#: the tables this module defines (others may share ``metadata``)
STORE_TABLES = (entity_blobs, list_versions, version_entities, active_versions, source_state)
