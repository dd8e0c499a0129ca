"""Screening queries: whatever the caller gives (a name, a flat record, an FtM dict or proxy)
becomes one FollowTheMoney-style dict the matcher prepares.

Flat records (CLI arguments, CSV / JSONL / Parquet rows) use these fields:

``id``           the caller's id of the query (echoed in every hit row)
``schema``       Person, Organization, Company, LegalEntity (default), Vessel, Airplane
``name``         the name; several names separated by ``|`` (aliases)
``birth_date``   ISO date or prefix (``1952``, ``1952-10``, ``1952-10-07``) or a textual date
``nationality``  country names or codes, ``;``-separated
``country``      country names or codes, ``;``-separated
``identifiers``  ``;``-separated, each ``type:value`` or a bare value; types: passport,
                 national / id, tax, inn, ogrn, lei, bic / swift, imo, mmsi, vat, registration
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from followthemoney import model

from clearance.errors import ClearanceError

QUERY_FIELDS = ("id", "schema", "name", "birth_date", "nationality", "country", "identifiers")
DEFAULT_SCHEMA = "LegalEntity"
MAX_FIELD_CHARS = 2000
IDENTIFIER_PROPS = {
    "passport": "passportNumber",
    "national": "idNumber",
    "id": "idNumber",
    "tax": "taxNumber",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "lei": "leiCode",
    "bic": "swiftBic",
    "swift": "swiftBic",
    "imo": "imoNumber",
    "mmsi": "mmsi",
    "vat": "vatCode",
    "registration": "registrationNumber",
}
SCREENABLE = (
    "Person",
    "Organization",
    "Company",
    "LegalEntity",
    "PublicBody",
    "Vessel",
    "Airplane",
)


class InvalidQuery(ClearanceError):
    """A screening query cannot be used (empty, unknown schema, bad field)."""


def _split(value: Any, sep: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    if not isinstance(value, (str, int, float)):
        raise InvalidQuery(f"expected text, got {type(value).__name__}")
    text = str(value)
    if len(text) > MAX_FIELD_CHARS:
        raise InvalidQuery(f"field longer than {MAX_FIELD_CHARS} characters")
    return [part.strip() for part in text.split(sep) if part.strip()]


def parse_identifiers(value: Any) -> dict[str, list[str]]:
    """``"passport:AB123; 7707083893"`` → ``{"passportNumber": [...], "idNumber": [...]}``."""
    out: dict[str, list[str]] = {}
    for item in _split(value, ";"):
        kind, sep, number = item.partition(":")
        prop = IDENTIFIER_PROPS.get(kind.strip().lower()) if sep else None
        if prop is None:
            prop, number = "idNumber", item
        if number.strip():
            out.setdefault(prop, []).append(number.strip())
    return out


def check_schema(schema: str) -> str:
    """The schema name, or InvalidQuery when it is not one that can be screened."""
    found = model.get(schema)
    if found is None or found.name not in SCREENABLE:
        raise InvalidQuery(f"cannot screen schema {schema!r}; use one of {', '.join(SCREENABLE)}")
    return found.name


def query_from_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """An FtM-style query dict from flat fields (see module doc); InvalidQuery when unusable."""
    unknown = set(fields) - set(QUERY_FIELDS)
    if unknown:
        raise InvalidQuery(f"unknown field(s): {', '.join(sorted(unknown))}")
    schema = check_schema(str(fields.get("schema") or DEFAULT_SCHEMA).strip() or DEFAULT_SCHEMA)
    props: dict[str, list[str]] = {}
    names = _split(fields.get("name"), "|")
    if names:
        props["name"] = names[:1]
        if len(names) > 1:
            props["alias"] = names[1:]
    for prop, field in (("nationality", "nationality"), ("country", "country")):
        values = _split(fields.get(field), ";")
        if values:
            props[prop] = values
    birth = _split(fields.get("birth_date"), ";")
    if birth:
        props["birthDate"] = birth
    for prop, values in parse_identifiers(fields.get("identifiers")).items():
        props.setdefault(prop, []).extend(values)
    query_id = fields.get("id")
    return check_query(
        {"id": None if query_id is None else str(query_id), "schema": schema, "properties": props}
    )


def check_query(query: dict[str, Any]) -> dict[str, Any]:
    """The query unchanged when it has a name or an identifier; else InvalidQuery."""
    props = query.get("properties") or {}
    names = [
        v for p in ("name", "alias", "firstName", "lastName") for v in props.get(p, []) if v.strip()
    ]
    idents = [v for p in IDENTIFIER_PROPS.values() for v in props.get(p, []) if v.strip()]
    if not names and not idents:
        raise InvalidQuery("empty query: give a name or an identifier")
    return query


def as_query(query: Any) -> dict[str, Any]:
    """Normalise any accepted query form (see module doc) into an FtM-style dict."""
    if isinstance(query, str):
        return query_from_fields({"name": query})
    if isinstance(query, Mapping):
        if "properties" in query:
            schema = check_schema(str(query.get("schema") or DEFAULT_SCHEMA))
            props = {
                str(k): ([v] if isinstance(v, str) else [str(x) for x in v or ()])
                for k, v in dict(query["properties"]).items()
            }
            return check_query({"id": query.get("id"), "schema": schema, "properties": props})
        return query_from_fields(query)
    if hasattr(query, "schema") and hasattr(query, "properties"):
        return check_query(
            {
                "id": getattr(query, "id", None),
                "schema": check_schema(query.schema.name),
                "properties": {k: list(v) for k, v in query.properties.items()},
            }
        )
    raise InvalidQuery(f"cannot screen a {type(query).__name__}")
