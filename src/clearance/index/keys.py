"""Blocking keys: what a name token or an identifier is filed under in the candidate index.

Keys are derived from the matcher's own prepared tokens (:class:`clearance.match.tokens.Token`:
cleaned, romanised to ASCII, spelling-folded), so the index sees names exactly as the matcher
does. Per word token:

* ``k:`` every fold key (the token and its romanisation alternates; Yevgeniy = Evgenii);
* ``g:`` the curated spelling family (Mohammed / Muhammad), ``n:`` nickname groups;
* ``m:`` first letter + metaphone (sound-alikes), ``s:`` consonant skeleton (vowel typos and
  scripts without short vowels; Arabic/Hebrew romanisations add their extra skeletons);
* ``d:`` the deletion neighbourhood of the fold key (tokens of 4+ letters, "wali" ~ "walid"):
  two spellings one edit apart (substitution, insertion, deletion, transposition) always
  share a ``d:`` key;
* ``c:`` the fold key of the token, and of two adjacent tokens joined ("abdul rahman" ~
  "abdulrahman").

A query token also looks up the other half of the one-edit neighbourhood across the 4-letter
limit of ``d:`` keys (:func:`query_token_keys`: "Wali" finds a listed "Ali" and vice versa).

Number tokens are filed under ``k:``; legal forms, particles and initials are stop-keys (never
filed). Identifiers are filed as ``id:<normalised value>`` whatever their type. Each key carries
a factor (how strong a hit on it is) that scales its rarity weight (IDF) at query time.

Keys are hashed to unsigned 64-bit integers (BLAKE2b), stable across processes, so the
persisted index is a sorted ``uint64`` array searched with ``numpy.searchsorted``.
"""

from __future__ import annotations

import hashlib
import itertools
from functools import lru_cache

from clearance.match.names import NameForm
from clearance.match.prepared import PreparedEntity
from clearance.match.tokens import NUMBER, WORD, Token
from clearance.match.variants import abjad_skeletons, fold_key

KEYS_VERSION = "keys-3"
"""Changes whenever the key derivation changes (part of the index cache key)."""

MIN_DELETE_LEN = 4
FACTORS = {
    "k": 1.0,
    "g": 0.95,
    "c": 0.9,
    "n": 0.8,
    "d": 0.8,
    "m": 0.7,
    "s": 0.6,
    "id": 3.0,
}
"""Strength of a hit per key family (× the key's IDF)."""

KeyList = tuple[tuple[int, float], ...]


