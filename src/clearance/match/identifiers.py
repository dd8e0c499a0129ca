"""Identifier evidence: passport, national id, tax numbers, INN, OGRN, LEI, BIC, IMO, MMSI, crypto.

Values are normalised (spaces, dashes, dots removed; upper case; "IMO" prefix dropped; BIC cut
to its 8-character institution code). A value shared under related types (an INN published as
``taxNumber`` on one list and ``innCode`` on another) is a match; a conflict needs the *same*
type on both sides with no common value. Phone numbers and e-mail addresses are contacts: at
most a small bonus, never a match on their own.
"""

from __future__ import annotations

import re

IDENTIFIER_TYPES: dict[str, str] = {
    "passportNumber": "passport",
    "idNumber": "national",
    "taxNumber": "national",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "vatCode": "national",
    "registrationNumber": "national",
    "leiCode": "lei",
    "swiftBic": "bic",
    "bicCode": "bic",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "callSign": "callsign",
    "publicKey": "crypto",
    "cryptoWallet": "crypto",
    "accountNumber": "crypto",
    "icaoCode": "national",
    "serialNumber": "national",
}
"""FtM property → identifier family."""

STRONG_FAMILIES = frozenset(
    {"inn", "ogrn", "lei", "bic", "imo", "mmsi", "crypto", "passport", "national"}
)
_CLEAN = re.compile(r"[^0-9A-Z]")
MIN_LENGTH = 5


def normalise_identifier(family: str, value: str) -> str:
    """Normalised form of an identifier value of the given family ('' when too short)."""
    text = _CLEAN.sub("", value.upper())
    if family == "imo" and text.startswith("IMO"):
        text = text[3:]
    if family == "bic":
        text = text[:8]
    return text if len(text) >= MIN_LENGTH and text.strip("0") else ""


def parse_identifiers(values: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
    """(family, normalised value) pairs of an entity's identifier properties."""
    out: list[tuple[str, str]] = []
    for prop, family in IDENTIFIER_TYPES.items():
        for value in values.get(prop, ())[:32]:
            norm = normalise_identifier(family, value[:128])
            if norm and (family, norm) not in out:
                out.append((family, norm))
    return tuple(out)


def compare_identifiers(
    query: tuple[tuple[str, str], ...], candidate: tuple[tuple[str, str], ...]
) -> tuple[str, str, str] | None:
    """('identifier_match' | 'identifier_conflict', family, value) or None."""
    if not query or not candidate:
        return None
    cand_values = {v for _, v in candidate}
    for family, value in query:
        if value in cand_values:
            return "identifier_match", family, value
    q_families = {f for f, _ in query}
    c_families = {f for f, _ in candidate}
    for family in sorted(q_families & c_families):
        if family in STRONG_FAMILIES:
            return "identifier_conflict", family, ""
    return None


def normalise_contact(prop: str, value: str) -> str:
    """E-mail lower-cased; phone reduced to its last 9 digits ('' when too short)."""
    if prop == "email":
        return value.strip().lower()
    digits = re.sub(r"\D", "", value)
    return digits[-9:] if len(digits) >= 7 else ""
