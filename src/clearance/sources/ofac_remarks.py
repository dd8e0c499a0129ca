"""The ``Remarks`` field of OFAC's legacy files (sdn.csv, cons_prim.csv, .pip), parsed into facts.

OFAC packs everything that has no column of its own into one remarks string of items separated
by ``"; "`` and ending in ``"."``: ``DOB 01 Feb 1958 to 28 Feb 1958; POB Chengdu, China;
Passport A123 (Russia) issued 01 Jan 2001; a.k.a. 'BNC'; Linked To: X; CAATSA Section 235
Information: FOREIGN EXCHANGE. Sec 235(a)(7)``. ``alt.`` before an item marks one more value of
the same kind. Remarks longer than 1,000 characters are cut and continue, character for character,
in the spill-over file (sdn_comments.csv / cons_comments.csv): join them with :func:`join_overflow`.

OFAC's own data specification says weak aliases (nicknames, generic acronyms) sit in the remarks
as ``a.k.a. 'NAME'`` in single quotes; strong aliases are in alt.csv. :func:`parse_remarks`
returns a :class:`~clearance.sources.ofac_facts.Remarks` with typed lists; an item it does not
understand is kept verbatim in ``notes``. The labels it knows are the data of
:mod:`clearance.sources.ofac_labels`. This module is pure (no I/O, no FollowTheMoney) so the
matcher can reuse it.
"""

from __future__ import annotations

import re

from clearance.model import parse_date, parse_date_range
from clearance.sources.ofac_facts import (
    Alias,
    DateFact,
    Directive,
    IdDoc,
    LabelledValue,
    Measure,
    Remarks,
)
from clearance.sources.ofac_labels import FEATURE_LABELS, ID_LABELS

NULL = "-0-"
_ITEM_SPLIT = re.compile(r";\s+|;(?=[A-Za-z])")
_ALT = re.compile(r"^alt\.\s+", re.I)
_ALIAS = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)[\s,]*(.+)$", re.I)
_DOB = re.compile(r"^DOB:?\s+(.+)$")
_YEARS = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_CIRCA = re.compile(r"^(circa|ca\.|approximately)\s+", re.I)
_MEASURE = re.compile(
    r"^(CAATSA Section 235|Executive Order \d+) [Ii]nformation:\s*(.*?)\.?\s+"
    r"(Sec\.?\s*[0-9]+(?:\([0-9a-z]+\))+)$"
)
_DIRECTIVE = re.compile(
    r"^Executive Order (\d+) Directive (?:Determination|Information):?\s*-?\s*"
    r"Subject to Directive (\w+)\s*(?:-\s*(.*))?$"
)
_DIRECTIVE_DATE = re.compile(
    r"^(Listing Date|Effective Date|Purchase/Sales For Divestment Date) "
    r"\(((?:EO \d+ Directive \w+)|[A-Z]+)\):?\s+(.+)$"
)
_CRYPTO = re.compile(r"^Digital Currency Address - ([A-Za-z0-9]+)\s+(\S+)$")
_ID_TAIL = re.compile(r"\s+(issued|expires)\s+(\d{1,2} [A-Za-z]{3} \d{4}|[A-Za-z]{3} \d{4}|\d{4})")
_PARENS = re.compile(r"\s*\(([^()]*)\)")
_GENERIC_ID = re.compile(
    r"^([A-Z][A-Za-z.'/#&\- ]{1,60}?)[:]?\s+([A-Za-z0-9./\-]*\d[A-Za-z0-9./\- ]*?)"
    r"\s+\(([A-Z][A-Za-z ,.'\-]+)\)$"
)
_STATEMENTS: tuple[tuple[str, str], ...] = (
    ("Secondary sanctions risk:", "Secondary sanctions risk"),
    ("Additional Sanctions Information -", "Additional Sanctions Information"),
    (
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions",
    ),
    ("U.S. Persons Must Continue to Block", "U.S. Persons Must Continue to Block"),
    ("United States financial institutions are prohibited", "Correspondent account prohibition"),
    ("IFCA Determination -", "IFCA Determination"),
    ("Executive Order 14059 information:", "Executive Order 14059"),
    ("Executive Order 14024 Directive Information -", "Executive Order 14024 Directive"),
    ("Executive Order 14014 Directive Information:", "Executive Order 14014 Directive"),
)
_LINKED = re.compile(r"Linked To:\s*([^;]+)")
_MORE_INFO = re.compile(
    r"^(?:all offices worldwide\.\s*)?for more information.*?(https?://\S+)", re.I
)
_OFFICES = re.compile(r"^(and )?all (other )?(offices|branches|locations) worldwide\.?$", re.I)


