"""EU Financial Sanctions File (FSF), official XML: the current v1.1 schema and legacy v1.0.

v1.1 (``xmlFullSanctionsList_1_1``): root ``<export generationDate=...>`` in the namespace
``http://eu.europa.ec/fpi/fsd/export``; one ``<sanctionEntity logicalId=...>`` per listing with
``regulation``, ``subjectType code="person|enterprise"``, ``nameAlias`` (``strong="false"`` marks a
weak alias), ``citizenship``, ``birthdate``, ``identification`` and ``address`` children, each
carrying its data in attributes.

v1.0 (until 2017): root ``<WHOLE Date="dd/mm/yyyy">`` with ``<ENTITY Id Type="P|E">`` holding
``NAME``, ``BIRTH``, ``PASSPORT``, ``CITIZEN`` and ``ADDRESS`` elements with text children.

Both are read with ``lxml.iterparse`` (one listing in memory at a time) into
:class:`~clearance.sources.eu_fsf_model.EuSubject` records shared with the CSV reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

from clearance.errors import ListFormatError
from clearance.model import Emitted, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult, open_binary
from clearance.sources.eu_fsf_model import (
    EuBirth,
    EuIdent,
    EuName,
    EuRegulation,
    EuSubject,
    build_entities,
    legacy_birth,
    legacy_ident,
)

NS = "http://eu.europa.ec/fpi/fsd/export"
_GENERATION = re.compile(rb"<(?:\w+:)?export\b[^>]*?\bgenerationDate=\"([^\"]+)\"", re.S)
_WHOLE_DATE = re.compile(rb"<WHOLE\b[^>]*?\bDate=\"([^\"]+)\"", re.S)
_SUBJECT_KINDS = {"person": "person", "enterprise": "enterprise", "P": "person", "E": "enterprise"}


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _attr(elem: etree._Element, name: str) -> str:
    return (elem.get(name) or "").strip()


def _text(elem: etree._Element, name: str) -> str:
    child = elem.find(name)
    return (child.text or "").strip() if child is not None else ""


class EuFsfXmlParser(ListParser):
    format: ClassVar[str] = "eu_fsf_xml"
    source: ClassVar[str] = "eu_fsf"
    title: ClassVar[str] = "EU Financial Sanctions File (XML v1.1 and legacy v1.0)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if b"<export" in head and (NS.encode() in head or b"<sanctionEntity" in head):
            return True
        return b"<WHOLE" in head and b"<ENTITY" in head

    def parse(self, path: Path) -> ParseResult:
        with open_binary(path) as handle:
            head = handle.read(64 * 1024)
        if not head.strip():
            raise ListFormatError(path, None, "file is empty")
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        if match := _GENERATION.search(head):
            meta.publication_date = parse_date(match.group(1).decode("ascii", "replace")[:10])
            legacy = False
        elif match := _WHOLE_DATE.search(head):
            meta.publication_date = parse_date(match.group(1).decode("ascii", "replace"))
            legacy = True
        elif b"<WHOLE" in head:
            legacy = True
        elif b"<export" in head:
            legacy = False
        else:
            raise ListFormatError(path, "line 1", "not an EU FSF XML file (no <export> or <WHOLE>)")
        return ParseResult(meta, self._entities(path, meta, legacy))

    def _entities(self, path: Path, meta: ListMeta, legacy: bool) -> Iterator[Emitted]:
        seen: set[str] = set()
        record_tag = "ENTITY" if legacy else "sanctionEntity"
        count = 0
        with open_binary(path) as handle:
            events = etree.iterparse(handle, events=("end",), huge_tree=True, remove_comments=True)
            try:
                for _, elem in events:
                    if _local(elem.tag) != record_tag:
                        continue
                    line = elem.sourceline
                    subject = _legacy_subject(elem) if legacy else _subject(elem)
                    if not subject.logical_id:
                        raise ListFormatError(path, f"line {line}", f"<{record_tag}> without an id")
                    if subject.logical_id in seen:
                        raise ListFormatError(
                            path, f"record {subject.logical_id}", f"duplicate id (line {line})"
                        )
                    seen.add(subject.logical_id)
                    yield from build_entities(path, subject)
                    count += 1
                    elem.clear(keep_tail=False)
                    while elem.getprevious() is not None:
                        del elem.getparent()[0]
            except etree.XMLSyntaxError as exc:
                raise ListFormatError(path, f"line {exc.lineno}", f"XML error: {exc.msg}") from exc
        if count == 0:
            raise ListFormatError(path, None, f"no <{record_tag}> records in the file")


def _subject(elem: etree._Element) -> EuSubject:
    """One v1.1 ``<sanctionEntity>``."""
    subject = EuSubject(
        logical_id=_attr(elem, "logicalId"),
        kind="",
        eu_ref=_attr(elem, "euReferenceNumber"),
        un_id=_attr(elem, "unitedNationId"),
        designation_date=_attr(elem, "designationDate"),
    )
    for child in elem:
        tag = _local(child.tag)
        if tag == "remark" and child.text:
            subject.remarks.append(child.text.strip())
        elif tag == "regulation":
            url = _text(child, f"{{{NS}}}publicationUrl") or _text(child, "publicationUrl")
            subject.regulations.append(
                EuRegulation(
                    programme=_attr(child, "programme"),
                    number_title=_attr(child, "numberTitle"),
                    publication_date=_attr(child, "publicationDate"),
                    url=url or _attr(child, "publicationUrl"),
                )
            )
        elif tag == "subjectType":
            code = _attr(child, "code") or _attr(child, "classificationCode")
            subject.kind = _SUBJECT_KINDS.get(code, code)
        elif tag == "nameAlias":
            subject.names.append(
                EuName(
                    whole=_attr(child, "wholeName"),
                    first=_attr(child, "firstName"),
                    middle=_attr(child, "middleName"),
                    last=_attr(child, "lastName"),
                    gender=_attr(child, "gender"),
                    title=_attr(child, "title"),
                    function=_attr(child, "function"),
                    language=_attr(child, "nameLanguage"),
                    strong=_attr(child, "strong").lower() != "false",
                )
            )
        elif tag == "citizenship":
            subject.citizenships.append(
                _attr(child, "countryIso2Code") or _attr(child, "countryDescription")
            )
        elif tag == "birthdate":
            subject.births.append(
                EuBirth(
                    date=_attr(child, "birthdate"),
                    year=_attr(child, "year"),
                    month=_attr(child, "monthOfYear"),
                    year_from=_attr(child, "yearRangeFrom"),
                    year_to=_attr(child, "yearRangeTo"),
                    circa=_attr(child, "circa").lower() == "true",
                    place=", ".join(v for v in (_attr(child, "place"), _attr(child, "city")) if v),
                    country=_attr(child, "countryIso2Code") or _attr(child, "countryDescription"),
                )
            )
        elif tag == "identification":
            subject.idents.append(
                EuIdent(
                    number=_attr(child, "number") or _attr(child, "latinNumber"),
                    type_code=_attr(child, "identificationTypeCode"),
                    type_desc=_attr(child, "identificationTypeDescription"),
                    country=_attr(child, "countryIso2Code") or _attr(child, "countryDescription"),
                    authority=_attr(child, "issuedBy"),
                    issued=_attr(child, "issuedDate"),
                    valid_to=_attr(child, "validTo"),
                    note=_text(child, f"{{{NS}}}remark") or _text(child, "remark"),
                )
            )
        elif tag == "address":
            parts = [
                _attr(child, key)
                for key in ("street", "poBox", "place", "zipCode", "city", "region")
            ]
            country = _attr(child, "countryDescription") or _attr(child, "countryIso2Code")
            subject.add_address(", ".join(p for p in [*parts, country] if p), country)
    return subject


def _regulation_of(elem: etree._Element) -> EuRegulation:
    return EuRegulation(
        programme=_attr(elem, "programme"),
        number_title=_attr(elem, "legal_basis"),
        publication_date=_attr(elem, "reg_date"),
        url=_attr(elem, "pdf_link"),
    )


def _legacy_subject(elem: etree._Element) -> EuSubject:
    """One v1.0 ``<ENTITY>``."""
    remark = _attr(elem, "remark")
    subject = EuSubject(
        logical_id=_attr(elem, "Id"),
        kind=_SUBJECT_KINDS.get(_attr(elem, "Type"), _attr(elem, "Type")),
        remarks=[remark] if remark else [],
    )
    subject.regulations.append(_regulation_of(elem))
    for child in elem:
        tag = _local(child.tag)
        if tag == "NAME":
            subject.names.append(
                EuName(
                    whole=_text(child, "WHOLENAME"),
                    first=_text(child, "FIRSTNAME"),
                    middle=_text(child, "MIDDLENAME"),
                    last=_text(child, "LASTNAME"),
                    gender=_text(child, "GENDER"),
                    title=_text(child, "TITLE"),
                    function=_text(child, "FUNCTION"),
                    language=_text(child, "LANGUAGE"),
                )
            )
        elif tag == "BIRTH":
            subject.births.append(
                legacy_birth(_text(child, "DATE"), _text(child, "PLACE"), _text(child, "COUNTRY"))
            )
        elif tag == "PASSPORT":
            subject.idents.append(legacy_ident(_text(child, "NUMBER"), _text(child, "COUNTRY")))
        elif tag == "CITIZEN":
            subject.citizenships.append(_text(child, "COUNTRY"))
        elif tag == "ADDRESS":
            parts = [_text(child, k) for k in ("NUMBER", "STREET", "ZIPCODE", "CITY")]
            country = _text(child, "COUNTRY")
            parts += [country, _text(child, "OTHER")]
            subject.add_address(", ".join(p for p in parts if p), country)
        else:
            continue
        subject.regulations.append(_regulation_of(child))
    return subject
