"""OFAC's 50 Percent Rule over ownership edges: which unlisted entities are blocked, and why.

Rule: an entity owned 50% or more, in aggregate, directly or indirectly, by one or more blocked
persons is itself blocked. Indirect ownership runs only through entities that are themselves
blocked (by listing or by this rule): a blocked company's whole stake counts, an unblocked
company's stake counts for nothing, however it is owned. Shares are not multiplied along a chain.

:func:`apply_50_percent_rule` is a pure function over :class:`OwnershipEdge` s and a set of listed
ids. It computes two least fixpoints: *blocked* counts the known minimum of every share held by a
blocked owner; *possibly blocked* counts the maximum (an undetermined share may be as large as
what the other owners leave over). Both only ever add entities, so they terminate on any graph,
cycles included. :func:`edges_from_ftm` adapts FollowTheMoney ``Ownership`` entities.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clearance.exposure.shares import UNDETERMINED, Share, ShareError, parse_share

THRESHOLD = 50.0
MAX_CHAINS = 20


@dataclass(frozen=True, slots=True)
class OwnershipEdge:
    """``owner`` holds ``percentage`` (raw text, number or None) of ``asset``."""

    owner: str
    asset: str
    percentage: str | float | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Holding:
    """A stake in a flagged entity held by a blocked (or possibly blocked) owner."""

    owner: str
    share: Share
    owner_status: str  # "listed", "blocked", "possibly_blocked"


@dataclass(frozen=True, slots=True)
class OwnershipFinding:
    """An unlisted entity that the rule blocks (or may block), with the reasons."""

    entity: str
    status: str  # "blocked" or "possibly_blocked"
    blocked_share: float  # known minimum held by blocked owners
    possible_share: float  # maximum that blocked or possibly blocked owners could hold
    holdings: tuple[Holding, ...]
    chains: tuple[tuple[tuple[str, str, str], ...], ...]  # (owner, share, asset) hops
    explanation: str


@dataclass
class OwnershipResult:
    findings: dict[str, OwnershipFinding] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> set[str]:
        return {k for k, f in self.findings.items() if f.status == "blocked"}

    @property
    def possibly_blocked(self) -> set[str]:
        return {k for k, f in self.findings.items() if f.status == "possibly_blocked"}


def _merge(a: Share, b: Share) -> Share:
    """Two edges for the same owner and asset: one holding reported twice, never summed."""
    if not a.known:
        return b
    if not b.known:
        return a
    return Share(max(a.low, b.low), max(a.high, b.high), a.raw)


def _stakes(edges: Iterable[OwnershipEdge], warnings: list[str]) -> dict[str, dict[str, Share]]:
    """asset -> owner -> share, with bad percentages read as undetermined (and warned)."""
    out: dict[str, dict[str, Share]] = {}
    for edge in edges:
        label = edge.id or f"{edge.owner} -> {edge.asset}"
        if edge.owner == edge.asset:
            warnings.append(f"{label}: entity owns itself; edge ignored")
            continue
        try:
            share = parse_share(edge.percentage)
        except ShareError as exc:
            warnings.append(f"{label}: {exc}; percentage ignored, share undetermined")
            share = UNDETERMINED
        owners = out.setdefault(edge.asset, {})
        if edge.owner in owners and owners[edge.owner] != share:
            warnings.append(f"{label}: {edge.owner} -> {edge.asset} given twice; larger kept")
        owners[edge.owner] = _merge(owners[edge.owner], share) if edge.owner in owners else share
    for asset, owners in sorted(out.items()):
        total = sum(s.low for s in owners.values() if s.known)
        if total > 100.0 + 1e-9:
            warnings.append(f"{asset}: known shares add up to {total:g}% (> 100%)")
    return out


def _upper(owner: str, owners: Mapping[str, Share]) -> float:
    """The most ``owner`` can hold: its high bound, or what the other owners leave over."""
    share = owners[owner]
    if share.known:
        return share.high
    rest = sum(s.low for o, s in owners.items() if o != owner and s.known)
    return max(0.0, 100.0 - rest)


def _fixpoint(
    stakes: Mapping[str, Mapping[str, Share]], listed: set[str], upper: bool
) -> dict[str, int]:
    """Blocked entities with the round they were reached in (listed = round 0)."""
    rounds = dict.fromkeys(listed, 0)
    n = 0
    while True:
        n += 1
        new = []
        for asset, owners in stakes.items():
            if asset in rounds:
                continue
            if upper:
                total = sum(_upper(o, owners) for o in owners if o in rounds)
            else:
                total = sum(s.low for o, s in owners.items() if o in rounds and s.known)
            if total >= THRESHOLD - 1e-9:
                new.append(asset)
        if not new:
            return rounds
        for asset in new:
            rounds[asset] = n


class _Explainer:
    """Words a finding, following each rule-blocked owner back to listed persons."""

    def __init__(
        self,
        stakes: Mapping[str, Mapping[str, Share]],
        rounds: Mapping[str, int],
        labels: Mapping[str, str],
        names: Mapping[str, str],
    ) -> None:
        self.stakes, self.rounds, self.labels, self.names = stakes, rounds, labels, names

    def name(self, eid: str) -> str:
        return self.names.get(eid, eid)

    def sources(self, asset: str) -> list[tuple[str, Share]]:
        """The owners that made ``asset`` blocked: those blocked in an earlier round."""
        r = self.rounds[asset]
        owners = self.stakes.get(asset, {})
        return sorted((o, s) for o, s in owners.items() if self.rounds.get(o, r) < r)

    def owner_status(self, owner: str) -> str:
        if self.rounds[owner] == 0:
            label = self.labels.get(owner)
            return f"blocked, {label}" if label else "blocked, listed"
        via = ", ".join(f"{self.name(o)} {s.text()}" for o, s in self.sources(owner))
        return f"blocked by the 50% rule via {via}"

    def chains(self, asset: str, depth: int = 0) -> list[tuple[tuple[str, str, str], ...]]:
        if self.rounds.get(asset, 0) == 0 or depth > 64:
            return [()]
        out: list[tuple[tuple[str, str, str], ...]] = []
        for owner, share in self.sources(asset):
            for head in self.chains(owner, depth + 1):
                out.append((*head, (owner, share.text(), asset)))
                if len(out) >= MAX_CHAINS:
                    return out
        return out


def apply_50_percent_rule(
    edges: Iterable[OwnershipEdge],
    listed: Iterable[str],
    labels: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> OwnershipResult:
    """Flag the unlisted entities the 50 Percent Rule blocks or may block.

    ``listed`` are the ids of blocked (listed) persons; ``labels`` say why, e.g. ``"SDN"``;
    ``names`` give readable names for the explanation (ids are used otherwise).
    """
    result = OwnershipResult()
    listed_set = set(listed)
    stakes = _stakes(edges, result.warnings)
    low = _fixpoint(stakes, listed_set, upper=False)
    high = _fixpoint(stakes, listed_set, upper=True)
    words = _Explainer(stakes, low, labels or {}, names or {})
    for asset in sorted(set(high) - listed_set):
        owners = stakes[asset]
        blocked_share = sum(s.low for o, s in owners.items() if o in low and s.known)
        possible = min(100.0, sum(_upper(o, owners) for o in owners if o in high))
        holdings = tuple(
            Holding(
                o, s, "listed" if o in listed_set else "blocked" if o in low else "possibly_blocked"
            )
            for o, s in sorted(owners.items())
            if o in high
        )
        if asset in low:
            parts = [
                f"{s.text()} by {words.name(o)} ({words.owner_status(o)})"
                for o, s in sorted(owners.items())
                if o in low and s.known
            ]
            parts[0] = parts[0].replace(" by ", " owned by ", 1)
            text = (
                f"{words.name(asset)} is "
                + " and ".join(parts)
                + f" → {blocked_share:g}% ≥ 50%: blocked"
            )
            result.findings[asset] = OwnershipFinding(
                asset,
                "blocked",
                blocked_share,
                possible,
                holdings,
                tuple(words.chains(asset)),
                text,
            )
            continue
        unsure = [
            f"{words.name(h.owner)} ({h.share.text()}, {h.owner_status.replace('_', ' ')})"
            for h in holdings
            if h.owner_status == "possibly_blocked"
            or not h.share.known
            or h.share.low != h.share.high
        ]
        text = (
            f"{words.name(asset)}: blocked owners hold {blocked_share:g}% for certain, "
            f"up to {possible:g}% with undetermined shares: "
            + "; ".join(unsure)
            + " → possibly blocked"
        )
        result.findings[asset] = OwnershipFinding(
            asset, "possibly_blocked", blocked_share, possible, holdings, (), text
        )
    return result


def _props(entity: Any) -> tuple[str | None, dict[str, list[str]]]:
    """(schema, properties) of an FtM EntityProxy or its JSON dict."""
    if isinstance(entity, Mapping):
        return entity.get("schema"), dict(entity.get("properties") or {})
    return entity.schema.name, {
        p: entity.get(p, quiet=True) for p in ("owner", "asset", "percentage")
    }


def edges_from_ftm(
    entities: Iterable[Any], warnings: list[str] | None = None
) -> list[OwnershipEdge]:
    """Ownership edges from FtM ``Ownership`` entities (proxies or JSON dicts); other schemata
    are skipped. Several percentage values on one entity are read as their range."""
    out = []
    for entity in entities:
        schema, props = _props(entity)
        if schema != "Ownership":
            continue
        eid = entity.get("id") if isinstance(entity, Mapping) else entity.id
        owners, assets = props.get("owner") or [], props.get("asset") or []
        if not owners or not assets:
            if warnings is not None:
                warnings.append(f"{eid}: Ownership without owner or asset; skipped")
            continue
        values = [v for v in props.get("percentage") or [] if v and v.strip()]
        percentage: str | None = values[0] if len(values) == 1 else None
        if len(values) > 1:
            try:
                shares = [parse_share(v) for v in values]
                percentage = f"{min(s.low for s in shares):g}-{max(s.high for s in shares):g}"
            except ShareError:
                percentage = "; ".join(values)
        for owner in owners:
            for asset in assets:
                out.append(OwnershipEdge(owner, asset, percentage, eid))
    return out


__all__ = [
    "THRESHOLD",
    "Holding",
    "OwnershipEdge",
    "OwnershipFinding",
    "OwnershipResult",
    "apply_50_percent_rule",
    "edges_from_ftm",
]
