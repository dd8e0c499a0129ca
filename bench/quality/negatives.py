"""Hard negative pairs: names that look alike but belong to different parties.

* ``shared_surname`` / ``shared_given_name``: two different listed people of the same list with
  the same surname (or first given name) whose other name parts share nothing, in any of their
  names. Pairs across lists are left out: one person is often on the UN and the OFAC list under
  two ids ("GAFFAR MOHAMMED ELHASSAN" / "EL HASSAN, Gaffar Mohmed").
* ``org_shared_token``: two different listed organisations sharing a frequent token ("Bank X"
  vs "Bank Y"); pairs where one name's tokens are a subset of the other's are left out
  (a parent and its subsidiary "BANK MELLI IRAN" / "BANK MELLI IRAN ZAO" is not a clean negative);
  both from the same list.
* ``dob_conflict``: the listed person's own name with a birth date 10-25 years away from every
  listed birth date. Label semantics: *negative* means "the screening data says a different
  person"; a name-only screener cannot see that, so this type is reported on its own.
* ``faker_<locale>`` / ``faker_company``: a generated non-listed name (Faker) against its nearest
  listed name (rapidfuzz token-sort ratio on ICU-romanised text). Pairs where the generated name
  equals a listed name, or all its tokens appear in one, are dropped (a real screener must alert).
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from bench.quality.lists import EntityDict, names_of
from bench.quality.pairs import Pair, make_pair, name_query
from bench.quality.variants import PARTICLES, natural_order
from bench.quality.variants_lang import to_latin
from rapidfuzz import fuzz, process

NAME_PROPS = ("name", "alias")
_LEGAL_WORDS = """
llc ltd limited company co corp corporation inc jsc ojsc cjsc pjsc ooo oao zao pao ao joint
stock public closed open liability the of and for de la sa gmbh plc pte fze fzco s a
obshchestvo ogranichennoy otvetstvennostyu aktsionernoe
"""
LEGAL_TOKENS = frozenset(_LEGAL_WORDS.split())
_NON_WORD = re.compile(r"[\W_]+")


def _source(entity: EntityDict) -> str:
    """The list an entity comes from, by its id prefix ('ofac-123' -> 'ofac')."""
    return str(entity["id"]).rsplit("-", 1)[0]


def norm_tokens(name: str) -> list[str]:
    """Romanised, ASCII, lower-case tokens of a name."""
    return [t for t in _NON_WORD.sub(" ", to_latin(name).lower()).split() if t]


def all_tokens(entity: EntityDict) -> set[str]:
    return {t for n in names_of(entity, NAME_PROPS) for t in norm_tokens(n)}


def _person_parts(entity: EntityDict) -> tuple[str, list[str]] | None:
    """(surname, given tokens) of the primary name in natural order."""
    names = names_of(entity)
    if not names:
        return None
    tokens = norm_tokens(natural_order(names[0]))
    tokens = [t for t in tokens if t not in PARTICLES]
    if len(tokens) < 2 or len(tokens[-1]) < 3:
        return None
    return tokens[-1], tokens[:-1]


def _group_pairs(
    people: list[EntityDict],
    key: Callable[[str, list[str]], str | None],
    rest: Callable[[str, list[str]], set[str]],
    variant: str,
    rng: random.Random,
    count: int,
    same: Callable[[str, str], bool],
) -> list[Pair]:
    groups: dict[str, list[EntityDict]] = defaultdict(list)
    for entity in people:
        parts = _person_parts(entity)
        if parts and (k := key(*parts)):
            groups[k].append(entity)
    keys = [k for k, g in groups.items() if len(g) > 1]
    out: list[Pair] = []
    for _ in range(count * 20):
        if len(out) >= count or not keys:
            break
        group = groups[rng.choice(keys)]
        a, b = rng.sample(group, 2)
        parts = _person_parts(a)
        if parts is None or same(a["id"], b["id"]) or rest(*parts) & all_tokens(b):
            continue
        if _source(a) != _source(b):
            continue  # one person is often on two lists under two ids (UN and OFAC)
        query = name_query("Person", natural_order(names_of(a)[0]), a, rng)
        out.append(make_pair("negative", variant, query, b, "lists", f"{a['id']} vs {b['id']}"))
    return out


def shared_surname(
    people: list[EntityDict], rng: random.Random, count: int, same: Callable[[str, str], bool]
) -> list[Pair]:
    return _group_pairs(
        people, lambda s, g: s, lambda s, g: set(g), "shared_surname", rng, count, same
    )


def shared_given_name(
    people: list[EntityDict], rng: random.Random, count: int, same: Callable[[str, str], bool]
) -> list[Pair]:
    return _group_pairs(
        people,
        lambda s, g: g[0] if len(g[0]) > 2 else None,
        lambda s, g: {s},
        "shared_given_name",
        rng,
        count,
        same,
    )


def org_shared_token(
    orgs: list[EntityDict], rng: random.Random, count: int, same: Callable[[str, str], bool]
) -> list[Pair]:
    """Organisations sharing a frequent, non-legal-form token; of 30 such candidates the one
    sharing the most tokens with the query is taken (hard, not random)."""
    tokens = {o["id"]: set(norm_tokens(names_of(o)[0])) for o in orgs if names_of(o)}
    freq = Counter(t for ts in tokens.values() for t in sorted(ts) if len(t) > 2)  # stable ties
    frequent = {t for t, _ in freq.most_common(400)} - LEGAL_TOKENS
    by_token: dict[str, list[EntityDict]] = defaultdict(list)
    for org in orgs:
        for tok in tokens.get(org["id"], set()) & frequent:
            by_token[tok].append(org)
    keys = sorted(k for k, g in by_token.items() if len(g) > 1)
    out: list[Pair] = []
    for _ in range(count * 20):
        if len(out) >= count or not keys:
            break
        group = by_token[rng.choice(keys)]
        a = rng.choice(group)
        ta = tokens[a["id"]]
        best: tuple[int, EntityDict] | None = None
        for b in rng.sample(group, min(30, len(group))):
            tb = all_tokens(b)
            if b is a or same(a["id"], b["id"]) or ta <= tb or tokens[b["id"]] <= ta:
                continue
            if _source(a) != _source(b):
                continue
            if best is None or len(ta & tb) > best[0]:
                best = (len(ta & tb), b)
        if best is None:
            continue
        query = name_query(a["schema"], names_of(a)[0], a, rng)
        out.append(
            make_pair(
                "negative",
                "org_shared_token",
                query,
                best[1],
                "lists",
                f"{a['id']} vs {best[1]['id']}",
            )
        )
    return out


def dob_conflict(people: list[EntityDict], rng: random.Random, count: int) -> list[Pair]:
    with_dob = [p for p in people if p["properties"].get("birthDate") and names_of(p)]
    out: list[Pair] = []
    for person in rng.sample(with_dob, min(len(with_dob), count)):
        years = [int(d[:4]) for d in person["properties"]["birthDate"] if d[:4].isdigit()]
        if not years:
            continue
        year = min(years) - rng.randint(10, 25) if rng.random() < 0.5 else max(years) + 10
        dob = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        query = name_query("Person", natural_order(names_of(person)[0]))
        query["properties"]["birthDate"] = [dob]
        out.append(make_pair("negative", "dob_conflict", query, person, "lists", dob))
    return out


class Nearest:
    """Nearest listed entity to a name by rapidfuzz token-sort ratio on romanised tokens."""

    def __init__(self, entities: list[EntityDict]) -> None:
        self.keys: list[str] = []
        self.owner: list[EntityDict] = []
        for entity in entities:
            for name in names_of(entity, NAME_PROPS):
                self.keys.append(" ".join(sorted(norm_tokens(name))))
                self.owner.append(entity)

    def find(self, name: str) -> tuple[EntityDict, float, str] | None:
        key = " ".join(sorted(norm_tokens(name)))
        hit = process.extractOne(key, self.keys, scorer=fuzz.token_sort_ratio, processor=None)
        if hit is None:
            return None
        _, score, idx = hit
        return self.owner[idx], float(score), self.keys[idx]


def faker_pairs(
    names: list[str], schema: str, nearest: Nearest, variant: str, rng: random.Random
) -> tuple[list[Pair], int]:
    """Generated names against their nearest listed entity; returns (pairs, dropped)."""
    out: list[Pair] = []
    dropped = 0
    for name in names:
        hit = nearest.find(name)
        if hit is None:
            continue
        entity, score, key = hit
        query_tokens = set(norm_tokens(name))
        if (
            score >= 95
            or not query_tokens
            or any(query_tokens <= set(norm_tokens(n)) for n in names_of(entity, NAME_PROPS))
        ):
            dropped += 1
            continue
        query = name_query(schema, name)
        out.append(
            make_pair(
                "negative", variant, query, entity, "faker", f"nearest {key!r} ratio {score:.0f}"
            )
        )
    rng.shuffle(out)
    return out, dropped
