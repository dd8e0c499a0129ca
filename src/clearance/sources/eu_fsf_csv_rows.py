"""One row of the EU Financial Sanctions CSV (v1.1 or legacy v1.0) added to its subject.

Each row carries one name, address, birth date, identity document or citizenship of a subject,
with the subject's own columns repeated: :func:`read_v11_row` / :func:`read_legacy_row` add the
row's parts to the :class:`~clearance.sources.eu_fsf_model.EuSubject` of its logical id, each part
once (a ``seen`` set of (subject, part, key)). :mod:`clearance.sources.eu_fsf_csv` reads the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clearance.errors import ListFormatError
from clearance.sources.eu_fsf_model import (
    EuBirth,
    EuIdent,
    EuName,
    EuRegulation,
    EuSubject,
    legacy_birth,
    legacy_ident,
)

Getter = Callable[[str], str]
Seen = set[tuple[str, str, str]]


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


#: name columns (EuName field -> CSV column; "key" is the name's logical id) per CSV layout
_V11_NAME = {
    "key": "NameAlias_LogicalId",
    "whole": "NameAlias_WholeName",
    "first": "NameAlias_FirstName",
    "middle": "NameAlias_MiddleName",
    "last": "NameAlias_LastName",
    "gender": "NameAlias_Gender",
    "title": "NameAlias_Title",
    "function": "NameAlias_Function",
    "language": "NameAlias_NameLanguage",
}
_LEGACY_NAME = {
    "key": "Naal_logical_id",
    "whole": "Naal_wholename",
    "first": "Naal_firstname",
    "middle": "Naal_middlename",
    "last": "Naal_lastname",
    "gender": "Naal_gender",
    "title": "Naal_title",
    "function": "Naal_function",
    "language": "Naal_language",
}


def _add_remark(subject: EuSubject, remark: str) -> None:
    if remark and remark not in subject.remarks:
        subject.remarks.append(remark)


def _add_regulation(
    get: Getter, seen: Seen, subject: EuSubject, columns: tuple[str, str, str, str]
) -> None:
    """One regulation from its (number title, programme, publication date, url) columns."""
    title_col, programme_col, date_col, url_col = columns
    title = get(title_col)
    if title and _first_time(seen, subject, "reg", title):
        subject.regulations.append(
            EuRegulation(
                programme=get(programme_col),
                number_title=title,
                publication_date=get(date_col),
                url=get(url_col),
            )
        )


def _add_name(
    get: Getter, seen: Seen, subject: EuSubject, cols: dict[str, str], strong: bool
) -> None:
    whole = get(cols["whole"])
    if whole and _first_time(seen, subject, "name", get(cols["key"]) or whole):
        fields = {f: get(c) for f, c in cols.items() if f not in ("key", "whole")}
        subject.names.append(EuName(whole=whole, strong=strong, **fields))


def _kind(raw: str) -> str:
    return _KINDS.get(raw.strip().lower(), raw.strip().lower())


def read_v11_row(
    path: Path, where: str, get: Getter, subjects: dict[str, EuSubject], seen: Seen
) -> None:
    kind = _kind(get("Entity_SubjectType") or get("Entity_SubjectType_ClassificationCode"))
    subject = _subject_for(path, where, subjects, get("Entity_LogicalId"), kind)
    subject.eu_ref = subject.eu_ref or get("Entity_EU_ReferenceNumber")
    subject.un_id = subject.un_id or get("Entity_UnitedNationId")
    subject.designation_date = subject.designation_date or get("Entity_DesignationDate")
    _add_remark(subject, get("Entity_Remark"))
    for section in ("Entity", "NameAlias", "Address", "BirthDate", "Identification", "Citizenship"):
        reg = f"{section}_Regulation_"
        _add_regulation(
            get,
            seen,
            subject,
            (
                f"{reg}NumberTitle",
                f"{reg}Programme",
                f"{reg}PublicationDate",
                f"{reg}PublicationUrl",
            ),
        )
    _add_name(get, seen, subject, _V11_NAME, strong=get("NameAlias_Strong").lower() != "false")
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


def read_legacy_row(
    path: Path, where: str, get: Getter, subjects: dict[str, EuSubject], seen: Seen
) -> None:
    subject = _subject_for(
        path, where, subjects, get("Entity_logical_id"), _kind(get("Subject_type"))
    )
    subject.eu_ref = subject.eu_ref or get("EU_ref_num")
    _add_remark(subject, get("Entity_remark").replace("\\n", "\n"))
    for prefix in ("", "Naal_", "Addr_", "Birt_", "Iden_", "Citi_"):
        _add_regulation(
            get,
            seen,
            subject,
            (
                f"{prefix}Leba_numtitle",
                f"{prefix}Programme",
                f"{prefix}Leba_publication_date",
                f"{prefix}Leba_url",
            ),
        )
    _add_name(get, seen, subject, _LEGACY_NAME, strong=True)
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


__all__ = ["Getter", "Seen", "read_legacy_row", "read_v11_row"]
