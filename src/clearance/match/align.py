"""Aligning the names of two prepared entities and scoring each name pair.

1. Token similarities for all tokens of the query × all tokens of the candidate: index probes
   (exact, variant, translit, nickname, initial, phonetic, skeleton, prefix; set and dict
   look-ups, no pairwise loop) plus, for query tokens without an exact or variant partner, a
   typo search restricted to candidate tokens of similar length and letters.
2. For each query name × candidate name: greedy one-to-one alignment on the similarities
   (best similarity first, each token used once, order ignored), then split / joined tokens
   ("jscargument" = "jsc" + "argument") among what is left, then truncated tokens
   ("gibat" ~ "gibatdinov") and phonetic matches among what is still left.
3. Name score = Σ sim·w over aligned pairs / (Σ w over aligned pairs + Σ w of unmatched query
   tokens + f · Σ w of unmatched candidate tokens), where the weight of a pair is the sum of its
   tokens' rarity weights (for an initial: twice the smaller weight), and f is
   ``CANDIDATE_EXTRA_FACTOR`` (0.35) when every word of the query found a partner — a candidate
   may carry extra names — but 1 when query words are left over too (then the extra candidate
   words are a *different* name, "Jane Smith" vs "John Smith").
   A name pair aligned only through initials, truncations, particles or legal forms is halved.
   A name pair where a leftover query word faces a leftover candidate word that is not a near
   miss (Jaro-Winkler < 0.8) is multiplied by ``REPLACED_FACTOR`` (0.9): the names differ by a
   word ("Bandar Imam Faravaresh Petrochemical" vs "Bandar Imam Abniroo Petrochemical").
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA, JaroWinkler

from clearance.match.names import NameForm
from clearance.match.prepared import (
    PreparedEntity,
    RunEntry,
    SplitIndex,
    SplitTarget,
    length_window,
)
from clearance.match.similarity import (
    EXACT,
    INITIAL_MATCH,
    LEGAL_FORM,
    MIN_TYPO_SIMILARITY,
    NICKNAME,
    PHONETIC,
    SKELETON,
    SPLIT_JOIN,
    TRANSLIT,
    TRUNCATED,
    TYPO,
    VARIANT,
    allowed_edits,
    typo_similarity,
)
from clearance.match.tokens import LEGAL, WORD, Token
from clearance.match.variants import fold_key

CANDIDATE_EXTRA_FACTOR = 0.35
WEAK_ONLY_FACTOR = 0.5
REPLACED_FACTOR = 0.9
NEAR_MISS = 0.8
Hits = list[dict[int, tuple[float, str]]]
Pair = tuple[tuple[int, ...], tuple[int, ...], float, str]
_distance = OSA.distance
_jaro_winkler = JaroWinkler.similarity


_BUDGET = tuple(allowed_edits(n) for n in range(64))
_FREE_BITS: dict[int, tuple[int, ...]] = {}
"""Cache: bit mask -> positions of its set bits (names have at most 16 tokens)."""
_NEAR: dict[tuple[str, str], bool] = {}
"""Cache: (query word, candidate word) -> whether they are a near miss (Jaro-Winkler >= 0.8)."""
_NEAR_MAX = 500_000


def _bits(mask: int) -> tuple[int, ...]:
    """Positions of the set bits of ``mask``, ascending (cached)."""
    out = tuple(a for a in range(mask.bit_length()) if (mask >> a) & 1)
    if len(_FREE_BITS) < 1 << 18:
        _FREE_BITS[mask] = out
    return out


_TYPO_LABELS = tuple(f"{TYPO}({n})" for n in range(3))
_PREFER = {
    label: rank
    for rank, label in enumerate(
        (EXACT, VARIANT, TRANSLIT, NICKNAME, INITIAL_MATCH, LEGAL_FORM, SKELETON, PHONETIC)
    )
}
"""Which kind of token match is reported when two have the same similarity."""


def _typo_plan(ql: int) -> tuple[tuple[int, int, int, int], ...]:
    """(candidate key length, edit budget, letter budget, longer length) of the candidate key
    lengths a query key of length ``ql`` can be within the edit budget of."""
    plan = []
    for cl in range(ql - 2, ql + 3):  # the budget is at most 2 edits
        budget = _BUDGET[ql if ql < cl else cl]
        diff = ql - cl
        if diff > budget or -diff > budget:
            continue
        plan.append((cl, budget, 2 * budget, ql if ql > cl else cl))
    return tuple(plan)


_TYPO_PLANS = tuple(_typo_plan(n) for n in range(64))


def _typo_plan_of(ql: int) -> tuple[tuple[int, int, int, int], ...]:
    return _TYPO_PLANS[ql] if ql < 64 else _typo_plan(ql)


TokenPlan = tuple[
    frozenset[str],
    dict[str, tuple[float, str]],
    str | None,
    str,
    str,
    tuple[tuple[int, int, int, int], ...],
    str,
    int,
]
_PLANS: dict[Token, TokenPlan] = {}
"""Cache: query token (interned) -> what :func:`token_similarities` looks up for it."""
_PLANS_MAX = 400_000


def _token_plan(qt: Token) -> TokenPlan:
    """Probe keys, probe map, spelling family, prefix key, text, typo plan (empty: no typo
    search), variant key and letter mask of a query token (cached: made once per token, not
    per comparison, so the comparison allocates nothing for it)."""
    typo = _typo_plan_of(len(qt.key)) if qt.kind == WORD and len(qt.key) >= 4 else ()
    plan = (qt.probe_keys, qt.probe_map, qt.group, qt.head, qt.text, typo, qt.key, qt.mask)
    if len(_PLANS) >= _PLANS_MAX:
        _PLANS.clear()
    _PLANS[qt] = plan
    return plan


def token_similarities(q: PreparedEntity, c: PreparedEntity) -> Hits:
    """For each query token position: {candidate token position: (similarity, how)}."""
    out: Hits = []
    index = c.index
    index_get = index.get
    key_set = c.key_set
    typo_by_length = c.typo_by_length
    typo_get = typo_by_length.get
    ctokens = c.tokens
    plans = _PLANS
    for qt in q.tokens:
        plan = plans.get(qt)
        if plan is None:
            plan = _token_plan(qt)
        probe_keys, probe_map, qgroup, qhead, qtext, typo, qkey, qmask = plan
        found: dict[int, tuple[float, str]] = {}
        settled = False  # an exact / variant partner exists: no typo search needed
        common = probe_keys & key_set
        if common:
            for key in common:
                entry = probe_map[key]  # (similarity, how), shared and never mutated
                sim = entry[0]
                if sim >= 0.95:
                    settled = True
                group = qgroup if entry[1] == PHONETIC else None
                for j in index[key]:
                    old = found.get(j)
                    # equal similarities: a fixed preference, not the order of the set (which
                    # follows the process's string hash seed) decides the kind of match
                    if (
                        old is None
                        or sim > old[0]
                        or (sim == old[0] and _PREFER.get(entry[1], 9) < _PREFER.get(old[1], 9))
                    ):
                        if group is not None and _other_family(group, ctokens[j]):
                            continue  # hasan / husayn sound alike but are different names
                        found[j] = entry
        if qhead:
            prefixed = index_get(qhead)
            if prefixed is not None:
                for j in prefixed:
                    ctext = ctokens[j].text
                    if j in found or ctext == qtext:
                        continue
                    short, long_ = (qtext, ctext) if len(qtext) < len(ctext) else (ctext, qtext)
                    if long_.startswith(short):
                        found[j] = (0.6 + 0.3 * len(short) / len(long_), TRUNCATED)
        if typo and not settled and typo_by_length:
            for cl, budget, letters, longest in typo:
                items = typo_get(cl)
                if items is None:
                    continue
                for cmask, j, ckey in items:
                    if (qmask ^ cmask).bit_count() > letters:
                        continue
                    old = found.get(j)
                    if old is not None and old[0] >= 0.9:
                        continue
                    edits = _distance(qkey, ckey, score_cutoff=budget)
                    if edits <= budget:
                        sim = 1.0 - edits / longest
                        if sim >= MIN_TYPO_SIMILARITY and (old is None or sim > old[0]):
                            found[j] = (sim if sim < 0.9 else 0.9, _TYPO_LABELS[edits])
        out.append(found)
    return out


def _other_family(group: str, ct: Token) -> bool:
    """Whether ``ct`` belongs to a curated spelling family other than ``group``."""
    return ct.group is not None and ct.group != group


def relabel(how: str, qt: Token, ct: Token) -> str:
    """The match kind as shown to an analyst (legal forms and cross-script matches named)."""
    if qt.kind == LEGAL and how == EXACT:
        return LEGAL_FORM
    if qt.script != ct.script and how in (EXACT, VARIANT):
        return TRANSLIT
    return how


def _joined_match(target: Token, joined: str) -> float:
    if joined == target.text or fold_key(joined) == target.key:
        return 1.0
    return typo_similarity(target.text, joined)[0]


def _split_join(
    singles: list[int],
    tokens_s: tuple[Token, ...],
    free_multi: list[int],
    tokens_m: tuple[Token, ...],
) -> list[tuple[int, tuple[int, ...], float]]:
    """Single tokens equal to two free tokens of the other name joined in either order
    ("oleggovorun" = "govorun" + "oleg"), or within the typo budget to two or three
    neighbouring ones."""
    found: list[tuple[int, tuple[int, ...], float]] = []
    used: set[int] = set()
    free = set(free_multi)
    for s in singles:
        target = tokens_s[s]
        if not target.splittable:  # fewer than 3 letters, or not a word / number
            continue
        size_t = target.length
        budget = _BUDGET[size_t]
        head = target.head2
        hit: tuple[tuple[int, ...], float] | None = None
        for first_pos in free_multi:
            first = tokens_m[first_pos]
            if first_pos in used or not head.startswith(first.head2):
                continue
            for second_pos in free_multi:
                if second_pos == first_pos or second_pos in used:
                    continue
                second = tokens_m[second_pos]
                in_order = second_pos == first_pos + 1
                gap = abs(first.length + second.length - size_t)
                if gap > (budget if in_order else 0):
                    continue
                joined = first.text + second.text
                if joined == target.text or fold_key(joined) == target.key:
                    hit = ((first_pos, second_pos), 1.0)
                elif in_order and size_t >= 6:
                    sim = typo_similarity(target.text, joined)[0]
                    if sim > 0:
                        hit = ((first_pos, second_pos), sim)
                if hit is not None:
                    break
            if hit is None and first_pos + 1 in free and first_pos + 2 in free:
                run = (first_pos, first_pos + 1, first_pos + 2)
                if not used.intersection(run):
                    total = sum(tokens_m[r].length for r in run)
                    if abs(total - size_t) <= budget:
                        sim = _joined_match(target, "".join(tokens_m[r].text for r in run))
                        if sim > 0:
                            hit = (run, sim)
            if hit is not None:
                break
        if hit is not None:
            found.append((s, hit[0], hit[1]))
            used.update(hit[0])
    return found


def _replaced(qform: NameForm, free_q: list[int], cform: NameForm, free_c: list[int]) -> bool:
    """Whether a leftover query word faces a leftover candidate word that is not a near miss
    (Jaro-Winkler < 0.8): the names differ by a word, not by a spelling."""
    q_texts = qform.strong_texts
    c_texts = cform.strong_texts
    c_words = []
    for b in free_c:
        y = c_texts[b]
        if y is not None:
            c_words.append(y)
    if not c_words:
        return False
    seen = False
    for a in free_q:
        x = q_texts[a]
        if x is None:
            continue
        seen = True
        for y in c_words:
            near = _NEAR.get((x, y))
            if near is None:
                if len(_NEAR) >= _NEAR_MAX:
                    _NEAR.clear()
                near = _NEAR[(x, y)] = _jaro_winkler(x, y) >= NEAR_MISS
            if near:
                return False
    return seen


def _joinable(
    qform: NameForm, free_q: Iterable[int], cform: NameForm, free_c: Iterable[int]
) -> bool:
    """Whether a leftover token (> 2 letters) of one name starts inside the other's letters."""
    heads = qform.heads
    joined = cform.joined
    for a in free_q:
        head = heads[a]
        if head and head in joined:
            return True
    heads = cform.heads
    joined = qform.joined
    for b in free_c:
        head = heads[b]
        if head and head in joined:
            return True
    return False