def is_null(value: str | None) -> bool:
    return value is None or value.strip() in ("", NULL)


def join_overflow(remarks: str, overflow: str | None) -> str:
    """The remarks with their spill-over continuation (OFAC cuts mid-word: plain concatenation)."""
    if is_null(remarks):
        remarks = ""
    if is_null(overflow):
        return remarks
    return remarks + (overflow or "")


def split_items(text: str) -> list[str]:
    """The items of a remarks string (the final full stop removed)."""
    text = text.strip()
    if is_null(text):
        return []
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1]
    return [item.strip() for item in _ITEM_SPLIT.split(text) if item.strip()]


def parse_date_fact(text: str) -> DateFact:
    """A published date (``circa 1958``, ``1979-1982``, ``01 Feb 1958 to 28 Feb 1958``)."""
    text = text.strip()
    circa = bool(_CIRCA.match(text))
    # "1979-1982": parse_date_range needs spaces around the dash
    values = parse_date_range(_YEARS.sub(r"\1 to \2", _CIRCA.sub("", text)))
    return DateFact(text, tuple(values), circa)


def _id_doc(kind: str, category: str, rest: str) -> IdDoc:
    issued = expires = None
    for m in _ID_TAIL.finditer(rest):
        value = parse_date(m.group(2)) or m.group(2)
        if m.group(1) == "issued":
            issued = value
        else:
            expires = value
    first = _ID_TAIL.search(rest)
    head = rest[: first.start()] if first else rest
    tail = rest[first.end() :].strip() if first else ""
    parens = _PARENS.findall(head)
    number = _PARENS.sub("", head).strip(" :,")
    country = parens[-1].strip() if parens else None
    extras = [p.strip() for p in parens[:-1]]
    if tail and not _ID_TAIL.match(" " + tail):
        extras.append(_ID_TAIL.sub("", tail).strip())
    extra = "; ".join(e for e in extras if e) or None
    return IdDoc(kind, number or rest.strip(), category, country, issued, expires, extra)


def unquote(name: str) -> str:
    """A weak alias without its enclosing quotes: one quote off each end, so quotes that belong
    to the name stay (``'JSC 'SMN''`` -> ``JSC 'SMN'``, ``''ABD-AL-'IZ'`` -> ``'ABD-AL-'IZ``);
    an alias cut by the 1,000-character limit lacks the closing quote."""
    name = name.strip()
    name = name[1:] if name.startswith("'") else name
    name = name[:-1] if name.endswith("'") else name
    return name.strip()


def _longest_first(labels: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(labels, key=len, reverse=True))


_FEATURE_ORDER = _longest_first(FEATURE_LABELS)
_ID_ORDER = _longest_first(ID_LABELS)


def _labelled(
    item: str, labels: dict[str, str], order: tuple[str, ...]
) -> tuple[str, str, str] | None:
    """(label, category, rest) for the longest known label the item starts with."""
    for label in order:
        if item.startswith(label):
            rest = item[len(label) :]
            if rest[:1] in (" ", ":") or label.endswith((":", "#")):
                return label, labels[label], rest.lstrip(" :")
    return None


