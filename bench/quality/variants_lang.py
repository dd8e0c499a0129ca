"""Language-aware name manipulations: transliteration, romanisation, nicknames, legal forms, titles.

* ``to_cyrillic``: a romanised Russian/Ukrainian name written back in Cyrillic with ICU's
  BGN/PCGN Russian transform run in reverse ("Yevgeniy Prigozhin" -> "Евгений Пригожин"),
  i.e. what a customer record in the original script looks like.
* ``romanisation``: another common romanisation of a token (Mohammed / Muhammad / Mohamed,
  Yevgeny / Evgenii, Aleksandr / Alexander, Vučić / Vucic / Vuchich), from an equivalence table
  and a few Slavic spelling rules.
* ``nickname``: a given name replaced by a nickname (carltonnorthern/names.csv; the table is
  passed in, nothing is read here).
* ``legal_form``: a legal form swapped for an equivalent (LLC <-> Limited Liability Company <->
  OOO <-> ООО, JSC <-> AO, Ltd <-> Limited ...), or added when the name has none.
* ``title``: an honorific or title added in front of a person's name.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

import icu

ROMANISATIONS: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad", "Mohamud"),
    ("Ahmed", "Ahmad", "Ahmet"),
    ("Hussein", "Husain", "Hussain", "Husayn", "Hossein"),
    ("Hassan", "Hasan"),
    ("Abdul", "Abdel", "Abdal", "Abd-al"),
    ("Yusuf", "Youssef", "Yousef", "Yusef", "Yousif"),
    ("Osama", "Usama"),
    ("Khalid", "Khaled"),
    ("Qasim", "Qassem", "Kassem", "Kasim"),
    ("Abu", "Abou"),
    ("Omar", "Umar"),
    ("Mahmoud", "Mahmud", "Mahmood"),
    ("Mustafa", "Mostafa", "Moustafa"),
    ("Ali", "Aly"),
    ("Yevgeniy", "Yevgeny", "Evgeny", "Evgenii", "Evgeniy", "Eugene"),
    ("Aleksandr", "Alexander", "Aleksander", "Alexandr", "Oleksandr"),
    ("Aleksey", "Alexei", "Aleksei", "Alexey", "Oleksiy"),
    ("Sergey", "Sergei", "Serguei", "Sergiy"),
    ("Dmitriy", "Dmitry", "Dmitri", "Dmitrii"),
    ("Yuriy", "Yury", "Yuri", "Iurii", "Yurii"),
    ("Andrey", "Andrei", "Andriy"),
    ("Nikolay", "Nikolai", "Mykola"),
    ("Mikhail", "Mikhael", "Michail", "Mykhailo"),
    ("Vyacheslav", "Viacheslav", "Vjaceslav"),
    ("Arkadiy", "Arkady", "Arkadii"),
    ("Gennadiy", "Gennady", "Gennadii"),
    ("Anatoliy", "Anatoly", "Anatolii"),
    ("Valeriy", "Valery", "Valerii"),
    ("Grigoriy", "Grigory", "Grigorii"),
    ("Pyotr", "Petr", "Piotr"),
    ("Fyodor", "Fedor", "Feodor"),
)
_ROMAN_INDEX = {v.lower(): grp for grp in ROMANISATIONS for v in grp}
_DIACRITICS = {
    "č": ("ch", "c"),
    "ć": ("ch", "c"),
    "š": ("sh", "s"),
    "ž": ("zh", "z"),
    "đ": ("dj", "d"),
    "ş": ("sh", "s"),
    "ğ": ("g", "gh"),
    "ı": ("i",),
    "ä": ("ae", "a"),
    "ö": ("oe", "o"),
    "ü": ("ue", "u"),
    "é": ("e",),
}
_SLAVIC_RULES = (
    (r"iy$", "y"),
    (r"iy$", "ii"),
    (r"y$", "i"),
    (r"^ye", "e"),
    (r"ks", "x"),
    (r"kh", "h"),
    (r"ya", "ia"),
    (r"yu", "iu"),
    (r"ov$", "off"),
    (r"ich$", "itch"),
)

LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("LLC", "L.L.C.", "Limited Liability Company", "OOO", "ООО"),
    ("JSC", "Joint Stock Company", "AO", "АО", "JSCo"),
    ("OJSC", "Open Joint Stock Company", "OAO", "ОАО"),
    ("CJSC", "Closed Joint Stock Company", "ZAO", "ЗАО"),
    ("PJSC", "Public Joint Stock Company", "PAO", "ПАО"),
    ("Ltd", "Ltd.", "Limited"),
    ("Co., Ltd.", "Company Limited", "Co Ltd"),
    ("Inc", "Inc.", "Incorporated"),
    ("Corp", "Corp.", "Corporation"),
    ("PLC", "Public Limited Company", "P.L.C."),
    ("GmbH", "Gesellschaft mit beschränkter Haftung"),
    ("S.A. de C.V.", "SA de CV", "Sociedad Anonima de Capital Variable"),
    ("S.A.", "SA", "Sociedad Anonima", "Societe Anonyme"),
    ("FZE", "Free Zone Establishment"),
    ("FZCO", "Free Zone Company"),
    ("LTDA", "Limitada", "Ltda."),
    ("S.R.L.", "SRL", "Societa a responsabilita limitata"),
    ("SARL", "S.A.R.L.", "Societe a responsabilite limitee"),
    ("B.V.", "BV", "Besloten Vennootschap"),
    ("N.V.", "NV", "Naamloze Vennootschap"),
    ("AG", "Aktiengesellschaft"),
    ("LLP", "Limited Liability Partnership", "L.L.P."),
    ("Pte Ltd", "Pte. Ltd.", "Private Limited"),
    ("OOD", "ООД"),
    ("EOOD", "ЕООД"),
    ("TOO", "ТОО"),
    ("S.L.", "SL", "Sociedad Limitada"),
    ("Sdn Bhd", "Sdn. Bhd.", "Sendirian Berhad"),
    ("Co.", "Co", "Company"),
)
_FORM_INDEX = sorted(
    ((f, grp) for grp in LEGAL_FORMS for f in grp), key=lambda x: len(x[0]), reverse=True
)
TITLES = ("Mr.", "Mrs.", "Dr.", "Sheikh", "Haji", "General", "Mullah", "Prof.", "Colonel", "Sir")


@lru_cache(maxsize=4)
def _transliterator(tid: str, reverse: bool = False) -> icu.Transliterator:
    direction = icu.UTransDirection.REVERSE if reverse else icu.UTransDirection.FORWARD
    return icu.Transliterator.createInstance(tid, direction)


def to_cyrillic(name: str, rng: random.Random) -> str | None:
    """Romanised Russian name -> Cyrillic (reverse BGN/PCGN); None if not fully converted."""
    del rng
    if not name.isascii():
        return None
    out = _transliterator("Russian-Latin/BGN", reverse=True).transliterate(name.title())
    if any("a" <= c.lower() <= "z" for c in out):
        return None
    return str(out)


def to_latin(name: str) -> str:
    """Any script -> Latin with ICU (used to find near neighbours of non-Latin names)."""
    return str(_transliterator("Any-Latin; Latin-ASCII").transliterate(name))


def _respell(token: str, rng: random.Random) -> str | None:
    low = token.lower()
    group = _ROMAN_INDEX.get(low)
    if group:
        new = rng.choice([g for g in group if g.lower() != low])
        return new.upper() if token.isupper() else new
    if any(c in _DIACRITICS for c in low):
        out = "".join(rng.choice(_DIACRITICS[c]) if c in _DIACRITICS else c for c in low)
        return out.upper() if token.isupper() else out.title()
    rules = [(p, r) for p, r in _SLAVIC_RULES if re.search(p, low)]
    if rules and re.search(r"(ov|ev|in|iy|enko|ich|ovna|evna|sky|skiy)$", low):
        pat, rep = rng.choice(rules)
        out = re.sub(pat, rep, low, count=1)
        return out.upper() if token.isupper() else out.title()
    return None


def romanisation(name: str, rng: random.Random) -> str | None:
    """One or two tokens spelled in another common romanisation."""
    tokens = name.split()
    options = [(i, new) for i, t in enumerate(tokens) if (new := _respell(t, rng))]
    if not options:
        return None
    for i, new in rng.sample(options, min(len(options), rng.choice((1, 2)))):
        tokens[i] = new
    return " ".join(tokens)


def nickname(name: str, rng: random.Random, table: dict[str, list[str]]) -> str | None:
    """A given name (not the last token) replaced by one of its nicknames."""
    tokens = name.split()
    idx = [i for i, t in enumerate(tokens[:-1]) if t.lower() in table]
    if not idx:
        return None
    i = rng.choice(idx)
    new = rng.choice(table[tokens[i].lower()])
    tokens[i] = new.upper() if tokens[i].isupper() else new.title()
    return " ".join(tokens)


def legal_form(name: str, rng: random.Random) -> str | None:
    """A legal form swapped for an equivalent one, or one added when the name has none."""
    for form, group in _FORM_INDEX:
        pat = re.compile(r"(?<!\w)" + re.escape(form) + r"(?!\w)", re.IGNORECASE)
        if pat.search(name):
            new = rng.choice([g for g in group if g.lower() != form.lower()])
            out = pat.sub(new.replace("\\", "\\\\"), name, count=1)
            return " ".join(out.split())
    if len(name.split()) < 2:
        return None
    return f"{name.rstrip(' ,.')} {rng.choice(('LLC', 'Ltd', 'Co.', 'Inc.', 'JSC'))}"


def title(name: str, rng: random.Random) -> str | None:
    """An honorific or title in front of a person's name."""
    return f"{rng.choice(TITLES)} {name}"
