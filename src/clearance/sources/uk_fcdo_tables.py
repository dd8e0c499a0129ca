"""The derived relational CSV set of the UK Sanctions List (covyr/uk-sanctions-list), read eagerly.

``subjects.csv`` (unique_id, subject_type, un_reference_number, ofsi_group_id, date_designated,
last_updated), ``subject_names.csv`` (name_type primary / primary_variation / alias,
alias_strength good_quality_aka / low_quality_aka, full_name, name_1..name_6 with name_6 the
surname), optional ``subject_dobs.csv`` (year, month, day) and ``subject_identifiers.csv``
(identifier_type passport / national / business_registration_numbers / imo, raw_value,
additional_info). The transform dropped regimes, addresses and "least informative" names and
dates, and repeats rows; repeated rows are merged. The regime survives only as the 3-letter prefix
of the Unique ID (``RUS0229``), kept as the sanction's programId.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date
from clearance.sources.base import ListMeta, read_text

PREFIX = "gb-fcdo"
AUTHORITY = "Foreign, Commonwealth and Development Office"
SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
TABLES = {
    "subjects.csv": ("unique_id", "subject_type"),
    "subject_names.csv": ("unique_id", "name_type", "full_name"),
    "subject_dobs.csv": ("unique_id", "year", "month", "day"),
    "subject_identifiers.csv": ("unique_id", "raw_value", "identifier_type"),
}
OPTIONAL = {"subject_dobs.csv", "subject_identifiers.csv"}
ID_PROPS = {
    "passport": "passportNumber",
    "national": "idNumber",
    "business_registration_numbers": "registrationNumber",
    "imo": "imoNumber",
}
DERIVED_WARNING = (
    "DERIVED, lossy: third-party relational tables of the FCDO UK Sanctions List (no regimes or "
    "addresses; some names and birth dates dropped by the transform)"
)
_PROGRAM = re.compile(r"^([A-Z]+)\d+$")

Row = dict[str, str]


def _table(folder: Path, name: str, meta: ListMeta) -> list[tuple[int, Row]]:
    path = folder / name
    if not path.is_file():
        if name in OPTIONAL:
            meta.warn(f"{name} missing; loaded without it")
            return []
        raise ListFormatError(path, None, "required table of the derived UK set is missing")
    meta.files.append(path)
    reader = csv.DictReader(io.StringIO(read_text(path, "utf-8-sig"), newline=""))
    header = reader.fieldnames or []
    for column in TABLES[name]:
        if column not in header:
            raise ListFormatError(path, f"field {column}", "required column missing (line 1)")
    rows = []
    try:
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                raise ListFormatError(path, f"line {reader.line_num}", "wrong number of fields")
            rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
    except csv.Error as exc:
        raise ListFormatError(path, f"line {reader.line_num}", f"CSV error: {exc}") from exc
    return rows


def read_tables(folder: Path, meta: ListMeta) -> Iterator[Emitted]:
    """Validate and join the tables now; the returned iterator builds the entities."""
    meta.warn(DERIVED_WARNING)
    subjects: dict[str, Row] = {}
    for line, row in _table(folder, "subjects.csv", meta):
        uid = row["unique_id"]
        if not uid:
            raise ListFormatError(folder / "subjects.csv", f"line {line}", "empty unique_id")
        if uid in subjects:
            raise ListFormatError(folder / "subjects.csv", f"line {line}", f"duplicate id {uid}")
        if row["subject_type"].lower() not in SCHEMA:
            raise ListFormatError(
                folder / "subjects.csv", f"line {line}", f"unknown type {row['subject_type']!r}"
            )
        subjects[uid] = row
    if not subjects:
        raise ListFormatError(folder / "subjects.csv", None, "no data rows")
    children: dict[str, dict[str, list[Row]]] = {}
    for name in ("subject_names.csv", "subject_dobs.csv", "subject_identifiers.csv"):
        by_id: dict[str, list[Row]] = {}
        for line, row in _table(folder, name, meta):
            if row["unique_id"] not in subjects:
                raise ListFormatError(
                    folder / name, f"line {line}", f"unknown unique_id {row['unique_id']!r}"
                )
            by_id.setdefault(row["unique_id"], []).append(row)
        children[name] = by_id
    return _entities(folder, subjects, children)


def _entities(
    folder: Path, subjects: dict[str, Row], children: dict[str, dict[str, list[Row]]]
) -> Iterator[Emitted]:
    for uid, subject in subjects.items():
        entity = make_entity(SCHEMA[subject["subject_type"].lower()], entity_id(PREFIX, uid))
        entity.add("topics", "sanction")
        names = children["subject_names.csv"].get(uid, [])
        if not names:
            raise ListFormatError(folder / "subject_names.csv", f"record {uid}", "no names")
        _add_names(entity, names)
        if entity.schema.is_a("Person"):
            for dob in children["subject_dobs.csv"].get(uid, []):
                entity.add("birthDate", _dob(dob))
        docs = _identifiers(entity, children["subject_identifiers.csv"].get(uid, []))
        yield Emitted(entity, uid)
        yield Emitted(_sanction(entity, uid, subject), uid)
        for doc in docs:
            yield Emitted(doc, uid)


def _add_names(entity: EntityProxy, names: list[Row]) -> None:
    is_person = entity.schema.is_a("Person")
    primary = [n for n in names if n["name_type"] == "primary"] or names[:1]
    for row in names:
        full = row["full_name"]
        if not full:
            continue
        if row is primary[0] or (row in primary and not entity.has("name")):
            entity.add("name", full)
        elif row.get("alias_strength") == "low_quality_aka":
            entity.add("weakAlias", full)
        elif full not in entity.get("name"):
            entity.add("alias", full)
        if is_person and row in primary:
            entity.add("firstName", row.get("name_1") or None)
            middle = " ".join(row.get(f"name_{n}", "") for n in range(2, 6)).strip()
            entity.add("middleName", middle or None)
            entity.add("lastName", row.get("name_6") or None)


def _dob(row: Row) -> str | None:
    year, month, day = row["year"], row["month"], row["day"]
    if not year.isdigit():
        return None
    if not month.isdigit():
        return parse_date(year)
    if not day.isdigit():
        return parse_date(f"{year}-{int(month):02d}")
    return parse_date(f"{year}-{int(month):02d}-{int(day):02d}")


def _identifiers(entity: EntityProxy, rows: list[Row]) -> list[EntityProxy]:
    docs: list[EntityProxy] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        value, kind = row["raw_value"], row["identifier_type"]
        if not value or (kind, value) in seen:
            continue
        seen.add((kind, value))
        prop = ID_PROPS.get(kind, "idNumber")
        if prop not in entity.schema.properties:
            prop = "registrationNumber" if "registrationNumber" in entity.schema.properties else ""
        if prop:
            entity.add(prop, value)
        doc = make_entity("Identification", f"{entity.id}-id-{len(docs) + 1}")
        doc.add("holder", entity.id)
        doc.add("number", value)
        doc.add("type", kind.replace("_", " "))
        doc.add("summary", row.get("additional_info") or None)
        docs.append(doc)
    return docs


def _sanction(entity: EntityProxy, uid: str, subject: Row) -> EntityProxy:
    sanction = make_entity("Sanction", f"{entity.id}-sanction")
    sanction.add("entity", entity.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "gb")
    sanction.add("authorityId", uid)
    if match := _PROGRAM.match(uid):
        sanction.add("programId", match.group(1))
    sanction.add("unscId", subject.get("un_reference_number") or None)
    sanction.add("listingDate", parse_date(subject.get("date_designated")))
    sanction.add("modifiedAt", parse_date(subject.get("last_updated")))
    group = subject.get("ofsi_group_id")
    sanction.add("summary", f"OFSI Group ID: {group}" if group else None)
    return sanction
