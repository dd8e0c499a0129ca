"""The ``ids`` column of the US Consolidated Screening List, parsed.

One cell packs identity documents, other identifiers and sanction notes as parts joined by
``;``, each ``"type, number, country, issue date, expiry date"``; some mirrors reverse each
part, so its orientation is found from its content (the known type is at one end).
:data:`ID_TYPES` says which FtM property a type's number goes to and whether it is an identity
document (an Identification entity); parts of unknown types are kept as text (a sanction note when
they read like one). Pure: no I/O, no FollowTheMoney entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clearance.model import parse_date

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SANCTION_NOTE = re.compile(
    r"sanction|directive|executive order|caatsa|prohibited|listing date|effective date|ifca|"
    r"divestment|hong kong autonomy|sec\. \d",
    re.I,
)
#: id type → (FtM property, is an identity document)
ID_TYPES: dict[str, tuple[str, bool]] = {
    **{t: ("passportNumber", True) for t in (
        "Passport", "Diplomatic Passport", "Travel Document Number",
        "British National Overseas Passport")},
    **{t: ("idNumber", True) for t in (
        "National ID No.", "Identification Number", "Personal ID Card", "D.N.I.", "Cedula No.",
        "C.U.R.P.", "National Foreign ID Number", "Electoral Registry No.", "Credencial electoral",
        "Driver's License No.", "SSN", "Kenyan ID No.", "Moroccan Personal ID No.",
        "Bosnian Personal ID No.", "Immigration No.", "Public Security and Immigration No.",
        "Cartilla de Servicio Militar Nacional", "Italian Fiscal Code")},
    **{t: ("taxNumber", True) for t in (
        "Tax ID No.", "R.F.C.", "RFC", "NIT #", "RUC #", "US FEIN", "C.U.I.T.", "RIF #", "C.U.I.",
        "Paraguayan tax identification number")},
    **{t: ("registrationNumber", True) for t in (
        "Registration Number", "Registration ID", "Company Number", "Commercial Registry Number",
        "Business Registration Number", "Business Registration Document #", "C.R. No.",
        "Public Registration Number", "Folio Mercantil No.", "Matricula Mercantil No",
        "Chamber of Commerce Number", "Government Gazette Number", "UK Company Number",
        "Certificate of Incorporation Number", "Trade License No.", "License", "BIK (RU)",
        "Registered Charity No.", "Aircraft Tail Number")},
    "V.A.T. Number": ("vatCode", True),
    "SWIFT/BIC": ("swiftBic", True),
    "Legal Entity Number": ("leiCode", True),
    "LE Number": ("leiCode", True),
    "Unified Social Credit Code (USCC)": ("uscCode", True),
    "D-U-N-S Number": ("dunsCode", True),
    "MMSI": ("mmsi", True),
    "Vessel Registration Identification": ("imoNumber", True),
    "Website": ("website", False),
    "Email Address": ("email", False),
    "Phone Number": ("phone", False),
    "Gender": ("gender", False),
    "Organization Established Date": ("incorporationDate", False),
    "Aircraft Model": ("model", False),
    "Aircraft Manufacture Date": ("buildDate", False),
    "Aircraft Manufacturer's Serial Number (MSN)": ("serialNumber", False),
    "Former Vessel Flag": ("pastFlags", False),
}  # fmt: skip


@dataclass(frozen=True)
class CslId:
    """One part of the ``ids`` column, read in either orientation."""

    text: str
    kind: str
    value: str = ""
    prop: str | None = None
    document: bool = False
    country: str | None = None
    issued: str | None = None
    expires: str | None = None

    @property
    def sanction_note(self) -> bool:
        return bool(_SANCTION_NOTE.search(self.text))


def parse_id_part(text: str) -> CslId:
    """``"Passport, K475336, JO, 2009-08-31, 2014-08-30"`` (or reversed) → a :class:`CslId`."""
    fields = [f.strip() for f in text.split(", ")]
    if fields[-1] in ID_TYPES and fields[0] not in ID_TYPES:
        fields.reverse()
    kind = fields[0]
    if kind not in ID_TYPES:
        return CslId(text=text, kind=kind)
    prop, document = ID_TYPES[kind]
    rest = fields[1:]
    countries = [f for f in rest if _COUNTRY.match(f)]
    dates = [f for f in rest if _ISO_DATE.match(f)]
    values = [f for f in rest if f not in countries and f not in dates]
    value = ", ".join(values)
    if prop in ("incorporationDate", "buildDate"):
        value = parse_date(value) or ""
    elif prop == "imoNumber":
        value = value.removeprefix("IMO").strip()
    if not value:
        return CslId(text=text, kind=kind)
    return CslId(
        text=text, kind=kind, value=value, prop=prop, document=document,
        country=countries[0] if countries else None,
        issued=dates[0] if dates else None,
        expires=dates[1] if len(dates) > 1 else None,
    )  # fmt: skip


def parse_ids(text: str | None) -> list[CslId]:
    """Every part of an ``ids`` cell."""
    return [parse_id_part(part) for part in split_cell(text)]


def split_cell(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


__all__ = ["ID_TYPES", "CslId", "parse_id_part", "parse_ids", "split_cell"]
