"""Canada: consolidated Special Economic Measures Act (SEMA) list, XML.

``<data-set><record>...</record></data-set>``, one flat record per listing: ``Country`` (really the
regulation: "Russia / Russie", "Justice for Victims of Corrupt Foreign Officials Regulations
(JVCFOR) / ..."), ``LastName``/``GivenName`` for people, ``EntityOrShip`` for entities and ships
(``Entity`` in files before 2022), ``TitleOrShip`` (a person's title or a ship's type; ``Title``
before 2022), ``ShipIMONumber``, ``DateOfBirthOrShipBuildDate`` (``DateOfBirth``), ``Aliases``,
``Schedule``, ``Item``, ``DateOfListing``. There are no record ids: an entity's id is made from
the regulation (its English name or acronym), schedule and item — ``ca-sema-russia-1-part-1-8`` —
which is unique within a file and stable while Canada does not renumber the schedule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from followthemoney.proxy import EntityProxy
from lxml import etree

from clearance.errors import ListFormatError
from clearance.model import Emitted, make_entity, parse_date, parse_date_range
from clearance.sources.base import ListMeta, ListParser, ParseResult, open_binary

PREFIX = "ca-sema"
AUTHORITY = "Global Affairs Canada"
KNOWN = {
    "Country", "LastName", "GivenName", "EntityOrShip", "Entity", "TitleOrShip", "Title",
    "ShipIMONumber", "DateOfBirthOrShipBuildDate", "DateOfBirth", "Aliases", "Schedule", "Item",
    "DateOfListing",
}  # fmt: skip
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)\s*$")
_SLUG = re.compile(r"[^a-z0-9]+")
_SPACE = re.compile(r"\s+")
_OR = re.compile(r"\s+or\s+", re.I)
_YEARS = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")


def _text(value: str | None) -> str:
    return _SPACE.sub(" ", value or "").strip()


def regime_key(country: str) -> str:
    """The English part of the ``Country`` cell, or its acronym: ``"JVCFOR"``, ``"Russia"``."""
    english = country.split(" / ")[0].strip()
    m = _ACRONYM.search(english)
    return m.group(1) if m else english


def record_id(country: str, schedule: str, item: str) -> str:
    parts = (regime_key(country), schedule, item)
    slugs = [s for p in parts if (s := _SLUG.sub("-", p.lower()).strip("-"))]
    return "-".join((PREFIX, *slugs))


def split_aliases(text: str) -> list[str]:
    """Aliases are separated by ``;``, `` or `` or ``, ``; a comma only separates names when
    every piece is more than one word (so "Sergei, Serhii SHERBAKOV" stays whole)."""
    out: list[str] = []
    for chunk in re.split(r";|\s+or\s+", text):
        pieces = [p.strip() for p in chunk.split(", ") if p.strip()]
        if len(pieces) > 1 and all(" " in p for p in pieces):
            out.extend(pieces)
        elif chunk.strip():
            out.append(chunk.strip())
    return out


def parse_dates(text: str) -> list[str]:
    """``"1972-08-10 or 1972-08-11"``, ``"1963-1964"``, ``"1955-11"`` → ISO prefixes."""
    out: list[str] = []
    for part in _OR.split(text):
        part = _YEARS.sub(r"\1 - \2", part.strip())
        out.extend(parse_date_range(part))
    return out


class CaSemaXmlParser(ListParser):
    format: ClassVar[str] = "ca_sema_xml"
    source: ClassVar[str] = "ca_dfatd_sema_sanctions"
    title: ClassVar[str] = "Canada SEMA consolidated autonomous sanctions list (XML)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return b"<data-set" in head and b"<record" in head and b"<Item>" in head

    def parse(self, path: Path) -> ParseResult:
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        return ParseResult(meta, self._entities(path, meta))

    def _records(self, path: Path) -> Iterator[tuple[int, int, dict[str, str]]]:
        """(record number, line, fields) for each ``record``; XML errors name the line."""
        n = 0
        with open_binary(path) as handle:
            events = etree.iterparse(
                handle, events=("start", "end"), resolve_entities=False, no_network=True
            )
            try:
                for event, elem in events:
                    if event == "start":
                        if elem.getparent() is None and elem.tag != "data-set":
                            where = f"line {elem.sourceline}"
                            raise ListFormatError(path, where, f"root is <{elem.tag}>")
                        continue
                    if elem.tag != "record":
                        continue
                    n += 1
                    fields = {str(c.tag): _text(c.text) for c in elem if isinstance(c.tag, str)}
                    yield n, elem.sourceline or 0, fields
                    elem.clear()
            except etree.XMLSyntaxError as exc:
                line = exc.lineno or 0
                raise ListFormatError(path, f"line {line}", f"malformed XML: {exc.msg}") from exc
        if n == 0:
            raise ListFormatError(path, None, "no <record> elements")

    def _entities(self, path: Path, meta: ListMeta) -> Iterator[Emitted]:
        seen: dict[str, int] = {}
        unknown: set[str] = set()
        for n, line, f in self._records(path):
            where = f"record {n} (line {line})"
            for tag in set(f) - KNOWN - unknown:
                unknown.add(tag)
                meta.warn(f"{where}: unknown element <{tag}> ignored")
            if not f.get("Country") or not f.get("Item"):
                raise ListFormatError(path, where, "missing <Country> or <Item>")
            eid = record_id(f["Country"], f.get("Schedule", ""), f["Item"])
            if eid in seen:
                raise ListFormatError(path, where, f"duplicate id {eid} (record {seen[eid]})")
            seen[eid] = n
            entity = self._entity(eid, f, path, where, meta)
            sanction = make_entity("Sanction", f"{eid}-sanction")
            sanction.add("entity", eid)
            sanction.add("authority", AUTHORITY)
            sanction.add("country", "ca")
            sanction.add("program", f["Country"])
            schedule = f.get("Schedule")
            position = f"Schedule {schedule}, item {f['Item']}" if schedule else f"Item {f['Item']}"
            sanction.add("provisions", position)
            sanction.add("listingDate", parse_date(f.get("DateOfListing")))
            record = eid.removeprefix(f"{PREFIX}-")
            yield Emitted(entity, record)
            yield Emitted(sanction, record)

    @staticmethod
    def _entity(eid: str, f: dict[str, str], path: Path, where: str, meta: ListMeta) -> EntityProxy:
        org = f.get("EntityOrShip") or f.get("Entity")
        title = f.get("TitleOrShip") or f.get("Title")
        dates = f.get("DateOfBirthOrShipBuildDate") or f.get("DateOfBirth")
        given, last = f.get("GivenName"), f.get("LastName")
        if org:
            ship = bool(f.get("ShipIMONumber")) or bool(title and not (given or last))
            entity = make_entity("Vessel" if ship else "Organization", eid)
            entity.add("name", org)
            if ship:
                entity.add("type", title)
                entity.add("imoNumber", f.get("ShipIMONumber") or None, quiet=True)
            date_prop = "buildDate" if ship else "incorporationDate"
        elif given or last:
            entity = make_entity("Person", eid)
            entity.add("name", " ".join(p for p in (given, last) if p))
            entity.add("firstName", given or None)
            entity.add("lastName", last or None)
            entity.add("title", title or None)
            date_prop = "birthDate"
        else:
            raise ListFormatError(path, where, "no name (LastName/GivenName or EntityOrShip)")
        entity.add("topics", "sanction")
        for alias in split_aliases(f.get("Aliases", "")):
            entity.add("alias", alias)
        if dates:
            values = parse_dates(dates)
            if not values:
                meta.warn(f"{where}: date {dates!r} not understood")
            entity.add(date_prop, values)
        return entity