def _join_targets(
    targets: tuple[SplitTarget, ...],
    group: tuple[RunEntry, ...],
    lengths: int,
    by_length: dict[int, tuple[tuple[int, str], ...]],
    masks: tuple[int, int],
) -> tuple[int, int]:
    """:func:`_run_masks` for the targets and runs of one head (``masks``: found so far)."""
    s_mask, m_mask = masks
    for s, size_t, budget, text, key in targets:
        if not lengths & length_window(size_t, budget):  # no run joins to a length in budget
            continue
        for fj, flen, ftext, nj, nlen, ntext, nj2, n2len, n2text in group:
            room = size_t - flen
            if room + budget < 1:  # no second token fits, nor after (longer first tokens)
                break
            if nj >= 0:
                gap = room - nlen
                if -budget <= gap <= budget:
                    joined = ftext + ntext
                    if (
                        joined == text
                        or fold_key(joined) == key
                        or (size_t >= 6 and typo_similarity(text, joined)[0] > 0)
                    ):
                        s_mask |= 1 << s
                        m_mask |= (1 << fj) | (1 << nj)
                if nj2 >= 0 and -budget <= gap - n2len <= budget:
                    joined = ftext + ntext + n2text
                    if (
                        joined == text
                        or fold_key(joined) == key
                        or typo_similarity(text, joined)[0] > 0
                    ):
                        s_mask |= 1 << s
                        m_mask |= (1 << fj) | (1 << nj) | (1 << nj2)
            if room > 0:
                for j, jtext in by_length.get(room, ()):  # any order: exact joins only
                    joined = ftext + jtext
                    if joined == text or fold_key(joined) == key:
                        s_mask |= 1 << s
                        m_mask |= (1 << fj) | (1 << j)
    return s_mask, m_mask


