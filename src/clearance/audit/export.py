"""Export the audit trail for a date range, with the list versions each entry relied on.

An auditor asks "what did you screen against when you cleared this customer?". Entries store list
version *ids* (small, and the chain hashes them); the export resolves each id to the source, its
publication date and the sha256 of the files loaded, read from ``list_versions`` — so the answer
names the exact publication, even after newer versions replaced it.

Both formats stream (one entry at a time), so a year of entries does not have to fit in memory.
Every exported entry keeps its ``prev_hash`` and ``hash``: a reader can re-check the links inside
the range, and the range's last hash against the head hash published at the time.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from clearance.audit.chain import AuditEntry, entries
from clearance.store.tables import list_versions

FORMATS = ("csv", "json")
CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "versions",
    "data",
    "prev_hash",
    "hash",
)


def day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """``[start 00:00 UTC, end + 1 day 00:00 UTC)``: both days included."""
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    return (
        datetime.combine(start, time(), UTC),
        datetime.combine(end + timedelta(days=1), time(), UTC),
    )


def _version_id(value: Any) -> int | None:
    """Entries name versions by id; some writers store ``{"id": .., "source": ..}``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), int):
        return int(value["id"])
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


class VersionResolver:
    """Looks up list versions by id once each."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.cache: dict[int, dict[str, Any]] = {}

    def __call__(self, value: Any) -> dict[str, Any]:
        version_id = _version_id(value)
        if version_id is None:
            return {"id": None, "raw": value}
        if version_id not in self.cache:
            row = self.conn.execute(
                select(
                    list_versions.c.source,
                    list_versions.c.publication_date,
                    list_versions.c.sha256,
                ).where(list_versions.c.id == version_id)
            ).first()
            if row is None:
                self.cache[version_id] = {"id": version_id, "missing": True}
            else:
                self.cache[version_id] = {
                    "id": version_id,
                    "source": row.source,
                    "publication_date": row.publication_date,
                    "sha256": row.sha256,
                }
        return self.cache[version_id]


def export_entries(
    conn: Connection, start: datetime | None, end: datetime | None
) -> Iterator[dict[str, Any]]:
    """Entries with ``start <= at < end`` in sequence order, versions resolved."""
    resolve = VersionResolver(conn)
    for entry in entries(conn, start, end):
        yield _row(entry, resolve)


def _row(entry: AuditEntry, resolve: VersionResolver) -> dict[str, Any]:
    out = entry.to_dict()
    out["versions"] = [resolve(v) for v in entry.versions]
    return out


def _version_text(version: dict[str, Any]) -> str:
    if version.get("id") is None:
        return json.dumps(version.get("raw"), ensure_ascii=False)
    if version.get("missing"):
        return f"version {version['id']} (not in the store)"
    published = version.get("publication_date") or "undated"
    return f"{version['source']} {published} (version {version['id']}, sha256 {version['sha256']})"


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """One line per entry; ``versions`` readable, ``data`` as JSON. Returns the number written."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        versions = "; ".join(_version_text(v) for v in row["versions"])
        data = json.dumps(row["data"], ensure_ascii=False, sort_keys=True)
        writer.writerow(
            [
                row["seq"],
                row["at"],
                row["actor"],
                row["action"],
                row["subject"],
                versions,
                data,
                row["prev_hash"],
                row["hash"],
            ]
        )
        count += 1
    return count


def write_json(rows: Iterator[dict[str, Any]], out: IO[str], meta: dict[str, Any]) -> int:
    """``{...meta, "entries": [...]}``, streamed; returns the number of entries written."""
    head = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True)
    out.write(head[:-1].rstrip() + (',\n  "entries": [' if meta else '\n  "entries": ['))
    count = 0
    for row in rows:
        out.write("," if count else "")
        out.write("\n    " + json.dumps(row, ensure_ascii=False, sort_keys=True))
        count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return count


__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "VersionResolver",
    "day_range",
    "export_entries",
    "write_csv",
    "write_json",
]
