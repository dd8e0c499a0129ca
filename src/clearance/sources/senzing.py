"""Senzing entity-resolution JSON, as exported by OpenSanctions (``senzing.json``) and others.

One JSON object per line, or one JSON array of objects. A record has ``DATA_SOURCE``,
``RECORD_ID``, ``RECORD_TYPE`` and its features in any of Senzing's three layouts: flat keys
(``NAME_FIRST``, ``PRIMARY_NAME_FULL``, ``ADDR_CITY`` ...), lists of feature objects under any
key (``NAMES``, ``DATES``, ``COUNTRIES``, ``ADDRESSES``, ``IDENTIFIERS``, ``RISKS`` ...), or one
``FEATURES`` list (Senzing v4). All three are flattened into feature objects and read alike.

Ids and sources: OpenSanctions data sources (``OS_US_CONGRESS``, ``OPENSANCTIONS_PEP``) keep the
record id as entity id (it is the OpenSanctions entity id, so the FtM export of the same dataset
gives the same ids) and load as ``opensanctions_<dataset>``; any other data source becomes
``senzing-<data source>-<record id>`` under source ``senzing_<data source>``. Relationship
features are not turned into links (their anchors are not entity ids). Dates written with
slashes are read month first, as in Senzing's US examples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from followthemoney.proxy import EntityProxy

from clearance.errors import ListFormatError
from clearance.model import Emitted, entity_id, make_entity, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult, open_binary

OS_PREFIXES = ("OS_", "OPENSANCTIONS_")
SCHEMAS = {"PERSON": "Person", "ORGANIZATION": "Organization", "VESSEL": "Vessel",
           "AIRCRAFT": "Airplane"}  # fmt: skip
_NAME = re.compile(r"^(?:(\w+?)_)?NAME_(FULL|FIRST|LAST|MIDDLE|ORG|PREFIX|SUFFIX)$")
_ADDR = re.compile(r"^(?:(\w+?)_)?ADDR_(FULL|LINE\d|CITY|STATE|POSTAL_CODE|COUNTRY)$")
#: simple feature key → entity property
SIMPLE = {
    "DATE_OF_BIRTH": "birthDate", "DATE_OF_DEATH": "deathDate", "NATIONALITY": "nationality",
    "CITIZENSHIP": "citizenship", "PLACE_OF_BIRTH": "birthPlace", "GENDER": "gender",
    "REGISTRATION_COUNTRY": "jurisdiction", "REGISTRATION_DATE": "incorporationDate",
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "WEBSITE_ADDRESS": "website",
    "LEI_NUMBER": "leiCode", "DUNS_NUMBER": "dunsCode", "NPI_NUMBER": "npiCode",
    "URL": "sourceUrl", "LAST_CHANGE": "modifiedAt", "TOPIC": "topics",
}  # fmt: skip
#: identity document: number key → (property, type label, country keys)
DOCUMENTS = {
    "PASSPORT_NUMBER": ("passportNumber", "Passport", ("PASSPORT_COUNTRY",)),
    "NATIONAL_ID_NUMBER": ("idNumber", "National ID", ("NATIONAL_ID_COUNTRY",)),
    "TAX_ID_NUMBER": ("taxNumber", "Tax ID", ("TAX_ID_COUNTRY",)),
    "DRIVERS_LICENSE_NUMBER": ("idNumber", "Driver's licence", ("DRIVERS_LICENSE_STATE",)),
    "SSN_NUMBER": ("socialSecurityNumber", "SSN", ()),
}
#: keys read together with another key, or deliberately not loaded
COMPANIONS = {
    "DATA_SOURCE", "RECORD_ID", "RECORD_TYPE", "NAME_TYPE", "ADDR_TYPE", "PHONE_TYPE",
    "PASSPORT_COUNTRY", "NATIONAL_ID_COUNTRY", "NATIONAL_ID_TYPE", "TAX_ID_COUNTRY",
    "TAX_ID_TYPE", "DRIVERS_LICENSE_STATE", "OTHER_ID_TYPE", "OTHER_ID_NUMBER",
    "OTHER_ID_COUNTRY", "TRUSTED_ID_TYPE", "TRUSTED_ID_NUMBER", "REL_ANCHOR_DOMAIN",
    "REL_ANCHOR_KEY", "REL_POINTER_DOMAIN", "REL_POINTER_ROLE", "REL_POINTER_KEY",
}  # fmt: skip

Record = dict[str, Any]


def dataset_of(data_source: str) -> tuple[str, bool]:
    """(source id, is OpenSanctions) for a ``DATA_SOURCE`` value."""
    upper = data_source.upper()
    for prefix in OS_PREFIXES:
        if upper.startswith(prefix):
            return f"opensanctions_{upper.removeprefix(prefix).lower()}", True
    return f"senzing_{re.sub(r'[^a-z0-9]+', '_', data_source.lower()).strip('_')}", False


def features(record: Record) -> list[dict[str, str]]:
    """The record flattened into feature objects (scalar top-level keys form one feature)."""
    top: dict[str, str] = {}
    out = [top]
    for key, value in record.items():
        if isinstance(value, list):
            out.extend({k: str(v) for k, v in f.items() if v is not None}
                       for f in value if isinstance(f, dict))  # fmt: skip
        elif value is not None and not isinstance(value, dict):
            top[key] = str(value)
    return out


class SenzingJsonParser(ListParser):
    format: ClassVar[str] = "senzing_json"
    source: ClassVar[str] = "senzing"
    title: ClassVar[str] = "Senzing JSON records (JSON lines or array)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if text.startswith(b"["):
            text = text[1:].lstrip()
        if not text.startswith(b"{"):
            return False
        first = text[:8192].split(b"}", 1)[0]  # the first object's own keys come first
        return b'"DATA_SOURCE"' in first and b'"RECORD_ID"' in first

    def parse(self, path: Path) -> ParseResult:
        first = next(self._records(path), None)
        if first is None:
            raise ListFormatError(path, None, "no records")
        source, _ = dataset_of(str(first[1].get("DATA_SOURCE") or ""))
        meta = ListMeta(source=source, format=self.format, files=[path])
        return ParseResult(meta, self._entities(path, meta))

    def _records(self, path: Path) -> Iterator[tuple[str, Record]]:
        with open_binary(path) as handle:
            head = handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
            handle.seek(0)
            if head.startswith(b"["):
                yield from self._array(path, handle.read())
                return
            for lineno, raw in enumerate(handle, start=1):
                if raw.strip():
                    yield f"line {lineno}", self._load(path, f"line {lineno}", raw)

    def _array(self, path: Path, data: bytes) -> Iterator[tuple[str, Record]]:
        try:
            items = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ListFormatError(path, f"line {line}", f"not valid UTF-8: {exc.reason}") from exc
        except ValueError as exc:
            lineno = getattr(exc, "lineno", None)
            raise ListFormatError(path, f"line {lineno}", f"not JSON: {exc}") from exc
        if not isinstance(items, list):
            raise ListFormatError(path, "line 1", "expected a JSON array of records")
        for n, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                raise ListFormatError(path, f"record {n}", "expected a JSON object")
            yield f"record {n}", item

    @staticmethod
    def _load(path: Path, where: str, raw: bytes) -> Record:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ListFormatError(path, where, f"not a JSON object: {exc}") from exc
        if not isinstance(data, dict):
            raise ListFormatError(path, where, "expected a JSON object")
        return data

    def _entities(self, path: Path, meta: ListMeta) -> Iterator[Emitted]:
        seen: dict[str, str] = {}
        sources: set[str] = set()
        unknown: set[str] = set()
        for where, record in self._records(path):
            source = record.get("DATA_SOURCE")
            rid = record.get("RECORD_ID")
            if not isinstance(source, str) or not source or rid in (None, ""):
                raise ListFormatError(path, where, "DATA_SOURCE or RECORD_ID missing")
            dataset, is_os = dataset_of(source)
            if dataset != meta.source and dataset not in sources:
                meta.warn(f"{where}: data source {source} differs from the first record's")
            sources.add(dataset)
            prefix = "senzing-" + dataset.removeprefix("senzing_").replace("_", "-")
            eid = str(rid) if is_os else entity_id(prefix, rid)
            if eid in seen:
                raise ListFormatError(path, where, f"duplicate RECORD_ID {rid} ({seen[eid]})")
            seen[eid] = where
            feats = features(record)
            entity = make_entity(self._schema(feats), eid)
            docs: list[tuple[str, str, str | None]] = []
            for feat in feats:
                for key in feat:
                    if key in unknown or key in COMPANIONS or key in SIMPLE or key in DOCUMENTS:
                        continue
                    if not (_NAME.match(key) or _ADDR.match(key)):
                        unknown.add(key)
                        meta.warn(f"{where}: feature {key} not loaded")
                self._read_feature(entity, feat, docs)
            if not entity.get("name"):
                meta.warn(f"{where}: record {rid} has no name (kept for its other features)")
            yield Emitted(entity, str(rid))
            for n, (label, number, country) in enumerate(dict.fromkeys(docs), start=1):
                ident = make_entity("Identification", f"{eid}-id-{n}")
                ident.add("holder", eid)
                ident.add("type", label)
                ident.add("number", number)
                ident.add("country", country, quiet=True)
                yield Emitted(ident, str(rid))

    @staticmethod
    def _schema(feats: list[dict[str, str]]) -> str:
        for feat in feats:
            if kind := feat.get("RECORD_TYPE"):
                return SCHEMAS.get(kind.upper(), "LegalEntity")
        keys = {k for f in feats for k in f}
        if any(k.endswith("NAME_ORG") for k in keys):
            return "Organization"
        if any(k.endswith(("NAME_FIRST", "NAME_LAST")) for k in keys):
            return "Person"
        return "LegalEntity"

    @staticmethod
    def _read_feature(
        entity: EntityProxy, feat: dict[str, str], docs: list[tuple[str, str, str | None]]
    ) -> None:
        def put(prop: str, value: str | None) -> None:
            if prop in ("nationality", "citizenship") and not entity.schema.is_a("Person"):
                prop = "country"
            if value and prop in entity.schema.properties:
                if entity.schema.properties[prop].type.name == "date":
                    value = parse_date(value, month_first=True)
                entity.add(prop, value, quiet=True, fuzzy=prop in ("nationality", "citizenship"))

        names: dict[str, dict[str, str]] = {}
        addrs: dict[str, dict[str, str]] = {}
        for key, value in feat.items():
            value = value.strip()
            if not value:
                continue
            if m := _NAME.match(key):
                names.setdefault(m.group(1) or "", {})[m.group(2)] = value
            elif m := _ADDR.match(key):
                addrs.setdefault(m.group(1) or "", {})[m.group(2)] = value
            elif key in SIMPLE:
                put(SIMPLE[key], value)
            elif key in DOCUMENTS:
                prop, label, country_keys = DOCUMENTS[key]
                label = feat.get("NATIONAL_ID_TYPE", label) if prop == "idNumber" else label
                country = next((feat[k] for k in country_keys if feat.get(k)), None)
                put(prop, value)
                docs.append((label, value, country))
        for tid, nid in (
            ("TRUSTED_ID_TYPE", "TRUSTED_ID_NUMBER"),
            ("OTHER_ID_TYPE", "OTHER_ID_NUMBER"),
        ):
            kind, number = feat.get(tid, "").upper(), feat.get(nid, "").strip()
            if number and kind in ("WIKIDATA", "WIKIDATAID"):
                put("wikidataId", number)
            elif number and kind not in ("OPEN_SANCTIONS", "OPENSANCTIONS"):
                put("idNumber", number)
        for usage, parts in names.items():
            person = " ".join(
                parts[p] for p in ("PREFIX", "FIRST", "MIDDLE", "LAST", "SUFFIX") if p in parts
            )
            full = parts.get("FULL") or parts.get("ORG") or person
            kind = (feat.get("NAME_TYPE") or usage or "PRIMARY").upper()
            has_name = bool(entity.get("name"))
            put("name" if kind == "PRIMARY" or not has_name else "alias", full)
            if kind == "PRIMARY" or not has_name:
                put("firstName", parts.get("FIRST"))
                put("middleName", parts.get("MIDDLE"))
                put("lastName", parts.get("LAST"))
        for parts in addrs.values():
            line = parts.get("FULL") or ", ".join(
                v for k, v in sorted(parts.items()) if k.startswith("LINE")
            )
            tail = [parts[k] for k in ("CITY", "STATE", "POSTAL_CODE", "COUNTRY") if k in parts]
            put("address", ", ".join(p for p in (line, *tail) if p))
            put("country", parts.get("COUNTRY"))
