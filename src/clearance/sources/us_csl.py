"""US Consolidated Screening List (trade.gov CSL) CSV.

The CSL merges eleven-odd US government lists (Treasury's SDN, SSI, CMIC ... and Commerce's Entity
List, DPL, UVL, MEU, State's DTC and ISN) into one CSV, one row per listing. A party on several
lists (e.g. SDN and SSI) appears once per list under the same ``_id``: those rows are one entity
with one Sanction per list (``trade-csl-<id>-sanction-<list code>``). The ``ids`` column
(documents and sanction notes) is read by :mod:`clearance.sources.us_csl_ids`.
The 2016 layout (no ``_id``/``ids``, short list codes) is read too; rows without ``_id`` take the
OFAC ``entity_number`` or else a hash of list, name and address as id. See docs/formats/us_trade.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date, parse_date_range
from clearance.sources.base import (
    ListMeta,
    ListParser,
    ParseResult,
    delimited_rows,
    header_cells,
)
from clearance.sources.us_csl_ids import CslId, parse_ids, split_cell

PREFIX = "trade-csl"
REQUIRED = ("source", "name", "type", "programs", "addresses", "alt_names")
KNOWN = (
    "_id", "id", "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order", "license_requirement",
    "license_policy", "call_sign", "vessel_type", "gross_tonnage", "gross_registered_tonnage",
    "vessel_flag", "vessel_owner", "remarks", "source_list_url", "alt_names", "citizenships",
    "dates_of_birth", "nationalities", "places_of_birth", "source_information_url", "ids",
)  # fmt: skip
EXPORT_CONTROL = {"EL", "DPL", "UVL", "MEU", "DTC"}
AUTHORITIES = {
    "Treasury Department": "Office of Foreign Assets Control",
    "Bureau of Industry and Security": "Bureau of Industry and Security",
    "State Department": "US Department of State",
}
CODE_AGENCY = {
    **dict.fromkeys(("EL", "DPL", "UVL", "MEU"), "Bureau of Industry and Security"),
    **dict.fromkeys(("DTC", "ISN"), "State Department"),
}
SCHEMAS = {"individual": "Person", "entity": "Organization", "vessel": "Vessel",
           "aircraft": "Airplane", "": "LegalEntity"}  # fmt: skip
_CODE = re.compile(r"\(([^()]+)\)")
_SLUG = re.compile(r"[^a-z0-9]+")
_LINKED = re.compile(r"\(Linked To: ((?:[^()]|\([^()]*\))+)\)")
_LINK_SEP = re.compile(r";\s*Linked To:\s*")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

Row = dict[str, str]


def list_code(source: str) -> str:
    """The short code of a CSL source: ``"Entity List (EL) - Bureau ..."`` → ``"EL"``."""
    name = source.split(" - ")[0].strip()
    m = _CODE.search(name)
    code = m.group(1) if m else name
    return code.removesuffix(" List").strip()


@lru_cache(maxsize=20000)
def _clean(type_name: str, value: str) -> str | None:
    """FtM cleaning of repetitive values (URLs, countries, dates), cached: it is the slow part."""
    return registry.get(type_name).clean(value)


def _add(entity: EntityProxy, prop: str, value: str | None) -> None:
    """Add when the schema has the property (a Vessel has no birthDate)."""
    value = (value or "").strip()
    prop_ = entity.schema.properties.get(prop)
    if not value or prop_ is None:
        return
    if prop_.type.name in ("url", "country", "date"):
        entity.unsafe_add(prop_, _clean(prop_.type.name, value), cleaned=True)
    else:
        entity.unsafe_add(prop_, value)


class UsCslCsvParser(ListParser):
    format: ClassVar[str] = "us_csl_csv"
    source: ClassVar[str] = "us_trade_csl"
    title: ClassVar[str] = "US Consolidated Screening List (trade.gov CSV)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        cells = header_cells(head)
        return {"source", "entity_number", "alt_names", "programs"} <= cells

    def parse(self, path: Path) -> ParseResult:
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        groups = self._read(path, meta)
        return ParseResult(meta, self._entities(groups, meta))

    def _read(self, path: Path, meta: ListMeta) -> dict[str, list[tuple[int, Row]]]:
        """All rows, checked and grouped by record id (first-seen order)."""
        groups: dict[str, list[tuple[int, Row]]] = {}
        for line, row in delimited_rows(path, meta, REQUIRED, KNOWN, skip_repeated_header=True):
            if not row["name"].strip():
                raise ListFormatError(path, f"line {line}", "empty name")
            groups.setdefault(self._record_id(row), []).append((line, row))
        if not groups:
            raise ListFormatError(path, None, "no records after the header")
        return groups

    @staticmethod
    def _record_id(row: Row) -> str:
        rid = (row.get("_id") or row.get("id") or row.get("entity_number") or "").strip()
        if rid:
            return rid
        key = "|".join((list_code(row["source"]), row["name"].strip(), row["addresses"].strip()))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def _entities(
        self, groups: dict[str, list[tuple[int, Row]]], meta: ListMeta
    ) -> Iterator[Emitted]:
        names = self._name_index(groups)
        missing: list[str] = []
        for rid, rows in groups.items():
            yield from self._record(rid, rows, meta)
            yield from self._links(rid, rows, names, missing)
        if missing:
            meta.warn(f"{len(missing)} 'Linked To' names not found once in the list: {missing[:5]}")

    @staticmethod
    def _name_index(groups: dict[str, list[tuple[int, Row]]]) -> dict[str, str | None]:
        """Upper-case name → record id, for "Linked To" (an OFAC remark: when a name is on
        several lists, the one Treasury record, with a numeric id, is meant; else ambiguous)."""
        found: dict[str, set[str]] = {}
        for column in ("name", "alt_names"):
            taken = set(found)  # aliases only where no primary name is
            for rid, rows in groups.items():
                for _, row in rows:
                    for name in split_cell(row.get(column)):
                        if (key := name.upper()) not in taken:
                            found.setdefault(key, set()).add(rid)
        index: dict[str, str | None] = {}
        for key, rids in found.items():
            treasury = [r for r in rids if r.isdigit()]
            one = rids if len(rids) == 1 else treasury
            index[key] = next(iter(one)) if len(one) == 1 else None
        return index

    @staticmethod
    def _links(
        rid: str, rows: list[tuple[int, Row]], names: dict[str, str | None], missing: list[str]
    ) -> Iterator[Emitted]:
        """``(Linked To: NAME)`` in remarks → UnknownLink to the party of that name, if unique."""
        eid = entity_id(PREFIX, rid)
        found = (t for _, row in rows for t in _LINKED.findall(row.get("remarks") or ""))
        targets = dict.fromkeys(n.strip() for t in found for n in _LINK_SEP.split(t))
        for n, target in enumerate(targets, start=1):
            other = names.get(target.upper())
            if other is None or other == rid:
                missing.append(target)
                continue
            link = make_entity("UnknownLink", f"{eid}-link-{n}")
            link.add("subject", eid)
            link.add("object", entity_id(PREFIX, other))
            link.add("role", "Linked To")
            yield Emitted(link, rid)

    def _record(self, rid: str, rows: list[tuple[int, Row]], meta: ListMeta) -> Iterator[Emitted]:
        eid = entity_id(PREFIX, rid)
        kinds = list(dict.fromkeys(k for _, r in rows if (k := r["type"].strip().lower())))
        if len(kinds) > 1:
            meta.warn(f"record {rid}: conflicting types {kinds}; using {kinds[0]!r}")
        schema = SCHEMAS.get(kinds[0] if kinds else "")
        if schema is None:
            meta.warn(f"record {rid}: unknown type {kinds}; read as LegalEntity")
            schema = "LegalEntity"
        entity = make_entity(schema, eid)
        sanctions: dict[str, EntityProxy] = {}
        ids: dict[tuple[str, str, str], CslId] = {}
        for line, row in rows:
            code = list_code(row["source"])
            if code in sanctions:
                meta.warn(f"line {line}: record {rid} listed twice on {code}; rows merged")
            entity.add("topics", "export.control" if code in EXPORT_CONTROL else "sanction")
            self._fill(entity, row)
            slug = _SLUG.sub("-", code.lower()).strip("-")
            sanction = sanctions.get(code) or make_entity("Sanction", f"{eid}-sanction-{slug}")
            sanctions[code] = sanction
            self._fill_sanction(sanction, eid, code, row)
            for parsed in parse_ids(row.get("ids", "")):
                if parsed.prop is None:
                    target = sanction if parsed.sanction_note else entity
                    target.add("provisions" if parsed.sanction_note else "notes", parsed.text)
                    continue
                _add(entity, parsed.prop, parsed.value)
                if parsed.document:
                    ids.setdefault((parsed.kind, parsed.value, parsed.country or ""), parsed)
        yield Emitted(entity, rid)
        for sanction in sanctions.values():
            yield Emitted(sanction, rid)
        for n, doc in enumerate(ids.values(), start=1):
            ident = make_entity("Identification", f"{eid}-id-{n}")
            ident.add("holder", eid)
            ident.add("number", doc.value)
            ident.add("type", doc.kind)
            _add(ident, "country", doc.country)
            _add(ident, "startDate", doc.issued)
            _add(ident, "endDate", doc.expires)
            yield Emitted(ident, rid)

    @staticmethod
    def _fill(entity: EntityProxy, row: Row) -> None:
        _add(entity, "name", row["name"])
        if entity.schema.is_a("Person") and ", " in row["name"]:
            last, first = row["name"].split(", ", 1)  # Treasury style "LAST, First"
            _add(entity, "lastName", last)
            _add(entity, "firstName", first)
        for alias in split_cell(row.get("alt_names")):
            _add(entity, "alias", alias)
        for address in split_cell(row.get("addresses")):
            country = address.rsplit(", ", 1)[-1]
            if address != country:
                _add(entity, "address", address)
            if _COUNTRY.match(country):
                _add(entity, "country", country)
        _add(entity, "position" if entity.schema.is_a("Person") else "notes", row.get("title"))
        for dob in split_cell(row.get("dates_of_birth")):
            for value in parse_date_range(dob):
                _add(entity, "birthDate", value)
        for place in split_cell(row.get("places_of_birth")):
            _add(entity, "birthPlace", place)
        for prop, column in (("citizenship", "citizenships"), ("nationality", "nationalities")):
            for country in split_cell(row.get(column)):
                _add(entity, prop if entity.schema.is_a("Person") else "country", country)
        for prop, column in (
            ("callSign", "call_sign"), ("type", "vessel_type"), ("tonnage", "gross_tonnage"),
            ("grossRegisteredTonnage", "gross_registered_tonnage"), ("flag", "vessel_flag"),
        ):  # fmt: skip
            _add(entity, prop, row.get(column))
        if owner := (row.get("vessel_owner") or "").strip():
            entity.add("notes", f"Vessel owner: {owner}")
        _add(entity, "notes", row.get("remarks"))
        _add(entity, "sourceUrl", row.get("source_information_url"))

    @staticmethod
    def _fill_sanction(sanction: EntityProxy, eid: str, code: str, row: Row) -> None:
        agency = row["source"].split(" - ")[1].strip() if " - " in row["source"] else ""
        agency = agency or CODE_AGENCY.get(code, "Treasury Department")
        sanction.add("entity", eid)
        sanction.add("authority", AUTHORITIES.get(agency, agency))
        sanction.add("country", "us", cleaned=True)
        sanction.add("program", code)
        for program in split_cell(row.get("programs")):
            sanction.add("program", program)
        _add(sanction, "authorityId", row.get("entity_number"))
        start = parse_date(row.get("start_date"))
        _add(sanction, "startDate", start)
        _add(sanction, "listingDate", start)
        _add(sanction, "endDate", parse_date(row.get("end_date")))
        _add(sanction, "summary", row.get("federal_register_notice"))
        _add(sanction, "provisions", row.get("license_requirement"))
        _add(sanction, "description", row.get("license_policy"))
        _add(sanction, "sourceUrl", row.get("source_information_url"))
        _add(sanction, "programUrl", row.get("source_list_url"))
