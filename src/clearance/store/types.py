"""The store's result types: a list version's metadata and a source's download state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def utc(value: datetime) -> datetime:
    """A datetime read back from the store, in UTC: SQLite hands back naive datetimes, and
    everything the store writes is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class VersionInfo:
    """One loaded list publication. ``sha256`` is of the input files (see ``files_sha256``)."""

    id: int
    source: str
    format: str
    publication_date: str | None
    sha256: str
    files: list[str]
    entity_count: int
    schema_counts: dict[str, int]
    warnings: list[str]
    loaded_at: datetime
    active: bool
    #: ``ready`` for a loaded version; ``failed`` records a load that was rolled back
    status: str = "ready"
    #: fingerprint of the parser code that produced it (None: loaded before it was recorded)
    parser_version: str | None = None

    def age_seconds(self, now: datetime | None = None) -> float:
        """Seconds since the version was loaded."""
        now = now or datetime.now(UTC)
        return (now - self.loaded_at).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "publication_date": self.publication_date,
            "sha256": self.sha256,
            "files": list(self.files),
            "entity_count": self.entity_count,
            "schema_counts": dict(self.schema_counts),
            "warnings": list(self.warnings),
            "loaded_at": self.loaded_at.isoformat(),
            "active": self.active,
            "status": self.status,
            "parser_version": self.parser_version,
        }


@dataclass
class SourceState:
    """What the downloader last saw of a source; a failed fetch sets ``stale``, ``last_error``."""

    source: str
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    checked_at: datetime | None = None
    fetched_at: datetime | None = None
    last_error: str | None = None
    stale: bool = False
