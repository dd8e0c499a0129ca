"""The lookup tables of an OFAC ADVANCED XML file, read in a first streaming pass.

An ADVANCED XML file (``sdn_advanced.xsd``) is normalised: a DistinctParty's profile refers by id
to reference values (alias types, name-part types, feature types, countries ...), to Locations, to
IDRegDocuments (by identity) and is referred to by SanctionsEntries and ProfileRelationships, most
of which come *after* the parties. :class:`References` collects everything except the parties
into small tuples so that the parties can then be streamed one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from clearance.model import parse_date_range
from clearance.sources.xmlstream import children, iter_records, local_name, text

TABLE_TAGS = (
    "ReferenceValueSets",
    "Location",
    "IDRegDocument",
    "SanctionsEntry",
    "ProfileRelationship",
    "DistinctParty",
)
_NO_COUNTRY = {"undetermined", "unknown", "none identified"}
_LOC_ORDER = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE", "REGION")


@dataclass(frozen=True, slots=True)
class IdDocument:
    kind: str
    number: str
    country: str | None
    issued: str | None
    expires: str | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One SanctionsEntry: the list, its events (date, legal basis) and measures (type, comment)."""

    list_name: str
    events: tuple[tuple[str | None, str | None], ...]
    measures: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    source: str
    target: str
    kind: str
    former: bool
    comment: str | None


@dataclass
class References:
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    locations: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    documents: dict[str, list[IdDocument]] = field(default_factory=dict)
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    parties: int = 0

    def value(self, table: str, id_: str | None) -> str | None:
        """The text of reference value ``id_`` in ``table`` (``"AliasType"``, ``"Country"`` ...)."""
        if id_ is None:
            return None
        return self.values.get(table, {}).get(id_)

    def used_lists(self) -> set[str]:
        return {entry.list_name for entries in self.entries.values() for entry in entries}


def read_references(path: Path) -> References:
    """Stream ``path`` once and collect every table but the parties themselves."""
    refs = References()
    for element in iter_records(path, TABLE_TAGS):
        name = local_name(element)
        if name == "ReferenceValueSets":
            _reference_values(refs, element)
        elif name == "Location":
            _location(refs, element)
        elif name == "IDRegDocument":
            _document(refs, element)
        elif name == "SanctionsEntry":
            _entry(refs, element)
        elif name == "ProfileRelationship":
            refs.relations.append(
                Relation(
                    element.get("ID") or "",
                    element.get("From-ProfileID") or "",
                    element.get("To-ProfileID") or "",
                    refs.value("RelationType", element.get("RelationTypeID")) or "Linked To",
                    element.get("Former") == "true",
                    text(element, "Comment"),
                )
            )
        else:
            refs.parties += 1
    return refs


def _reference_values(refs: References, element: etree._Element) -> None:
    for table in element:
        for value in table:
            if not isinstance(value.tag, str):
                continue
            name, id_ = local_name(value), value.get("ID")
            if id_ is None:
                continue
            label = (value.text or "").strip()
            if name == "AreaCode":  # the text is an ISO code; the country name is the description
                label = value.get("Description") or label
            if name == "PartySubType":
                parent = value.get("PartyTypeID") or ""
                refs.values.setdefault("PartySubType.PartyTypeID", {})[id_] = parent
            refs.values.setdefault(name, {})[id_] = label


def _location(refs: References, element: etree._Element) -> None:
    parts: dict[str, str] = {}
    for part in children(element, "LocationPart"):
        kind = refs.value("LocPartType", part.get("LocPartTypeID")) or "Unknown"
        value = text(part, "LocationPartValue/Value")
        if value:
            parts[kind] = value
    country_el = next(iter(children(element, "LocationCountry")), None)
    country = refs.value("Country", country_el.get("CountryID")) if country_el is not None else None
    if country is None:
        area = next(iter(children(element, "LocationAreaCode")), None)
        if area is not None:
            country = refs.value("AreaCode", area.get("AreaCodeID"))
    if country is not None and country.lower() in _NO_COUNTRY:
        country = None
    ordered = [parts.pop(k) for k in _LOC_ORDER if k in parts] + list(parts.values())
    if country:
        ordered.append(country)
    refs.locations[element.get("ID") or ""] = (", ".join(ordered), country)


def period(element: etree._Element | None) -> list[str]:
    """The ISO dates a DatePeriod (Start/From .. End/To) or a plain Year/Month/Day stands for."""
    if element is None:
        return []
    start = _ymd(element.find("{*}Start/{*}From")) or _ymd(element)
    end = _ymd(element.find("{*}End/{*}To")) or start
    if start is None or end is None:
        return []
    return span(start, end)


def span(start: str, end: str) -> list[str]:
    """ISO dates for the period ``start``..``end``: one day, a whole month or year, or years."""
    if start == end:
        return [start]
    if start[:4] == end[:4] and start[4:] == "-01-01" and end[4:] == "-12-31":
        return [start[:4]]
    if start[:7] == end[:7] and start.endswith("-01") and end[8:] in ("28", "29", "30", "31"):
        return [start[:7]]
    return parse_date_range(f"{start} to {end}")


def _ymd(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    year, month, day = text(element, "Year"), text(element, "Month"), text(element, "Day")
    if not year or not re.fullmatch(r"\d{4}", year):
        return None
    if not month:
        return year
    if not day:
        return f"{year}-{int(month):02d}"
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _document(refs: References, element: etree._Element) -> None:
    dates: dict[str, str] = {}
    for item in children(element, "IDRegDocumentDate"):
        kind = refs.value("IDRegDocDateType", item.get("IDRegDocDateTypeID")) or ""
        found = period(item.find("{*}DatePeriod"))
        if found:
            dates[kind] = found[0]
    doc = IdDocument(
        refs.value("IDRegDocType", element.get("IDRegDocTypeID")) or "Identifier",
        text(element, "IDRegistrationNo") or "",
        refs.value("Country", element.get("IssuedBy-CountryID")),
        dates.get("Issue Date"),
        dates.get("Expiration Date"),
        text(element, "Comment"),
    )
    refs.documents.setdefault(element.get("IdentityID") or "", []).append(doc)


def _entry(refs: References, element: etree._Element) -> None:
    events = []
    for event in children(element, "EntryEvent"):
        date = period(event.find("{*}Date"))
        basis = refs.value("LegalBasis", event.get("LegalBasisID"))
        events.append((date[0] if date else None, basis))
    measures = []
    for measure in children(element, "SanctionsMeasure"):
        kind = refs.value("SanctionsType", measure.get("SanctionsTypeID")) or "Unknown"
        measures.append((kind, text(measure, "Comment")))
    entry = Entry(
        refs.value("List", element.get("ListID")) or "Unknown list", tuple(events), tuple(measures)
    )
    refs.entries.setdefault(element.get("ProfileID") or "", []).append(entry)


__all__ = ["Entry", "IdDocument", "References", "Relation", "period", "read_references", "span"]
