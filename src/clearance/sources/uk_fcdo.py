"""UK Sanctions List (FCDO): the summary spreadsheet (ODS or CSV) and a derived relational CSV set.

* :class:`UkFcdoParser` (``uk_fcdo``) reads the summary sheet FCDO publishes next to the full
  list, as ``.ods`` or as CSV of the same columns: ``Unique ID, OFSI Group ID, Name, Regime Name,
  Type, Designation source, Date Designated, Sanctions Imposed`` — one row per designation,
  primary name only. A header with ``Name 6`` is the full list, read by
  :mod:`clearance.sources.uk_fcdo_full`. The ODS is read straight from its ``content.xml`` with
  ``lxml.iterparse``.
* :class:`UkFcdoDerivedParser` (``uk_fcdo_derived``) reads a DERIVED, lossy re-shaping of the full
  FCDO CSV into ``subjects.csv`` + ``subject_names.csv`` + ``subject_dobs.csv`` +
  ``subject_identifiers.csv`` (covyr/uk-sanctions-list), read by
  :mod:`clearance.sources.uk_fcdo_tables`.

Entity ids are ``gb-fcdo-<Unique ID>`` in both, so the two can be compared.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date
from clearance.sources import uk_fcdo_full
from clearance.sources.base import ListMeta, ListParser, ParseResult, read_text
from clearance.sources.uk_fcdo_tables import read_tables

PREFIX = "gb-fcdo"
AUTHORITY = "Foreign, Commonwealth and Development Office"
SUMMARY_REQUIRED = ("Unique ID", "Name", "Regime Name", "Type")
SUMMARY_COLUMNS = {
    *SUMMARY_REQUIRED, "OFSI Group ID", "Designation source", "Date Designated",
    "Sanctions Imposed",
}  # fmt: skip
SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_MAX_REPEAT = 64


def _cell_text(cell: etree._Element) -> str:
    paragraphs = cell.findall(f"{{{_TEXT}}}p")
    return "\n".join("".join(p.itertext()) for p in paragraphs).strip()


def ods_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of the first sheet of an ODS file, skipping empty rows."""
    try:
        archive = zipfile.ZipFile(path)
        member = archive.open("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ListFormatError(path, None, f"not a readable ODS file: {exc}") from exc
    row_tag, table_tag = f"{{{_TABLE}}}table-row", f"{{{_TABLE}}}table"
    number = 0
    with archive, member:
        try:
            for _, elem in etree.iterparse(member, events=("end",), huge_tree=True):
                if elem.tag == table_tag:
                    return  # first sheet only
                if elem.tag != row_tag:
                    continue
                cells: list[str] = []
                for cell in elem:
                    repeat = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
                    cells.extend([_cell_text(cell)] * min(repeat, _MAX_REPEAT))
                number += int(elem.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
                elem.clear(keep_tail=False)
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    yield number, cells
        except etree.XMLSyntaxError as exc:
            raise ListFormatError(path, f"content.xml line {exc.lineno}", exc.msg) from exc
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ListFormatError(path, f"row {number + 1}", f"truncated ODS: {exc}") from exc


def _ods_head(path: Path, size: int = 16 * 1024) -> bytes:
    """The start of ``content.xml`` if ``path`` is an ODS spreadsheet, else empty bytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            if archive.read("mimetype").strip() != ODS_MIME:
                return b""
            with archive.open("content.xml") as member:
                return member.read(size)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        return b""


def csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(read_text(path, "utf-8-sig"), newline=""))
    try:
        for row in reader:
            if any(c.strip() for c in row):
                yield reader.line_num, row
    except csv.Error as exc:
        raise ListFormatError(path, f"line {reader.line_num}", f"CSV error: {exc}") from exc


class UkFcdoParser(ListParser):
    format: ClassVar[str] = "uk_fcdo"
    source: ClassVar[str] = "gb_fcdo_sanctions"
    title: ClassVar[str] = "UK Sanctions List (FCDO), ODS or CSV (summary sheet or full list)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if head.startswith(b"PK"):
            content = _ods_head(path)
            return b">Unique ID<" in content and b">Regime Name<" in content
        lines = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 2)[:2]
        if lines and lines[0].startswith(b"Unique ID,") and b"Regime Name" in lines[0]:
            return True  # summary sheet
        return (
            len(lines) == 2
            and lines[0].startswith(b"Report Date")
            and b"Unique ID" in lines[1]
            and b"Name 6" in lines[1]
        )  # full list

    def parse(self, path: Path) -> ParseResult:
        with path.open("rb") as handle:
            magic = handle.read(4)
        if not magic.strip():
            raise ListFormatError(path, None, "file is empty")
        rows = ods_rows(path) if magic.startswith(b"PK") else csv_rows(path)
        where = "row" if magic.startswith(b"PK") else "line"
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        number, header = self._header(path, rows, meta)
        if "Name 6" in header:
            uk_fcdo_full.check_header(path, header, f"{where} {number}", meta)
            return ParseResult(meta, uk_fcdo_full.build(path, rows, header, where))
        for column in SUMMARY_REQUIRED:
            if column not in header:
                raise ListFormatError(
                    path, f"field {column}", f"required column missing ({where} {number})"
                )
        for name in header:
            if name and name not in SUMMARY_COLUMNS:
                meta.warn(f"unknown column {name!r} ignored")
        return ParseResult(meta, self._entities(path, rows, header, where, meta))

    def _header(
        self, path: Path, rows: Iterator[tuple[int, list[str]]], meta: ListMeta
    ) -> tuple[int, list[str]]:
        """The header row; a ``Report Date: 11-Aug-2025`` row before it gives the date."""
        for number, cells in rows:
            first = cells[0].strip() if cells else ""
            if first.lower().startswith("report date"):
                meta.publication_date = parse_date(first.split(":", 1)[-1].strip())
                continue
            return number, [c.strip() for c in cells]
        raise ListFormatError(path, None, "no header row")

    def _entities(
        self,
        path: Path,
        rows: Iterator[tuple[int, list[str]]],
        header: list[str],
        where: str,
        meta: ListMeta,
    ) -> Iterator[Emitted]:
        seen: dict[str, int] = {}
        for number, cells in rows:
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                raise ListFormatError(path, f"{where} {number}", "more cells than header columns")
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            uid = row["Unique ID"]
            if not uid:
                raise ListFormatError(path, f"{where} {number}", "row without a Unique ID")
            if uid in seen:
                raise ListFormatError(
                    path, f"{where} {number}", f"duplicate Unique ID {uid} (first at {seen[uid]})"
                )
            seen[uid] = number
            kind = row["Type"].lower()
            if kind not in SCHEMA:
                raise ListFormatError(path, f"{where} {number}", f"unknown Type {row['Type']!r}")
            entity = make_entity(SCHEMA[kind], entity_id(PREFIX, uid))
            entity.add("topics", "sanction")
            if row["Name"]:
                entity.add("name", row["Name"])
            else:
                meta.warn(f"{where} {number}: {uid} has no name in the file; kept without one")
            sanction = make_entity("Sanction", f"{entity.id}-sanction")
            sanction.add("entity", entity.id)
            sanction.add("authority", AUTHORITY)
            sanction.add("country", "gb")
            sanction.add("authorityId", uid)
            sanction.add("program", row["Regime Name"] or None)
            sanction.add("listingDate", parse_date(row.get("Date Designated")))
            for measure in (row.get("Sanctions Imposed") or "").split(", "):
                sanction.add("provisions", measure.strip() or None)
            source = row.get("Designation source")
            sanction.add("summary", f"Designation source: {source}" if source else None)
            group = row.get("OFSI Group ID")
            sanction.add("summary", f"OFSI Group ID: {group}" if group else None)
            yield Emitted(entity, uid)
            yield Emitted(sanction, uid)
        if not seen:
            raise ListFormatError(path, None, "no data rows")


class UkFcdoDerivedParser(ListParser):
    format: ClassVar[str] = "uk_fcdo_derived"
    source: ClassVar[str] = "gb_fcdo_sanctions"
    title: ClassVar[str] = "UK Sanctions List (FCDO), derived relational CSV set (lossy)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        folder = path if path.is_dir() else path.parent
        if not path.is_dir() and not head.startswith(b"unique_id,subject_type"):
            return False
        return (folder / "subjects.csv").is_file() and (folder / "subject_names.csv").is_file()

    def parse(self, path: Path) -> ParseResult:
        folder = path if path.is_dir() else path.parent
        meta = ListMeta(source=self.source, format=self.format, files=[])
        return ParseResult(meta, read_tables(folder, meta))
