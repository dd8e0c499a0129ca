"""One EU FSF listing as read from any official FSF format, and its FollowTheMoney entities.

The XML (v1.1 and v1.0) and CSV (v1.1 and v1.0) readers fill an :class:`EuSubject`;
:func:`build_entities` turns it into the listed Person/Organization, one Sanction and one
Identification per identity document. Entity ids: ``eu-fsf-<logicalId>`` (``-sanction``,
``-id-<n>``); the record id is the FSF logical id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date

AUTHORITY = "European Union"
PREFIX = "eu-fsf"
#: FSF identificationTypeCode → property on the listed entity that carries the number
ID_PROPS = {
    "passport": "passportNumber",
    "id": "idNumber",
    "nationalid": "idNumber",
    "ssn": "idNumber",
    "fiscalcode": "taxNumber",
    "tax": "taxNumber",
    "regnumber": "registrationNumber",
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
}
_LEGACY_NUMBER = re.compile(r"^(?P<number>.*?)\s*\((?P<code>[a-z]+)-(?P<desc>[^)]*)\)(?P<rest>.*)$")
_APPROX = re.compile(r"\(?(approximative|approx\.?|circa|ca\.)\)?", re.I)


@dataclass
class EuRegulation:
    programme: str = ""
    number_title: str = ""
    publication_date: str = ""
    url: str = ""


@dataclass
class EuName:
    whole: str = ""
    first: str = ""
    middle: str = ""
    last: str = ""
    gender: str = ""
    title: str = ""
    function: str = ""
    language: str = ""
    strong: bool = True

    @property
    def full(self) -> str:
        return self.whole or " ".join(p for p in (self.first, self.middle, self.last) if p)


@dataclass
class EuBirth:
    date: str = ""
    year: str = ""
    month: str = ""
    year_from: str = ""
    year_to: str = ""
    circa: bool = False
    place: str = ""
    country: str = ""


@dataclass
class EuIdent:
    number: str = ""
    type_code: str = ""
    type_desc: str = ""
    country: str = ""
    authority: str = ""
    issued: str = ""
    valid_to: str = ""
    note: str = ""


@dataclass
class EuSubject:
    logical_id: str
    kind: str
    eu_ref: str = ""
    un_id: str = ""
    designation_date: str = ""
    remarks: list[str] = field(default_factory=list)
    regulations: list[EuRegulation] = field(default_factory=list)
    names: list[EuName] = field(default_factory=list)
    births: list[EuBirth] = field(default_factory=list)
    idents: list[EuIdent] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def add_address(self, text: str, country: str) -> None:
        if text and text not in self.addresses:
            self.addresses.append(text)
        if country:
            self.countries.append(country)


def legacy_birth(text: str, place: str, country: str) -> EuBirth:
    """A v1.0 birth: ``DATE`` may read ``1957 (approximative)``."""
    circa = bool(_APPROX.search(text))
    return EuBirth(date=_APPROX.sub("", text).strip(), circa=circa, place=place, country=country)


def legacy_ident(text: str, country: str) -> EuIdent:
    """A v1.0 document: ``AD001095 (passport-National passport) ((passport))``."""
    match = _LEGACY_NUMBER.match(text.strip())
    if match is None:
        return EuIdent(number=text.strip(), country=country)
    rest = match.group("rest").strip().strip("()").strip()
    if rest == match.group("code"):
        rest = ""
    return EuIdent(
        number=match.group("number").strip(),
        type_code=match.group("code"),
        type_desc=match.group("desc").strip(),
        country=country,
        note=rest,
    )


def _dates(birth: EuBirth) -> list[str]:
    exact = parse_date(birth.date)
    if exact:
        return [exact]
    if birth.year_from and birth.year_to and birth.year_from.isdigit() and birth.year_to.isdigit():
        start, end = int(birth.year_from), int(birth.year_to)
        if 0 <= end - start <= 20:
            return [str(y) for y in range(start, end + 1)]
    if birth.year.isdigit() and birth.month.isdigit() and 1 <= int(birth.month) <= 12:
        return [f"{int(birth.year):04d}-{int(birth.month):02d}"]
    year = parse_date(birth.year)
    return [year] if year else []


def _add_names(path: Path, subject: EuSubject, entity: EntityProxy) -> None:
    names = [n for n in subject.names if n.full]
    if not names:
        raise ListFormatError(path, f"record {subject.logical_id}", "listing without any name")
    strong = [n for n in names if n.strong] or names
    entity.add("name", strong[0].full)
    for name in names:
        if name.full in entity.get("name"):
            continue
        entity.add("alias" if name.strong else "weakAlias", name.full)
    if entity.schema.is_a("Person"):
        for name in names:
            entity.add("firstName", name.first or None)
            entity.add("middleName", name.middle or None)
            entity.add("lastName", name.last or None)
            entity.add("title", name.title or None)
            entity.add("gender", name.gender or None, quiet=True)
            entity.add("position", name.function or None)
    else:
        for name in names:
            entity.add("notes", name.function or None)


def _identifications(subject: EuSubject, entity: EntityProxy) -> Iterator[EntityProxy]:
    for index, ident in enumerate(subject.idents, start=1):
        if not ident.number:
            continue
        prop = ID_PROPS.get(ident.type_code.lower(), "idNumber")
        entity.add(prop if prop in entity.schema.properties else "idNumber", ident.number)
        doc = make_entity("Identification", f"{entity.id}-id-{index}")
        doc.add("holder", entity.id)
        doc.add("number", ident.number)
        doc.add("type", ident.type_desc or ident.type_code or None)
        doc.add("country", ident.country or None, quiet=True)
        doc.add("authority", ident.authority or None)
        doc.add("startDate", parse_date(ident.issued))
        doc.add("endDate", parse_date(ident.valid_to))
        doc.add("summary", ident.note or None)
        yield doc


def _sanction(subject: EuSubject, entity: EntityProxy) -> EntityProxy:
    sanction = make_entity("Sanction", f"{entity.id}-sanction")
    sanction.add("entity", entity.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "eu")
    sanction.add("authorityId", subject.eu_ref or None)
    sanction.add("unscId", subject.un_id or None)
    sanction.add("recordId", subject.logical_id)
    for remark in subject.remarks:
        sanction.add("reason", remark)
    dates = sorted(d for r in subject.regulations if (d := parse_date(r.publication_date)))
    listing = parse_date(subject.designation_date) or (dates[0] if dates else None)
    sanction.add("listingDate", listing)
    for reg in subject.regulations:
        sanction.add("program", reg.programme or None)
        sanction.add("summary", f"Regulation {reg.number_title}" if reg.number_title else None)
        sanction.add("sourceUrl", reg.url or None, quiet=True)
    return sanction


def build_entities(path: Path, subject: EuSubject) -> Iterator[Emitted]:
    """The entities of one listing; a listing without a kind or a name is malformed."""
    if subject.kind == "person":
        schema = "Person"
    elif subject.kind == "enterprise":
        schema = "Organization"
    else:
        raise ListFormatError(
            path, f"record {subject.logical_id}", f"unknown subject type {subject.kind!r}"
        )
    entity = make_entity(schema, entity_id(PREFIX, subject.logical_id))
    entity.add("topics", "sanction")
    _add_names(path, subject, entity)
    for birth in subject.births:
        if entity.schema.is_a("Person"):
            entity.add("birthDate", _dates(birth))
            entity.add("birthPlace", birth.place or None)
            entity.add("birthCountry", birth.country or None, quiet=True)
        else:
            entity.add("incorporationDate", _dates(birth))
    for country in subject.citizenships:
        prop = "nationality" if entity.schema.is_a("Person") else "country"
        entity.add(prop, country or None, quiet=True)
    for address in subject.addresses:
        entity.add("address", address)
    for country in subject.countries:
        entity.add("country", country, quiet=True)
    docs = list(_identifications(subject, entity))
    sanction = _sanction(subject, entity)
    record = subject.logical_id
    yield Emitted(entity, record)
    yield Emitted(sanction, record)
    for doc in docs:
        yield Emitted(doc, record)