def _run_masks(single: SplitIndex, multi: SplitIndex) -> tuple[int, int]:
    """Tokens of ``single`` that :func:`_split_join` could pair with a run of two or three
    tokens of one of ``multi``'s names, and the tokens of those runs (bit masks over entity
    token positions). A superset: the tests of :func:`_split_join` with every token free — a
    run's first token shares the target's first letters; two tokens in name order may join
    within the typo budget, in any order only exactly (here: any two tokens of the entity);
    three only in name order.

    Most pairs have no possible join at all: per head (first letters), the lengths the
    targets accept (``SplitIndex.split_windows``) are tested against the lengths the runs can
    join to (``SplitIndex.run_lengths``) before any run is looked at."""
    masks = (0, 0)
    run_lengths = multi.run_lengths
    windows = single.split_windows
    if len(windows) <= len(run_lengths):  # walk the smaller of the two
        heads = [head for head, window in windows.items() if window & run_lengths.get(head, 0)]
    else:
        heads = [head for head, reach in run_lengths.items() if reach & windows.get(head, 0)]
    for head in heads:
        masks = _join_targets(
            single.split_targets[head],
            multi.run_index[head],
            run_lengths[head],
            multi.length_index,
            masks,
        )
    letter_windows = single.letter_windows
    for head in multi.short_heads:  # runs starting with a one-letter token
        letters = letter_windows.get(head)
        if letters is not None and letters & run_lengths[head]:
            masks = _join_targets(
                single.split_letters[head],
                multi.run_index[head],
                run_lengths[head],
                multi.length_index,
                masks,
            )
    return masks


