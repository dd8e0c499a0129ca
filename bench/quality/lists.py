"""List files used by the development set, read through clearance's own parsers.

Entities come back as FtM-style dicts (``{"id", "schema", "properties"}``) holding only the
matchable schemata (Person, Organization, Company, LegalEntity, Vessel, Airplane) and without
the long free-text ``notes``. A parser that does not exist yet (helpers write them in parallel)
is reported as missing, not silently replaced: the set records which sources it was built from.
"""

from __future__ import annotations

import csv
import importlib
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EntityDict = dict[str, Any]
MATCHABLE = frozenset({"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"})
DROP_PROPS = frozenset({"notes", "sourceUrl", "modifiedAt", "createdAt", "summary"})
OFAC_HISTORY = "lists/ofac_sdn/history_2021-08_to_2024-05_jackdwyer"


@dataclass(frozen=True)
class ListFile:
    """One list file and the parser (``module:Class``) that reads it."""

    name: str
    parser: str
    path: str  # relative to the shared data folder, or absolute (extracted files)


@dataclass
class Loaded:
    """Entities of one or more list files, by id, and what could not be read."""

    entities: dict[str, EntityDict] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def extract_ofac_version(shared: Path, out_dir: Path, near: str = "2021-10-08") -> Path:
    """Extract the sdn.csv version committed nearest ``near`` (ISO date) into ``out_dir``."""
    index = shared / OFAC_HISTORY / "ofac_sdn_csv_history_index.csv"
    with index.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    best = min(rows, key=lambda r: abs(_days(r["commit_time"][:10]) - _days(near)))
    target = out_dir / f"ofac_sdn_{best['commit_time'][:10]}" / "sdn.csv"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(shared / OFAC_HISTORY / "ofac_sdn_csv_history.tar.xz") as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith(best["file_in_archive"]))
            src = tar.extractfile(member)
            if src is None:
                raise FileNotFoundError(best["file_in_archive"])
            target.write_bytes(src.read())
    return target


def _days(iso: str) -> int:
    from datetime import date

    return date.fromisoformat(iso).toordinal()


def _parser(spec: str) -> Any:
    module_name, class_name = spec.split(":")
    module = importlib.import_module(module_name)
    return getattr(module, class_name)()


def slim(entity: Any) -> EntityDict:
    """An FtM entity proxy as a compact dict (matchable properties only)."""
    data = entity.to_dict()
    props = {k: v for k, v in data["properties"].items() if k not in DROP_PROPS}
    return {"id": data["id"], "schema": data["schema"], "properties": props}


def load(files: list[ListFile], shared: Path) -> Loaded:
    """Read every file whose parser exists; the first file to define an id wins."""
    out = Loaded()
    for item in files:
        path = Path(item.path) if Path(item.path).is_absolute() else shared / item.path
        try:
            parser = _parser(item.parser)
        except (ImportError, AttributeError) as exc:
            out.missing.append(f"{item.name}: parser {item.parser} not available ({exc})")
            continue
        result = parser.parse(path)
        count = 0
        for emitted in result.entities:
            entity = emitted.entity
            if entity.schema.name not in MATCHABLE or entity.id in out.entities:
                continue
            out.entities[entity.id] = slim(entity)
            count += 1
        shown = item.path
        if Path(item.path).is_absolute():
            shown = f"history archive -> {path.parent.name}/{path.name}"
        out.used.append(f"{item.name}: {count} entities ({shown})")
    return out


def names_of(entity: EntityDict, props: tuple[str, ...] = ("name",)) -> list[str]:
    """The values of the given name properties of an entity dict."""
    values: list[str] = []
    for prop in props:
        values.extend(entity["properties"].get(prop, []))
    return values
