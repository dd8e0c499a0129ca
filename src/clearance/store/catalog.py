"""The catalog of shared list files: which file to load for each source.

``clearance/data/shared_catalog.yml`` names, per source, the newest FULL publication in
``$CLEARANCE_SHARED_DATA/lists`` and says why it was chosen. ``clearance lists load --catalog``
(and so ``make run``) loads these entries, skipping files already loaded.
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


@dataclass(frozen=True)
class CatalogEntry:
    """One list file of the shared data folder."""

    source: str
    title: str
    path: str
    status: str
    note: str
    format: str | None = None

    def resolve(self, shared_data: Path) -> Path:
        """Where the file (or folder) is, given the shared data folder."""
        return shared_data / "lists" / self.path


def _entry(raw: Any, index: int) -> CatalogEntry:
    if not isinstance(raw, dict):
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} is not a mapping")
    missing = [key for key in _REQUIRED if not raw.get(key)]
    if missing:
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} lacks {', '.join(missing)}")
    unknown = set(raw) - {*_REQUIRED, "format"}
    if unknown:
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} has unknown keys {sorted(unknown)}")
    if raw["status"] not in ("full", "derived"):
        raise ConfigError(f"{CATALOG_RESOURCE}: entry {index} status must be full or derived")
    return CatalogEntry(**{key: str(value) for key, value in raw.items()})


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
