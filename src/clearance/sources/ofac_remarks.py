"""The ``Remarks`` field of OFAC's legacy files (sdn.csv, cons_prim.csv, .pip), parsed into facts.

OFAC packs everything that has no column of its own into one remarks string of items separated
by ``"; "`` and ending in ``"."``: ``DOB 01 Feb 1958 to 28 Feb 1958; POB Chengdu, China;
Passport A123 (Russia) issued 01 Jan 2001; a.k.a. 'BNC'; Linked To: X; CAATSA Section 235
Information: FOREIGN EXCHANGE. Sec 235(a)(7)``. ``alt.`` before an item marks one more value of
the same kind. Remarks longer than 1,000 characters are cut and continue, character for character,
in the spill-over file (sdn_comments.csv / cons_comments.csv): join them with :func:`join_overflow`.

OFAC's own data specification says weak aliases (nicknames, generic acronyms) sit in the remarks
as ``a.k.a. 'NAME'`` in single quotes; strong aliases are in alt.csv. :func:`parse_remarks` returns
a :class:`Remarks` with typed lists; an item it does not understand is kept verbatim in
``notes``. This module is pure (no I/O, no FollowTheMoney) so the matcher can reuse it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clearance.model import parse_date, parse_date_range

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
_MORE_INFO = re.compile(
    r"^(?:all offices worldwide\.\s*)?for more information.*?(https?://\S+)", re.I
)
_OFFICES = re.compile(r"^(and )?all (other )?(offices|branches|locations) worldwide\.?$", re.I)

#: published label -> what it is (website/email/phone, or the canonical feature name)
FEATURE_LABELS: dict[str, str] = {
    **dict.fromkeys(("Website", "Website:"), "website"),
    **dict.fromkeys(("Email Address", "Email", "EMAIL", "Email:"), "email"),
    **dict.fromkeys(
        (
            "Phone Number",
            "Phone No.",
            "PHONE",
            "Telephone",
            "Telephone No.",
            "Telephone:",
            "Telephone Number:",
            "Alt. Telephone:",
            "Fax",
            "Fax No.",
            "Fax:",
            "FAX",
            "Alt. Fax:",
        ),
        "phone",
    ),
    **dict.fromkeys(("Vessel Call Sign", "Other Vessel Call Sign"), "Vessel Call Sign"),
    **dict.fromkeys(("Vessel Type", "Other Vessel Type"), "Vessel Type"),
    **dict.fromkeys(("Vessel Flag", "Other Vessel Flag"), "Vessel Flag"),
    "Former Vessel Flag": "Former Vessel Flag",
    "Vessel Year of Build": "Vessel Year of Build",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "Aircraft Construction Number",
    "Aircraft Manufacturer's Serial Number (MSN)": "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Serial Identification": "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Model": "Aircraft Model",
    "Aircraft Operator": "Aircraft Operator",
    "Aircraft Tail Number": "Aircraft Tail Number",
    "Previous Aircraft Tail Number": "Previous Aircraft Tail Number",
    "Aircraft Manufacture Date": "Aircraft Manufacture Date",
    "Aircraft Mode S Transponder Code": "Aircraft Mode S Transponder Code",
    **dict.fromkeys(
        ("Nationality of Registration", "Registration Country"), "Nationality of Registration"
    ),
    "Organization Established Date": "Organization Established Date",
    "Organization Type:": "Organization Type",
    "Target Type": "Target Type",
    "Equity Ticker": "Equity Ticker",
    "Issuer Name": "Issuer Name",
    "UN/LOCODE": "UN/LOCODE",
    "Chinese Commercial Code": "Chinese Commercial Code",
    "TELEX": "Telex",
    "TGMS": "TGMS",
    "Tribe:": "Tribe",
    "ethnicity": "Ethnicity",
}

_ID_GROUPS: dict[str, tuple[str, ...]] = {
    "passport": (
        "Passport",
        "Passport No.:",
        "Passport Booklet",
        "Passport Booklet:",
        "Diplomatic Passport",
        "British National Overseas Passport",
        "Stateless Person Passport",
        "Travel Document Number",
    ),
    "national_id": (
        "National ID No.",
        "National ID No.:",
        "Cedula No.",
        "C.U.R.P.",
        "C.U.R.P. #",
        "D.N.I.",
        "Identification Number",
        "Kenyan ID No.",
        "Personal ID Card",
        "Turkish Identification Number",
        "Turkish Identificiation Number",
        "Citizen's Card Number",
        "Birth Certificate Number",
        "Residency Number",
        "National Foreign ID Number",
        "Numero de Identidad",
        "C.U.I.",
        "C.U.I.P.",
        "Credencial electoral",
        "Electoral Registry No.",
        "I.F.E.",
        "UAE Identification",
        "Tazkira National ID Card",
        "Refugee ID Card",
        "Stateless Person ID Card",
        "Bosnian Personal ID No.",
        "CNP (Personal Numerical Code)",
        "N.I.E.",
        "Moroccan Personal ID No.",
        "Military Registration Number",
        "VisaNumberID",
        "Cartilla de Servicio Militar Nacional",
        "Seafarer's Identification Document",
        "Public Security and Immigration No.",
        "Immigration No.",
        "Romanian Permanent Resident CAN",
        "Driver's License No.",
        "Pilot License Number",
        "Tarjeta Profesional",
        "SRE Permit No.",
        "Serial No.",
    ),
    "ssn": ("SSN",),
    "tax": (
        "Tax ID No.",
        "NIT #",
        "RFC",
        "R.F.C.",
        "R.F.C. #",
        "RUC #",
        "RIF #",
        "US FEIN",
        "C.U.I.T.",
        "C.I.F.",
        "N.I.F.",
        "Italian Fiscal Code",
        "Italian Fiscal Code:",
        "Fiscal Code",
        "Paraguayan tax identification number",
        "RTN",
        "Romanian Tax Registration",
        "RSIN",
        "Numero Unico de Identificacao Tributaria (NUIT)",
    ),
    "vat": ("V.A.T. Number",),
    "registration": (
        "Registration Number",
        "Registration ID",
        "Business Registration Number",
        "Business Registration Document #",
        "Company Number",
        "UK Company Number",
        "Commercial Registry Number",
        "C.R. No.",
        "Romanian C.R.",
        "Folio Mercantil No.",
        "Matricula Mercantil No",
        "Government Gazette Number",
        "Chamber of Commerce Number",
        "Istanbul Chamber of Comm. No.",
        "Dubai Chamber of Commerce Membership No.",
        "Economic Register Number (CBLS)",
        "Public Registration Number",
        "Central Registration System Number",
        "Enterprise Number",
        "Business Number",
        "Certificate of Incorporation Number",
        "LE Number",
        "Registered Charity No.",
        "Branch Unit Number",
        "Organization Code",
        "MSB Registration Number",
        "C.I.N.",
        "Registration Certificate Number (Dubai)",
        "Trademark number",
        "Company ID: No.",
        "Vessel Registration Identification",
        "Russian State Individual Business Registration Number Pattern (OGRNIP)",
        "File Number",
    ),
    "license": (
        "License",
        "Trade License No.",
        "Permit Number",
        "Tourism License No.",
        "Afghan Money Service Provider License Number",
    ),
    "uscc": ("Unified Social Credit Code (USCC)", "United Social Credit Code Certificate (USCCC)"),
    "lei": ("Legal Entity Number",),
    "duns": ("D-U-N-S Number",),
    "bik": ("BIK (RU)",),
    "swift": ("SWIFT/BIC",),
    "isin": ("ISIN", "Identification Number ISIN:"),
    "imo": (
        "Vessel Registration Identification IMO",
        "Identification Number IMO",
        "Company Number IMO",
        "International Maritime Organization No.",
        "IMO",
    ),
    "mmsi": ("MMSI",),
}
#: published identifier label -> category (passport, national_id, tax, registration, imo, ...)
ID_LABELS: dict[str, str] = {
    label: group for group, labels in _ID_GROUPS.items() for label in labels
}


@dataclass(frozen=True, slots=True)
class DateFact:
    """A date as published (``circa 1958``, ``01 Feb 1958 to 28 Feb 1958``) and its ISO values."""

    text: str
    values: tuple[str, ...]
    circa: bool = False


@dataclass(frozen=True, slots=True)
class IdDoc:
    """An identifier: ``kind`` is OFAC's label (``Passport``), ``category`` our grouping."""

    kind: str
    number: str
    category: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None
    extra: str | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    kind: str  # "a.k.a." | "f.k.a." | "n.k.a."
    weak: bool


