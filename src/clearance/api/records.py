"""Screening records: the audit trail of every screening request.

Each record says who screened (API key id and name), when, the sha256 of the canonical query
(JSON with sorted keys, no spaces, UTF-8), the list versions searched, the algorithm and the
results (hits with scores and explanations). Records are written by a background thread in
small batches, so a request does not wait for the database; :meth:`RecordBook.get` flushes
first. With ``CLEARANCE_API_REDACT=true`` the query itself and the readable explanation details
(which quote the query) are not stored — the hash, versions, entity ids, scores and feature
values are. Records older than ``CLEARANCE_API_RETENTION_DAYS`` are deleted.

Each record is also appended to the tamper-evident audit trail (``clearance.audit``, action
``screen.api``) in the transaction that writes it: the query hash, endpoint, key, list version ids
and the hits (entity ids and scores) with the sha256 of the stored results. Purging expired
records leaves their audit entries (and the chain) intact.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from clearance import audit
from clearance.api.settings import ApiSettings
from clearance.api.tables import screening_records

log = logging.getLogger("clearance.api")
_FLUSH_SECONDS = 0.2


def canonical_sha256(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def redact_hit(hit: dict[str, Any]) -> dict[str, Any]:
    """A hit without text that quotes the query (explanation details and token pairs)."""
    out = dict(hit)
    out["explanation"] = [
        {k: v for k, v in f.items() if k not in ("detail", "tokens")}
        for f in hit.get("explanation", [])
    ]
    return out


AUDIT_MAX_HITS = 1000
"""At most this many (entity id, score) pairs go into a screening's audit entry; the sha256 of
the stored results always does, so the full record can be checked against the trail."""


def audit_screening(conn: Connection, row: dict[str, Any]) -> None:
    """The audit entry of one screening record (``screen.api``), in the record's transaction."""
    results: dict[str, list[dict[str, Any]]] = row["results"]
    summary: dict[str, list[list[Any]]] = {}
    total = 0
    for key, hits in results.items():
        pairs = [[h.get("entity_id"), h.get("score")] for h in hits if "entity_id" in h]
        total += len(pairs)
        summary[key] = pairs
    truncated = total > AUDIT_MAX_HITS
    audit.append(
        conn,
        actor=(row["key_name"] or row["key_id"] or "anonymous")[:128],  # names may be longer
        action="screen.api",
        subject=row["id"],
        data={
            "query_sha256": row["query_sha256"],
            "endpoint": row["endpoint"],
            "key_id": row["key_id"],
            "key_name": row["key_name"],
            "algorithm": row["algorithm"],
            "queries": len(results),
            "hits": total,
            "results": {} if truncated else summary,
            "results_truncated": truncated,
            "results_sha256": canonical_sha256(results),
        },
        versions=[v["id"] if isinstance(v, dict) and "id" in v else v for v in row["versions"]],
        at=row["created_at"],
    )


@dataclass(frozen=True)
class ScreeningRecord:
    id: str
    key_id: str | None
    key_name: str | None
    created_at: datetime
    endpoint: str
    query_sha256: str
    query: Any
    versions: list[dict[str, Any]]
    algorithm: str
    redacted: bool
    results: dict[str, list[dict[str, Any]]]


class RecordBook:
    """Writes (in the background), reads and purges screening records."""

    def __init__(self, engine: Engine, settings: ApiSettings) -> None:
        self.engine = engine
        self.redact = settings.api_redact
        self.retention = timedelta(days=settings.api_retention_days)
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._writer, name="records", daemon=True)
        self._thread.start()

    def add(
        self,
        *,
        key_id: str | None,
        key_name: str | None,
        endpoint: str,
        query: Any,
        versions: list[dict[str, Any]],
        algorithm: str,
        results: dict[str, list[dict[str, Any]]],
    ) -> str:
        """Queue a record; returns its id at once."""
        record_id = str(uuid.uuid4())
        if self.redact:
            results = {k: [redact_hit(h) for h in hits] for k, hits in results.items()}
        self._queue.put(
            {
                "id": record_id,
                "key_id": key_id,
                "key_name": key_name,
                "created_at": datetime.now(UTC),
                "endpoint": endpoint,
                "query_sha256": canonical_sha256(query),
                "query": None if self.redact else query,
                "versions": versions,
                "algorithm": algorithm,
                "redacted": int(self.redact),
                "results": results,
            }
        )
        return record_id

    def _writer(self) -> None:
        while True:
            item = self._queue.get()
            batch = [item]
            while True:
                try:
                    batch.append(self._queue.get(timeout=_FLUSH_SECONDS if item else 0))
                except queue.Empty:
                    break
                if len(batch) >= 500:
                    break
            rows = [r for r in batch if r is not None]
            try:
                if rows:
                    with self.engine.begin() as conn:
                        conn.execute(insert(screening_records), rows)
                        for row in rows:
                            audit_screening(conn, row)
            except Exception:
                log.exception("cannot write %d screening records", len(rows))
            finally:
                for _ in batch:
                    self._queue.task_done()
            if None in batch:
                return

    def flush(self) -> None:
        """Wait until every queued record is written."""
        self._queue.join()

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)

    def get(self, record_id: str) -> ScreeningRecord | None:
        self.flush()
        with self.engine.connect() as conn:
            row = conn.execute(
                select(screening_records).where(screening_records.c.id == record_id)
            ).first()
        if row is None:
            return None
        created = row.created_at
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return ScreeningRecord(
            id=row.id,
            key_id=row.key_id,
            key_name=row.key_name,
            created_at=created,
            endpoint=row.endpoint,
            query_sha256=row.query_sha256,
            query=row.query,
            versions=row.versions,
            algorithm=row.algorithm,
            redacted=bool(row.redacted),
            results=row.results,
        )

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete records older than the retention period; the number deleted."""
        cutoff = (now or datetime.now(UTC)) - self.retention
        with self.engine.begin() as conn:
            done = conn.execute(
                delete(screening_records).where(screening_records.c.created_at < cutoff)
            )
        return int(done.rowcount or 0)