def _parse_item(item: str, out: Remarks, titles: set[str]) -> bool:
    """Put one item into ``out``; False when it is not understood."""
    if item in titles:
        out.titles.append(item)
        return True
    if item.startswith("Alternate Title, "):
        out.titles.append(item[len("Alternate Title, ") :].strip())
        return True
    item = _ALT.sub("", item)
    if m := _ALIAS.match(item):
        name = m.group(2).strip()
        weak = name.startswith("'")  # OFAC quotes weak aliases
        name = unquote(name) if weak else name
        out.aliases.append(Alias(name, m.group(1).lower(), weak))
        return True
    if m := _DOB.match(item):
        out.birth_dates.append(parse_date_fact(m.group(1)))
        return True
    for prefix, target in (
        ("POB ", out.birth_places),
        ("nationality ", out.nationalities),
        ("citizen ", out.citizenships),
        ("Gender ", out.genders),
        ("Linked To: ", out.linked_to),
    ):
        if item.startswith(prefix):
            target.append(item[len(prefix) :].strip())
            return True
    if m := _MEASURE.match(item):
        section = re.sub(r"^Sec\.?\s*", "Sec. ", m.group(3))
        out.measures.append(Measure(m.group(1), m.group(2).strip(), section))
        return True
    if m := _DIRECTIVE.match(item):
        out.directives.append(Directive(m.group(1), m.group(2), (m.group(3) or "").strip() or None))
        return True
    if m := _DIRECTIVE_DATE.match(item):
        value = parse_date(m.group(3)) or m.group(3).strip()
        out.sanction_dates.append(LabelledValue(f"{m.group(1)} ({m.group(2)})", value))
        return True
    for prefix, label in _STATEMENTS:
        if item.startswith(prefix):
            out.statements.append(LabelledValue(label, item[len(prefix) :].strip(" :-") or label))
            return True
    if m := _MORE_INFO.match(item):
        out.links.append(m.group(1).rstrip("."))
        return True
    if _OFFICES.match(item):
        out.features.append(LabelledValue("Scope", item.rstrip(".")))
        return True
    if m := _CRYPTO.match(item):
        out.crypto.append(LabelledValue(m.group(1).upper(), m.group(2)))
        return True
    if found := _labelled(item, FEATURE_LABELS, _FEATURE_ORDER):
        label, kind, rest = found
        if kind == "website":
            out.websites.append(rest)
        elif kind == "email":
            out.emails.append(rest)
        elif kind == "phone":
            out.phones.append(rest)
        else:
            out.features.append(LabelledValue(kind, rest))
        return True
    if found := _labelled(item, ID_LABELS, _ID_ORDER):
        label, category, rest = found
        if rest:
            out.id_docs.append(_id_doc(label.rstrip(" :"), category, rest))
            return True
    if m := _GENERIC_ID.match(item):
        out.id_docs.append(IdDoc(m.group(1).strip(), m.group(2).strip(), "other", m.group(3)))
        out.generic_ids += 1
        return True
    return False


def parse_remarks(text: str | None, title: str | None = None) -> Remarks:
    """Parse a remarks string; ``title`` is the record's Title column (OFAC repeats it here)."""
    out = Remarks()
    titles = {t.strip() for t in (title or "").split(";") if not is_null(t)}
    for item in split_items(text or ""):
        out.items += 1
        if not _parse_item(item, out, titles):
            out.notes.append(item)
    return out


def linked_names(remarks: str | None) -> list[str]:
    """The NAMEs of ``Linked To: NAME`` in a remarks text (a closing parenthesis that belongs to
    an enclosing ``(Linked To: ...)`` and a final full stop are not part of the name)."""
    out = []
    for m in _LINKED.finditer(remarks or ""):
        name = m.group(1).strip().rstrip(".").strip()
        while name.endswith(")") and name.count(")") > name.count("("):
            name = name[:-1].rstrip()
        if name:
            out.append(name)
    return out


__all__ = [
    "is_null",
    "join_overflow",
    "linked_names",
    "parse_date_fact",
    "parse_remarks",
    "split_items",
    "unquote",
]
