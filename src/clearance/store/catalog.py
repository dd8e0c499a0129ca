"""The catalog of shared list files: which file to load for each source.

``clearance/data/shared_catalog.yml`` names, per source, the newest FULL publication in
``$CLEARANCE_SHARED_DATA/lists`` and says why it was chosen. ``clearance lists load --catalog``
(and so ``make run``) loads these entries, skipping files already loaded.

An entry may name ``supplements``: files of the same format published separately (e.g. a newer
OFAC ``alt.csv`` for an ``sdn.csv`` whose own alias file is not in the collection). The entry
then resolves to a staging folder holding links to the main file and its supplements, which the
parser reads as one publication; rows of a supplement that name no entry of the main file are
ignored (the parser warns with their count).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from clearance.errors import ConfigError

CATALOG_RESOURCE = "shared_catalog.yml"
_REQUIRED = ("source", "title", "path", "status", "note")
_OPTIONAL = ("format", "supplements")


@dataclass(frozen=True)
class CatalogEntry:
    """One list file of the shared data folder."""

    source: str
    title: str
    path: str
    status: str
    note: str
    format: str | None = None
    supplements: tuple[str, ...] = ()

    def files(self, shared_data: Path) -> list[Path]:
        """The main file (or folder) and the supplements, as paths in the shared data."""
        root = shared_data / "lists"
        return [root / self.path, *(root / s for s in self.supplements)]

    def resolve(self, shared_data: Path, staging: Path | None = None) -> Path:
        """Where the publication is: the file (or folder) itself, or, for an entry with
        supplements, a folder under ``staging`` linking the main file and its supplements."""
        main = shared_data / "lists" / self.path
        if not self.supplements:
            return main
        if staging is None:
            raise ConfigError(f"{self.source}: an entry with supplements needs a staging folder")
        folder = staging / self.source
        folder.mkdir(parents=True, exist_ok=True)
        wanted: dict[str, Path] = {}
        for path in self.files(shared_data):
            if not path.is_file():
                raise ConfigError(f"{self.source}: {path} is missing from the shared data")
            if path.name in wanted:
                raise ConfigError(f"{self.source}: two files are named {path.name}")
            wanted[path.name] = path
        for stale in folder.iterdir():
            if stale.name not in wanted or stale.resolve() != wanted[stale.name].resolve():
                stale.unlink()
        for name, path in wanted.items():
            link = folder / name
            if not link.exists():
                link.symlink_to(path.resolve())
        return folder


def _entry(raw: Any, index: int) -> CatalogEntry:
    if not isinstance(raw, dict):
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} is not a mapping")
    missing = [key for key in _REQUIRED if not raw.get(key)]
    if missing:
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} lacks {', '.join(missing)}")
    unknown = set(raw) - {*_REQUIRED, *_OPTIONAL}
    if unknown:
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} has unknown keys {sorted(unknown)}")
    if raw["status"] not in ("full", "derived"):
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} status must be full or derived")
    supplements = raw.get("supplements") or []
    if not isinstance(supplements, list) or not all(isinstance(s, str) for s in supplements):
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} supplements must be a list of paths")
    fields = {key: str(value) for key, value in raw.items() if key != "supplements"}
    return CatalogEntry(**fields, supplements=tuple(supplements))


def parse_catalog(text: str) -> list[CatalogEntry]:
    """Entries of a catalog document; a malformed one raises ConfigError."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("lists"), list):
        raise ConfigError(f"{CATALOG_RESOURCE}: expected a mapping with a 'lists' sequence")
    entries = [_entry(raw, i) for i, raw in enumerate(data["lists"], start=1)]
    sources = [e.source for e in entries]
    if len(set(sources)) != len(sources):
        raise ConfigError(f"{CATALOG_RESOURCE}: a source is listed twice")
    return entries


def shared_catalog() -> list[CatalogEntry]:
    """The catalog shipped with clearance."""
    text = resources.files("clearance").joinpath("data", CATALOG_RESOURCE).read_text("utf-8")
    return parse_catalog(text)