def split_join_masks(q: PreparedEntity, c: PreparedEntity) -> tuple[int, int]:
    """(query, candidate) bit masks over entity token positions of the tokens any split /
    join of :func:`align_names` could align, in any name pair: a query token equal to a
    run of candidate tokens joined, or the other way round (a superset)."""
    qi = q.split_index()
    ci = c.split_index()
    q_mask, c_mask = _run_masks(qi, ci)
    c_single, q_run = _run_masks(ci, qi)
    return q_mask | q_run, c_mask | c_single


def score_bound(
    qform: NameForm,
    qpos: tuple[int, ...],
    cform: NameForm,
    cmap: dict[int, tuple[int, ...]],
    hits: Hits,
    joins: tuple[int, int] = (0, 0),
) -> float:
    """An upper bound of :func:`align_names` for this name pair (cheap: no alignment).

    Only query tokens with a hit in the candidate name or that a split / join could align
    (``joins``: the bit masks of :func:`split_join_masks`; weight sum Qm) and candidate
    tokens likewise (Cm) can be aligned, every similarity is at most 1, and the score is at
    most (Qm + Cm) / (Q + (1 - f)·Cm + f·C) (Q, C: weight sums of the names; the bound rises
    with the matched weights).
    """
    q_join, c_join = joins
    qw = qform.weights
    cw = cform.weights
    q_hit = 0.0
    c_mask = 0
    for a, i in enumerate(qpos):
        reached = (q_join >> i) & 1
        for j in hits[i]:
            local = cmap.get(j)
            if local is not None:
                reached = True
                for b in local:
                    c_mask |= 1 << b
        if reached:
            q_hit += qw[a]
    if c_join:
        for j, local in cmap.items():
            if (c_join >> j) & 1:
                for b in local:
                    c_mask |= 1 << b
    if not c_mask:
        return 0.0
    c_hit = 0.0
    for b in _FREE_BITS.get(c_mask) or _bits(c_mask):
        c_hit += cw[b]
    den = (
        qform.weight_sum
        + (1 - CANDIDATE_EXTRA_FACTOR) * c_hit
        + CANDIDATE_EXTRA_FACTOR * cform.weight_sum
    )
    return (q_hit + c_hit) / den if den > 0.0 else 1.0


def split_join_possible(q: NameForm, c: NameForm) -> bool:
    """Cheap test whether a long token of one name starts inside the other name's letters."""
    joined = c.joined
    for head in q.long_heads:
        if head in joined:
            return True
    joined = q.joined
    return any(head in joined for head in c.long_heads)


