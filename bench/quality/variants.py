"""Character- and token-level name manipulations that screening auditors apply to listed names.

Each generator takes a name and a seeded ``random.Random`` and returns the manipulated name, or
``None`` when the manipulation does not apply to that name (too short, nothing to change). The
taxonomy follows the field notes §5.3 "What auditors fuzz": typos (insert, delete, substitute,
adjacent transposition), word order, missing or extra token, initials, truncation,
concatenation, split token, case and punctuation noise.

Rules that keep a variant within a reasonable risk appetite (Deep Lake's caveat: random
manipulations produce cases no screener should hit):

* typos touch one token of at least 5 letters (short tokens stay strict), one edit per name;
* a missing token keeps at least two tokens; truncation keeps at least two tokens and 70 %
  of the characters;
* initials are applied to given names only (the last token is kept whole) and never to
  particles such as "al" / "bin" / "de".

Person names are expected in natural order ("Given Middle Surname"); ``natural_order`` turns a
list's "SURNAME, Given" form into it.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

Generator = Callable[[str, random.Random], str | None]

_PARTICLE_WORDS = (
    "al el bin ibn bint abu abd abdul de del della der di da dos du la le van von ter ul"
)
PARTICLES = frozenset(_PARTICLE_WORDS.split())
MIDDLE_NAMES = ("John", "Ali", "Maria", "Ahmed", "Peter", "Lee", "Anna", "Omar", "Jose", "Ivan")
_GENERIC_WORDS = """
the of and for de la el al llc ltd limited company co corp corporation inc jsc ojsc cjsc pjsc
ooo oao zao pao ao joint stock public closed open liability group international national trading
bank sa s.a. gmbh plc pte fze fzco general industrial industries aktsionernoe obshchestvo
otkrytoe zakrytoe publichnoe ogranichennoy otvetstvennostyu s s.a sociedad anonima limitada
societe kompaniya tovarystvo
"""
GENERIC = frozenset(_GENERIC_WORDS.split())
ORG_EXTRA = ("Group", "International", "Holding", "Trading", "Services", "Global")
KEYBOARD = {
    "a": "qwsz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


def natural_order(name: str) -> str:
    """'PUTIN, Vladimir Vladimirovich' -> 'Vladimir Vladimirovich PUTIN' (one comma only)."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    return name


def _match_case(new: str, like: str) -> str:
    return new.upper() if like.isupper() else new


def _typo_token(tokens: list[str], rng: random.Random) -> int | None:
    """Index of a token long enough (>= 5 letters) to take a typo, or None."""
    idx = [i for i, t in enumerate(tokens) if sum(c.isalpha() for c in t) >= 5]
    return rng.choice(idx) if idx else None


def _edit(name: str, rng: random.Random, op: Callable[[str, random.Random], str]) -> str | None:
    tokens = name.split()
    i = _typo_token(tokens, rng)
    if i is None:
        return None
    new = op(tokens[i], rng)
    if new == tokens[i]:
        return None
    tokens[i] = new
    return " ".join(tokens)


def _letter(like: str, rng: random.Random) -> str:
    base = like.lower()
    pool = KEYBOARD.get(base, string.ascii_lowercase)
    return _match_case(rng.choice(pool), like)


def _insert(tok: str, rng: random.Random) -> str:
    pos = rng.randrange(1, len(tok))
    return tok[:pos] + _letter(tok[pos - 1], rng) + tok[pos:]


def _delete(tok: str, rng: random.Random) -> str:
    pos = rng.randrange(1, len(tok))
    return tok[:pos] + tok[pos + 1 :]


def _substitute(tok: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(tok) if c.isascii() and c.isalpha()]
    if not letters:
        return tok
    pos = rng.choice(letters)
    return tok[:pos] + _letter(tok[pos], rng) + tok[pos + 1 :]


