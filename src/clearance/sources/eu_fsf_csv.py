"""EU Financial Sanctions File (FSF), official CSV: the current v1.1 columns and legacy v1.0.

Both are semicolon-separated with one row per name, address, birth date, identity document or
citizenship, the listing's own columns repeated on every row; rows are grouped by logical id
into one listing (:mod:`clearance.sources.eu_fsf_csv_rows` reads a row into it,
:mod:`clearance.sources.eu_fsf_model` makes the entities).

* v1.1 (``csvFullSanctionsList_1_1``): ``fileGenerationDate;Entity_LogicalId;
  Entity_EU_ReferenceNumber;...;NameAlias_WholeName;...;Address_City;...;BirthDate_BirthDate;
  ...;Identification_Number;...;Citizenship_CountryIso2Code;...``.
* v1.0: ``Date_file;Entity_logical_id;Subject_type;Leba_numtitle;...;Naal_wholename;...;
  Addr_...;Birt_...;Iden_...;Citi_...;EU_ref_num`` (``Entity_logical_id`` repeated per section).
  Copies re-saved by spreadsheets, with every line wrapped in quotes and padded with tabs, are
  unwrapped.

UTF-8 is expected; a file that is not UTF-8 but valid Windows-1252 is read as such with a warning.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from clearance.errors import ListFormatError
from clearance.model import Emitted, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult, read_text_fallback
from clearance.sources.eu_fsf_csv_rows import read_legacy_row, read_v11_row
from clearance.sources.eu_fsf_model import EuSubject, build_entities

_REG = ["Type", "OrganisationType", "PublicationDate", "EntryIntoForceDate", "NumberTitle",
        "Programme", "PublicationUrl"]  # fmt: skip
_COMMON = ["LogicalId", "RegulationLanguage", "Remark", *(f"Regulation_{r}" for r in _REG)]
_SECTIONS = {
    "Entity": ["LogicalId", "EU_ReferenceNumber", "UnitedNationId", "DesignationDate",
               "DesignationDetails", "Remark", "SubjectType", "SubjectType_ClassificationCode",
               *(f"Regulation_{r}" for r in _REG)],
    "NameAlias": ["LastName", "FirstName", "MiddleName", "WholeName", "NameLanguage", "Gender",
                  "Title", "Function", "Strong", *_COMMON],
    "Address": ["City", "Street", "PoBox", "ZipCode", "Region", "Place", "AsAtListingTime",
                "ContactInfo", "CountryIso2Code", "CountryDescription", *_COMMON],
    "BirthDate": ["BirthDate", "Day", "Month", "Year", "YearRangeFrom", "YearRangeTo", "Circa",
                  "CalendarType", "ZipCode", "Region", "Place", "City", "CountryIso2Code",
                  "CountryDescription", *_COMMON],
    "Identification": ["Number", "Diplomatic", "KnownExpired", "KnownFalse", "ReportedLost",
                       "RevokedByIssuer", "IssuedBy", "IssuedDate", "ValidFrom", "ValidTo",
                       "LatinNumber", "NameOnDocument", "TypeCode", "TypeDescription", "Region",
                       "CountryIso2Code", "CountryDescription", *_COMMON],
    "Citizenship": ["Region", "CountryIso2Code", "CountryDescription", *_COMMON],
}  # fmt: skip
V11_COLUMNS = {"filegenerationdate"} | {
    f"{s}_{c}".lower() for s, cols in _SECTIONS.items() for c in cols
}
V11_REQUIRED = ("Entity_LogicalId", "Entity_SubjectType", "NameAlias_WholeName")
_LEGACY_SECTIONS = {
    "Naal": ["lastname", "firstname", "middlename", "wholename", "gender", "title", "function",
             "language"],
    "Addr": ["number", "street", "zipcode", "city", "country", "other"],
    "Birt": ["date", "place", "country"],
    "Iden": ["number", "country"],
    "Citi": ["country"],
}  # fmt: skip
V10_COLUMNS = {
    "date_filexxxx", "date_file", "entity_logical_id", "subject_type", "leba_numtitle",
    "leba_publication_date", "leba_url", "programme", "entity_remark", "eu_ref_num",
} | {
    f"{s}_{c}".lower()
    for s, cols in _LEGACY_SECTIONS.items()
    for c in [*cols, "logical_id", "leba_numtitle", "leba_publication_date", "leba_url",
              "programme"]
}  # fmt: skip
V10_REQUIRED = ("Entity_logical_id", "Subject_type", "Naal_wholename")


def _first_line(head: bytes) -> str:
    return head.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip('\ufeff"').lower()


def _unwrap(path: Path, text: str) -> str:
    """Undo a spreadsheet re-save that read the file as comma-separated and wrote it back
    tab-separated with each whole line quoted: unquote each line, tabs back to commas."""
    first = text.split("\n", 1)[0]
    if not first.startswith('"') or ";" not in first or "\t" not in first:
        return text
    lines = text.rstrip("\r\n").split("\n")
    if not lines[-1].rstrip("\r").endswith('"'):
        raise ListFormatError(path, f"line {len(lines)}", "line not closed: truncated file")
    out = []
    for row in csv.reader(lines, delimiter="\n"):
        line = row[0] if row else ""
        out.append(line.replace("\t", ",").rstrip(","))
    return "\n".join(out)


class EuFsfCsvParser(ListParser):
    format: ClassVar[str] = "eu_fsf_csv"
    source: ClassVar[str] = "eu_fsf"
    title: ClassVar[str] = "EU Financial Sanctions File (CSV v1.1 and legacy v1.0)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        line = _first_line(head)
        if ";" not in line:
            return False
        v11 = "entity_logicalid" in line and "namealias_wholename" in line
        v10 = line.startswith("date_file") and "entity_logical_id" in line and "naal_" in line
        return v11 or v10

    def parse(self, path: Path) -> ParseResult:
        meta = ListMeta(source=self.source, format=self.format, files=[path])
        text = _unwrap(path, read_text_fallback(path, meta))
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        try:
            header = [h.strip().strip("\t") for h in next(rows)]
        except StopIteration:
            raise ListFormatError(path, "line 1", "no header row") from None
        index: dict[str, int] = {}
        for pos, name in enumerate(header):
            if name:
                index.setdefault(name.lower(), pos)
        legacy = "entity_logical_id" in index
        required = V10_REQUIRED if legacy else V11_REQUIRED
        for column in required:
            if column.lower() not in index:
                raise ListFormatError(path, f"field {column}", "required column missing (line 1)")
        known = V10_COLUMNS if legacy else V11_COLUMNS
        for name in header:
            if name and name.lower() not in known:
                meta.warn(f"unknown column {name!r} ignored")
        subjects = self._group(path, rows, index, len(header), legacy, meta)
        return ParseResult(meta, self._entities(path, subjects))

    def _group(
        self,
        path: Path,
        rows: Iterator[list[str]],
        index: dict[str, int],
        width: int,
        legacy: bool,
        meta: ListMeta,
    ) -> dict[str, EuSubject]:
        subjects: dict[str, EuSubject] = {}
        seen: set[tuple[str, str, str]] = set()
        date_col = "date_filexxxx" if "date_filexxxx" in index else "date_file"
        if not legacy:
            date_col = "filegenerationdate"
        try:
            for row in rows:
                where = f"line {rows.line_num}"  # type: ignore[attr-defined]
                if not any(c.strip() for c in row):
                    continue
                if len(row) != width:
                    raise ListFormatError(
                        path, where, f"{len(row)} fields, header has {width} (truncated row?)"
                    )

                def get(col: str, row: list[str] = row) -> str:
                    pos = index.get(col.lower())
                    return row[pos].strip() if pos is not None else ""

                if meta.publication_date is None and get(date_col):
                    meta.publication_date = parse_date(get(date_col)[:10])
                read = read_legacy_row if legacy else read_v11_row
                read(path, where, get, subjects, seen)
        except csv.Error as exc:
            raise ListFormatError(path, f"line {rows.line_num}", f"CSV error: {exc}") from exc  # type: ignore[attr-defined]
        if not subjects:
            raise ListFormatError(path, None, "no data rows")
        return subjects

    def _entities(self, path: Path, subjects: dict[str, EuSubject]) -> Iterator[Emitted]:
        for subject in subjects.values():
            yield from build_entities(path, subject)
