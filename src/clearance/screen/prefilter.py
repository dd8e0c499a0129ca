"""A cheap upper bound of the matcher's score, to skip candidates that cannot reach the cut.

Why: the index keeps every candidate that *might* match (recall first), so most candidates
of a query are namesakes through one common token ("Andrea Williamson" meets every
Williamson). Scoring each with :meth:`~clearance.match.Matcher.compare_prepared` costs name
alignment over every name × alias pair; most of that work only proves a low score.

The bound uses the matcher's own pieces, so it is an upper bound by construction, not a
tuned guess:

* name score ≤ max over (query name, candidate name) of
  :func:`clearance.match.align.score_bound` (the matcher's documented upper bound of
  ``align_names``) × the weak-alias factor of the pair; 0 when neither name has a token hit
  nor a possible split/join (then ``score_bound`` is 0 for every pair);
* the secondary evidence can only add what its largest positive adjustment adds: birth
  dates (when both sides have dates), countries (both have countries), a shared contact
  (both have contacts); gender, conflicts and weak-only / replaced factors only lower it;
* a pair where both sides carry identifiers is never skipped (a shared identifier lifts
  the score to the identifier floor whatever the names say).

Every step of the matcher is clamped to [0, 1], which only lowers a score, so
``bound ≥ score`` for every pair.

The screening service uses :func:`compare_if_reachable`: the same test folded into the
matcher's own name-pair search (:meth:`~clearance.match.Matcher.compare_reaching`), so the
token similarities are computed once per pair, and a name pair whose bound is below what the
cut needs is never aligned, even when another name pair of the entity can reach the cut.

The recall bench (``bench.screen.recall``) checks the bound on every exhaustive match, and
``tests/screen/test_prefilter.py`` on every pair of the test lists.
"""

from __future__ import annotations

from collections.abc import Callable

from clearance.match import Matcher, MatchResult, attributes, dates
from clearance.match.align import score_bound, split_join_masks, token_similarities
from clearance.match.matcher import NameMemo
from clearance.match.prepared import PreparedEntity, schemas_compatible

_DATE_BONUS = max(0.0, *dates.ADJUSTMENTS.values())
_COUNTRY_BONUS = max(0.0, *attributes.ADJUSTMENTS.values())
_MARGIN = 1e-6
"""Slack against float rounding: the bound never skips a pair at the cut by a hair."""


def evidence_bonus(matcher: Matcher, q: PreparedEntity, c: PreparedEntity) -> float:
    """The most the non-name evidence of this pair can add to the name score."""
    bonus = 0.0
    if q.dates and c.dates:
        bonus += _DATE_BONUS
    if q.countries and c.countries:
        bonus += _COUNTRY_BONUS
    if q.contacts and c.contacts:
        bonus += max(0.0, matcher.config.contact_bonus)
    return bonus


def name_bound(
    matcher: Matcher, q: PreparedEntity, c: PreparedEntity, enough: float = 1.0
) -> float:
    """An upper bound of the pair's name score (raw × weak-alias factor); stops early once
    the bound reaches ``enough`` (the caller only needs to know that)."""
    if not q.names or not c.names:
        return 0.0
    hits = token_similarities(q, c)
    joins = split_join_masks(q, c)
    weak = matcher.config.weak_alias_factor
    best = 0.0
    for qn, qform in enumerate(q.names):
        qpos = q.positions[qn]
        q_weak = qform.label == "weakAlias"
        for cn, cform in enumerate(c.names):
            factor = weak if q_weak or cform.label == "weakAlias" else 1.0
            if factor <= best:
                continue
            bound = score_bound(qform, qpos, cform, c.name_maps[cn], hits, joins) * factor
            if bound > best:
                best = bound
                if best >= enough:
                    return best
    return best


def score_upper_bound(matcher: Matcher, q: PreparedEntity, c: PreparedEntity) -> float:
    """An upper bound of ``matcher.compare_prepared(q, c).score`` (see module doc)."""
    if not schemas_compatible(q.kind, c.kind):
        return 0.0
    if q.identifiers and c.identifiers:
        return 1.0
    bonus = evidence_bonus(matcher, q, c)
    return min(1.0, name_bound(matcher, q, c) + bonus)


def name_floor(matcher: Matcher, q: PreparedEntity, c: PreparedEntity, cut: float) -> float | None:
    """The name score the pair needs to reach ``cut``: None when it never can (schemas that
    cannot describe the same thing), ≤ 0 when any name score will do (see module doc)."""
    if not schemas_compatible(q.kind, c.kind):
        return None if cut > 0.0 else 0.0
    if q.identifiers and c.identifiers:
        return 0.0
    return cut - evidence_bonus(matcher, q, c) - _MARGIN


def may_reach(matcher: Matcher, q: PreparedEntity, c: PreparedEntity, cut: float) -> bool:
    """Whether the pair can score ``cut`` or more (False: skipping it loses nothing)."""
    need = name_floor(matcher, q, c, cut)
    if need is None:
        return False
    return need <= 0.0 or name_bound(matcher, q, c, need) >= need


def compare_if_reachable(
    matcher: Matcher,
    q: PreparedEntity,
    c: PreparedEntity,
    cut: float,
    memo: NameMemo | None = None,
) -> MatchResult | None:
    """``matcher.compare_prepared(q, c)`` when the pair can score ``cut`` or more
    (:func:`may_reach`), else None — the token similarities are computed once for both."""
    need = name_floor(matcher, q, c, cut)
    if need is None:
        return None
    if need <= 0.0:
        return matcher.compare_prepared(q, c)
    if not q.names or not c.names:
        return None
    return matcher.compare_reaching(q, c, need, memo=memo)


def compare_reachable(
    matcher: Matcher,
    q: PreparedEntity,
    numbers: list[int],
    table: list[PreparedEntity | None] | None,
    prepare: Callable[[int], PreparedEntity],
    cut: float,
    memo: NameMemo | None = None,
) -> list[tuple[int, MatchResult]]:
    """(number, result) of the candidates ``numbers`` that may reach ``cut``, in the given
    order: :func:`compare_if_reachable` over a query's shortlist, in one compiled loop (the
    caller applies the cut to the scores). A candidate is taken from ``table`` (prepared
    entities by number, None: not prepared yet) or else made by ``prepare``."""
    out: list[tuple[int, MatchResult]] = []
    for n in numbers:
        c = table[n] if table is not None else None
        if c is None:
            c = prepare(n)
        result = compare_if_reachable(matcher, q, c, cut, memo)
        if result is not None:
            out.append((n, result))
    return out
