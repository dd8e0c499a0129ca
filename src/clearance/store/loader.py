"""Writing one list version inside one transaction.

The version row, every entity and (if asked) the activation are written on a single connection
in a single transaction; the caller commits only after the parser's iterator is exhausted
without error. Any exception rolls all of it back, so the previously active version keeps
serving and no half-loaded version remains. Entities go in batches (``executemany``); content
already in ``entity_blobs`` is skipped by the database (``ON CONFLICT DO NOTHING``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta
from clearance.sources.version import parser_version
from clearance.store.canonical import canonicalize
from clearance.store.tables import active_versions, entity_blobs, list_versions, version_entities

BATCH_SIZE = 2000
#: ``version_entities.entity_id`` is a VARCHAR(255)
MAX_ID_LENGTH = 255
Progress = Callable[[int], None]


def insert_ignoring_duplicates(conn: Connection, table: Any) -> Insert:
    """``INSERT ... ON CONFLICT DO NOTHING`` in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(f"unsupported database: {conn.dialect.name}")


def set_active(conn: Connection, source: str, version_id: int) -> None:
    """Point ``source`` at ``version_id`` (inside the caller's transaction)."""
    result = conn.execute(
        update(active_versions)
        .where(active_versions.c.source == source)
        .values(version_id=version_id)
    )
    if result.rowcount == 0:
        conn.execute(insert(active_versions).values(source=source, version_id=version_id))


def _error_path(meta: ListMeta) -> Path:
    return meta.files[0] if meta.files else Path(meta.source)


class VersionWriter:
    """Streams a parser's entities into a new version row on an open transaction."""

    def __init__(self, conn: Connection, meta: ListMeta, source: str, sha256: str) -> None:
        self.conn = conn
        self.meta = meta
        self.source = source
        self.sha256 = sha256
        self.count = 0
        self.schema_counts: Counter[str] = Counter()
        self._seen: dict[str, str] = {}
        self._blobs_insert = insert_ignoring_duplicates(conn, entity_blobs)
        self.version_id = self._create_row()

    def _create_row(self) -> int:
        result = self.conn.execute(
            insert(list_versions)
            .values(
                source=self.source,
                format=self.meta.format,
                publication_date=self.meta.publication_date,
                sha256=self.sha256,
                files=[str(p) for p in self.meta.files],
                entity_count=0,
                schema_counts={},
                warnings=[],
                loaded_at=datetime.now(UTC),
                status="ready",
                parser_version=parser_version(),
            )
            .returning(list_versions.c.id)
        )
        return int(result.scalar_one())

    def write(self, entities: Iterable[Emitted], progress: Progress | None = None) -> None:
        batch: list[tuple[Emitted, Any]] = []
        for emitted in entities:
            batch.append((emitted, self._check(emitted)))
            if len(batch) >= BATCH_SIZE:
                self._flush(batch)
                batch = []
                if progress is not None:
                    progress(self.count)
        if batch:
            self._flush(batch)
        if progress is not None:
            progress(self.count)

    def _check(self, emitted: Emitted) -> Any:
        entity_id = emitted.entity.id
        record = str(emitted.record)
        if not entity_id:
            raise ListFormatError(_error_path(self.meta), f"record {record}", "entity has no id")
        if len(entity_id) > MAX_ID_LENGTH:
            raise ListFormatError(
                _error_path(self.meta),
                f"record {record}",
                f"entity id longer than {MAX_ID_LENGTH} characters: {entity_id[:40]!r}...",
            )
        if entity_id in self._seen:
            first = self._seen[entity_id]
            raise ListFormatError(
                _error_path(self.meta),
                f"record {record}",
                f"duplicate entity id {entity_id!r} (first seen in record {first})",
            )
        self._seen[entity_id] = record
        return canonicalize(emitted.entity)

    def _flush(self, batch: list[tuple[Emitted, Any]]) -> None:
        blobs = [{"hash": c.hash, "schema": c.data["schema"], "data": c.text} for _, c in batch]
        self.conn.execute(self._blobs_insert, blobs)
        rows = [
            {
                "version_id": self.version_id,
                "entity_id": c.data["id"],
                "hash": c.hash,
                "record_id": str(e.record)[:255],
            }
            for e, c in batch
        ]
        self.conn.execute(insert(version_entities), rows)
        self.count += len(batch)
        self.schema_counts.update(c.data["schema"] for _, c in batch)

    def finish(self, activate: bool) -> int:
        """Write the counts and warnings gathered while reading; activate if asked."""
        self.conn.execute(
            update(list_versions)
            .where(list_versions.c.id == self.version_id)
            .values(
                entity_count=self.count,
                schema_counts=dict(sorted(self.schema_counts.items())),
                warnings=list(self.meta.warnings),
                publication_date=self.meta.publication_date,
            )
        )
        if activate:
            set_active(self.conn, self.source, self.version_id)
        return self.version_id


def record_failure(conn: Connection, meta: ListMeta, source: str, sha256: str, error: str) -> int:
    """A ``failed`` version row with no entities, so status can say the last load failed."""
    result = conn.execute(
        insert(list_versions)
        .values(
            source=source,
            format=meta.format,
            publication_date=meta.publication_date,
            sha256=sha256,
            files=[str(p) for p in meta.files],
            entity_count=0,
            schema_counts={},
            warnings=[error],
            loaded_at=datetime.now(UTC),
            status="failed",
            parser_version=parser_version(),
        )
        .returning(list_versions.c.id)
    )
    return int(result.scalar_one())
