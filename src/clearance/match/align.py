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

from rapidfuzz.distance import OSA, JaroWinkler

from clearance.match.names import NameForm
from clearance.match.prepared import PreparedEntity
from clearance.match.similarity import (
    EXACT,
    INITIAL_MATCH,
    LEGAL_FORM,
    MIN_TYPO_SIMILARITY,
    PHONETIC,
    SPLIT_JOIN,
    TRANSLIT,
    TRUNCATED,
    TYPO,
    VARIANT,
    allowed_edits,
    typo_similarity,
)
from clearance.match.tokens import LEGAL, NUMBER, WORD, Token
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
_TYPO_LABELS = tuple(f"{TYPO}({n})" for n in range(3))


def token_similarities(q: PreparedEntity, c: PreparedEntity) -> Hits:
    """For each query token position: {candidate token position: (similarity, how)}."""
    out: Hits = []
    index = c.index
    key_set = c.key_set
    typo_items = c.typo_items
    ctokens = c.tokens
    for qt in q.tokens:
        found: dict[int, tuple[float, str]] = {}
        settled = False  # an exact / variant partner exists: no typo search needed
        common = qt.probe_keys & key_set
        if common:
            probe_map = qt.probe_map
            for key in common:
                sim, how = probe_map[key]
                if sim >= 0.95:
                    settled = True
                for j in index[key]:
                    old = found.get(j)
                    if old is None or sim > old[0]:
                        found[j] = (sim, how)
        if qt.head:
            prefixed = index.get(qt.head)
            if prefixed is not None:
                qtext = qt.text
                for j in prefixed:
                    ctext = ctokens[j].text
                    if j in found or ctext == qtext:
                        continue
                    short, long_ = (qtext, ctext) if len(qtext) < len(ctext) else (ctext, qtext)
                    if long_.startswith(short):
                        found[j] = (0.6 + 0.3 * len(short) / len(long_), TRUNCATED)
        if not settled and typo_items and qt.kind == WORD and len(qt.key) >= 4:
            qkey = qt.key
            ql = len(qkey)
            qmask = qt.mask
            for cl, cmask, j, ckey in typo_items:
                budget = _BUDGET[ql if ql < cl else cl]
                diff = ql - cl
                if diff > budget or -diff > budget or (qmask ^ cmask).bit_count() > 2 * budget:
                    continue
                old = found.get(j)
                if old is not None and old[0] >= 0.9:
                    continue
                edits = _distance(qkey, ckey, score_cutoff=budget)
                if edits <= budget:
                    sim = 1.0 - edits / (ql if ql > cl else cl)
                    if sim >= MIN_TYPO_SIMILARITY and (old is None or sim > old[0]):
                        found[j] = (sim if sim < 0.9 else 0.9, _TYPO_LABELS[edits])
        out.append(found)
    return out


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
        size_t = target.length
        if size_t < 3 or target.kind not in (WORD, NUMBER):
            continue
        budget = allowed_edits(size_t)
        head = target.text[:2]
        hit: tuple[tuple[int, ...], float] | None = None
        for first_pos in free_multi:
            first = tokens_m[first_pos]
            if first_pos in used or first.text[:2] != head[: first.length]:
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
    q_words = [qform.tokens[a].text for a in free_q if qform.strong[a]]
    c_words = [cform.tokens[b].text for b in free_c if cform.strong[b]]
    if not q_words or not c_words:
        return False
    return all(_jaro_winkler(x, y) < NEAR_MISS for x in q_words for y in c_words)


def split_join_possible(q: NameForm, c: NameForm) -> bool:
    """Cheap test whether a long token of one name starts inside the other name's letters."""
    if any(t.length >= 6 and t.text[:4] in c.joined for t in q.tokens):
        return True
    return any(t.length >= 6 and t.text[:4] in q.joined for t in c.tokens)


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
    for a, i in enumerate(qpos):
        for j, (sim, how) in hits[i].items():
            local = cmap.get(j)
            if local is not None:
                for b in local:
                    options.append((sim, qw[a] + cw[b], a, b, how))
    if not options and not split_join_possible(qform, cform):
        return 0.0, []
    if len(options) > 1:
        options.sort(reverse=True)
    num = 0.0
    den = qform.weight_sum + CANDIDATE_EXTRA_FACTOR * cform.weight_sum
    used_q = used_c = 0
    strong = False
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
        elif not strong:
            strong = qform.strong[a]
        num += sim * weight
        den += weight - wq - CANDIDATE_EXTRA_FACTOR * wc
        pairs.append(((a,), (b,), sim, how))
    nq = len(qw)
    nc = len(cw)
    free_q = [a for a in range(nq) if not (used_q >> a) & 1] if used_q.bit_count() < nq else []
    free_c = [b for b in range(nc) if not (used_c >> b) & 1] if used_c.bit_count() < nc else []
    if (
        free_q
        and free_c
        and (len(free_q) > 1 or len(free_c) > 1)
        and (
            any(
                qform.tokens[a].text[:3] in cform.joined
                for a in free_q
                if qform.tokens[a].length > 2
            )
            or any(
                cform.tokens[b].text[:3] in qform.joined
                for b in free_c
                if cform.tokens[b].length > 2
            )
        )
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
    if free_c and any(qform.strong[a] for a in free_q):
        den += (1 - CANDIDATE_EXTRA_FACTOR) * sum(cw[b] for b in free_c)
        replaced = _replaced(qform, free_q, cform, free_c)
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