def _transpose(tok: str, rng: random.Random) -> str:
    pairs = [i for i in range(len(tok) - 1) if tok[i] != tok[i + 1]]
    if not pairs:
        return tok
    pos = rng.choice(pairs)
    return tok[:pos] + tok[pos + 1] + tok[pos] + tok[pos + 2 :]


def typo_insert(name: str, rng: random.Random) -> str | None:
    """One extra letter (a keyboard neighbour) inside a token of >= 5 letters."""
    return _edit(name, rng, _insert)


def typo_delete(name: str, rng: random.Random) -> str | None:
    """One letter dropped inside a token of >= 5 letters (never the first)."""
    return _edit(name, rng, _delete)


def typo_substitute(name: str, rng: random.Random) -> str | None:
    """One letter replaced by a keyboard neighbour in a token of >= 5 letters."""
    return _edit(name, rng, _substitute)


def transposition(name: str, rng: random.Random) -> str | None:
    """Two adjacent, different letters swapped in a token of >= 5 letters."""
    return _edit(name, rng, _transpose)


def word_order(name: str, rng: random.Random, org: bool = False) -> str | None:
    """Tokens rotated (surname first; for organisations the only form) or two tokens swapped."""
    tokens = name.split()
    if len(tokens) < 2:
        return None
    if org:
        out = tokens[1:] + tokens[:1] if rng.random() < 0.5 else tokens[-1:] + tokens[:-1]
    elif len(tokens) == 2 or rng.random() < 0.5:
        out = tokens[-1:] + tokens[:-1]
    else:
        i, j = rng.sample(range(len(tokens)), 2)
        out = list(tokens)
        out[i], out[j] = out[j], out[i]
    return None if out == tokens else " ".join(out)


def _distinctive(tokens: list[str]) -> int:
    return sum(1 for t in tokens if t.lower().strip(".,'\"()") not in GENERIC)


def missing_token(name: str, rng: random.Random) -> str | None:
    """One inner token (not a particle) left out; at least two tokens remain, and at least
    two distinctive ones (not a legal form or a generic word) when the name had them."""
    tokens = name.split()
    idx = [i for i, t in enumerate(tokens[:-1]) if t.lower() not in PARTICLES and i > 0]
    if len(tokens) < 3 or not idx:
        return None
    i = rng.choice(idx)
    out = tokens[:i] + tokens[i + 1 :]
    if _distinctive(out) < min(2, _distinctive(tokens)):
        return None
    return " ".join(out)


def extra_token(name: str, rng: random.Random, org: bool = False) -> str | None:
    """A plausible extra token: a middle name for people, 'Group' & co. for organisations."""
    tokens = name.split()
    if len(tokens) < 2:
        return None
    if org:
        word = _match_case(rng.choice(ORG_EXTRA), tokens[0])
        return " ".join([*tokens, word])
    word = _match_case(rng.choice(MIDDLE_NAMES), tokens[0])
    i = rng.randrange(1, len(tokens))
    return " ".join([*tokens[:i], word, *tokens[i:]])


def initials(name: str, rng: random.Random) -> str | None:
    """Given names reduced to initials ('Vladimir V. Putin', 'V. V. Putin').

    In the list form 'SURNAME SURNAME2, Given Given2' only the given names (after the comma)
    are initialised and the result is in natural order; otherwise every token but the last.
    """
    if name.count(",") == 1:
        surname, given = (p.strip() for p in name.split(","))
        given_out = initials(f"{given} _", rng) if given else None
        return f"{given_out[:-2]} {surname}" if given_out and surname else None
    tokens = name.split()
    idx = [i for i, t in enumerate(tokens[:-1]) if t.lower() not in PARTICLES and len(t) > 2]
    if len(tokens) < 2 or not idx:
        return None
    chosen = idx if rng.random() < 0.5 else [rng.choice(idx)]
    dot = rng.random() < 0.7
    parts = [t[0] + ("." if dot else "") if i in chosen else t for i, t in enumerate(tokens)]
    return " ".join(parts)


