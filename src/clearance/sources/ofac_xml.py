"""OFAC lists in the sdn.xml schema (root ``sdnList``): ``sdn.xml`` and ``consolidated.xml``.

Each ``sdnEntry`` (keyed by ``uid`` = OFAC's ent_num, entity id ``ofac-<uid>``) becomes a Person,
Organization, Vessel or Airplane by ``sdnType``, with one Sanction (authority OFAC, program =
each ``programList/program``). Names are written ``LAST, First`` as in OFAC's CSV files, so that
versions of one list in either format compare equal. ``akaList/aka`` with ``category`` ``weak``
→ weakAlias, a strong ``f.k.a.`` → previousName, other strong names → alias. ``idList/id``
items are classified by their ``idType`` (:mod:`clearance.sources.ofac_label_rules`):
identifiers become Identification entities *and* properties (passportNumber, taxNumber, ...);
sanction statements ("Secondary sanctions risk:", directives, CAATSA measures, CMIC dates) become
Sanction ``provisions`` (worded as the CSV parser words them); digital currency addresses become
CryptoWallet entities. ``remarks`` are parsed with the CSV remarks parser
(:mod:`clearance.sources.ofac_remarks`), items it does not understand go to ``notes``; a
``Linked To: NAME`` in them becomes an UnknownLink when NAME is the primary name
of exactly one entry of the same file (emitted after all entries; otherwise a warning). Ids
follow the CSV parser: ``ofac-N-sanction``, ``ofac-N-id-k``, ``ofac-N-wallet-k``,
``ofac-N-link-ofac-M``.

Which list: OFAC publishes the SDN list (``sdn.xml``) and the non-SDN Consolidated list
(``consolidated.xml``) in this one schema, and the file does not name its list. The source is
``us_ofac_cons`` when the content has a program only non-SDN lists use (``NS-*`` such as NS-PLC,
``FSE-*``, ``561List``); otherwise the file name decides (``cons`` in it → cons), otherwise
``us_ofac_sdn``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

from clearance.model import Emitted, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult
from clearance.sources.ofac_links import link, name_key
from clearance.sources.ofac_listing import (
    add_checked,
    add_name,
    add_programs,
    apply_label,
    apply_remarks,
    new_listing,
)
from clearance.sources.ofac_remarks import linked_names
from clearance.sources.xmlstream import (
    check_root,
    children,
    has_root,
    keyed_records,
    open_xml,
    text,
    xml_head,
)

ROOT = "sdnList"
SDN_TYPES = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
_PUBLISHED = re.compile(rb"<(?:\w+:)?Publish_Date>\s*([^<]+?)\s*</")
_NON_SDN = re.compile(rb"<(?:\w+:)?program>\s*(?:NS-[A-Z0-9-]+|FSE-[A-Z]+|561List)\s*</")


def list_source(path: Path) -> str:
    """``us_ofac_cons`` or ``us_ofac_sdn`` for a file in the sdn.xml schema (module doc)."""
    tail = b""
    with open_xml(path) as handle:
        while chunk := handle.read(1 << 20):
            if _NON_SDN.search(tail + chunk):
                return "us_ofac_cons"
            tail = chunk[-200:]
    return "us_ofac_cons" if "cons" in path.name.lower() else "us_ofac_sdn"


class OfacXmlParser(ListParser):
    format: ClassVar[str] = "ofac_xml"
    source: ClassVar[str] = "us_ofac_sdn"
    title: ClassVar[str] = "OFAC SDN / Consolidated list, XML (sdn.xml schema)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return has_root(path, head, ROOT)

    def parse(self, path: Path) -> ParseResult:
        check_root(path, [ROOT])
        meta = ListMeta(source=list_source(path), format=self.format, files=[path])
        m = _PUBLISHED.search(xml_head(path, size=4096))
        if m is not None:
            published = m.group(1).decode("ascii", "replace")
            meta.publication_date = parse_date(published, month_first=True)
        if meta.publication_date is None:
            meta.warn("no Publish_Date in publshInformation")
        return ParseResult(meta, self._entities(path, meta))

    def _entities(self, path: Path, meta: ListMeta) -> Iterator[Emitted]:
        names: dict[str, list[str]] = {}
        links: list[tuple[str, str, str]] = []
        for element, uid in keyed_records(path, "sdnEntry", lambda e: text(e, "uid"), "uid"):
            entry = _Entry(element, uid, meta)
            for name in entry.entity.get("name"):
                names.setdefault(name_key(name), []).append(entry.entity.id or "")
            links.extend((uid, entry.entity.id or "", n) for n in entry.linked_to)
            yield from entry.emitted()
        yield from _links(links, names, meta)


def _links(
    links: list[tuple[str, str, str]], names: dict[str, list[str]], meta: ListMeta
) -> Iterator[Emitted]:
    """UnknownLinks to the one entry of the file whose primary name is the linked name."""
    done: set[str] = set()
    for uid, subject, name in links:
        found = names.get(name_key(name), [])
        if len(found) != 1:
            meta.warn(f"record {uid}: 'Linked To: {name}' is not one entry of this file")
            continue
        target = found[0]
        if f"{subject}-link-{target}" in done:
            continue
        done.add(f"{subject}-link-{target}")
        yield link(subject, target, uid)


class _Entry:
    """One sdnEntry read into its entities."""

    def __init__(self, element: etree._Element, uid: str, meta: ListMeta) -> None:
        self.uid = uid
        kind = (text(element, "sdnType") or "").lower()
        schema = SDN_TYPES.get(kind)
        if schema is None:
            meta.warn(f"record {uid}: unknown sdnType {kind!r}, read as LegalEntity")
            schema = "LegalEntity"
        self.listing = new_listing(schema, uid, meta)
        self.entity = self.listing.entity
        self.linked_to: list[str] = []
        self._read(element)

    def emitted(self) -> Iterator[Emitted]:
        return self.listing.emitted()

    def _read(self, el: etree._Element) -> None:
        entity, person = self.entity, self.entity.schema.is_a("Person")
        first, last = text(el, "firstName"), text(el, "lastName")
        entity.add("name", _full(first, last))
        if person:
            entity.add("firstName", first)
            entity.add("lastName", last)
        titles = [t.strip() for t in (text(el, "title") or "").split(";") if t.strip()]
        entity.add("position" if person else "notes", titles)  # split like the CSV Title
        for aka in children(el, "akaList/aka"):
            self._alias(aka)
        for address in children(el, "addressList/address"):
            self._address(address)
        for item in children(el, "dateOfBirthList/dateOfBirthItem"):
            self._fact("Birthdate", text(item, "dateOfBirth"))
        for item in children(el, "placeOfBirthList/placeOfBirthItem"):
            self._fact("Place of Birth", text(item, "placeOfBirth"))
        for item in children(el, "nationalityList/nationality"):
            self._fact("Nationality Country", text(item, "country"))
        for item in children(el, "citizenshipList/citizenship"):
            self._fact("Citizenship Country", text(item, "country"))
        for vessel in children(el, "vesselInfo"):
            self._vessel(vessel)
        for item in children(el, "idList/id"):
            label = text(item, "idType") or "Identifier"
            apply_label(
                self.listing,
                label,
                text(item, "idNumber") or label,
                country=text(item, "idCountry"),
                issued=text(item, "issueDate"),
                expires=text(item, "expirationDate"),
            )
        remarks = text(el, "remarks")
        if remarks:
            apply_remarks(self.listing, remarks)
            self.linked_to.extend(linked_names(remarks))
        programs = [p for p in (text(p) for p in children(el, "programList/program")) if p]
        add_programs(self.listing, programs)

    def _alias(self, aka: etree._Element) -> None:
        name = _full(text(aka, "firstName"), text(aka, "lastName"))
        if not name:
            return
        weak = (text(aka, "category") or "").lower() == "weak"
        add_name(self.listing, name, kind=text(aka, "type") or "a.k.a.", weak=weak)

    def _address(self, address: etree._Element) -> None:
        parts = [text(address, f"address{n}") for n in (1, 2, 3)]
        place = [text(address, tag) for tag in ("city", "stateOrProvince", "postalCode")]
        region = " ".join(p for p in place if p)
        country = text(address, "country")
        full = ", ".join(p for p in (*parts, region, country) if p)
        self.entity.add("address", full or None)
        if country:
            add_checked(self.listing, "country", [country], "Address country")

    def _vessel(self, vessel: etree._Element) -> None:
        self._fact("Vessel Call Sign", text(vessel, "callSign"))
        self._fact("Vessel Type", text(vessel, "vesselType"))
        flag = text(vessel, "vesselFlag")
        if flag and flag.lower() not in ("none identified", "unknown"):
            self._fact("Vessel Flag", flag)
        self._fact("Vessel Tonnage", text(vessel, "tonnage"))
        self._fact("Vessel Gross Registered Tonnage", text(vessel, "grossRegisteredTonnage"))
        self._fact("Vessel Owner", text(vessel, "vesselOwner"))

    def _fact(self, label: str, value: str | None) -> None:
        if value:
            apply_label(self.listing, label, value)


def _full(first: str | None, last: str | None) -> str:
    """OFAC's published form of a name, as in the CSV files: ``LAST, First``."""
    return ", ".join(p for p in (last, first) if p)


__all__ = ["OfacXmlParser", "list_source"]
