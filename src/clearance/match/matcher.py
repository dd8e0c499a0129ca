"""The matcher: compares a query entity with a candidate entity (algorithm ``clearance-v2``).

Score = name score (best query name × candidate name, see :mod:`clearance.match.align`;
× ``weak_alias_factor`` when the best candidate name is a weak alias), then adjusted by the
secondary evidence, each step clamped to [0, 1]:

* birth dates (:mod:`clearance.match.dates`): +0.08 same day … -0.25 years 2-5 apart, -0.40
  further apart;
* countries and gender (:mod:`clearance.match.attributes`): +0.02 shared, -0.08 / -0.15 conflict;
* identifiers (:mod:`clearance.match.identifiers`): a shared identifier lifts the score to at
  least ``identifier_floor + (1 - identifier_floor) · name score`` (and by at least +0.3);
  a conflicting identifier of the same strong type subtracts ``identifier_conflict``;
* a shared phone number or e-mail adds ``contact_bonus`` (never a match on its own);
* incompatible schemas (Person vs Vessel) score 0.

Every step is recorded as a finding; :class:`~clearance.match.explain.MatchResult` turns
findings into the explanation. Released algorithms are never changed in place: a change of
scoring gets a new algorithm name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from clearance.match import attributes, dates
from clearance.match.align import (
    Hits,
    Pair,
    align_names,
    score_bound,
    split_join_masks,
    token_similarities,
)
from clearance.match.explain import MatchResult, NameEvidence
from clearance.match.identifiers import compare_identifiers
from clearance.match.prepared import PreparedEntity, prepare_entity, schemas_compatible

ALGORITHM = "clearance-v2"
DEFAULT_THRESHOLD = 0.70
_BOUND_MARGIN = 1e-9
_NAME_FEATURE = {
    "name": "name_match",
    "alias": "alias_match",
    "previousName": "previous_name_match",
    "weakAlias": "weak_alias_match",
}


@dataclass(frozen=True)
class MatchConfig:
    """Tunable weights of ``clearance-v2`` (defaults are the documented algorithm)."""

    weak_alias_factor: float = 0.8
    identifier_floor: float = 0.8
    identifier_boost: float = 0.3
    identifier_conflict: float = 0.15
    soft_identifier_conflict: float = 0.08
    contact_bonus: float = 0.03

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled by value through the constructor (the compiled frozen class has no
        # writable fields to restore; see clearance.native)
        return (MatchConfig, tuple(getattr(self, f.name) for f in fields(self)))


NameMemo = dict[tuple[Any, float], "NameEvidence | None"]
"""Name evidence of one query per (candidate name key, floor): see ``compare_reaching``."""


def _plan_order(plan: tuple[float, int, float, set[int]]) -> tuple[float, int]:
    """Query names most promising first, then in name order (see ``Matcher._best_name``)."""
    return plan[0], plan[1]


def _clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


class Matcher:
    """Scores query/candidate entity pairs; ``match`` is ``score >= threshold``."""

    algorithm = ALGORITHM

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, config: MatchConfig | None = None):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be within [0, 1], not {threshold}")
        self.threshold = threshold
        self.config = config or MatchConfig()

    def __reduce__(self) -> tuple[Any, ...]:
        return (Matcher, (self.threshold, self.config))

    def prepare(self, entity: Any) -> PreparedEntity:
        """Prepare an entity (FtM-style dict or EntityProxy) once for many comparisons."""
        return prepare_entity(entity)

    def compare(self, query: Any, candidate: Any) -> MatchResult:
        """Compare two entities (dicts, EntityProxy objects or prepared entities)."""
        return self.compare_prepared(prepare_entity(query), prepare_entity(candidate))

    def compare_prepared(
        self, q: PreparedEntity, c: PreparedEntity, hits: Hits | None = None
    ) -> MatchResult:
        """Compare two prepared entities (the hot path of screening).

        ``hits`` may pass ``token_similarities(q, c)`` when the caller computed it already;
        the result is the same either way.
        """
        result = self._compare(q, c, hits, 0.0)
        assert result is not None  # a floor of 0 never drops a pair
        return result

    def compare_reaching(
        self,
        q: PreparedEntity,
        c: PreparedEntity,
        floor: float,
        hits: Hits | None = None,
        memo: NameMemo | None = None,
    ) -> MatchResult | None:
        """``compare_prepared(q, c)``, or None when the pair has names on both sides and no
        name pair scores ``floor`` or more (raw × weak-alias factor).

        Why: screening drops every pair below the cut; name pairs whose upper bound
        (:func:`~clearance.match.align.score_bound`) is below ``floor`` are then never
        aligned. The pair with the best name score is found exactly as by
        ``compare_prepared`` whenever that score is at least ``floor``, so a returned result
        is identical.

        ``memo`` (a dict kept by the caller for one query ``q``) remembers the name evidence
        per candidate :attr:`~clearance.match.prepared.PreparedEntity.name_key` and floor: a
        candidate with the same names as one compared before (the same person on another
        list) is then not aligned again.
        """
        return self._compare(q, c, hits, floor, memo)

    def _compare(
        self,
        q: PreparedEntity,
        c: PreparedEntity,
        hits: Hits | None,
        floor: float,
        memo: NameMemo | None = None,
    ) -> MatchResult | None:
        if not schemas_compatible(q.kind, c.kind):
            detail = f"a {q.schema} cannot be a {c.schema}"
            return MatchResult(
                0.0, self.threshold, ALGORITHM, None, [("schema_mismatch", 0.0, 0.0, detail)]
            )
        cfg = self.config
        findings: list[tuple[str, float, float, str]] = []
        if memo is None:
            evidence = self._best_name(q, c, hits, floor)
        else:
            key = (c.name_key, floor)
            if key in memo:
                evidence = memo[key]
            else:
                evidence = memo[key] = self._best_name(q, c, hits, floor)
        if evidence is None and floor > 0.0 and q.names and c.names:
            return None  # no name pair reaches the floor
        if evidence is None:
            score = 0.0
            detail = (
                "no usable name on one side"
                if not (q.names and c.names)
                else "no name token in common"
            )
            findings.append(("no_name_overlap", 0.0, 0.0, detail))
        else:
            score = evidence.raw * evidence.factor
            findings.append(
                (_NAME_FEATURE.get(evidence.cform.label, "name_match"), evidence.raw, score, "")
            )
        if q.dates and c.dates:
            found = dates.compare_dates(q.dates, c.dates)
            if found is not None:
                new = _clamp(score + dates.ADJUSTMENTS[found[0]])
                findings.append(
                    (
                        found[0],
                        dates.ADJUSTMENTS[found[0]],
                        new - score,
                        f"query {found[1]} vs candidate {found[2]}",
                    )
                )
                score = new
        if q.countries and c.countries:
            found_c = attributes.compare_countries(q.countries, c.countries)
            if found_c is not None:
                new = _clamp(score + attributes.ADJUSTMENTS[found_c])
                detail = f"query {sorted(q.countries)} vs candidate {sorted(c.countries)}"
                findings.append((found_c, attributes.ADJUSTMENTS[found_c], new - score, detail))
                score = new
        if q.gender and c.gender and attributes.compare_gender(q.gender, c.gender):
            new = _clamp(score + attributes.ADJUSTMENTS[attributes.GENDER_CONFLICT])
            findings.append(
                (
                    attributes.GENDER_CONFLICT,
                    -1.0,
                    new - score,
                    f"query {q.gender} vs candidate {c.gender}",
                )
            )
            score = new
        if q.identifiers and c.identifiers:
            found_i = compare_identifiers(q.identifiers, c.identifiers)
            if found_i is not None and found_i[0] == "identifier_match":
                name_part = evidence.raw if evidence is not None else 0.0
                floor = cfg.identifier_floor + (1 - cfg.identifier_floor) * name_part
                new = _clamp(max(score + cfg.identifier_boost, floor))
                findings.append(
                    (
                        "identifier_match",
                        1.0,
                        new - score,
                        f"same {found_i[1]} identifier {found_i[2]}",
                    )
                )
                score = new
            elif found_i is not None:
                soft = found_i[1] in ("passport", "national")
                penalty = cfg.soft_identifier_conflict if soft else cfg.identifier_conflict
                new = _clamp(score - penalty)
                findings.append(
                    (
                        "identifier_conflict",
                        -1.0,
                        new - score,
                        f"different {found_i[1]} identifiers on both sides",
                    )
                )
                score = new
        if q.contacts and c.contacts and not q.contacts.isdisjoint(c.contacts):
            new = _clamp(score + cfg.contact_bonus)
            shared = sorted(q.contacts & c.contacts)[0]
            findings.append(("contact_match", 1.0, new - score, f"shared phone/e-mail {shared}"))
            score = new
        return MatchResult(score, self.threshold, ALGORITHM, evidence, findings)

    def _best_name(
        self, q: PreparedEntity, c: PreparedEntity, hits: Hits | None, floor: float
    ) -> NameEvidence | None:
        """The best name pair (None: no name on one side, or ``floor`` > 0 and no name pair
        reaches it)."""
        if not q.names or not c.names:
            return None
        if hits is None:
            hits = token_similarities(q, c)
        for sig, qn in q.signatures.items():
            cn_same = c.signatures.get(sig)
            if cn_same is not None:  # the same tokens: nothing can beat this pair
                qform, cform = q.names[qn], c.names[cn_same]
                raw, pairs = align_names(qform, q.positions[qn], cform, c.name_maps[cn_same], hits)
                if raw >= 1.0:
                    return NameEvidence(qform, cform, pairs, raw, 1.0)
        c_token_names = c.token_names
        joins = split_join_masks(q, c)
        q_join, c_join = joins
        c_caps = c.split_index().token_caps
        c_joined = [j for j in range(c_join.bit_length()) if (c_join >> j) & 1]
        best: tuple[float, int, int, list[Pair], float] | None = None
        best_score = -1.0
        weak = self.config.weak_alias_factor
        cnames = c.names
        cmaps = c.name_maps
        # per query name: the weight of its tokens that may align (Qm) and the candidate
        # tokens they or a split / join may align with; the names are then tried most
        # promising first (largest share of the name's weight with a partner), so the best
        # score rises early and the bounds below prune more of the other names' pairs
        plans: list[tuple[float, int, float, set[int]]] = []
        for qn, qpos in enumerate(q.positions):
            qform = q.names[qn]
            qw = qform.weights
            q_hit = 0.0
            reached_tokens = set(c_joined)
            for a, i in enumerate(qpos):
                found = hits[i]
                if found:
                    q_hit += qw[a]
                    reached_tokens.update(found)
                elif (q_join >> i) & 1:
                    q_hit += qw[a]
            q_sum = qform.weight_sum
            promise = q_hit / q_sum if q_sum > 0.0 else 0.0
            if qform.label == "weakAlias":
                promise *= weak
            plans.append((-promise, qn, q_hit, reached_tokens))
        if len(plans) > 1:
            plans.sort(key=_plan_order)
        for _, qn, q_hit, reached_tokens in plans:
            qpos = q.positions[qn]
            qform = q.names[qn]
            q_weak = qform.label == "weakAlias"
            # skip the query name when no pair of it can pass the limit: every pair scores
            # at most (Qm + Cm) / (Q + Cm) (score_bound, with C >= Cm), which rises with Cm,
            # and Cm is at most the weight of every reachable candidate token (each counted
            # as often as it occurs in one name)
            limit = floor if best_score <= 0.0 else max(floor, best_score - _BOUND_MARGIN)
            if limit > 0.0:
                q_sum = qform.weight_sum
                top_factor = weak if q_weak else 1.0
                if top_factor <= 0.0:
                    continue
                if q_hit < q_sum:
                    c_hit = 0.0
                    for j in reached_tokens:
                        c_hit += c_caps[j]
                    if q_hit + c_hit < (limit / top_factor) * (q_sum + c_hit):
                        continue
            # a candidate name can only score with a token hit or a split / join in it
            reached: set[int] = set()
            for j in reached_tokens:
                reached.update(c_token_names[j])
            targets: Iterable[int] = sorted(reached)
            for cn in targets:
                cform = cnames[cn]
                factor = weak if q_weak or cform.label == "weakAlias" else 1.0
                if best_score > factor:
                    continue
                cmap = cmaps[cn]
                # skip a name pair that cannot reach the best one (margin against rounding)
                # or the floor
                if best_score > 0.0:
                    limit = best_score - _BOUND_MARGIN
                    if limit < floor:
                        limit = floor
                else:
                    limit = floor
                if (
                    limit > 0.0
                    and score_bound(qform, qpos, cform, cmap, hits, joins) * factor < limit
                ):
                    continue
                raw, pairs = align_names(qform, qpos, cform, cmap, hits)
                score = raw * factor
                # equal scores: the first pair in name order wins, whatever order they
                # were tried in
                if score > best_score or (
                    score == best_score
                    and best is not None
                    and (qn < best[1] or (qn == best[1] and cn < best[2]))
                ):
                    best_score = score
                    best = (raw, qn, cn, pairs, factor)
        if floor > 0.0 and best_score < floor:
            return None
        if best is None:
            qform, cform = q.names[0], c.names[0]
            factor = weak if "weakAlias" in (qform.label, cform.label) else 1.0
            return NameEvidence(qform, cform, [], 0.0, factor)
        raw, qn, cn, pairs, factor = best
        return NameEvidence(q.names[qn], c.names[cn], pairs, raw, factor)
