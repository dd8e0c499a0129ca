"""Screening results: hits with score, explanation and provenance (lightweight, hot path)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clearance.index.records import EntityRecord
from clearance.match import Feature, MatchResult


@dataclass(slots=True)
class Hit:
    """One listed entity that matched a query."""

    score: float
    match: bool
    result: MatchResult
    record: EntityRecord

    @property
    def entity_id(self) -> str:
        return self.record.id

    @property
    def caption(self) -> str:
        return self.record.caption

    @property
    def schema(self) -> str:
        return self.record.schema

    @property
    def source(self) -> str:
        return self.record.source

    @property
    def version_id(self) -> int:
        return self.record.version_id

    @property
    def publication_date(self) -> str | None:
        return self.record.publication_date

    @property
    def programs(self) -> list[str]:
        return self.record.programs

    @property
    def listing_dates(self) -> list[str]:
        return self.record.listing_dates

    @property
    def explanation(self) -> list[Feature]:
        return self.result.explanation

    def reasons(self) -> str:
        """The explanation as one line: ``feature (+contribution): detail; ...``."""
        parts = []
        for feature in self.explanation:
            detail = f": {feature.detail}" if feature.detail else ""
            parts.append(f"{feature.name} ({feature.contribution:+.2f}){detail}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "caption": self.caption,
            "schema": self.schema,
            "source": self.source,
            "version_id": self.version_id,
            "publication_date": self.publication_date,
            "programs": self.programs,
            "listing_dates": self.listing_dates,
            "score": round(self.score, 4),
            "match": self.match,
            "algorithm": self.result.algorithm,
            "explanation": [f.to_dict() for f in self.explanation],
        }


@dataclass(slots=True)
class ScreenResult:
    """The hits of one query, best first, and how many candidates were scored."""

    query: dict[str, Any]
    hits: list[Hit] = field(default_factory=list)
    candidates: int = 0
    threshold: float = 0.0

    @property
    def query_id(self) -> str | None:
        value = self.query.get("id")
        return None if value is None else str(value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "threshold": self.threshold,
            "candidates": self.candidates,
            "hits": [h.to_dict() for h in self.hits],
        }
