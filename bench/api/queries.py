"""The query mix of the load benchmark: listed names in several scripts and non-listed names.

Real screening traffic is mostly people and companies that are *not* listed, with a minority of
true or near matches. The mix (fixed seed) is:

* 20 % listed names as written (primary names, Latin script),
* 15 % listed names perturbed (a dropped letter, or the words in reverse order),
* 15 % listed names and aliases in another script (Cyrillic, Arabic, CJK, Greek, ...),
* 50 % names made up by faker in eight locales (persons and companies; mostly no match).

Each query is one ``/match`` body with a single ``Person`` or ``Organization`` example.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from faker import Faker

from clearance.store import Store

NAME_SCHEMAS = {"Person": "Person", "Organization": "Organization", "Company": "Organization",
                "LegalEntity": "Organization"}  # fmt: skip
FAKER_LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "tr_TR", "ru_RU", "ar_AA", "zh_CN")
MIX = (("listed", 0.20), ("perturbed", 0.15), ("script", 0.15), ("unlisted", 0.50))


@dataclass(frozen=True)
class Query:
    kind: str
    schema: str
    name: str

    def body(self) -> dict[str, Any]:
        return {"queries": {"q": {"schema": self.schema, "properties": {"name": [self.name]}}}}


def script_of(text: str) -> str:
    """The Unicode script family of the first letter ("LATIN", "CYRILLIC", "ARABIC", "CJK", ...)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            return name.split(" ", 1)[0] if name else "UNKNOWN"
    return "UNKNOWN"


def listed_names(store: Store) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(Latin primary names, names and aliases in other scripts) of the active list entities."""
    latin: list[tuple[str, str]] = []
    other: list[tuple[str, str]] = []
    for _info, proxy in store.active_entities():
        schema = NAME_SCHEMAS.get(proxy.schema.name)
        if schema is None:
            continue
        names = proxy.get("name", quiet=True)
        if names and script_of(names[0]) == "LATIN":
            latin.append((schema, names[0]))
        for value in [*names, *proxy.get("alias", quiet=True)]:
            if script_of(value) not in ("LATIN", "UNKNOWN"):
                other.append((schema, value))
    return latin, other


def perturb(name: str, rng: random.Random) -> str:
    tokens = name.split()
    if len(tokens) > 1 and rng.random() < 0.5:
        return " ".join(reversed(tokens))
    longest = max(range(len(tokens)), key=lambda i: len(tokens[i]))
    word = tokens[longest]
    if len(word) > 4:
        cut = rng.randrange(1, len(word) - 1)
        tokens[longest] = word[:cut] + word[cut + 1 :]
    return " ".join(tokens)


def made_up(count: int, seed: int) -> Iterable[tuple[str, str]]:
    fakers = [Faker(locale) for locale in FAKER_LOCALES]
    for i, fake in enumerate(fakers):
        fake.seed_instance(seed + i)
    rng = random.Random(seed)
    for _ in range(count):
        fake = rng.choice(fakers)
        if rng.random() < 0.7:
            yield "Person", fake.name()
        else:
            yield "Organization", fake.company()


def query_mix(store: Store, count: int, seed: int = 7) -> list[Query]:
    """``count`` queries in the proportions of :data:`MIX`, shuffled with ``seed``."""
    rng = random.Random(seed)
    latin, other = listed_names(store)
    if not latin:
        raise SystemExit("no listed names: load lists first (clearance lists load --catalog)")
    quota = {kind: round(share * count) for kind, share in MIX}
    queries: list[Query] = []
    for _ in range(quota["listed"]):
        queries.append(Query("listed", *rng.choice(latin)))
    for _ in range(quota["perturbed"]):
        schema, name = rng.choice(latin)
        queries.append(Query("perturbed", schema, perturb(name, rng)))
    pool = other or latin
    for _ in range(quota["script"]):
        queries.append(Query("script", *rng.choice(pool)))
    for schema, name in made_up(count - len(queries), seed):
        queries.append(Query("unlisted", schema, name))
    rng.shuffle(queries)
    return queries
