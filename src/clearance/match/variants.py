"""Spelling-variant keys for romanised name tokens.

Romanisations of the same name differ in predictable ways (kh/h, ou/u, ya/ia, iy/y, ks/x,
dzh/j, w/v, ph/f, doubled letters). ``fold_key`` rewrites a token into a key where those
variants meet (Yevgeniy, Evgenii, Evgeniy → "evgeni"). A small curated table maps name
families whose spellings differ more than that (Mohammed / Muhammad / Mohamed / Mohd) to one
group. ``skeleton`` is the consonant skeleton used for tokens romanised from scripts that omit
short vowels (Arabic, Hebrew): "mhmd" and "muhammad" share the skeleton "mhmd".
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_RULES: tuple[tuple[str, str], ...] = (
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("ck", "k"),
    ("ks", "x"),
    ("cs", "x"),
    ("q", "k"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("iy", "i"),
    ("ij", "i"),
    ("ey", "ei"),
    ("ay", "ai"),
    ("y", "i"),
    ("ii", "i"),
    ("th", "t"),
    ("dh", "d"),
)
_RULE_RE = re.compile("|".join(re.escape(a) for a, _ in _RULES))
_RULE_MAP = dict(_RULES)
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def fold_key(token: str) -> str:
    """The spelling-variant key of an ASCII token (see module doc)."""
    if len(token) <= 2 or not token.isalpha():
        return token
    key = token[1:] if token.startswith("ye") else token
    key = _RULE_RE.sub(lambda m: _RULE_MAP[m.group(0)], key)
    key = _DOUBLE.sub(r"\1", key)
    return key


_SKELETON_FOLDS = (
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("sh", "s"),
    ("ch", "c"),
    ("th", "t"),
    ("dh", "d"),
    ("zh", "z"),
    ("ck", "k"),
    ("q", "k"),
    ("j", "y"),
)
_SKELETON_DROP = re.compile(r"[aeiouywj]")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant skeleton: digraphs folded, vowels and w/y/j removed, doubled letters collapsed."""
    key = token
    for a, b in _SKELETON_FOLDS:
        key = key.replace(a, b)
    return _DOUBLE.sub(r"\1", _SKELETON_DROP.sub("", key))


def abjad_skeletons(token: str) -> tuple[str, ...]:
    """Skeletons of a token romanised from Arabic / Hebrew script: as is, without an attached
    article "al" (اللطيف → alltyf ~ latif), and without a final "t" (tāʾ marbūṭa,
    أسامة → asamt) or "h" (final ه written for a vowel)."""
    forms = [token, token.replace("v", "w")] if "v" in token else [token]
    if token.startswith("al") and len(token) > 3:
        forms.append(token[2:])
    out: list[str] = []
    for form in forms:
        base = skeleton(form)
        if base and base not in out:
            out.append(base)
        if len(base) > 2 and base[-1] in "th" and base[:-1] not in out:
            out.append(base[:-1])
    return tuple(out)


def _load_groups() -> dict[str, str]:
    groups: dict[str, str] = {}
    text = resources.files("clearance.match").joinpath("data/name_variants.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, _, spellings = line.partition("\t")
        for spelling in [canonical, *spellings.split()]:
            groups[spelling] = canonical
    return groups


VARIANT_GROUPS = _load_groups()
"""Spelling → canonical form, from the curated ``data/name_variants.tsv``."""


def variant_group(token: str) -> str | None:
    """The canonical form of a curated spelling family, or None."""
    return VARIANT_GROUPS.get(token)