@dataclass(frozen=True, slots=True)
class Measure:
    """A sanction measure and its section: CAATSA ``Sec. 235(a)(7)``, EO 13846 ``Sec. 5(a)(ii)``."""

    authority: str
    title: str
    section: str


@dataclass(frozen=True, slots=True)
class Directive:
    order: str  # executive order number, "13662" / "14024"
    directive: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class LabelledValue:
    label: str
    value: str


@dataclass
class Remarks:
    """Everything one remarks string says, sorted by kind; ``notes`` keeps what was not parsed."""

    birth_dates: list[DateFact] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    id_docs: list[IdDoc] = field(default_factory=list)
    crypto: list[LabelledValue] = field(default_factory=list)  # label = currency (XBT, ETH)
    websites: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    statements: list[LabelledValue] = field(default_factory=list)  # sanctions statements
    sanction_dates: list[LabelledValue] = field(default_factory=list)
    features: list[LabelledValue] = field(default_factory=list)  # vessel, aircraft, org facts
    links: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: int = 0
    generic_ids: int = 0

    @property
    def recognised(self) -> int:
        return self.items - len(self.notes)


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


def _date_fact(text: str) -> DateFact:
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
        weak = name.startswith("'")  # OFAC quotes weak aliases (a cut one lacks the end quote)
        name = name.strip("'").strip() if weak else name
        out.aliases.append(Alias(name, m.group(1).lower(), weak))
        return True
    if m := _DOB.match(item):
        out.birth_dates.append(_date_fact(m.group(1)))
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


__all__ = [
    "Alias",
    "DateFact",
    "Directive",
    "IdDoc",
    "LabelledValue",
    "Measure",
    "Remarks",
    "is_null",
    "join_overflow",
    "parse_remarks",
    "split_items",
]