def truncation(name: str, rng: random.Random, person: bool = False) -> str | None:
    """Cut at a fixed field width (35) or at 70-90 % of its length, as a short input field does.

    At least 70 % of the characters and two tokens remain; a cut token keeps >= 4 letters or is
    dropped; a person's last token (the surname, natural order) is never dropped entirely; one
    distinctive token (not a legal form or generic word) stays whole.
    """
    if len(name) < 20:
        return None
    cut = 35 if len(name) > 40 and rng.random() < 0.5 else int(len(name) * rng.uniform(0.7, 0.9))
    cut = max(cut, int(len(name) * 0.7))
    if person:
        cut = max(cut, name.rfind(" ") + 5)
    tokens = name[:cut].split()
    full = name.split()
    if tokens and len(tokens[-1]) < 4 and tokens[-1] != full[len(tokens) - 1]:
        tokens = tokens[:-1]
    out = " ".join(tokens).rstrip(" ,.-")
    if len(tokens) < 2 or out == name or (person and len(tokens) < len(full)):
        return None
    if len(out) < 0.7 * len(name):
        return None
    whole = [t for t, f in zip(tokens, full, strict=False) if t == f]
    if _distinctive(whole) < min(1, _distinctive(full)):
        return None  # only legal-form words left ('AKTSIONERNOE OBSHCHESTV')
    return out


def concatenation(name: str, rng: random.Random) -> str | None:
    """Two adjacent tokens written as one ('JSC ARGUMENT' -> 'JSCARGUMENT')."""
    tokens = name.split()
    if len(tokens) < 2:
        return None
    i = rng.randrange(len(tokens) - 1)
    return " ".join([*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]])


def split_token(name: str, rng: random.Random) -> str | None:
    """A long token (>= 8 letters) split in two ('Hanspeter' -> 'Hans peter')."""
    tokens = name.split()
    idx = [i for i, t in enumerate(tokens) if len(t) >= 8 and t.isalpha()]
    if not idx:
        return None
    i = rng.choice(idx)
    pos = rng.randrange(3, len(tokens[i]) - 2)
    tokens[i] = tokens[i][:pos] + " " + tokens[i][pos:]
    return " ".join(tokens)


def case_punct(name: str, rng: random.Random) -> str | None:
    """Case changed and punctuation removed, added or doubled spaces."""
    choice = rng.randrange(4)
    if choice == 0:
        out = name.lower()
    elif choice == 1:
        out = name.upper() if not name.isupper() else name.title()
    elif choice == 2:
        out = "".join(c for c in name if c.isalnum() or c.isspace())
        out = " ".join(out.split())
    else:
        tokens = name.split()
        if len(tokens) < 2:
            return None
        i = rng.randrange(len(tokens) - 1)
        sep = rng.choice(["-", ", ", ".", "  "])
        out = " ".join(tokens[:i]) + (" " if i else "") + tokens[i] + sep
        out += " ".join(tokens[i + 1 :])
    return None if out == name else out


PERSON_GENERATORS: dict[str, Generator] = {
    "typo_insert": typo_insert,
    "typo_delete": typo_delete,
    "typo_substitute": typo_substitute,
    "transposition": transposition,
    "word_order": word_order,
    "missing_token": missing_token,
    "extra_token": extra_token,
    "initials": initials,
    "truncation": lambda name, rng: truncation(name, rng, person=True),
    "concatenation": concatenation,
    "split_token": split_token,
    "case_punct": case_punct,
}
ORG_GENERATORS: dict[str, Generator] = {
    **{k: v for k, v in PERSON_GENERATORS.items() if k not in ("initials", "extra_token")},
    "extra_token": lambda name, rng: extra_token(name, rng, org=True),
    "word_order": lambda name, rng: word_order(name, rng, org=True),
    "truncation": truncation,
}
