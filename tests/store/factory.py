"""Tiny factories for store tests: FtM NDJSON files written into ``tmp_path``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clearance.sources.base import ParseResult
from clearance.sources.ftm_json import FtmJsonParser


def ftm_line(entity_id: str, schema: str = "Person", **props: list[str] | str) -> dict[str, Any]:
    properties = {k: v if isinstance(v, list) else [v] for k, v in props.items()}
    return {"id": entity_id, "schema": schema, "properties": properties}


def write_ftm(path: Path, entities: list[dict[str, Any]], tail: str = "") -> Path:
    """An FtM NDJSON file of ``entities``, followed by ``tail`` (e.g. a broken line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(e, ensure_ascii=False) for e in entities]
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def parse_ftm(path: Path) -> ParseResult:
    return FtmJsonParser().parse(path)
