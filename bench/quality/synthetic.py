"""Synthetic listed people for East Asian scripts (the real lists carry too few such names).

A Faker person of locale zh_CN, ko_KR or ja_JP is "listed" under a romanised name written the
way sanctions lists write such names; the query is the same person in the original script.
SYNTHETIC: these are not real listed names. Romanisations:

* Chinese: Hanyu Pinyin from ICU ``Han-Latin`` without tones, surname upper-case first
  ("ZHANG Xiuying"); ICU reads polyphonic surnames one way only (a known caveat).
* Korean: conventional surname spellings (Kim, Lee, Park, Choi ...) and ICU's Revised
  Romanisation for given names, syllables split by a space, a hyphen or nothing
  ("KIM Min Jun", "Kim Min-jun") - lists mix McCune-Reischauer and RR, so this is hard.
* Japanese: Faker's own Hepburn romanisation; the query is in kanji or katakana.
"""

from __future__ import annotations

import random
from functools import lru_cache

import icu
from bench.quality.pairs import Pair, make_pair
from faker import Faker

KOREAN_SURNAMES = {
    "김": "Kim",
    "이": "Lee",
    "박": "Park",
    "최": "Choi",
    "정": "Jung",
    "강": "Kang",
    "조": "Cho",
    "윤": "Yoon",
    "장": "Jang",
    "임": "Lim",
    "한": "Han",
    "오": "Oh",
    "서": "Seo",
    "신": "Shin",
    "권": "Kwon",
    "황": "Hwang",
    "안": "Ahn",
    "송": "Song",
    "류": "Ryu",
    "전": "Jeon",
    "홍": "Hong",
    "고": "Ko",
    "문": "Moon",
    "양": "Yang",
    "손": "Son",
    "배": "Bae",
    "백": "Baek",
    "허": "Heo",
    "노": "Noh",
}


@lru_cache(maxsize=4)
def _icu(tid: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(tid)


def _syllables(text: str, tid: str) -> list[str]:
    trans = _icu(f"{tid}; Latin-ASCII")
    return [str(trans.transliterate(ch)).strip().lower() for ch in text if not ch.isspace()]


def _listed(schema_name: str, rng: random.Random) -> dict[str, object]:
    return {
        "id": f"synthetic-{rng.getrandbits(40):010x}",
        "schema": "Person",
        "properties": {"name": [schema_name]},
    }


def _style(surname: str, given: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{surname.upper()} {given}"
    return f"{given} {surname}" if rng.random() < 0.5 else f"{surname}, {given}"


def chinese(fake: Faker, rng: random.Random) -> tuple[str, str]:
    surname, given = fake.last_name(), fake.first_name()
    sur = "".join(_syllables(surname, "Han-Latin")).title()
    giv = "".join(_syllables(given, "Han-Latin")).title()
    query = surname + given if rng.random() < 0.7 else f"{surname} {given}"
    return query, _style(sur, giv, rng)


def korean(fake: Faker, rng: random.Random) -> tuple[str, str]:
    surname, given = fake.last_name(), fake.first_name()
    sur = KOREAN_SURNAMES.get(surname) or "".join(_syllables(surname, "Hangul-Latin")).title()
    sep = rng.choice([" ", "-", ""])
    giv = sep.join(_syllables(given, "Hangul-Latin"))
    giv = giv.title() if sep == " " else giv.capitalize()
    query = surname + given if rng.random() < 0.7 else f"{surname} {given}"
    return query, _style(sur, giv, rng)


def japanese(fake: Faker, rng: random.Random) -> tuple[str, str]:
    last = fake.last_name_pair()  # (kanji, katakana, romaji)
    first = fake.first_name_pair()
    col = 0 if rng.random() < 0.6 else 1
    query = f"{last[col]} {first[col]}" if rng.random() < 0.5 else last[col] + first[col]
    return query, _style(last[2], first[2], rng)


LOCALES = {"zh_CN": chinese, "ko_KR": korean, "ja_JP": japanese}


def synthetic_pairs(count: int, rng: random.Random) -> list[Pair]:
    """``count`` positives per locale: original-script query vs romanised synthetic entry."""
    out: list[Pair] = []
    for locale, make in LOCALES.items():
        fake = Faker(locale)
        fake.seed_instance(rng.randrange(1 << 30))
        seen: set[str] = set()
        while sum(1 for p in out if p["detail"].startswith(locale)) < count:
            query, listed = make(fake, rng)
            if query in seen:
                continue
            seen.add(query)
            cand = _listed(listed, rng)
            q = {"id": "query", "schema": "Person", "properties": {"name": [query]}}
            out.append(
                make_pair(
                    "positive",
                    "synthetic_romanised",
                    q,
                    cand,
                    "synthetic",
                    f"{locale}: {query} -> {listed}",
                )
            )
    return out
