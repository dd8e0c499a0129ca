"""Positive pairs: auditor-style variants of real listed names against the listed entity.

The query is the variant name (sometimes with the entity's birth date or nationality); the
candidate is the real list entity with all its names, aliases and secondary data. Variants are
made from the primary name (80 %) or an alias (20 %), in natural order for people.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable

from bench.quality import variants as v
from bench.quality import variants_lang as vl
from bench.quality.lists import EntityDict, names_of
from bench.quality.pairs import Pair, make_pair, name_query, without_scripts
from bench.quality.scripts import script_of

ORG_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity"})
SLAVIC_COUNTRIES = frozenset({"ru", "ua", "by", "kz", "kg", "tj", "uz", "md", "suhh"})
SLAVIC_PROGRAMS = re.compile(r"RUSSIA|UKRAINE|BELARUS|CAATSA|CYBER", re.IGNORECASE)
COMBINABLE = (
    "typo_substitute",
    "typo_delete",
    "transposition",
    "word_order",
    "initials",
    "case_punct",
    "missing_token",
)


def _base_name(entity: EntityDict, rng: random.Random, natural: bool = True) -> str | None:
    names = [n for n in names_of(entity) if script_of(n) == "latin"]
    aliases = [n for n in names_of(entity, ("alias",)) if script_of(n) == "latin"]
    pool = aliases if aliases and rng.random() < 0.2 else names
    if not pool:
        return None
    name = " ".join(rng.choice(pool).split())
    return v.natural_order(name) if natural and entity["schema"] == "Person" else name


def _is_slavic(entity: EntityDict) -> bool:
    props = entity["properties"]
    countries = set(props.get("nationality", []) + props.get("country", []))
    countries |= set(props.get("citizenship", []))
    programs = " ".join(props.get("program", []))
    return bool(countries & SLAVIC_COUNTRIES) or bool(SLAVIC_PROGRAMS.search(programs))


def _collect(
    variant: str,
    pool: list[EntityDict],
    gen: Callable[[str, random.Random], str | None],
    rng: random.Random,
    count: int,
    source: str,
) -> list[Pair]:
    out: list[Pair] = []
    for entity in rng.sample(pool, len(pool)):
        if len(out) >= count:
            break
        base = _base_name(entity, rng, natural=variant != "initials")
        if base is None:
            continue
        new = gen(base, rng)
        if not new or new == base:
            continue
        query = name_query(entity["schema"], new, entity, rng)
        candidate = without_scripts(entity) if script_of(new) != "latin" else entity
        out.append(make_pair("positive", variant, query, candidate, source, f"{base} -> {new}"))
    return out


def _combined(rng: random.Random, gens: dict[str, v.Generator]) -> v.Generator:
    def apply(name: str, rng2: random.Random) -> str | None:
        first, second = rng.sample([k for k in COMBINABLE if k in gens], 2)
        mid = gens[first](name, rng2)
        return gens[second](mid, rng2) if mid else None

    return apply


def _original_script(entities: Iterable[EntityDict], rng: random.Random, source: str) -> list[Pair]:
    """Query = a non-Latin name from the list entry; candidate = the entry's Latin names only.

    People only: an organisation's original-script name is usually a translation ("Tunisian
    Combatant Group" / "الجماعة التونسية المقاتلة"), not something name matching can bridge.
    """
    out: list[Pair] = []
    for entity in entities:
        if entity["schema"] != "Person":
            continue
        foreign = [
            n
            for n in names_of(entity, ("name", "alias"))
            if script_of(n) not in ("latin", "none", "mixed")
        ]
        latin = without_scripts(entity)
        if not foreign or not names_of(latin, ("name", "alias")):
            continue
        query = name_query(entity["schema"], rng.choice(foreign), entity, rng)
        out.append(make_pair("positive", "original_script", query, latin, source))
    return out


def variant_pairs(
    entities: list[EntityDict],
    rng: random.Random,
    per_type: int,
    nicknames: dict[str, list[str]],
    source: str,
) -> list[Pair]:
    """Per-type samples of every applicable variant, for people and organisations."""
    people = [e for e in entities if e["schema"] == "Person" and names_of(e)]
    orgs = [e for e in entities if e["schema"] in ORG_SCHEMATA and names_of(e)]
    out: list[Pair] = []
    half = per_type // 2
    for name, gen in v.PERSON_GENERATORS.items():
        n = half if name in v.ORG_GENERATORS else per_type
        out += _collect(name, people, gen, rng, n, source)
    for name, gen in v.ORG_GENERATORS.items():
        out += _collect(name, orgs, gen, rng, half, source)
    out += _collect("combined", people, _combined(rng, v.PERSON_GENERATORS), rng, half, source)
    out += _collect("combined", orgs, _combined(rng, v.ORG_GENERATORS), rng, half, source)
    out += _collect("romanisation", people, vl.romanisation, rng, per_type, source)
    out += _collect("title", people, vl.title, rng, per_type, source)
    out += _collect("legal_form", orgs, vl.legal_form, rng, per_type, source)
    nick = lambda name, r: vl.nickname(name, r, nicknames)  # noqa: E731
    out += _collect("nickname", people, nick, rng, per_type, source)
    slavic = [e for e in people if _is_slavic(e)]
    out += _collect("transliteration", slavic, vl.to_cyrillic, rng, per_type, source)
    return out


def original_script_pairs(
    entities: list[EntityDict], rng: random.Random, source: str
) -> list[Pair]:
    """Every entity with a non-Latin name: the original-script name against the Latin entry."""
    return _original_script(entities, rng, source)


def load_nicknames(path: str) -> dict[str, list[str]]:
    """name -> nicknames from carltonnorthern/names.csv (``name1,has_nickname,name2``)."""
    import csv

    table: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row.get("relationship") == "has_nickname":
                table.setdefault(row["name1"].lower(), []).append(row["name2"])
    return table