def key_hash(key: str) -> int:
    """The stable unsigned 64-bit hash of a key string."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def deletions(key: str) -> set[str]:
    """The key and every string made by deleting one of its characters."""
    out = {key}
    for i in range(len(key)):
        out.add(key[:i] + key[i + 1 :])
    return out


def token_key_strings(token: Token) -> dict[str, float]:
    """Key string → factor for one token (empty for stop-key tokens)."""
    out: dict[str, float] = {}

    def add(family: str, value: str) -> None:
        if value:
            key = f"{family}:{value}"
            factor = FACTORS[family]
            if out.get(key, 0.0) < factor:
                out[key] = factor

    if token.kind == NUMBER:
        add("k", token.text)
        return out
    if token.kind != WORD:
        return out
    add("c", fold_key(token.text))
    for key in token.keys:
        add("k", key)
        if len(key) >= MIN_DELETE_LEN:
            for deleted in deletions(key):
                add("d", deleted)
    if token.group is not None:
        add("g", token.group)
    for nick in token.nicks:
        add("n", nick)
    if token.meta:
        add("m", token.first + token.meta)
    if token.skel and len(token.skel) >= 2:
        add("s", token.skel)
        if token.abjad:
            for skel in abjad_skeletons(token.text):
                if len(skel) >= 2:
                    add("s", skel)
    return out


@lru_cache(maxsize=500_000)
def token_keys(token: Token) -> KeyList:
    """(key hash, factor) pairs of one token, cached per interned token."""
    return tuple((key_hash(k), f) for k, f in sorted(token_key_strings(token).items()))


def query_token_key_strings(token: Token) -> dict[str, float]:
    """The keys a query token looks up: its own keys, plus the other half of the one-edit
    neighbourhood across the 4-letter limit of ``d:`` keys (symmetric deletion).

    An indexed 3-letter token ("Ali") has no ``d:`` keys and a 4-letter query token ("Wali")
    deletes to "ali", so the query also looks up ``k:`` of its 3-letter deletions; a 3-letter
    query token ("Ali") looks up ``d:ali`` (posted by indexed "Wali", "Alia", "Bali").
    """
    out = dict(token_key_strings(token))
    if token.kind != WORD:
        return out
    factor = FACTORS["d"]
    for key in token.keys:
        if len(key) == MIN_DELETE_LEN - 1:
            out.setdefault(f"d:{key}", factor)
        elif len(key) == MIN_DELETE_LEN:
            for deleted in deletions(key):
                if len(deleted) == MIN_DELETE_LEN - 1:
                    out.setdefault(f"k:{deleted}", factor)
    return out


@lru_cache(maxsize=500_000)
def query_token_keys(token: Token) -> KeyList:
    """(key hash, factor) pairs a query token looks up (see :func:`query_token_key_strings`)."""
    return tuple((key_hash(k), f) for k, f in sorted(query_token_key_strings(token).items()))


@lru_cache(maxsize=200_000)
def _join_key(a: str, b: str) -> int:
    return key_hash("c:" + fold_key(a + b))


def join_keys(form: NameForm) -> list[int]:
    """``c:`` keys of adjacent word pairs of a name.

    Every word is filed under ``c:`` too (see :func:`token_key_strings`), so "abdulrahman"
    meets "abdul rahman" from either side.
    """
    words = [t for t in form.tokens if t.kind == WORD]
    return [_join_key(a.text, b.text) for a, b in itertools.pairwise(words)]


def identifier_keys(entity: PreparedEntity) -> list[int]:
    """``id:`` keys of the entity's identifiers (type-agnostic, normalised values)."""
    return [key_hash("id:" + value) for _, value in entity.identifiers]


def entity_keys(entity: PreparedEntity) -> set[int]:
    """Every key an indexed entity is filed under."""
    out: set[int] = set()
    for token in entity.tokens:
        out.update(h for h, _ in token_keys(token))
    for form in entity.names:
        out.update(join_keys(form))
    out.update(identifier_keys(entity))
    return out


class QueryKeys:
    """The keys of a query, grouped: one group per query token (a hit counts once per token)."""

    __slots__ = ("group_weight", "groups", "identifiers", "joins", "name_groups", "name_weight")

    def __init__(self, entity: PreparedEntity) -> None:
        groups: list[KeyList] = []
        group_weight: list[float] = []
        position: dict[int, int] = {}
        for token in entity.tokens:
            keys = query_token_keys(token)
            if keys:
                position[id(token)] = len(groups)
                groups.append(keys)
                group_weight.append(token.weight)
        joins: dict[int, int] = {}
        join_factor = FACTORS["c"]
        name_groups: list[list[int]] = []
        for form in entity.names:
            mine = {position[id(t)] for t in form.tokens if id(t) in position}
            for h in join_keys(form):
                if h not in joins:
                    joins[h] = len(groups)
                    groups.append(((h, join_factor),))
                    group_weight.append(0.0)
                mine.add(joins[h])
            name_groups.append(sorted(mine))
        self.groups = groups
        #: the word-pair (join) groups: they add weight but do not count as tokens to cover
        self.joins = frozenset(joins.values())
        #: the matcher's weight of each group's token (0 for joins) and of each query name
        self.group_weight = group_weight
        self.name_weight = [form.weight_sum for form in entity.names]
        #: per query name: its token and word-pair groups (for the name's full weight)
        self.name_groups = name_groups
        self.identifiers = [(h, FACTORS["id"]) for h in identifier_keys(entity)]
