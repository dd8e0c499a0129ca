"""How two name tokens match, and how similar they are.

The match kinds below end up in the explanation. Token keys and probes are built in
:mod:`clearance.match.tokens`, the search in :mod:`clearance.match.align`; the best kind wins:

* exact — same ASCII spelling (1.0); numbers and legal forms only ever match exactly;
* initial — a one-letter token equals the other's first letter (0.9; initials weigh little);
* translit / variant — same spelling-variant key after romanisation (0.95), or same curated
  spelling family such as Mohammed / Muhammad (0.95);
* nickname — nickname of the same formal name, Bill / William (0.85);
* typo(n) — optimal-string-alignment distance n within the length-dependent budget
  (tokens of ≤ 3 letters: none; 4-5: one edit; 6 and longer: two), similarity 1 - n/length,
  and at least 0.7 (capped at 0.9), measured on the variant keys;
* skeleton — a token romanised from Arabic or Hebrew script whose consonant skeleton equals
  the other's (0.9; 0.8 for two consonants; 0.7 for one consonant);
* phonetic — same metaphone code, both tokens ≥ 5 letters with the same first letter (0.8);
* truncated — one token (≥ 4 letters) is the start of the other: 0.6 + 0.3 · shorter/longer;
* split-join — one token equals two or three neighbouring tokens of the other name joined.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

EXACT, INITIAL_MATCH, TRANSLIT, VARIANT, NICKNAME = (
    "exact",
    "initial",
    "translit",
    "variant",
    "nickname",
)
TYPO, SKELETON, PHONETIC, SPLIT_JOIN = "typo", "skeleton", "phonetic", "split-join"
LEGAL_FORM = "legal-form"
TRUNCATED = "truncated"
MIN_TYPO_SIMILARITY = 0.7
_distance = OSA.distance


def allowed_edits(length: int) -> int:
    """Edit budget for a token of this length: ≤3 → 0, 4-5 → 1, longer → 2."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    return 2


def typo_similarity(a: str, b: str) -> tuple[float, int]:
    """(similarity, edits) for two spellings within the edit budget, else (0.0, edits)."""
    longest = max(len(a), len(b))
    budget = allowed_edits(min(len(a), len(b)))
    if budget == 0 or abs(len(a) - len(b)) > budget:
        return 0.0, budget + 1
    edits = _distance(a, b, score_cutoff=budget)
    if edits > budget:
        return 0.0, edits
    sim = 1.0 - edits / longest
    return (sim, edits) if sim >= MIN_TYPO_SIMILARITY else (0.0, edits)
