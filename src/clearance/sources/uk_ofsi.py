"""UK HM Treasury / OFSI Consolidated List, ConList CSV (``sanctionsconlist.csv``, ``ConList.csv``).

Line 1 reads ``Last Updated,dd/mm/yyyy`` (the publication date); line 2 is the header; then one
row per name of a listed party, grouped by ``Group ID`` (``gb-hmt-<Group ID>``). ``Alias Type``
says which name is primary (``Prime Alias``; ``Primary name`` in later files), an a.k.a. (``AKA``)
or a former name (``FKA``); an ``Alias Quality`` of ``Low quality`` (later files) makes a weak
alias. ``Name 6`` is the surname, ``Name 1``-``Name 5`` the other parts. ``DOB`` is
``dd/mm/yyyy`` with ``00`` for unknown parts. ``Group Type`` is Individual, Entity or Ship.

Files before 2022 are Windows-1252; UTF-8 is read when the file is valid UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult, read_text_fallback

PREFIX = "gb-hmt"
AUTHORITY = "Office of Financial Sanctions Implementation (HM Treasury)"
REQUIRED = ("Name 6", "Group Type", "Alias Type", "Regime", "Group ID")
KNOWN = {
    *REQUIRED,
    *(f"Name {n}" for n in range(1, 6)),
    *(f"Address {n}" for n in range(1, 7)),
    "Title", "DOB", "Town of Birth", "Country of Birth", "Nationality", "Passport Details",
    "NI Number", "Position", "Post/Zip Code", "Country", "Other Information", "Listed On",
    "Last Updated", "Alias Quality", "Name Non-Latin Script", "Non-Latin Script Type",
    "Non-Latin Script Language", "UK Sanctions List Date Designated",
    "UK Sanctions List Ref", "Passport Number", "National Identification Number",
    "National Identification Details", "Email", "Website", "Phone", "IMO number",
}  # fmt: skip
SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
_PRIMARY = {"prime alias", "primary name"}
_UN_REF = re.compile(r"UN Ref\s*:?\s*([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)+)")
_NUMBERED = re.compile(r"\(?\d{1,2}\)\s*")
_DOCUMENT = re.compile(r"\b[A-Z]{0,3}-?\d[\dA-Z\-/]{4,}\b")
_DATE_LIKE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$")


def ofsi_date(text: str) -> str | None:
    """``dd/mm/yyyy`` (or ``-``, ``.``) with ``00`` for an unknown day or month → ISO prefix."""
    parts = re.split(r"[/.-]", text.strip())
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        day, month, year = parts
        if month in ("0", "00"):
            return parse_date(year)
        if day in ("0", "00"):
            return parse_date(f"{year}-{int(month):02d}")
    return parse_date(text)


def split_numbered(text: str) -> list[str]:
    """``(1) German (2) Moroccan`` / ``1) Saudi Arabia 2) Qatar`` → the items."""
    items = [p.strip(" ,;.") for p in _NUMBERED.split(text)]
    return [p for p in items if p]


def document_numbers(text: str) -> list[str]:
    """Document numbers in free text (``Passport No: 592667 (Qatari ...)`` → ``592667``)."""
    found = (m.group(0) for m in _DOCUMENT.finditer(text.upper()))
    return [n for n in found if not _DATE_LIKE.match(n)]


Row = dict[str, str]


class UkOfsiCsvParser(ListParser):
    format: ClassVar[str] = "uk_ofsi_csv"
    source: ClassVar[str] = "gb_hmt_sanctions"
    title: ClassVar[str] = "UK OFSI Consolidated List (ConList CSV)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        lines = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 2)
        if len(lines) < 2:
            return False
        return lines[0].startswith(b"Last Updated,") and b"Group ID" in lines[1]

    def parse(self, path: Path) -> ParseResult:
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        reader = csv.reader(io.StringIO(read_text_fallback(path, meta), newline=""))
        try:
            first = next(reader)
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise ListFormatError(path, "line 2", "no header row") from None
        except csv.Error as exc:
            raise ListFormatError(path, f"line {reader.line_num}", f"CSV error: {exc}") from exc
        if not first or first[0].strip() != "Last Updated":
            raise ListFormatError(path, "line 1", "expected 'Last Updated,dd/mm/yyyy'")
        meta.publication_date = parse_date(first[1]) if len(first) > 1 else None
        for column in REQUIRED:
            if column not in header:
                raise ListFormatError(path, f"field {column}", "required column missing (line 2)")
        for name in header:
            if name and name not in KNOWN:
                meta.warn(f"unknown column {name!r} ignored")
        groups = self._group(path, reader, header)
        return ParseResult(meta, self._entities(path, groups, meta))

    def _group(
        self, path: Path, reader: Iterator[list[str]], header: list[str]
    ) -> dict[str, list[tuple[int, Row]]]:
        groups: dict[str, list[tuple[int, Row]]] = {}
        try:
            for raw in reader:
                line = reader.line_num  # type: ignore[attr-defined]
                if not any(c.strip() for c in raw):
                    continue
                if len(raw) != len(header):
                    raise ListFormatError(
                        path, f"line {line}", f"{len(raw)} fields, header has {len(header)}"
                    )
                row = {h: v.strip() for h, v in zip(header, raw, strict=True) if h}
                group = row["Group ID"]
                if not group:
                    raise ListFormatError(path, f"line {line}", "row without a Group ID")
                groups.setdefault(group, []).append((line, row))
        except csv.Error as exc:
            raise ListFormatError(path, f"line {reader.line_num}", f"CSV error: {exc}") from exc  # type: ignore[attr-defined]
        if not groups:
            raise ListFormatError(path, None, "no data rows")
        return groups

    def _entities(
        self, path: Path, groups: dict[str, list[tuple[int, Row]]], meta: ListMeta
    ) -> Iterator[Emitted]:
        for group, rows in groups.items():
            kinds = {r["Group Type"].lower() for _, r in rows}
            if len(kinds) != 1:
                lines = ", ".join(str(n) for n, _ in rows)
                raise ListFormatError(
                    path, f"record {group}", f"duplicate Group ID with types {sorted(kinds)} "
                    f"(lines {lines})"
                )  # fmt: skip
            kind = kinds.pop()
            if kind not in SCHEMA:
                raise ListFormatError(path, f"line {rows[0][0]}", f"unknown Group Type {kind!r}")
            yield from self._make(group, SCHEMA[kind], [r for _, r in rows], meta)

    def _make(self, group: str, schema: str, rows: list[Row], meta: ListMeta) -> Iterator[Emitted]:
        entity = make_entity(schema, entity_id(PREFIX, group))
        entity.add("topics", "sanction")
        primary = [r for r in rows if r["Alias Type"].lower() in _PRIMARY]
        if not primary:
            meta.warn(f"record {group}: no primary name; first name row used")
            primary = rows[:1]
        is_person = entity.schema.is_a("Person")
        for row in rows:
            name = _full_name(row)
            if not name:
                continue
            if row in primary:
                entity.add("name", name)
                if is_person:
                    _name_parts(entity, row)
            elif row["Alias Type"].lower() == "fka":
                entity.add("previousName", name)
            elif row.get("Alias Quality", "").lower().startswith("low"):
                entity.add("weakAlias", name)
            else:
                entity.add("alias", name)
            entity.add("alias", row.get("Name Non-Latin Script") or None)
        details = _distinct_details(rows)
        docs = _add_details(entity, details, is_person)
        yield Emitted(entity, group)
        yield Emitted(_sanction(entity, group, details), group)
        for doc in docs:
            yield Emitted(doc, group)


def _full_name(row: Row) -> str:
    parts = [row.get(f"Name {n}", "") for n in range(1, 6)] + [row["Name 6"]]
    return " ".join(p for p in parts if p)


#: free-text or number columns holding identity documents (2022 format adds the *Number ones)
_DOCUMENT_COLUMNS = (
    ("Passport Number", "passportNumber"),
    ("Passport Details", "passportNumber"),
    ("National Identification Number", "idNumber"),
    ("NI Number", "idNumber"),
    ("National Identification Details", "idNumber"),
)
_NAME_COLUMNS = {"Title", "Alias Type", "Alias Quality", "Name Non-Latin Script",
                 "Non-Latin Script Type", "Non-Latin Script Language"}  # fmt: skip


def _distinct_details(rows: list[Row]) -> list[Row]:
    """The rows of a group that differ in more than the name (they repeat everything else)."""
    out: dict[tuple[tuple[str, str], ...], Row] = {}
    for row in rows:
        key = tuple(
            (k, v) for k, v in row.items() if not k.startswith("Name ") and k not in _NAME_COLUMNS
        )
        out.setdefault(key, row)
    return list(out.values())


def _name_parts(entity: EntityProxy, row: Row) -> None:
    entity.add("firstName", row.get("Name 1") or None)
    middle = " ".join(row.get(f"Name {n}", "") for n in range(2, 6)).strip()
    entity.add("middleName", middle or None)
    entity.add("lastName", row["Name 6"] or None)
    entity.add("title", row.get("Title") or None)


def _add_details(entity: EntityProxy, rows: list[Row], is_person: bool) -> list[EntityProxy]:
    docs: list[EntityProxy] = []
    for row in rows:
        if is_person:
            entity.add("birthDate", ofsi_date(row.get("DOB", "")))
            for town in split_numbered(row.get("Town of Birth", "")):
                entity.add("birthPlace", town)
            for country in split_numbered(row.get("Country of Birth", "")):
                entity.add("birthCountry", country, quiet=True)
            for country in split_numbered(row.get("Nationality", "")):
                entity.add("nationality", country, quiet=True)
            for position in split_numbered(row.get("Position", "")):
                entity.add("position", position)
        address = [row.get(f"Address {n}", "") for n in range(1, 7)]
        address += [row.get("Post/Zip Code", ""), row.get("Country", "")]
        entity.add("address", ", ".join(a for a in address if a) or None)
        entity.add("country", row.get("Country") or None, quiet=True)
        entity.add("notes", row.get("Other Information") or None)
        for column, prop in _DOCUMENT_COLUMNS:
            details = row.get(column, "")
            if details and prop in entity.schema.properties:
                for number in document_numbers(details):
                    if number in entity.get(prop):
                        continue
                    entity.add(prop, number)
                    doc = make_entity("Identification", f"{entity.id}-id-{len(docs) + 1}")
                    doc.add("holder", entity.id)
                    doc.add("number", number)
                    doc.add("type", "passport" if prop == "passportNumber" else "national id")
                    doc.add("summary", details)
                    docs.append(doc)
    return docs


def _sanction(entity: EntityProxy, group: str, rows: list[Row]) -> EntityProxy:
    sanction = make_entity("Sanction", f"{entity.id}-sanction")
    sanction.add("entity", entity.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "gb")
    sanction.add("recordId", group)
    for row in rows:
        sanction.add("program", row["Regime"] or None)
        sanction.add("listingDate", ofsi_date(row.get("Listed On", "")))
        sanction.add("modifiedAt", ofsi_date(row.get("Last Updated", "")))
        sanction.add("authorityId", row.get("UK Sanctions List Ref") or None)
        for match in _UN_REF.finditer(row.get("Other Information", "")):
            sanction.add("unscId", match.group(1))
    return sanction
