"""Text normalisation for names: Unicode form, case, punctuation, invisible marks, titles.

``clean_name`` turns any string into lower-case words separated by single spaces: NFKC, case
folding, control / format characters (zero-width, RTL and LTR marks, BOM) dropped, apostrophes
and modifier letters (ʿ ʼ ') dropped inside words ("O'Brien" → "obrien"), every other punctuation
or symbol character becomes a space. It is idempotent. Titles and honorifics ("mr", "dr",
"sheikh", "gen") and name particles ("al", "bin", "van", "de la") are recognised on tokens so the
name matcher can drop or down-weight them; they are never removed when that would leave nothing.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rigour._core import person_name_prefixes_list

MAX_NAME_CHARS = 400
"""Input names are cut to this many characters before any work (bounded time)."""

_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_GLUE_CHARS = frozenset("'’‘`´ʹʻʼʽʾʿˈˊˋ" + "\u02bc\u02b9")
_SPACE_CATEGORIES = frozenset(
    {"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp"}
)

_EXTRA_TITLES = {
    "mr",
    "mrs",
    "ms",
    "mx",
    "dr",
    "prof",
    "sir",
    "sheikh",
    "shaikh",
    "sheik",
    "shaykh",
    "hajji",
    "haji",
    "hadji",
    "hajj",
    "gen",
    "general",
    "col",
    "colonel",
    "maj",
    "major",
    "lt",
    "capt",
    "cpt",
    "brig",
    "brigadier",
    "adm",
    "admiral",
    "sgt",
    "mullah",
    "mulla",
    "maulana",
    "imam",
    "eng",
    "engineer",
    "ing",
    "mme",
    "mlle",
    "herr",
    "frau",
    "dipl",
    "hon",
    "rev",
    "fr",
    "lieutenant",
    "commander",
    "cmdr",
}
_PARTICLES = frozenset(
    {
        "al",
        "el",
        "bn",
        "bnt",
        "ad",
        "ar",
        "ash",
        "az",
        "bin",
        "ibn",
        "bint",
        "ben",
        "ould",
        "abu",
        "umm",
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "la",
        "le",
        "da",
        "das",
        "dos",
        "do",
        "di",
        "du",
        "des",
        "y",
        "ul",
        "ud",
        "ter",
        "zu",
        "af",
        "av",
    }
)


def _char_class(ch: str) -> str:
    if ch in _GLUE_CHARS:
        return "glue"
    cat = unicodedata.category(ch)
    if cat in _DROP_CATEGORIES:
        return "drop"
    if cat == "Lm" and not ch.isalnum():
        return "glue"
    if cat in _SPACE_CATEGORIES or ch.isspace():
        return "space"
    return "keep"


@lru_cache(maxsize=4096)
def _classify(ch: str) -> str:
    return _char_class(ch)


@lru_cache(maxsize=100_000)
def clean_name(text: str) -> str:
    """Normalise a name to lower-case words separated by single spaces (idempotent)."""
    text = text[:MAX_NAME_CHARS]
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    out: list[str] = []
    for ch in text:
        kind = _classify(ch)
        if kind == "keep":
            out.append(ch)
        elif kind == "space":
            out.append(" ")
    cleaned = " ".join("".join(out).split())
    again = unicodedata.normalize("NFKC", cleaned.casefold())
    if again != cleaned:
        return clean_name(again)
    return cleaned


def casefold(text: str) -> str:
    """NFKC and case folding only (punctuation kept), for legal-form look-up before cleaning."""
    return unicodedata.normalize("NFKC", text[:MAX_NAME_CHARS]).casefold()


def _title_set() -> frozenset[str]:
    titles = set(_EXTRA_TITLES)
    for prefix in person_name_prefixes_list():
        cleaned = clean_name(prefix)
        if cleaned and " " not in cleaned:
            titles.add(cleaned)
    return frozenset(titles)


TITLES = _title_set()
"""Single-word titles and honorifics (rigour's person prefixes plus a curated list)."""


def is_title(token: str) -> bool:
    """True when the (cleaned) token is a title or honorific such as "dr" or "sheikh"."""
    return token in TITLES


def is_particle(token: str) -> bool:
    """True when the (cleaned) token is a name particle such as "al", "bin" or "van"."""
    return token in _PARTICLES


def strip_titles(tokens: list[str]) -> list[str]:
    """Drop title tokens, unless that would leave no token at all."""
    kept = [t for t in tokens if t not in TITLES]
    return kept if kept else tokens
