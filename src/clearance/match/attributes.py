"""Country and gender evidence.

Countries come from ``nationality``, ``citizenship``, ``country`` and ``jurisdiction`` and are
cleaned to ISO codes with FollowTheMoney's country type (names and codes both accepted) when an
entity is prepared. Gender values are reduced to "male" / "female".
"""

from __future__ import annotations

from functools import lru_cache

from followthemoney import registry

COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
COUNTRY_MATCH, COUNTRY_CONFLICT, GENDER_CONFLICT = (
    "country_match",
    "country_conflict",
    "gender_conflict",
)
ADJUSTMENTS = {COUNTRY_MATCH: 0.02, COUNTRY_CONFLICT: -0.08, GENDER_CONFLICT: -0.15}
_GENDERS = {
    "male": "male",
    "m": "male",
    "man": "male",
    "female": "female",
    "f": "female",
    "woman": "female",
}


@lru_cache(maxsize=4096)
def clean_country(value: str) -> str | None:
    """ISO-ish country code of a name or code, or None."""
    return registry.country.clean(value[:64])


def parse_countries(values: dict[str, list[str]]) -> frozenset[str]:
    """Country codes of an entity."""
    out: set[str] = set()
    for prop in COUNTRY_PROPS:
        for value in values.get(prop, ())[:16]:
            code = clean_country(value)
            if code:
                out.add(code)
    return frozenset(out)


def parse_gender(values: dict[str, list[str]]) -> str | None:
    """'male', 'female' or None (unknown or contradictory)."""
    found = {_GENDERS.get(v.strip().lower()) for v in values.get("gender", ())[:4]}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def compare_countries(query: frozenset[str], candidate: frozenset[str]) -> str | None:
    """country_match, country_conflict or None when either side has no country."""
    if not query or not candidate:
        return None
    return COUNTRY_MATCH if not query.isdisjoint(candidate) else COUNTRY_CONFLICT


def compare_gender(query: str | None, candidate: str | None) -> str | None:
    """gender_conflict when both are known and differ."""
    if query and candidate and query != candidate:
        return GENDER_CONFLICT
    return None
