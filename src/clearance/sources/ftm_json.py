"""FollowTheMoney NDJSON (``entities.ftm.json``), as exported by OpenSanctions and FtM tools.

One JSON object per line: ``{"id", "schema", "properties": {prop: [str]}, ...}``. OpenSanctions'
extra keys (``datasets``, ``first_seen`` ...) are read for the source id and the publication date;
unknown properties are reported as warnings. Delta files (``{"op", "entity"}`` lines) describe
changes, not a list version, and are refused with a message saying so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from followthemoney import model
from followthemoney.exc import InvalidData

from clearance.errors import ListFormatError
from clearance.model import Emitted
from clearance.sources.base import ListMeta, ListParser, ParseResult, open_binary


class FtmJsonParser(ListParser):
    format: ClassVar[str] = "ftm_json"
    source: ClassVar[str] = "opensanctions"
    title: ClassVar[str] = "FollowTheMoney entities (NDJSON)"

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = head.lstrip().split(b"\n", 1)[0]
        if not first.startswith(b"{"):
            return False
        return b'"schema"' in first and b'"properties"' in first and b'"op"' not in first

    def _first_line(self, path: Path) -> dict[str, Any]:
        with open_binary(path) as handle:
            line = handle.readline()
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise ListFormatError(path, "line 1", f"not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ListFormatError(path, "line 1", "expected a JSON object")
        return data

    def parse(self, path: Path) -> ParseResult:
        first = self._first_line(path)
        datasets = first.get("datasets") or []
        source = f"opensanctions_{datasets[0]}" if datasets else self.source
        published = first.get("last_change") or first.get("last_seen")
        meta = ListMeta(
            source=source,
            format=self.format,
            files=[path],
            publication_date=str(published)[:10] if published else None,
        )
        return ParseResult(meta, self._entities(path, meta))

    def _entities(self, path: Path, meta: ListMeta) -> Iterator[Emitted]:
        with open_binary(path) as handle:
            for lineno, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                where = f"line {lineno}"
                try:
                    data = json.loads(raw)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise ListFormatError(path, where, f"not a JSON object: {exc}") from exc
                if not isinstance(data, dict):
                    raise ListFormatError(path, where, "expected a JSON object")
                if "op" in data and "entity" in data:
                    raise ListFormatError(
                        path, where, "a delta line ({op, entity}); load a full entities file"
                    )
                for key in ("id", "schema"):
                    if not isinstance(data.get(key), str) or not data[key]:
                        raise ListFormatError(path, where, f"field {key!r} missing or not a string")
                if model.get(data["schema"]) is None:
                    raise ListFormatError(path, where, f"unknown schema {data['schema']!r}")
                props = data.get("properties") or {}
                if not isinstance(props, dict):
                    raise ListFormatError(path, where, "field 'properties' is not an object")
                try:
                    entity = model.make_entity(data["schema"])
                    entity.id = data["id"]
                    for prop, values in props.items():
                        if prop not in entity.schema.properties:
                            meta.warn(f"{where}: unknown property {data['schema']}:{prop}")
                            continue
                        if not isinstance(values, list):
                            values = [values]
                        for value in values:
                            entity.add(prop, str(value), quiet=True)
                except InvalidData as exc:
                    raise ListFormatError(path, where, str(exc)) from exc
                yield Emitted(entity, data["id"])