def align_names(
    qform: NameForm,
    qpos: tuple[int, ...],
    cform: NameForm,
    cmap: dict[int, tuple[int, ...]],
    hits: Hits,
) -> tuple[float, list[Pair]]:
    """Align one query name with one candidate name; returns (score, pairs).

    ``qpos`` are the entity token positions of the query name, ``cmap`` maps entity token
    positions of the candidate to their positions in the candidate name. Pairs use name
    positions.
    """
    qw = qform.weights
    cw = cform.weights
    options = []
    cmap_get = cmap.get
    for a, i in enumerate(qpos):
        found = hits[i]
        if not found:
            continue
        wa = qw[a]
        for j, (sim, how) in found.items():
            local = cmap_get(j)
            if local is not None:
                for b in local:
                    options.append((sim, wa + cw[b], a, b, how))
    if not options and not split_join_possible(qform, cform):
        return 0.0, []
    if len(options) > 1:
        options.sort(reverse=True)
    num = 0.0
    den = qform.weight_sum + CANDIDATE_EXTRA_FACTOR * cform.weight_sum
    used_q = used_c = 0
    strong = abbreviated = False
    pairs: list[Pair] = []
    deferred = []
    for option in options:
        sim, weight, a, b, how = option
        if (used_q >> a) & 1 or (used_c >> b) & 1:
            continue
        if how in (TRUNCATED, PHONETIC):
            deferred.append(option)
            continue
        used_q |= 1 << a
        used_c |= 1 << b
        wq = qw[a]
        wc = cw[b]
        if how == INITIAL_MATCH:
            weight = 2 * (wq if wq < wc else wc)
            if wc < wq:  # a query word found only the candidate's initial
                abbreviated = True
        elif not strong:
            strong = qform.strong[a]
        num += sim * weight
        den += weight - wq - CANDIDATE_EXTRA_FACTOR * wc
        pairs.append(((a,), (b,), sim, how))
    nq = len(qw)
    nc = len(cw)
    mask = ((1 << nq) - 1) ^ used_q
    free_q = list(_FREE_BITS.get(mask) or _bits(mask)) if mask else []
    mask = ((1 << nc) - 1) ^ used_c
    free_c = list(_FREE_BITS.get(mask) or _bits(mask)) if mask else []
    if (
        free_q
        and free_c
        and (len(free_q) > 1 or len(free_c) > 1)
        and _joinable(qform, free_q, cform, free_c)
    ):
        for a, run, sim in _split_join(free_q, qform.tokens, free_c, cform.tokens):
            wc = sum(cw[b] for b in run)
            num += sim * (qw[a] + wc)
            den += (1 - CANDIDATE_EXTRA_FACTOR) * wc
            strong = strong or qform.strong[a]
            pairs.append(((a,), run, sim, SPLIT_JOIN))
            free_q.remove(a)
            free_c = [b for b in free_c if b not in run]
        for b, run, sim in _split_join(free_c, cform.tokens, free_q, qform.tokens):
            wq = sum(qw[a] for a in run)
            num += sim * (wq + cw[b])
            den += (1 - CANDIDATE_EXTRA_FACTOR) * cw[b]
            strong = strong or any(qform.strong[a] for a in run)
            pairs.append((run, (b,), sim, SPLIT_JOIN))
            free_c.remove(b)
            free_q = [a for a in free_q if a not in run]
    for sim, weight, a, b, how in deferred:
        if a in free_q and b in free_c:
            free_q.remove(a)
            free_c.remove(b)
            num += sim * weight
            den += weight - qw[a] - CANDIDATE_EXTRA_FACTOR * cw[b]
            if how == PHONETIC:
                strong = strong or qform.strong[a]
            pairs.append(((a,), (b,), sim, how))
    replaced = False
    if free_c:
        q_strong = qform.strong
        for a in free_q:
            if q_strong[a]:
                den += (1 - CANDIDATE_EXTRA_FACTOR) * sum(cw[b] for b in free_c)
                replaced = _replaced(qform, free_q, cform, free_c)
                break
        else:
            if abbreviated:  # "Hasan Shaban" vs "Adnan S. Hasan Ahmed": extras are not extras
                den += (1 - CANDIDATE_EXTRA_FACTOR) * sum(cw[b] for b in free_c)
    if den <= 0.0:
        return 0.0, pairs
    score = num / den
    if score > 1.0:  # rounding of the incremental denominator
        score = 1.0
    if qform.needs_strong and not strong:
        score *= WEAK_ONLY_FACTOR
    if replaced:
        score *= REPLACED_FACTOR
    return score, pairs
