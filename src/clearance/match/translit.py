"""Transliteration of name tokens to ASCII Latin through ICU, per script, cached per token.

Each script gets the ICU transform that romanises names best (BGN/PCGN for Russian, Ukrainian,
Belarusian and Serbian Cyrillic, UNGEGN for Greek, BGN for Persian, pinyin without tones for
Chinese, ...), followed by ``Latin-ASCII``. A second spelling comes from the generic
``Any-Latin`` transform (ISO-style), and for Latin letters with carons the "ch/sh/zh" spelling
(Vučić → vucic and vuchich), so both common romanisations of a token are known.

The letter ʿayn, which ICU writes "ʿ", becomes "a" (عبد → abd, علي → aly) as in most
romanisations of names. Chinese characters and Korean syllables become one token per
syllable ("习近平" → xi jin ping); the name matcher joins syllables again when the other side
writes "Jinping".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import NamedTuple

import icu

from clearance.match.normalize import clean_name


class Romanised(NamedTuple):
    """The ASCII spellings of one source token."""

    words: tuple[str, ...]
    """Primary romanisation, one or more words (several for CJK syllables)."""
    alternates: tuple[str, ...]
    """Other spellings of the same single word (empty for multi-word results)."""
    script: str
    """Dominant script of the source token: Latin, Cyrillic, Arabic, Han, ... or Common."""


_CYRILLIC_LANG = (
    ("ђјљњћџ", "Serbian-Latin/BGN"),
    ("ўі", "Belarusian-Latin/BGN"),
    ("єїґі", "Ukrainian-Latin/BGN"),
)
_SCRIPT_IDS = {
    "Cyrillic": "Russian-Latin/BGN",
    "Greek": "Greek-Latin/UNGEGN",
    "Arabic": "Arabic-Latin",
    "Hebrew": "Hebrew-Latin",
    "Han": "Han-Latin",
    "Hiragana": "Hiragana-Latin",
    "Katakana": "Katakana-Latin",
    "Hangul": "Hangul-Latin",
    "Devanagari": "Devanagari-Latin",
    "Thai": "Thai-Latin",
    "Georgian": "Georgian-Latin",
    "Armenian": "Armenian-Latin",
}
_PERSIAN_LETTERS = frozenset("پچژگیک")
SYLLABIC_SCRIPTS = frozenset({"Han", "Hangul"})
"""Scripts romanised one syllable per token."""
ABJAD_SCRIPTS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
"""Scripts that usually omit short vowels; their tokens are compared by consonant skeleton."""
_CARON_MAP = str.maketrans(
    {
        "č": "ch",
        "ć": "ch",
        "š": "sh",
        "ž": "zh",
        "đ": "dj",
        "ş": "sh",
        "ç": "ch",
        "ř": "rz",
        "ț": "ts",
        "ţ": "ts",
    }
)


@lru_cache(maxsize=64)
def _transliterator(transform_id: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(transform_id)


def _ascii(text: str, transform_id: str) -> str:
    latin = _transliterator(transform_id).transliterate(text).replace("ʿ", "a")
    return clean_name(_transliterator("Any-Latin; Latin-ASCII").transliterate(latin))


def _caron_ascii(text: str, transform_id: str) -> str:
    latin = _transliterator(transform_id).transliterate(text).replace("ʿ", "a").lower()
    latin = unicodedata.normalize("NFC", latin).translate(_CARON_MAP)
    return clean_name(_transliterator("Any-Latin; Latin-ASCII").transliterate(latin))


@lru_cache(maxsize=2048)
def char_script(ch: str) -> str:
    """The Unicode script of one character, from its Unicode name (cached)."""
    if ch.isascii():
        return "Latin" if ch.isalpha() else "Common"
    if not ch.isalpha():
        return "Common"
    name = unicodedata.name(ch, "")
    if name.startswith("CJK") or name.startswith("KANGXI"):
        return "Han"
    head = name.split(" ", 1)[0]
    return {"HANGUL": "Hangul", "HIRAGANA": "Hiragana", "KATAKANA": "Katakana"}.get(
        head, head.capitalize() if head else "Common"
    )


def token_script(token: str) -> str:
    """The most frequent script among the letters of ``token``."""
    counts: dict[str, int] = {}
    for ch in token:
        script = char_script(ch)
        if script != "Common":
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "Common"
    return max(counts.items(), key=lambda kv: kv[1])[0]


def _transform_for(token: str, script: str) -> str:
    if script == "Cyrillic":
        for letters, tid in _CYRILLIC_LANG:
            if any(ch in letters for ch in token):
                return tid
    if script == "Arabic" and any(ch in _PERSIAN_LETTERS for ch in token):
        return "Persian-Latin/BGN"
    return _SCRIPT_IDS.get(script, "Any-Latin")


@lru_cache(maxsize=200_000)
def romanise(token: str) -> Romanised:
    """ASCII spellings of one cleaned token (see module doc)."""
    if token.isascii():
        script = "Latin" if any(c.isalpha() for c in token) else "Common"
        return Romanised(tuple(token.split()), (), script)
    script = token_script(token)
    if script == "Latin":
        primary = clean_name(_transliterator("Latin-ASCII").transliterate(token))
        caron = clean_name(
            _transliterator("Latin-ASCII").transliterate(
                unicodedata.normalize("NFC", token).translate(_CARON_MAP)
            )
        )
        latin_alts = (caron,) if caron != primary and " " not in caron and caron else ()
        return Romanised(tuple(primary.split()) or (token,), latin_alts, script)
    if script in SYLLABIC_SCRIPTS:
        words: list[str] = []
        for ch in token:
            words.extend(_ascii(ch, _transform_for(ch, char_script(ch))).split())
        return Romanised(tuple(w for w in words if w), (), script)
    transform = _transform_for(token, script)
    primary = _ascii(token, transform)
    words_t = tuple(primary.split())
    alts: list[str] = []
    if len(words_t) == 1:
        for alt in (_caron_ascii(token, transform), _ascii(token, "Any-Latin")):
            if alt != primary and " " not in alt and alt and alt not in alts:
                alts.append(alt)
    return Romanised(words_t, tuple(alts), script)
