"""EU FSF as DERIVED name/alias JSON (``eu_fsf_sanctions.json``, scraped from OpenSanctions).

Not an official format: a third party reshaped OpenSanctions' ``eu_fsf`` ``targets.simple.csv``
into ``{"generated_at": ..., "items": [{"name", "schema", "sanctions", "aliases"}]}``. It keeps
only the primary name, FtM schema, the regimes (``"UKR - 2025/933 (OJ L202500933) - 2025-05-20"``,
several joined by ``;``) and the aliases (``;``-joined, CSV-quoted). Birth dates, identifiers,
addresses and the FSF logical ids are lost, so every load carries a warning saying so.

Entity ids are made from the schema and the name (``eu-fsf-x-<hash>``, ``x`` so they can never
collide with ``eu-fsf-<logicalId>`` of the official files); two items that share schema and name
are told apart by their regimes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from clearance.errors import ListFormatError
from clearance.model import Emitted, make_entity, parse_date
from clearance.sources.base import ListMeta, ListParser, ParseResult, read_text

PREFIX = "eu-fsf-x"
AUTHORITY = "European Union"
SCHEMATA = {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}
DERIVED_WARNING = (
    "DERIVED, lossy: third-party JSON of OpenSanctions' eu_fsf targets (names, aliases and "
    "regimes only; no birth dates, identifiers, addresses or FSF logical ids)"
)
_REGIME = re.compile(r"^(?P<program>.+?) - (?P<regulation>.+) - (?P<date>\d{4}-\d{2}-\d{2})$")


def split_multi(text: str) -> list[str]:
    """Values joined by ``;``, CSV-quoted where needed, as in targets.simple.csv."""
    if not text.strip():
        return []
    try:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        values = [v for row in rows for v in row]
    except csv.Error:  # e.g. a stray quote: keep the raw pieces rather than lose the names
        values = text.split(";")
    return [v.strip() for v in values if v.strip()]


def _hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]


class EuFsfDerivedJsonParser(ListParser):
    format: ClassVar[str] = "eu_fsf_derived_json"
    source: ClassVar[str] = "eu_fsf"
    title: ClassVar[str] = "EU FSF derived name/alias JSON (third-party, lossy)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        start = head.lstrip()[:1]
        return (
            start == b"{"
            and b'"items"' in head
            and b'"sanctions"' in head
            and b'"aliases"' in head
            and b'"schema"' in head
        )

    def parse(self, path: Path) -> ParseResult:
        text = read_text(path, "utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ListFormatError(path, f"line {exc.lineno}", f"not JSON: {exc.msg}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise ListFormatError(path, "field items", "expected an object with an 'items' list")
        generated = data.get("generated_at")
        meta = ListMeta(
            source=self.source,
            format=self.format,
            files=[path],
            publication_date=parse_date(str(generated)[:10]) if generated else None,
        )
        meta.warn(DERIVED_WARNING)
        items = [self._check(path, n, item) for n, item in enumerate(data["items"], start=1)]
        if not items:
            raise ListFormatError(path, "field items", "no items")
        return ParseResult(meta, self._entities(items, meta))

    def _check(self, path: Path, number: int, item: Any) -> dict[str, str]:
        where = f"record {number}"
        if not isinstance(item, dict):
            raise ListFormatError(path, where, "item is not an object")
        for key in ("name", "schema"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise ListFormatError(path, where, f"field {key!r} missing or empty")
        if item["schema"] not in SCHEMATA:
            raise ListFormatError(path, where, f"unexpected schema {item['schema']!r}")
        for key in ("sanctions", "aliases"):
            if not isinstance(item.get(key, ""), str):
                raise ListFormatError(path, where, f"field {key!r} is not a string")
        return {
            "name": item["name"].strip(),
            "schema": item["schema"],
            "sanctions": item.get("sanctions", "") or "",
            "aliases": item.get("aliases", "") or "",
        }

    def _entities(self, items: list[dict[str, str]], meta: ListMeta) -> Iterator[Emitted]:
        keys = Counter((i["schema"], i["name"]) for i in items)
        seen: set[str] = set()
        items_seen: set[tuple[str, ...]] = set()
        for number, item in enumerate(items, start=1):
            whole = tuple(item.values())
            if whole in items_seen:
                meta.warn(f"record {number}: exact duplicate of an earlier item, skipped")
                continue
            items_seen.add(whole)
            parts = [item["schema"], item["name"]]
            if keys[(item["schema"], item["name"])] > 1:
                parts.append(item["sanctions"])
            id_ = f"{PREFIX}-{_hash(*parts)}"
            if id_ in seen:
                id_ = f"{PREFIX}-{_hash(*parts, item['aliases'])}"
            seen.add(id_)
            yield from self._make(id_, item, meta, number)

    def _make(
        self, id_: str, item: dict[str, str], meta: ListMeta, number: int
    ) -> Iterator[Emitted]:
        entity = make_entity(item["schema"], id_)
        entity.add("topics", "sanction")
        entity.add("name", item["name"])
        for alias in split_multi(item["aliases"]):
            if alias != item["name"]:
                entity.add("alias", alias)
        yield Emitted(entity, id_)
        regimes = split_multi(item["sanctions"])
        for index, regime in enumerate(regimes, start=1):
            suffix = "sanction" if len(regimes) == 1 else f"sanction-{index}"
            sanction = make_entity("Sanction", f"{id_}-{suffix}")
            sanction.add("entity", id_)
            sanction.add("authority", AUTHORITY)
            sanction.add("country", "eu")
            match = _REGIME.match(regime)
            if match is None:
                meta.warn(f"record {number}: regime {regime!r} not 'PROGRAM - regulation - date'")
                sanction.add("program", regime)
            else:
                sanction.add("program", match.group("program"))
                sanction.add("summary", f"Regulation {match.group('regulation')}")
                sanction.add("listingDate", match.group("date"))
            yield Emitted(sanction, id_)
