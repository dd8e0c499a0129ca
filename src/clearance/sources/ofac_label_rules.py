"""Where a value labelled by OFAC goes on FollowTheMoney entities, for every OFAC format.

:func:`classify` reads the label tables of :mod:`clearance.sources.ofac_labels` (the same the
remarks parser uses) and returns a :class:`LabelRule`: properties of the listed entity to try in
order (the first the schema has and FtM accepts is kept), whether the value also becomes an
Identification entity, or that it is a sanction provision, a link, a crypto wallet or a note.
Unknown labels become an Identification (type = label) so nothing is lost.
:mod:`clearance.sources.ofac_listing` writes the values onto the entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from clearance.sources.ofac_labels import FEATURE_LABELS, ID_LABELS, STRUCTURED_LABELS

Target = Literal["entity", "identification", "provision", "url", "crypto", "note"]


@dataclass(frozen=True, slots=True)
class LabelRule:
    """``target`` says where the value goes; ``props`` are the entity properties to try."""

    target: Target
    props: tuple[str, ...] = ()


def _ident(*props: str) -> LabelRule:
    return LabelRule("identification", props)


def _entity(*props: str) -> LabelRule:
    return LabelRule("entity", props)


_NOTE = LabelRule("note")
#: category (ID_LABELS) or canonical feature name (FEATURE_LABELS) -> rule
RULES: dict[str, LabelRule] = {
    "passport": _ident("passportNumber", "idNumber"),
    "national_id": _ident("idNumber"),
    "ssn": _ident("socialSecurityNumber", "idNumber"),
    "tax": _ident("taxNumber"),
    "vat": _ident("vatCode", "taxNumber"),
    "registration": _ident("registrationNumber"),
    "okpo": _ident("okpoCode", "registrationNumber"),
    "license": _ident("licenseNumber", "registrationNumber"),
    "uscc": _ident("uscCode", "registrationNumber"),
    "lei": _ident("leiCode"),
    "duns": _ident("dunsCode", "registrationNumber"),
    "bik": _ident("bikCode"),  # a bank code, not a registration number
    "other": _ident("idNumber", "registrationNumber"),
    "swift": _entity("swiftBic"),
    "isin": _entity("isinCode"),
    "imo": _entity("imoNumber", "registrationNumber"),
    "mmsi": _entity("mmsi", "registrationNumber"),
    "website": _entity("website"),
    "email": _entity("email"),
    "phone": _entity("phone"),
    "birth_date": _entity("birthDate"),
    "birth_place": _entity("birthPlace"),
    "nationality": _entity("nationality"),
    "citizenship": _entity("citizenship"),
    "gender": _entity("gender"),
    "title": _entity("title"),
    "url": LabelRule("url"),
    "note": _NOTE,
    "Vessel Call Sign": _entity("callSign"),
    "Vessel Type": _entity("type"),
    "Vessel Flag": _entity("flag"),
    "Former Vessel Flag": _entity("pastFlags"),
    "Vessel Year of Build": _entity("buildDate"),
    "Vessel Tonnage": _entity("tonnage"),
    "Vessel Gross Registered Tonnage": _entity("grossRegisteredTonnage"),
    "Aircraft Construction Number": _entity("serialNumber"),
    "Aircraft Manufacturer's Serial Number (MSN)": _entity("serialNumber"),
    "Aircraft Model": _entity("model"),
    "Aircraft Tail Number": _ident("registrationNumber"),
    "Previous Aircraft Tail Number": _ident("registrationNumber"),
    "Aircraft Manufacture Date": _entity("buildDate"),
    "Nationality of Registration": _entity("country"),
    "Organization Established Date": _entity("incorporationDate"),
    "Organization Type": _entity("sector"),
    "Target Type": _entity("classification"),
    "Equity Ticker": _entity("ticker"),
}
_PROVISION = re.compile(
    r"(Directive|[Ii]nformation|Sanctions|Determination|sanctions risk|Listing Date|"
    r"Effective Date|Purchase/Sales|Prohibited|CAATSA|IFCA|Executive Order)"
)
_CRYPTO = re.compile(r"^Digital Currency Address - (\w+)$")
_FEATURES = frozenset(FEATURE_LABELS.values())
_IMO = re.compile(r"^\s*(IMO)?\s*\d{7}\s*$", re.I)


def category(label: str) -> str | None:
    """The category or canonical feature name of a published label (None when unknown)."""
    label = label.strip()
    for table in (STRUCTURED_LABELS, FEATURE_LABELS, ID_LABELS):
        if label in table:
            return table[label]
    return label if label in RULES or label in _FEATURES else None


def classify(label: str, value: str | None = None) -> LabelRule:
    """Where a value labelled ``label`` (an idType, feature type or remarks label) belongs.

    A "Vessel Registration Identification" that is no IMO number is a registration number.
    """
    found = category(label)
    if found == "vessel_registration":
        found = "imo" if value is None or _IMO.match(value) else "registration"
    if found is not None:
        return RULES.get(found, _NOTE)  # a known feature without a property: a note
    if _CRYPTO.match(label.strip()):
        return LabelRule("crypto")
    if _PROVISION.search(label):
        return LabelRule("provision")
    return _ident()


def crypto_currency(label: str) -> str | None:
    """``XBT`` for ``Digital Currency Address - XBT``."""
    m = _CRYPTO.match(label.strip())
    return m.group(1) if m else None


def clean_imo(value: str) -> str:
    """``IMO 9187629`` → ``IMO9187629`` (the form FtM's identifier type keeps)."""
    digits = re.sub(r"\D", "", value)
    return f"IMO{digits}" if len(digits) == 7 else value.strip()


__all__ = ["RULES", "LabelRule", "category", "classify", "clean_imo", "crypto_currency"]
