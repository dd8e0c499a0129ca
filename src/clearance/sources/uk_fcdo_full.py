"""The full UK Sanctions List layout (``UK-Sanctions-List.ods`` / ``.csv``): one row per name.

A ``Report Date: ...`` line may come first; the header then names ``Unique ID``, ``Name 6``
(surname), ``Name 1``-``Name 5``, ``Name type`` (Primary Name / Primary Name Variation / Alias),
``Alias strength`` (Good / Low quality a.k.a), ``Regime Name``, ``Designation Type``
(Individual / Entity / Ship), ``Date Designated``, ``D.O.B``, ``Nationality(/ies)``, passport,
national identifier, address, contact and ship columns. Rows of one designation share the
``Unique ID`` and are merged into one entity ``gb-fcdo-<Unique ID>``.

No copy of the full file could be obtained (see the data MANIFEST): this reader follows the
published column names and is tested on a hand-written sample only. Column names are matched
ignoring case, spaces and punctuation; unknown ones are reported as warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date
from clearance.sources.base import ListMeta
from clearance.sources.uk_ofsi import document_numbers, ofsi_date

PREFIX = "gb-fcdo"
AUTHORITY = "Foreign, Commonwealth and Development Office"
SCHEMA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
REQUIRED = ("Unique ID", "Name 6", "Regime Name", "Designation Type")
#: normalised column → property on the listed entity (values split on line breaks and ``|``)
SIMPLE = {
    "nationalityies": "nationality",
    "position": "position",
    "gender": "gender",
    "townofbirth": "birthPlace",
    "countryofbirth": "birthCountry",
    "phonenumber": "phone",
    "website": "website",
    "emailaddress": "email",
    "addresscountry": "country",
    "currentbelievedflagofship": "flag",
    "previousflags": "pastFlags",
    "typeofship": "type",
    "typeofentity": "legalForm",
    "namenonlatinscript": "alias",
}
#: normalised column → (property, Identification type, column with details)
DOCUMENTS = {
    "passportnumber": ("passportNumber", "passport", "passportadditionalinformation"),
    "nationalidentifiernumber": (
        "idNumber",
        "national id",
        "nationalidentifieradditionalinformation",
    ),
    "businessregistrationnumbers": ("registrationNumber", "business registration", ""),
    "imonumber": ("imoNumber", "IMO", ""),
}
OTHER = {
    "lastupdated", "uniqueid", "ofsigroupid", "unreferencenumber", "nametype", "aliasstrength",
    "title", "nonlatinscripttype", "nonlatinscriptlanguage", "regimename", "designationtype",
    "designationsource", "sanctionsimposed", "otherinformation", "ukstatementofreasons",
    "addresspostalcode", "datedesignated", "dob", "passportadditionalinformation",
    "nationalidentifieradditionalinformation", "subsidiaries", "parentcompany",
    "currentowneroperators", "previousowneroperators", "tonnageofship", "lengthofship",
    "yearbuilt", "hullidentificationnumberhin",
    *(f"name{n}" for n in range(1, 7)), *(f"addressline{n}" for n in range(1, 7)),
}  # fmt: skip
_SPLIT = re.compile(r"\s*(?:\n|\|)\s*")

Row = dict[str, str]


def norm(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


def _values(text: str) -> list[str]:
    return [v for v in _SPLIT.split(text.strip()) if v]


def check_header(path: Path, header: list[str], where: str, meta: ListMeta) -> None:
    keys = {norm(h) for h in header}
    for column in REQUIRED:
        if norm(column) not in keys:
            raise ListFormatError(path, f"field {column}", f"required column missing ({where})")
    for name in header:
        key = norm(name)
        if key and key not in OTHER and key not in SIMPLE and key not in DOCUMENTS:
            meta.warn(f"unknown column {name!r} ignored")


def build(
    path: Path, rows: Iterator[tuple[int, list[str]]], header: list[str], where: str
) -> Iterator[Emitted]:
    """Group the rows by Unique ID (eagerly) and make the entities."""
    keys = [norm(h) for h in header]
    groups: dict[str, list[Row]] = {}
    kinds: dict[str, str] = {}
    for number, cells in rows:
        if len(cells) > len(keys) and any(c.strip() for c in cells[len(keys) :]):
            raise ListFormatError(path, f"{where} {number}", "more cells than header columns")
        row = {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(keys) if k}
        uid = row["uniqueid"]
        if not uid:
            raise ListFormatError(path, f"{where} {number}", "row without a Unique ID")
        kind = row["designationtype"].lower()
        if kind not in SCHEMA:
            raise ListFormatError(path, f"{where} {number}", f"unknown Designation Type {kind!r}")
        if kinds.setdefault(uid, kind) != kind:
            raise ListFormatError(
                path, f"{where} {number}", f"duplicate Unique ID {uid} with another type"
            )
        groups.setdefault(uid, []).append(row)
    if not groups:
        raise ListFormatError(path, None, "no data rows")
    for uid, group in groups.items():
        yield from _make(uid, SCHEMA[kinds[uid]], group)


def _name(row: Row) -> str:
    parts = [row.get(f"name{n}", "") for n in range(1, 6)] + [row.get("name6", "")]
    return " ".join(p for p in parts if p)


def _make(uid: str, schema: str, rows: list[Row]) -> Iterator[Emitted]:
    entity = make_entity(schema, entity_id(PREFIX, uid))
    entity.add("topics", "sanction")
    is_person = entity.schema.is_a("Person")
    primary = [r for r in rows if r.get("nametype", "").lower() == "primary name"] or rows[:1]
    for row in rows:
        name = _name(row)
        if row is primary[0]:
            entity.add("name", name or None)
        elif "low" in row.get("aliasstrength", "").lower():
            entity.add("weakAlias", name or None)
        elif name not in entity.get("name"):
            entity.add("alias", name or None)
        if is_person and row in primary:
            entity.add("firstName", row.get("name1") or None)
            middle = " ".join(row.get(f"name{n}", "") for n in range(2, 6)).strip()
            entity.add("middleName", middle or None)
            entity.add("lastName", row.get("name6") or None)
            entity.add("title", row.get("title") or None)
    docs: list[EntityProxy] = []
    for row in {tuple(sorted(r.items())): r for r in rows}.values():
        _details(entity, row, is_person, docs)
    yield Emitted(entity, uid)
    yield Emitted(_sanction(entity, uid, rows), uid)
    for doc in docs:
        yield Emitted(doc, uid)


def _details(entity: EntityProxy, row: Row, is_person: bool, docs: list[EntityProxy]) -> None:
    for key, prop in SIMPLE.items():
        if prop in entity.schema.properties:
            for value in _values(row.get(key, "")):
                entity.add(prop, value, quiet=True)
    if is_person:
        for value in _values(row.get("dob", "")):
            entity.add("birthDate", ofsi_date(value))
    address = [row.get(f"addressline{n}", "") for n in range(1, 7)]
    address += [row.get("addresspostalcode", ""), row.get("addresscountry", "")]
    entity.add("address", ", ".join(a for a in address if a) or None)
    entity.add("notes", row.get("otherinformation") or None)
    for key, (prop, kind, info_key) in DOCUMENTS.items():
        for value in _values(row.get(key, "")):
            numbers = [value] if len(value) <= 20 else document_numbers(value)
            for number in numbers:
                if prop not in entity.schema.properties or number in entity.get(prop):
                    continue
                entity.add(prop, number)
                doc = make_entity("Identification", f"{entity.id}-id-{len(docs) + 1}")
                doc.add("holder", entity.id)
                doc.add("number", number)
                doc.add("type", kind)
                doc.add("summary", row.get(info_key) or None)
                docs.append(doc)


def _sanction(entity: EntityProxy, uid: str, rows: list[Row]) -> EntityProxy:
    sanction = make_entity("Sanction", f"{entity.id}-sanction")
    sanction.add("entity", entity.id)
    sanction.add("authority", AUTHORITY)
    sanction.add("country", "gb")
    sanction.add("authorityId", uid)
    for row in rows:
        sanction.add("program", row.get("regimename") or None)
        sanction.add("unscId", row.get("unreferencenumber") or None)
        sanction.add("listingDate", ofsi_date(row.get("datedesignated", "")))
        sanction.add("modifiedAt", parse_date(row.get("lastupdated")))
        sanction.add("reason", row.get("ukstatementofreasons") or None)
        for measure in (row.get("sanctionsimposed") or "").split(","):
            sanction.add("provisions", measure.strip() or None)
        group = row.get("ofsigroupid")
        sanction.add("summary", f"OFSI Group ID: {group}" if group else None)
    return sanction
