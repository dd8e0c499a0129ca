"""Australia: DFAT Consolidated List (``regulation8_consolidated.xlsx``, or a CSV of its sheet).

One row per *name*: ``Reference`` ("1" for the primary name, "1a", "1b" ... for the other names of
the same party; a few have a second number, "1276c1"), ``Name of Individual or Entity``, ``Type``,
``Name Type`` (Primary Name / aka / Original Script / Formerly known as, in inconsistent case),
``Date of Birth``, ``Place of Birth``, ``Citizenship``, ``Address``, ``Additional Information``,
``Listing Information``, ``Committees``, ``Control Date``. Rows are grouped by the leading number
of the reference into one entity ``au-dfat-<number>``. Excel cells come as text, numbers or
datetimes; dates of birth are free text ("a) 07/04/1979; b) Approximately 1980", day first).
The sheet has no publication date.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.model import Emitted, make_entity, parse_date, parse_date_range
from clearance.sources.base import ListMeta, ListParser, ParseResult, check_columns, text_stream

PREFIX = "au-dfat"
AUTHORITY = "Department of Foreign Affairs and Trade"
NAME, REF, TYPE, NAME_TYPE = "Name of Individual or Entity", "Reference", "Type", "Name Type"
REQUIRED = (REF, NAME, TYPE, NAME_TYPE)
KNOWN = (
    *REQUIRED, "Date of Birth", "Place of Birth", "Citizenship", "Address",
    "Additional Information", "Listing Information", "Committees", "Control Date",
)  # fmt: skip
NAME_PROPS = {
    "primary name": "name", "aka": "alias", "original script": "alias",
    "formerly known as": "previousName", "previously listed as": "previousName",
}  # fmt: skip
SCHEMAS = {"individual": "Person", "entity": "Organization"}
XLSX_MARKERS = (NAME.encode(), b"Name Type", b"Control Date")
_BASE = re.compile(r"^\s*(\d+)")
_ITEM = re.compile(r"(?:^|\s)[a-z]\)\s*")
_DATE_SEP = re.compile(r";|>>|\balt(?:ernative)? DOB:?|\s+or\s+|,\s*(?=\D)|\n", re.I)
_YEARS = re.compile(r"(\d{4})\s*[-/]\s*(\d{4})")
_PAREN = re.compile(r"\([^)]*\)?")
_BETWEEN = re.compile(r"^between\s+", re.I)
_MULTI = re.compile(r";|,|\s+and\s+|\n")

Row = dict[str, str]


def cell_text(value: object) -> str:
    """An Excel/CSV cell as text: datetimes as ISO dates, integral floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return " ".join(text.split()) if "\n" not in text else text.replace("\xa0", " ").strip()


def parse_dobs(text: str) -> list[str]:
    """Free-text dates of birth → ISO prefixes (day first); Hijri dates are skipped."""
    out: list[str] = []
    for item in _ITEM.split(text):
        if "hijri" in item.lower():
            continue
        for piece in _DATE_SEP.split(_PAREN.sub(";", item)):
            piece = piece.strip(" .,")
            if piece:
                piece = _YEARS.sub(r"\1 - \2", _BETWEEN.sub("", piece))
                out.extend(v for v in parse_date_range(piece) if v >= "1850")
    return out


