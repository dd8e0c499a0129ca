"""What OFAC's identifier and feature labels mean, for the structured XML formats.

sdn.xml puts identifiers *and* many other facts into ``idList/id`` items labelled by ``idType``
("Passport", "SWIFT/BIC", "Secondary sanctions risk:", "Vessel Registration Identification" ...);
the ADVANCED XML uses the same labels as ``IDRegDocType`` and ``FeatureType`` names.
:func:`classify` says where a labelled value goes: a property of the listed entity (and whether it
also gets an Identification entity), a sanction provision, a link, a crypto wallet, or a note.
Unknown labels become an Identification (type = label) so nothing is lost.
:mod:`clearance.sources.ofac_listing` writes the values onto entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Target = Literal["entity", "identification", "provision", "url", "crypto", "note"]


@dataclass(frozen=True, slots=True)
class LabelRule:
    """``target`` says where the value goes; ``prop`` is the entity property (if any)."""

    target: Target
    prop: str | None = None


def _ident(prop: str | None) -> LabelRule:
    return LabelRule("identification", prop)


def _entity(prop: str) -> LabelRule:
    return LabelRule("entity", prop)


_PASSPORT = ("Passport", "Diplomatic Passport", "Stateless Person Passport")
_ID_NUMBER = (
    "National ID No.",
    "Identification Number",
    "Cedula No.",
    "D.N.I.",
    "Personal ID Card",
    "Citizen's Card Number",
    "National Foreign ID Number",
    "Driver's License No.",
    "SSN",
    "Residency Number",
    "Kenyan ID No.",
    "Turkish Identification Number",
    "Travel Document Number",
    "Birth Certificate Number",
    "Refugee ID Card",
    "Electoral Registry No.",
    "CURP #",
    "Tarjeta Profesional",
    "Moroccan Personal ID No.",
    "Stateless Person ID Card",
)
_TAX = (
    "Tax ID No.",
    "RFC",
    "CUIT",
    "NIT #",
    "RUC #",
    "Numero Unico de Identificacion Tributaria (NUIT)",
)
_REGISTRATION = (
    "Registration ID",
    "Registration Number",
    "Public Registration Number",
    "Business Registration Number",
    "Company Number",
    "UK Company Number",
    "C.R. No.",
    "Commercial Registry Number",
    "Trade License No.",
    "Business Registration Document #",
    "License",
    "Chamber of Commerce Number",
    "Certificate of Incorporation Number",
    "Enterprise Number",
    "Business Number",
    "Matricula Mercantil No",
    "Folio Mercantil No.",
    "Economic Register Number (CBLS)",
    "Istanbul Chamber of Comm. No.",
    "Dubai Chamber of Commerce Membership No.",
    "Serial No.",
    "Branch Unit Number",
    "Aircraft Tail Number",
    "Previous Aircraft Tail Number",
)
RULES: dict[str, LabelRule] = {
    **{label: _ident("passportNumber") for label in _PASSPORT},
    **{label: _ident("idNumber") for label in _ID_NUMBER},
    **{label: _ident("taxNumber") for label in _TAX},
    **{label: _ident("registrationNumber") for label in _REGISTRATION},
    "V.A.T. Number": _ident("vatCode"),
    "Unified Social Credit Code (USCC)": _ident("uscCode"),
    "Government Gazette Number": _ident("okpoCode"),
    "Legal Entity Number": _ident("leiCode"),
    "BIK (RU)": _ident(None),
    "ISIN": _ident(None),
    "SWIFT/BIC": _entity("swiftBic"),
    "MMSI": _entity("mmsi"),
    "Vessel Registration Identification": _entity("imoNumber"),
    "Website": _entity("website"),
    "Email Address": _entity("email"),
    "Phone Number": _entity("phone"),
    "Gender": _entity("gender"),
    "Former Vessel Flag": _entity("pastFlags"),
    "Nationality of Registration": _entity("jurisdiction"),
    "Organization Established Date": _entity("incorporationDate"),
    "Organization Type:": _entity("sector"),
    "Target Type": _entity("classification"),
    "Aircraft Model": _entity("model"),
    "Aircraft Manufacture Date": _entity("buildDate"),
    "Aircraft Manufacturer's Serial Number (MSN)": _entity("serialNumber"),
    "Aircraft Construction Number (also called L/N or S/N or F/N)": _entity("serialNumber"),
    "Vessel Year of Build": _entity("buildDate"),
    "Citizenship Country": _entity("citizenship"),
    "Nationality Country": _entity("nationality"),
    "Birthdate": _entity("birthDate"),
    "Place of Birth": _entity("birthPlace"),
    "Title": _entity("title"),
    "Vessel Call Sign": _entity("callSign"),
    "Vessel Type": _entity("type"),
    "Vessel Flag": _entity("flag"),
    "Vessel Tonnage": _entity("tonnage"),
    "Vessel Gross Registered Tonnage": _entity("grossRegisteredTonnage"),
    "For more information, please see:": LabelRule("url"),
    "Issuer Name": LabelRule("note"),
    "Equity Ticker": LabelRule("note"),
    "Location": LabelRule("note"),
    "Scope": LabelRule("note"),
    "Vessel Owner": LabelRule("note"),
    "Aircraft Operator": LabelRule("note"),
}
_PROVISION = re.compile(
    r"(Directive|[Ii]nformation|Sanctions|Determination|sanctions risk|Listing Date|"
    r"Effective Date|Purchase/Sales|Prohibited|CAATSA|IFCA|Executive Order)"
)
_CRYPTO = re.compile(r"^Digital Currency Address - (\w+)$")


def classify(label: str) -> LabelRule:
    """Where a value labelled ``label`` (an OFAC idType / feature type) belongs."""
    label = label.strip()
    if label in RULES:
        return RULES[label]
    if _CRYPTO.match(label):
        return LabelRule("crypto")
    if _PROVISION.search(label):
        return LabelRule("provision")
    return _ident(None)


def crypto_currency(label: str) -> str | None:
    """``XBT`` for ``Digital Currency Address - XBT``."""
    m = _CRYPTO.match(label.strip())
    return m.group(1) if m else None


def clean_imo(value: str) -> str:
    """``IMO 9187629`` → ``IMO9187629`` (the form FtM's identifier type keeps)."""
    digits = re.sub(r"\D", "", value)
    return f"IMO{digits}" if len(digits) == 7 else value.strip()


__all__ = ["RULES", "LabelRule", "classify", "clean_imo", "crypto_currency"]
