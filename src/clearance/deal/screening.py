"""Deal screening: every party against the active lists, each hit's exposure explained, the
50 Percent Rule applied to the deal's (and the lists') ownership links, and a verdict.

Verdicts, most severe first: ``blocked`` (a blocking listing, or ≥ 50% owned by blocked persons),
``restricted`` (sectoral, menu-based, export-control or other specific measures), ``review`` (a
possible match below the matcher's threshold, or possibly blocked by ownership), ``clear``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from followthemoney.proxy import EntityProxy

from clearance.deal.model import Deal, Party
from clearance.exposure import (
    Exposure,
    OwnershipEdge,
    OwnershipResult,
    apply_50_percent_rule,
    edges_from_ftm,
    explain_sanctions,
)
from clearance.screen import Hit, Screener
from clearance.store import Store

VERDICTS = ("blocked", "restricted", "review", "clear")
MAX_SANCTIONS = 50


def worst(verdicts: Iterable[str]) -> str:
    """The most severe verdict of ``verdicts`` (``clear`` when empty)."""
    found = set(verdicts)
    return next((v for v in VERDICTS if v in found), "clear")


@dataclass
class PartyHit:
    """One list entity a party matched, with what its listings mean."""

    hit: Hit
    exposure: Exposure
    verdict: str
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        exp = self.exposure
        return {
            **self.hit.to_dict(),
            "verdict": self.verdict,
            "reasons": self.reasons,
            "exposure": {
                "summary": exp.summary,
                "blocked": exp.is_blocked,
                "measure_types": list(exp.measure_types),
                "unknown_programs": [u.code for u in exp.unknown_programs],
                "listings": [
                    {
                        "sanction_id": item.sanction_id,
                        "authority": item.authority,
                        "programs": [p.code for p in item.programs],
                        "measure_type": item.measure_type,
                        "secondary_sanctions": list(item.secondary_sanctions),
                        "directives": list(item.directives),
                        "caatsa_235": [caatsa_dict(m) for m in item.caatsa_235],
                        "listing_date": item.listing_date,
                        "summary": item.summary,
                    }
                    for item in exp.listings
                ],
            },
        }


def caatsa_dict(measure: Any) -> dict[str, Any]:
    """A CAATSA 235 measure (known or unknown) as a plain dict."""
    return {
        "section": f"235(a)({measure.number})",
        "title": getattr(measure, "title", None) or getattr(measure, "text", ""),
        "meaning": getattr(measure, "meaning", None),
    }


@dataclass
class PartyResult:
    """The screening of one party."""

    party: Party
    hits: list[PartyHit] = field(default_factory=list)
    ownership: list[str] = field(default_factory=list)
    verdict: str = "clear"
    reasons: list[str] = field(default_factory=list)

    @property
    def secondary_sanctions(self) -> list[str]:
        out: list[str] = []
        for ph in self.hits:
            for item in ph.exposure.listings:
                out.extend(s for s in item.secondary_sanctions if s not in out)
        return out

    @property
    def caatsa_235(self) -> list[str]:
        out: list[str] = []
        for ph in self.hits:
            for item in ph.exposure.listings:
                out.extend(
                    f"235(a)({m.number})"
                    for m in item.caatsa_235
                    if f"235(a)({m.number})" not in out
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party.model_dump(mode="json", by_alias=True),
            "verdict": self.verdict,
            "reasons": self.reasons,
            "secondary_sanctions": self.secondary_sanctions,
            "caatsa_235": self.caatsa_235,
            "ownership": self.ownership,
            "hits": [h.to_dict() for h in self.hits],
        }


@dataclass
class DealResult:
    """The screening of a whole deal, with the list versions it was screened against."""

    deal: Deal
    parties: list[PartyResult]
    verdict: str
    reasons: list[str]
    lists: list[dict[str, Any]]
    screened_at: str
    ownership_warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "deal": self.deal.model_dump(mode="json", by_alias=True, exclude={"parties"}),
            "verdict": self.verdict,
            "reasons": self.reasons,
            "screened_at": self.screened_at,
            "lists": self.lists,
            "ownership_warnings": self.ownership_warnings,
            "parties": [p.to_dict() for p in self.parties],
        }


def hit_verdict(hit: Hit, exposure: Exposure) -> tuple[str, list[str]]:
    """The verdict one hit gives its party, and why."""
    if not hit.match:
        return "review", [f"possible match {hit.caption} ({hit.score:.2f}): {hit.reasons()}"]
    label = f"{hit.caption} [{hit.source}] ({hit.score:.2f})"
    if exposure.is_blocked:
        return "blocked", [f"matches {label}: {exposure.summary}"]
    if exposure.listings:
        return "restricted", [f"matches {label}: {exposure.summary}"]
    return "review", [f"matches {label}, but no listing was found for it"]


class DealScreener:
    """Screens deals against a store's active lists (see module doc)."""

    def __init__(
        self,
        store: Store,
        screener: Screener,
        *,
        review_threshold: float = 0.7,
        limit: int = 10,
        list_ownership: bool = True,
    ) -> None:
        self.store = store
        self.screener = screener
        self.review_threshold = review_threshold
        self.limit = limit
        self.list_ownership = list_ownership
        self._list_edges: list[OwnershipEdge] | None = None

    def sanctions(self, entity_id: str, version_id: int) -> list[EntityProxy]:
        """The Sanction entities of an entity in one list version (``<id>-sanction[-N]``)."""
        found: list[EntityProxy] = []
        base = f"{entity_id}-sanction"
        first = self.store.entity(base, version_id)
        if first is not None:
            found.append(first)
        for n in range(0 if first is None else 1, MAX_SANCTIONS):
            proxy = self.store.entity(f"{base}-{n}", version_id)
            if proxy is None:
                if n >= 1:
                    break
                continue
            found.append(proxy)
        return found

    def list_edges(self) -> list[OwnershipEdge]:
        """Ownership relations published in the active lists (read once)."""
        if self._list_edges is None:
            owned = (p for _, p in self.store.active_entities() if p.schema.name == "Ownership")
            self._list_edges = list(edges_from_ftm(owned)) if self.list_ownership else []
        return self._list_edges

    def screen_party(self, party: Party) -> PartyResult:
        threshold = min(self.review_threshold, self.screener.matcher.threshold)
        result = self.screener.screen(party.query(), threshold=threshold, limit=self.limit)
        out = PartyResult(party)
        for hit in result.hits:
            exposure = explain_sanctions(
                self.sanctions(hit.entity_id, hit.version_id),
                entity=hit.entity_id,
                dataset=hit.source,
            )
            verdict, reasons = hit_verdict(hit, exposure)
            out.hits.append(PartyHit(hit, exposure, verdict, reasons))
        out.verdict = worst(h.verdict for h in out.hits)
        out.reasons = [r for h in out.hits if h.verdict == out.verdict for r in h.reasons]
        return out

    def apply_ownership(self, deal: Deal, parties: list[PartyResult]) -> OwnershipResult | None:
        """The 50% rule over the deal's links plus the lists' (matched entities → parties)."""
        alias: dict[str, str] = {}
        for pr in parties:
            for ph in pr.hits:
                if ph.hit.match:
                    alias.setdefault(ph.hit.entity_id, pr.party.id or "")
        edges = [OwnershipEdge(o.owner, o.asset, o.percentage) for o in deal.ownership]
        if self.list_ownership:
            edges += [
                OwnershipEdge(
                    alias.get(e.owner, e.owner), alias.get(e.asset, e.asset), e.percentage, e.id
                )
                for e in self.list_edges()
            ]
        if not edges:
            return None
        listed = {pr.party.id for pr in parties if pr.verdict == "blocked" and pr.party.id}
        for edge in edges:
            for node in (edge.owner, edge.asset):
                if node not in alias and node not in listed and self._is_blocked_entity(node):
                    listed.add(node)
        names = {pr.party.id or "": pr.party.name for pr in parties}
        labels = {pid: "blocked party" for pid in listed if pid in names}
        return apply_50_percent_rule(edges, listed, labels=labels, names=names)

    def _is_blocked_entity(self, entity_id: str) -> bool:
        found = self.store.entity_record(entity_id)
        if found is None or not found[0].active:
            return False
        version, _, _ = found
        sanctions = self.sanctions(entity_id, version.id)
        return explain_sanctions(sanctions, entity=entity_id, dataset=version.source).is_blocked

    def screen(self, deal: Deal) -> DealResult:
        parties = [self.screen_party(p) for p in deal.parties]
        warnings: list[str] = []
        ownership = self.apply_ownership(deal, parties)
        if ownership is not None:
            warnings = list(ownership.warnings)
            for pr in parties:
                finding = ownership.findings.get(pr.party.id or "")
                if finding is None:
                    continue
                pr.ownership.append(finding.explanation)
                level = "blocked" if finding.status == "blocked" else "review"
                if worst([level, pr.verdict]) == level and level != pr.verdict:
                    pr.verdict, pr.reasons = level, []
                if level == pr.verdict:
                    pr.reasons.append(f"50 Percent Rule: {finding.explanation}")
        verdict = worst(p.verdict for p in parties)
        reasons = [
            f"{p.party.role.value} {p.party.name}: {p.verdict}"
            for p in parties
            if p.verdict != "clear"
        ]
        lists = [
            {
                "source": v.source,
                "version_id": v.id,
                "format": v.format,
                "publication_date": v.publication_date,
                "loaded_at": v.loaded_at.isoformat() if v.loaded_at else None,
                "entity_count": v.entity_count,
            }
            for v in self.store.active_versions()
        ]
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return DealResult(deal, parties, verdict, reasons, lists, now, warnings)