def _zip_has_markers(path: Path) -> bool:
    """An XLSX whose shared strings (or first sheet) start with the DFAT column names."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" not in names:
                return False
            for member in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                if member in names:
                    with zf.open(member) as handle:
                        head = handle.read(65536)
                    if all(m in head for m in XLSX_MARKERS):
                        return True
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError):
        return False
    return False


class AuDfatParser(ListParser):
    format: ClassVar[str] = "au_dfat"
    source: ClassVar[str] = "au_dfat_sanctions"
    title: ClassVar[str] = "Australia DFAT Consolidated List (XLSX or CSV)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        if head.startswith(b"PK\x03\x04"):
            return _zip_has_markers(path)
        first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
        return all(m in first for m in (REF.encode(), NAME.encode(), b"Name Type"))

    def parse(self, path: Path) -> ParseResult:
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        with path.open("rb") as handle:
            is_zip = handle.read(4) == b"PK\x03\x04"
        rows = self._xlsx_rows(path) if is_zip else self._csv_rows(path)
        groups = self._group(path, rows, meta)
        return ParseResult(meta, self._entities(groups, meta))

    def _xlsx_rows(self, path: Path) -> Iterator[tuple[str, list[object]]]:
        import openpyxl  # heavy: only when an XLSX is read

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ListFormatError(path, None, f"not a readable XLSX workbook: {exc}") from exc
        try:
            sheet = book.worksheets[0]
            for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield f"row {n}", list(values)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ListFormatError(path, None, f"XLSX sheet cannot be read: {exc}") from exc
        finally:
            book.close()

    def _csv_rows(self, path: Path) -> Iterator[tuple[str, list[object]]]:
        reader = csv.reader(text_stream(path, "utf-8-sig"), strict=True)
        try:
            for cells in reader:
                yield f"line {reader.line_num}", list(cells)
        except csv.Error as exc:
            raise ListFormatError(path, f"line {reader.line_num}", f"bad CSV: {exc}") from exc

    def _group(
        self, path: Path, rows: Iterator[tuple[str, list[object]]], meta: ListMeta
    ) -> dict[str, list[tuple[str, Row]]]:
        """Rows checked and grouped by base reference; duplicate references are an error."""
        first = next(rows, None)
        if first is None:
            raise ListFormatError(path, None, "no header row")
        header = [cell_text(v) for v in first[1]]
        while header and not header[-1]:
            header.pop()
        check_columns(path, header, REQUIRED, KNOWN, meta)
        groups: dict[str, list[tuple[str, Row]]] = {}
        refs: dict[str, str] = {}
        for where, values in rows:
            cells = [cell_text(v) for v in values]
            if any(cells[len(header) :]):
                raise ListFormatError(path, where, f"{len(cells)} cells, header has {len(header)}")
            if not any(cells):
                continue
            row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
            ref = row[REF].replace(" ", "")
            m = _BASE.match(ref)
            if m is None or not row[NAME]:
                raise ListFormatError(path, where, f"bad reference {ref!r} or empty name")
            if ref in refs:
                raise ListFormatError(path, where, f"duplicate reference {ref} ({refs[ref]})")
            refs[ref] = where
            groups.setdefault(m.group(1), []).append((where, row))
        if not groups:
            raise ListFormatError(path, None, "no records after the header")
        return groups

    def _entities(
        self, groups: dict[str, list[tuple[str, Row]]], meta: ListMeta
    ) -> Iterator[Emitted]:
        for ref, rows in groups.items():
            eid = f"{PREFIX}-{ref}"
            kinds = {r[TYPE].lower() for _, r in rows}
            schema = SCHEMAS.get(kinds.pop()) if len(kinds) == 1 else None
            if schema is None:
                meta.warn(f"reference {ref}: type {sorted({r[TYPE] for _, r in rows})}")
                schema = "LegalEntity"
            entity = make_entity(schema, eid)
            entity.add("topics", "sanction")
            sanction = make_entity("Sanction", f"{eid}-sanction")
            sanction.add("entity", eid)
            sanction.add("authority", AUTHORITY)
            sanction.add("country", "au")
            sanction.add("authorityId", ref)
            seen: set[tuple[str, ...]] = set()
            for where, row in rows:
                self._names(entity, where, row, meta)
                details = tuple(row.get(c, "") for c in KNOWN[len(REQUIRED) :])
                if details not in seen:  # alias rows mostly repeat the primary row's details
                    seen.add(details)
                    self._details(entity, sanction, where, row, meta)
            if not entity.get("name"):
                meta.warn(f"reference {ref}: no primary name; first name used")
                entity.add("name", rows[0][1][NAME])
            yield Emitted(entity, ref)
            yield Emitted(sanction, ref)

    @staticmethod
    def _names(entity: EntityProxy, where: str, row: Row, meta: ListMeta) -> None:
        kind = row[NAME_TYPE].lower()
        prop = NAME_PROPS.get(kind)
        if prop is None:
            meta.warn(f"{where}: name type {row[NAME_TYPE]!r} read as alias")
            prop = "alias"
        if prop == "name" and entity.get("name"):
            meta.warn(f"{where}: second primary name read as alias")
            prop = "alias"
        entity.add(prop, row[NAME])

    @staticmethod
    def _details(
        entity: EntityProxy, sanction: EntityProxy, where: str, row: Row, meta: ListMeta
    ) -> None:
        person = entity.schema.is_a("Person")
        if (dob := row.get("Date of Birth", "")) and dob.lower() not in ("na", "n/a", "unknown"):
            values = parse_dobs(dob)
            if not values:
                meta.warn(f"{where}: date of birth {dob!r} not understood")
            prop = "birthDate" if person else "incorporationDate"
            entity.add(prop, values, cleaned=True)  # parse_dobs gives valid ISO prefixes
        if (pob := row.get("Place of Birth", "")) and person and pob.lower() != "na":
            entity.add("birthPlace", pob)
        for country in _MULTI.split(_ITEM.sub(";", row.get("Citizenship", ""))):
            if (country := country.strip(" .")) and country.lower() != "na":
                entity.add("nationality" if person else "country", country, quiet=True, fuzzy=True)
        if (address := row.get("Address", "")) and address.lower() not in ("na", "n/a"):
            entity.add("address", address)
        entity.add("notes", row.get("Additional Information") or None)
        sanction.add("summary", row.get("Listing Information") or None)
        sanction.add("program", row.get("Committees") or None)
        sanction.add("modifiedAt", parse_date(row.get("Control Date")))
