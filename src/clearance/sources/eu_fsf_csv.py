"""EU Financial Sanctions File (FSF), official CSV: the current v1.1 columns and legacy v1.0.

Both are semicolon-separated with one row per name, address, birth date, identity document or
citizenship, the listing's own columns repeated on every row; rows are grouped by logical id
into one listing (see :mod:`clearance.sources.eu_fsf_model` for the entities made from it).

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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

from clearance.errors import ListFormatError
from clearance.model import Emitted, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult, read_text_fallback
from clearance.sources.eu_fsf_model import (
    EuBirth,
    EuIdent,
    EuName,
    EuRegulation,
    EuSubject,
    build_entities,
    legacy_birth,
    legacy_ident,
)

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

Getter = Callable[[str], str]
Seen = set[tuple[str, str, str]]


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
                read = _legacy_row if legacy else _v11_row
                read(path, where, get, subjects, seen)
        except csv.Error as exc:
            raise ListFormatError(path, f"line {rows.line_num}", f"CSV error: {exc}") from exc  # type: ignore[attr-defined]
        if not subjects:
            raise ListFormatError(path, None, "no data rows")
        return subjects

    def _entities(self, path: Path, subjects: dict[str, EuSubject]) -> Iterator[Emitted]:
        for subject in subjects.values():
            yield from build_entities(path, subject)


def _subject_for(
    path: Path, where: str, subjects: dict[str, EuSubject], logical_id: str, kind: str
) -> EuSubject:
    if not logical_id:
        raise ListFormatError(path, where, "row without an entity logical id")
    subject = subjects.get(logical_id)
    if subject is None:
        subject = subjects[logical_id] = EuSubject(logical_id=logical_id, kind=kind)
    elif kind and subject.kind != kind:
        raise ListFormatError(
            path, where, f"duplicate id {logical_id}: subject type {kind!r} vs {subject.kind!r}"
        )
    return subject


def _first_time(seen: set[tuple[str, str, str]], subject: EuSubject, part: str, key: str) -> bool:
    marker = (subject.logical_id, part, key)
    if marker in seen:
        return False
    seen.add(marker)
    return True


_KINDS = {"person": "person", "p": "person", "enterprise": "enterprise", "e": "enterprise"}


def _kind(raw: str) -> str:
    return _KINDS.get(raw.strip().lower(), raw.strip().lower())


def _v11_row(
    path: Path, where: str, get: Getter, subjects: dict[str, EuSubject], seen: Seen
) -> None:
    kind = _kind(get("Entity_SubjectType") or get("Entity_SubjectType_ClassificationCode"))
    subject = _subject_for(path, where, subjects, get("Entity_LogicalId"), kind)
    subject.eu_ref = subject.eu_ref or get("Entity_EU_ReferenceNumber")
    subject.un_id = subject.un_id or get("Entity_UnitedNationId")
    subject.designation_date = subject.designation_date or get("Entity_DesignationDate")
    remark = get("Entity_Remark")
    if remark and remark not in subject.remarks:
        subject.remarks.append(remark)
    for section in ("Entity", "NameAlias", "Address", "BirthDate", "Identification", "Citizenship"):
        title = get(f"{section}_Regulation_NumberTitle")
        if title and _first_time(seen, subject, "reg", title):
            subject.regulations.append(
                EuRegulation(
                    programme=get(f"{section}_Regulation_Programme"),
                    number_title=title,
                    publication_date=get(f"{section}_Regulation_PublicationDate"),
                    url=get(f"{section}_Regulation_PublicationUrl"),
                )
            )
    whole = get("NameAlias_WholeName")
    if whole and _first_time(seen, subject, "name", get("NameAlias_LogicalId") or whole):
        subject.names.append(
            EuName(
                whole=whole,
                first=get("NameAlias_FirstName"),
                middle=get("NameAlias_MiddleName"),
                last=get("NameAlias_LastName"),
                gender=get("NameAlias_Gender"),
                title=get("NameAlias_Title"),
                function=get("NameAlias_Function"),
                language=get("NameAlias_NameLanguage"),
                strong=get("NameAlias_Strong").lower() != "false",
            )
        )
    birth_key = get("BirthDate_LogicalId") or get("BirthDate_BirthDate") or get("BirthDate_Year")
    if birth_key and _first_time(seen, subject, "birth", birth_key):
        place = ", ".join(v for v in (get("BirthDate_Place"), get("BirthDate_City")) if v)
        subject.births.append(
            EuBirth(
                date=get("BirthDate_BirthDate"),
                year=get("BirthDate_Year"),
                month=get("BirthDate_Month"),
                year_from=get("BirthDate_YearRangeFrom"),
                year_to=get("BirthDate_YearRangeTo"),
                circa=get("BirthDate_Circa").lower() == "true",
                place=place,
                country=get("BirthDate_CountryIso2Code") or get("BirthDate_CountryDescription"),
            )
        )
    number = get("Identification_Number") or get("Identification_LatinNumber")
    ident_key = get("Identification_LogicalId") or number
    if number and _first_time(seen, subject, "ident", ident_key):
        subject.idents.append(
            EuIdent(
                number=number,
                type_code=get("Identification_TypeCode"),
                type_desc=get("Identification_TypeDescription"),
                country=get("Identification_CountryIso2Code")
                or get("Identification_CountryDescription"),
                authority=get("Identification_IssuedBy"),
                issued=get("Identification_IssuedDate"),
                valid_to=get("Identification_ValidTo"),
                note=get("Identification_Remark"),
            )
        )
    citizen = get("Citizenship_CountryIso2Code") or get("Citizenship_CountryDescription")
    if citizen and _first_time(seen, subject, "citizen", get("Citizenship_LogicalId") or citizen):
        subject.citizenships.append(citizen)
    parts = [get(f"Address_{k}") for k in ("Street", "PoBox", "Place", "ZipCode", "City", "Region")]
    country = get("Address_CountryDescription") or get("Address_CountryIso2Code")
    text = ", ".join(p for p in [*parts, country] if p)
    if text and _first_time(seen, subject, "addr", get("Address_LogicalId") or text):
        subject.add_address(text, country)


def _legacy_row(
    path: Path, where: str, get: Getter, subjects: dict[str, EuSubject], seen: Seen
) -> None:
    subject = _subject_for(
        path, where, subjects, get("Entity_logical_id"), _kind(get("Subject_type"))
    )
    subject.eu_ref = subject.eu_ref or get("EU_ref_num")
    remark = get("Entity_remark").replace("\\n", "\n")
    if remark and remark not in subject.remarks:
        subject.remarks.append(remark)
    for prefix in ("", "Naal_", "Addr_", "Birt_", "Iden_", "Citi_"):
        title = get(f"{prefix}Leba_numtitle")
        if title and _first_time(seen, subject, "reg", title):
            subject.regulations.append(
                EuRegulation(
                    programme=get(f"{prefix}Programme"),
                    number_title=title,
                    publication_date=get(f"{prefix}Leba_publication_date"),
                    url=get(f"{prefix}Leba_url"),
                )
            )
    whole = get("Naal_wholename")
    if whole and _first_time(seen, subject, "name", get("Naal_logical_id") or whole):
        subject.names.append(
            EuName(
                whole=whole,
                first=get("Naal_firstname"),
                middle=get("Naal_middlename"),
                last=get("Naal_lastname"),
                gender=get("Naal_gender"),
                title=get("Naal_title"),
                function=get("Naal_function"),
                language=get("Naal_language"),
            )
        )
    if get("Birt_logical_id") and _first_time(seen, subject, "birth", get("Birt_logical_id")):
        birth = legacy_birth(get("Birt_date"), get("Birt_place"), get("Birt_country"))
        subject.births.append(birth)
    if get("Iden_number") and _first_time(seen, subject, "ident", get("Iden_logical_id")):
        subject.idents.append(legacy_ident(get("Iden_number"), get("Iden_country")))
    if get("Citi_country") and _first_time(seen, subject, "citizen", get("Citi_logical_id")):
        subject.citizenships.append(get("Citi_country"))
    if get("Addr_logical_id") and _first_time(seen, subject, "addr", get("Addr_logical_id")):
        country = get("Addr_country")
        keys = ("Addr_number", "Addr_street", "Addr_zipcode", "Addr_city")
        parts = [get(k) for k in keys] + [country, get("Addr_other")]
        subject.add_address(", ".join(p for p in parts if p), country)
