"""OFAC ENHANCED XML (root ``sanctionsData``; ``SDN_ENHANCED.XML`` / ``CONS_ENHANCED.XML``, often
shipped zipped).

Unlike the ADVANCED XML each ``entities/entity`` is self-contained (reference values are written
out next to their ids), so one streaming pass suffices. Mapping, with the ADVANCED parser's
meanings (:mod:`clearance.sources.ofac_advanced`) and the shared label table:

* ``entity id`` → ``ofac-<id>`` (= ent_num); ``generalInfo/entityType`` Individual / Entity /
  Vessel / Aircraft → Person / Organization / Vessel / Airplane; ``generalInfo/remarks`` are read
  with the CSV remarks parser;
* ``names/name``: ``isPrimary`` → name (the ``formattedFullName`` of the primary translation,
  ``LAST, First`` for persons as in the CSV), other translations (other scripts) → alias,
  aliasType F.K.A. → previousName, other → alias, ``isLowQuality`` → weakAlias;
* ``addresses`` → address + country; ``features`` (label = feature type, value or date span) and
  ``identityDocuments`` (label = document type) by the shared label table;
* ``sanctionsLists`` / ``sanctionsPrograms`` / ``sanctionsTypes`` / ``legalAuthorities`` → one
  Sanction (listingDate = the earliest ``datePublished``);
* ``relationships`` → Ownership ("Owned or Controlled By", owner = the related entity) or
  UnknownLink, id ``ofac-rel-<relationship id>`` (the ids the ADVANCED XML uses), when the related
  entity is in the file; else a note and a warning.

``publicationInfo/dataAsOf`` is the publication date; the source is ``us_ofac_sdn`` when the
publication's list filter is only the "SDN List", else ``us_ofac_cons``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult
from clearance.sources.ofac_advanced_refs import span
from clearance.sources.ofac_links import relation
from clearance.sources.ofac_listing import (
    PREFIX,
    Listing,
    add_checked,
    add_name,
    add_programs,
    apply_label,
    apply_remarks,
    new_listing,
)
from clearance.sources.xmlstream import (
    check_root,
    children,
    has_root,
    keyed_records,
    text,
    xml_head,
)

ROOT = "sanctionsData"
_AS_OF = re.compile(rb"<(?:\w+:)?dataAsOf>\s*([^<]+?)\s*<")
_FILTER = re.compile(rb"<(?:\w+:)?filters>(.*?)</(?:\w+:)?filters>", re.S)
_LIST = re.compile(rb"<(?:\w+:)?sanctionsList\b[^>]*>\s*([^<]+?)\s*<")
_SCHEMATA = {
    "Individual": "Person",
    "Entity": "Organization",
    "Vessel": "Vessel",
    "Aircraft": "Airplane",
}
_ADDRESS_ORDER = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE")


class OfacEnhancedXmlParser(ListParser):
    format: ClassVar[str] = "ofac_enhanced_xml"
    source: ClassVar[str] = "us_ofac_sdn"
    title: ClassVar[str] = "OFAC SDN / Consolidated list, ENHANCED XML"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return has_root(path, head, ROOT)

    def parse(self, path: Path) -> ParseResult:
        check_root(path, [ROOT])
        head = xml_head(path)
        lists: set[str] = set()
        if m := _FILTER.search(head):
            lists = {n.decode("utf-8", "replace") for n in _LIST.findall(m.group(1))}
        source = "us_ofac_sdn" if lists == {"SDN List"} else "us_ofac_cons"
        meta = ListMeta(source=source, format=self.format, files=[path])
        if m := _AS_OF.search(head):
            meta.publication_date = parse_date(m.group(1).decode("ascii", "replace")[:10])
        if meta.publication_date is None:
            meta.warn("no publicationInfo/dataAsOf")
        return ParseResult(meta, self._entities(path, meta))

    def _entities(self, path: Path, meta: ListMeta) -> Iterator[Emitted]:
        seen: set[str] = set()
        relations: list[tuple[str, str, str, str, str]] = []
        for element, ref in keyed_records(path, "entity", lambda e: e.get("id"), "entity id"):
            seen.add(ref)
            listing = _entity(element, ref, meta)
            for rel in children(element, "relationships/relationship"):
                related = rel.find("{*}relatedEntity")
                target = related.get("entityId") if related is not None else None
                kind = text(rel, "type") or "Linked To"
                name = text(related) or target or ""
                relations.append((rel.get("id") or "", ref, target or "", kind, name))
            yield from listing.emitted()
        yield from _relations(relations, seen, meta)


def _entity(element: etree._Element, ref: str, meta: ListMeta) -> Listing:
    kind = text(element, "generalInfo/entityType") or ""
    schema = _SCHEMATA.get(kind)
    if schema is None:
        meta.warn(f"record {ref}: entity type {kind!r} read as LegalEntity")
        schema = "LegalEntity"
    listing = new_listing(schema, ref, meta)
    entity = listing.entity
    for name in children(element, "names/name"):
        _name(listing, name)
    if not entity.has("name"):
        raise ListFormatError(meta.files[0], f"record {ref}", "entity without a primary name")
    for address in children(element, "addresses/address"):
        _address(listing, address)
    for feature in children(element, "features/feature"):
        label = text(feature, "type") or "Feature"
        dates = _dates(feature.find("{*}valueDate"))
        for value in dates or [text(feature, "value") or ""]:
            if value:
                apply_label(listing, label, value)
    for doc in children(element, "identityDocuments/identityDocument"):
        label = text(doc, "type") or "Identifier"
        apply_label(
            listing,
            label,
            text(doc, "documentNumber") or label,
            country=text(doc, "issuingCountry"),
        )
        if text(doc, "isValid") == "false":
            entity.add("notes", f"{label} {text(doc, 'documentNumber')}: not valid")
    if remarks := text(element, "generalInfo/remarks"):
        apply_remarks(listing, remarks)
    _sanction(listing, element)
    return listing


def _name(listing: Listing, name: etree._Element) -> None:
    entity = listing.entity
    primary = text(name, "isPrimary") == "true"
    low = text(name, "isLowQuality") == "true"
    alias_type = text(name, "aliasType") or ""
    for translation in children(name, "translations/translation"):
        full = text(translation, "formattedFullName")
        if not full:
            continue
        main = text(translation, "isPrimary") == "true"
        if primary and main and not low:
            entity.add("name", full)
            if entity.schema.is_a("Person"):
                entity.add("firstName", text(translation, "formattedFirstName"))
                entity.add("lastName", text(translation, "formattedLastName"))
        else:
            add_name(listing, full, kind=alias_type, weak=low)


def _address(listing: Listing, address: etree._Element) -> None:
    country = text(address, "country")
    for translation in children(address, "translations/translation"):
        parts: dict[str, str] = {}
        for part in children(translation, "addressParts/addressPart"):
            value = text(part, "value")
            if value:
                parts[text(part, "type") or "Unknown"] = value
        ordered = [parts.pop(k) for k in _ADDRESS_ORDER if k in parts] + list(parts.values())
        full = ", ".join([*ordered, country] if country else ordered)
        listing.entity.add("address", full or None)
    if country:
        add_checked(listing, "country", [country], "Address country")


def _dates(value_date: etree._Element | None) -> list[str]:
    if value_date is None:
        return []
    start = parse_date(text(value_date, "fromDateBegin"))
    end = parse_date(text(value_date, "toDateEnd")) or start
    return span(start, end) if start and end else []


def _sanction(listing: Listing, element: etree._Element) -> None:
    sanction = listing.sanction
    dates = []
    for item in children(element, "sanctionsLists/sanctionsList"):
        sanction.add("summary", f"Listed on the {text(item)}")
        if published := parse_date(item.get("datePublished")):
            dates.append(published)
    sanction.add("listingDate", min(dates, default=None))
    for program in children(element, "sanctionsPrograms/sanctionsProgram"):
        if value := text(program):
            add_programs(listing, [value])
    for kind in children(element, "sanctionsTypes/sanctionsType"):
        if (value := text(kind)) and value != "Program":
            sanction.add("provisions", value)
    for basis in children(element, "legalAuthorities/legalAuthority"):
        if (value := text(basis)) and value != "Unknown":
            sanction.add("provisions", f"Legal basis: {value}")


def _relations(
    relations: list[tuple[str, str, str, str, str]], seen: set[str], meta: ListMeta
) -> Iterator[Emitted]:
    for rel_id, source, target, kind, name in relations:
        if target not in seen:
            meta.warn(f"record {source}: {kind} {name!r} ({target}) is not in this file")
            continue
        src, dst = entity_id(PREFIX, source), entity_id(PREFIX, target)
        yield Emitted(relation(rel_id, kind, src, dst), rel_id)


__all__ = ["OfacEnhancedXmlParser"]
