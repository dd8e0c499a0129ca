"""OFAC ADVANCED XML (``sdn_advanced.xml`` / ``cons_advanced.xml``, schema ``sdn_advanced.xsd``).

Read in two streaming passes: :func:`~clearance.sources.ofac_advanced_refs.read_references`
collects the reference values, locations, ID documents, sanctions entries and relationships;
then each ``DistinctParty`` (entity id ``ofac-<FixedRef>``, the same ent_num as the CSV and
sdn.xml) is turned into entities:

* schema from the profile's PartySubType / PartyType (Individual → Person, Entity → Organization,
  Vessel, Aircraft → Airplane);
* aliases: AliasType ``Name`` (primary) → name (persons written ``LAST, First Middle`` as in
  OFAC's CSV and sdn.xml, and firstName / middleName / lastName ... from the DocumentedNamePart
  types), ``A.K.A.`` → alias, ``F.K.A.`` → previousName, ``N.K.A.`` → alias,
  and any alias with ``LowQuality="true"`` → weakAlias;
* features (birth date, place of birth, nationality, citizenship, gender, vessel facts, websites,
  directives ...) by FeatureType name, with the same meaning as the sdn.xml ``idType`` labels
  (:mod:`clearance.sources.ofac_label_rules`); Location features → address and country;
* IDRegDocuments of the party's identities → Identification entities and number properties;
* all SanctionsEntries of the profile → one Sanction (``<id>-sanction``): program = the measures
  of type "Program", other measures and each entry's legal basis → provisions, listingDate = the
  earliest entry event, the lists named in summary;
* ProfileRelationships → Ownership ("Owned or Controlled By": owner = To, asset = From) or
  UnknownLink (role = relation type), emitted after the parties, id ``ofac-rel-<ID>``.

Source: ``us_ofac_sdn`` when every sanctions entry is on the "SDN List", else ``us_ofac_cons``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta, ListParser, ParseResult
from clearance.sources.ofac_advanced_refs import References, period, read_references
from clearance.sources.ofac_links import relation
from clearance.sources.ofac_listing import (
    Listing,
    add_checked,
    add_name,
    add_programs,
    apply_label,
    new_listing,
)
from clearance.sources.xmlstream import (
    check_root,
    children,
    keyed_records,
    root_tag,
    text,
    xml_head,
)

ROOT = "Sanctions"
_ISSUED = re.compile(
    rb"<(?:\w+:)?DateOfIssue[^>]*>\s*<(?:\w+:)?Year>(\d{4})</(?:\w+:)?Year>\s*"
    rb"<(?:\w+:)?Month>(\d{1,2})</(?:\w+:)?Month>\s*<(?:\w+:)?Day>(\d{1,2})<"
)
_SCHEMATA = {
    "Vessel": "Vessel",
    "Aircraft": "Airplane",
    "Individual": "Person",
    "Entity": "Organization",
}
_PART_ORDER = {"First Name": 0, "Middle Name": 1, "Patronymic": 2, "Matronymic": 3, "Last Name": 4}
_PART_PROPS = {
    "First Name": "firstName",
    "Middle Name": "middleName",
    "Patronymic": "fatherName",
    "Matronymic": "motherName",
    "Last Name": "lastName",
}


class OfacAdvancedXmlParser(ListParser):
    format: ClassVar[str] = "ofac_advanced_xml"
    source: ClassVar[str] = "us_ofac_sdn"
    title: ClassVar[str] = "OFAC SDN / Consolidated list, ADVANCED XML (sdn_advanced.xsd)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        found = root_tag(xml_head(path, head))
        if found is None or found[1] != ROOT:
            return False
        namespace = found[0].lower()
        return "un.org/sanctions" in namespace or "advanced" in namespace or b"sdn_advanced" in head

    def parse(self, path: Path) -> ParseResult:
        check_root(path, [ROOT])
        refs = read_references(path)
        lists = refs.used_lists()
        source = "us_ofac_sdn" if lists == {"SDN List"} else "us_ofac_cons"
        meta = ListMeta(source=source, format=self.format, files=[path])
        if m := _ISSUED.search(xml_head(path, size=4096)):
            year, month, day = (int(g) for g in m.groups())
            meta.publication_date = f"{year:04d}-{month:02d}-{day:02d}"
        else:
            meta.warn("no DateOfIssue")
        return ParseResult(meta, self._entities(path, meta, refs))

    def _entities(self, path: Path, meta: ListMeta, refs: References) -> Iterator[Emitted]:
        profiles: dict[str, str] = {}
        fixed_ref = "FixedRef"
        for party, ref in keyed_records(
            path, "DistinctParty", lambda e: e.get(fixed_ref), fixed_ref
        ):
            for profile in children(party, "Profile"):
                listing = _profile(profile, ref, refs, meta)
                profiles[profile.get("ID") or ref] = listing.entity.id or ""
                yield from listing.emitted()
        yield from _relations(refs, profiles, meta)


def _profile(profile: etree._Element, ref: str, refs: References, meta: ListMeta) -> Listing:
    sub_id = profile.get("PartySubTypeID")
    sub = refs.value("PartySubType", sub_id) or ""
    party_type = refs.value("PartyType", _party_type_id(profile, refs)) or ""
    schema = _SCHEMATA.get(sub) or _SCHEMATA.get(party_type)
    if schema is None:
        meta.warn(f"record {ref}: party type {party_type!r}/{sub!r} read as LegalEntity")
        schema = "LegalEntity"
    listing = new_listing(schema, ref, meta)
    entity = listing.entity
    for identity in children(profile, "Identity"):
        _names(listing, identity, refs)
        for doc in refs.documents.get(identity.get("ID") or "", []):
            apply_label(
                listing,
                doc.kind,
                doc.number or doc.kind,
                country=doc.country,
                issued=doc.issued,
                expires=doc.expires,
            )
            if doc.comment:
                entity.add("notes", f"{doc.kind} {doc.number}: {doc.comment}")
    for feature in children(profile, "Feature"):
        _feature(listing, feature, refs)
    _sanction(listing, refs, profile.get("ID") or ref)
    if not entity.has("name"):
        raise ListFormatError(meta.files[0], f"record {ref}", "profile without a primary name")
    return listing


def _party_type_id(profile: etree._Element, refs: References) -> str | None:
    # PartySubType values carry their PartyTypeID as an attribute, which the value table drops;
    # the sub type "Unknown" exists once per party type, so read it from the raw attribute map.
    return refs.values.get("PartySubType.PartyTypeID", {}).get(profile.get("PartySubTypeID") or "")


def _names(listing: Listing, identity: etree._Element, refs: References) -> None:
    groups = {
        g.get("ID") or "": refs.value("NamePartType", g.get("NamePartTypeID")) or ""
        for g in children(identity, "NamePartGroups/MasterNamePartGroup/NamePartGroup")
    }
    entity = listing.entity
    for alias in children(identity, "Alias"):
        kind = refs.value("AliasType", alias.get("AliasTypeID")) or ""
        low = alias.get("LowQuality") == "true"
        for documented in children(alias, "DocumentedName"):
            parts = []
            for value in children(documented, "DocumentedNamePart/NamePartValue"):
                part_type = groups.get(value.get("NamePartGroupID") or "", "")
                if value.text and value.text.strip():
                    parts.append((part_type, " ".join(value.text.split())))
            name = _name(parts, entity.schema.is_a("Person"))
            if not name:
                continue
            primary = alias.get("Primary") == "true" and kind == "Name"
            if primary and entity.schema.is_a("Person"):
                for part_type, value in parts:
                    if prop := _PART_PROPS.get(part_type):
                        entity.add(prop, value)
            if primary and not low:
                entity.add("name", name)
            else:
                add_name(listing, name, kind=kind, weak=low)


def _name(parts: list[tuple[str, str]], person: bool) -> str:
    """A person's name as OFAC publishes it in its CSV and sdn.xml files (``LAST, First Middle``);
    other names are the parts in document order."""
    if not person:
        return " ".join(v for _, v in parts)
    parts = sorted(parts, key=lambda p: _PART_ORDER.get(p[0], 5))
    last = " ".join(v for t, v in parts if t == "Last Name")
    rest = " ".join(v for t, v in parts if t != "Last Name")
    return ", ".join(p for p in (last, rest) if p)


def _feature(listing: Listing, feature: etree._Element, refs: References) -> None:
    label = refs.value("FeatureType", feature.get("FeatureTypeID")) or "Feature"
    for version in children(feature, "FeatureVersion"):
        values = period(version.find("{*}DatePeriod"))
        for loc in children(version, "VersionLocation"):
            address, country = refs.locations.get(loc.get("LocationID") or "", ("", None))
            if label == "Location":
                listing.entity.add("address", address or None)
                if country:
                    add_checked(listing, "country", [country], "Location country")
            elif country or address:
                values.append(country or address)
        for detail in children(version, "VersionDetail"):
            reference = refs.value("DetailReference", detail.get("DetailReferenceID"))
            value = reference or text(detail)
            if value:
                values.append(value)
        for value in dict.fromkeys(values):
            apply_label(listing, label, value)


def _sanction(listing: Listing, refs: References, profile_id: str) -> None:
    sanction = listing.sanction
    entries = refs.entries.get(profile_id, [])
    if not entries:
        listing.meta.warn(f"record {listing.record}: no sanctions entry")
    dates = []
    for entry in entries:
        sanction.add("summary", f"Listed on the {entry.list_name}")
        for date, basis in entry.events:
            if date:
                dates.append(date)
            if basis and basis != "Unknown":
                sanction.add("provisions", f"Legal basis: {basis}")
        for kind, comment in entry.measures:
            if kind == "Program":
                add_programs(listing, [comment] if comment else [])
            else:
                sanction.add("provisions", f"{kind}: {comment}" if comment else kind)
    sanction.add("listingDate", min(dates, default=None))


def _relations(refs: References, profiles: dict[str, str], meta: ListMeta) -> Iterator[Emitted]:
    for rel in refs.relations:
        source, target = profiles.get(rel.source), profiles.get(rel.target)
        if source is None or target is None:
            meta.warn(f"relationship {rel.id}: profile {rel.source} or {rel.target} not in file")
            continue
        link = relation(rel.id, rel.kind, source, target)
        link.add("status", "former" if rel.former else None)
        link.add("summary", rel.comment)
        yield Emitted(link, rel.id)


__all__ = ["OfacAdvancedXmlParser"]
