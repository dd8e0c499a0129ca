"""UN Security Council Consolidated List, XML (``sc-sanctions.xsd``, root ``CONSOLIDATED_LIST``).

One ``INDIVIDUAL`` (→ Person) or ``ENTITY`` (→ Organization) per listing, keyed by ``DATAID``
(entity id ``unsc-<DATAID>``). ``dateGenerated`` on the root is the publication date. Names: the
numbered name parts joined in order are the primary name (``FIRST_NAME`` / ``SECOND_NAME`` are
also kept as firstName / secondName: the UN labels them so, but does not say which part is the
family name); ``NAME_ORIGINAL_SCRIPT`` (Arabic, Korean, Cyrillic ...) is an alias; alias quality
``Good`` → alias, ``Low`` → weakAlias, entity ``f.k.a.`` → previousName. Dates of birth:
``EXACT`` date or year, ``APPROXIMATELY`` year, ``BETWEEN`` FROM_YEAR–TO_YEAR (every year of the
range, see :func:`~clearance.model.parse_date_range`); a date only given as a note is parsed when
it is a date and otherwise kept in ``notes``. Documents become Identification entities and the
number goes on passportNumber / idNumber. Each listing has one Sanction (authority "United Nations
Security Council", program = ``UN_LIST_TYPE``, unscId = authorityId = ``REFERENCE_NUMBER``).

All versions since 2017 share this layout (attributes quoted differently, optional GENDER,
FOURTH_NAME, SUBMITTED_BY, INTERPOL links); the "LegacyByPRN" export is the same schema sorted by
reference number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from followthemoney import registry
from followthemoney.proxy import EntityProxy
from lxml import etree

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date, parse_date_range
from clearance.sources.base import ListMeta, ListParser, ParseResult
from clearance.sources.xmlstream import (
    check_root,
    children,
    has_root,
    iter_records,
    text,
    xml_head,
)

AUTHORITY = "United Nations Security Council"
PREFIX = "unsc"
ROOT = "CONSOLIDATED_LIST"
_GENERATED = re.compile(rb"""dateGenerated\s*=\s*["']([^"']+)["']""")
_PASSPORT = re.compile(r"pass(e)?port|pasaporte", re.I)
_NATIONAL_ID = re.compile(r"identi|national id|id card|identity", re.I)
_GENDERS = {"male": "male", "female": "female"}


class UnScXmlParser(ListParser):
    format: ClassVar[str] = "un_sc_xml"
    source: ClassVar[str] = "un_sc_sanctions"
    title: ClassVar[str] = "UN Security Council Consolidated List (XML)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return has_root(path, head, ROOT)

    def parse(self, path: Path) -> ParseResult:
        check_root(path, [ROOT])
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        m = _GENERATED.search(xml_head(path, size=4096))
        if m is not None:
            meta.publication_date = parse_date(m.group(1).decode("ascii", "replace")[:10])
        if meta.publication_date is None:
            meta.warn("no dateGenerated on CONSOLIDATED_LIST")
        return ParseResult(meta, self._entities(path, meta))

    def _entities(self, path: Path, meta: ListMeta) -> Iterator[Emitted]:
        seen: dict[str, int] = {}
        for element in iter_records(path, ["INDIVIDUAL", "ENTITY"]):
            line = element.sourceline or 0
            dataid = text(element, "DATAID")
            if dataid is None:
                raise ListFormatError(path, f"line {line}", "record without DATAID")
            if dataid in seen:
                raise ListFormatError(
                    path,
                    f"record {dataid} (line {line})",
                    f"duplicate DATAID, first seen on line {seen[dataid]}",
                )
            seen[dataid] = line
            yield from _record(element, dataid, meta, line)


def _record(element: etree._Element, dataid: str, meta: ListMeta, line: int) -> Iterator[Emitted]:
    is_person = etree.QName(element).localname == "INDIVIDUAL"
    entity = make_entity("Person" if is_person else "Organization", entity_id(PREFIX, dataid))
    parts = [text(element, f"{n}_NAME") for n in ("FIRST", "SECOND", "THIRD", "FOURTH")]
    name = " ".join(p for p in parts if p)
    if not name:
        meta.warn(f"record {dataid} (line {line}): no name")
    entity.add("name", name)
    entity.add("topics", "sanction")
    entity.add("notes", text(element, "COMMENTS1"))
    entity.add("alias", text(element, "NAME_ORIGINAL_SCRIPT"))
    entity.add("program", text(element, "UN_LIST_TYPE"))
    if is_person:
        entity.add("firstName", parts[0])
        entity.add("secondName", parts[1])
        entity.add("title", _values(element, "TITLE"))
        entity.add("position", _values(element, "DESIGNATION"))
        for nationality in _values(element, "NATIONALITY"):
            _add_country(entity, "nationality", nationality, meta, dataid)
        gender = (text(element, "GENDER") or "").lower()
        entity.add("gender", _GENDERS.get(gender))
        _birth_dates(entity, element, dataid, meta)
        _birth_places(entity, element, meta, dataid)
    _aliases(entity, element, is_person, meta, dataid)
    for address in children(element, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"):
        _address(entity, address, meta, dataid)
    # documents add their numbers to the entity, so the entity is emitted after them
    documents = list(_documents(entity, element, meta, dataid)) if is_person else []
    yield Emitted(entity, dataid)
    yield from documents
    yield Emitted(_sanction(entity, element), dataid)


def _values(element: etree._Element, path: str) -> list[str]:
    return [v for v in (text(child) for child in children(element, f"{path}/VALUE")) if v]


def _add_country(
    entity: EntityProxy, prop: str, value: str | None, meta: ListMeta, dataid: str
) -> None:
    if not value:
        return
    if registry.country.clean(value) is None:
        meta.warn(f"record {dataid}: unknown country {value!r} (kept in notes)")
        entity.add("notes", f"{prop}: {value}")
        return
    entity.add(prop, value)


def _aliases(
    entity: EntityProxy, element: etree._Element, is_person: bool, meta: ListMeta, dataid: str
) -> None:
    for alias in children(element, "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"):
        name = text(alias, "ALIAS_NAME")
        if name is None:
            continue
        quality = (text(alias, "QUALITY") or "").lower()
        if quality == "low":
            entity.add("weakAlias", name)
        elif quality == "f.k.a.":
            entity.add("previousName", name)
        else:
            if quality not in ("good", "a.k.a."):
                meta.warn(f"record {dataid}: alias {name!r} of unknown quality {quality!r}")
            entity.add("alias", name)
        if is_person:
            entity.add("birthDate", parse_date(text(alias, "DATE_OF_BIRTH")))
            place = _join(text(alias, "CITY_OF_BIRTH"), text(alias, "COUNTRY_OF_BIRTH"))
            entity.add("birthPlace", place or None)


def _birth_dates(entity: EntityProxy, element: etree._Element, dataid: str, meta: ListMeta) -> None:
    for dob in children(element, "INDIVIDUAL_DATE_OF_BIRTH"):
        kind = (text(dob, "TYPE_OF_DATE") or "").upper()
        note = text(dob, "NOTE")
        values: list[str] = []
        if kind == "BETWEEN":
            start, end = text(dob, "FROM_YEAR"), text(dob, "TO_YEAR")
            if start and end:
                values = parse_date_range(f"{start} - {end}")
        else:
            values = parse_date_range(text(dob, "DATE") or text(dob, "YEAR"))
        if not values and note:
            values = parse_date_range(note)
            if not values:
                entity.add("notes", f"Date of birth: {note}")
                continue
        if not values and (kind or note):
            meta.warn(f"record {dataid}: date of birth without a date ({kind or 'no type'})")
        entity.add("birthDate", values)


def _birth_places(
    entity: EntityProxy, element: etree._Element, meta: ListMeta, dataid: str
) -> None:
    for pob in children(element, "INDIVIDUAL_PLACE_OF_BIRTH"):
        country = text(pob, "COUNTRY")
        place = _join(text(pob, "STREET"), text(pob, "CITY"), text(pob, "STATE_PROVINCE"), country)
        entity.add("birthPlace", place or None)
        if country and registry.country.clean(country) is not None:
            entity.add("birthCountry", country)
        if note := text(pob, "NOTE"):
            entity.add("notes", f"Place of birth: {note}")


def _address(entity: EntityProxy, address: etree._Element, meta: ListMeta, dataid: str) -> None:
    country = text(address, "COUNTRY")
    zip_state = _join(text(address, "STATE_PROVINCE"), text(address, "ZIP_CODE"), sep=" ")
    full = _join(text(address, "STREET"), text(address, "CITY"), zip_state, country)
    entity.add("address", full or None)
    if country:
        _add_country(entity, "country", country, meta, dataid)
    if note := text(address, "NOTE"):
        entity.add("notes", f"Address: {_join(full, note, sep=' – ')}")


def _documents(
    holder: EntityProxy, element: etree._Element, meta: ListMeta, dataid: str
) -> Iterator[Emitted]:
    for index, doc in enumerate(children(element, "INDIVIDUAL_DOCUMENT"), start=1):
        number = text(doc, "NUMBER")
        kind = _join(text(doc, "TYPE_OF_DOCUMENT"), text(doc, "TYPE_OF_DOCUMENT2"), sep=" / ")
        note = text(doc, "NOTE")
        if number is None:
            if kind or note:
                holder.add("notes", f"Document: {_join(kind, note, sep=' – ')}")
            continue
        if kind and _PASSPORT.search(kind):
            holder.add("passportNumber", number)
        else:
            holder.add("idNumber", number)
            if kind and not _NATIONAL_ID.search(kind):
                meta.warn(f"record {dataid}: document type {kind!r} kept as idNumber")
        ident = make_entity("Identification", f"{holder.id}-id-{index}")
        ident.add("holder", holder.id)
        ident.add("number", number)
        ident.add("type", kind or None)
        country = text(doc, "ISSUING_COUNTRY") or text(doc, "COUNTRY_OF_ISSUE")
        if country and registry.country.clean(country) is not None:
            ident.add("country", country)
        elif country:
            ident.add("summary", f"Issuing country: {country}")
        ident.add("startDate", parse_date(text(doc, "DATE_OF_ISSUE")))
        ident.add("endDate", parse_date(text(doc, "DATE_OF_EXPIRY")))
        ident.add("authority", text(doc, "CITY_OF_ISSUE"))
        ident.add("summary", note)
        yield Emitted(ident, dataid)


def _sanction(entity: EntityProxy, element: etree._Element) -> EntityProxy:
    sanction = make_entity("Sanction", f"{entity.id}-sanction")
    sanction.add("entity", entity.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("program", text(element, "UN_LIST_TYPE"))
    reference = text(element, "REFERENCE_NUMBER")
    sanction.add("unscId", reference)
    sanction.add("authorityId", reference)
    sanction.add("listingDate", parse_date(text(element, "LISTED_ON")))
    updated = [parse_date(v) for v in _values(element, "LAST_DAY_UPDATED")]
    sanction.add("modifiedAt", max((u for u in updated if u), default=None))
    return sanction


def _join(*parts: str | None, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)
