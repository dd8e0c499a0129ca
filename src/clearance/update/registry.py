"""The registry of sources clearance can download, and where to download them from.

The registry is data (``clearance/data/sources.yml``), validated here with pydantic. Each source
names its authority, licence, format id (as in :mod:`clearance.sources`) and the official URL of
every file one publication needs (OFAC's CSV set is four files). Two mechanisms point the updater
somewhere else, for tests and air-gapped deployments:

* an **override file** (setting ``CLEARANCE_SOURCES_FILE``): a YAML document with a ``sources``
  list; an entry whose ``id`` is a packaged source replaces the fields it gives (``enabled: false``
  switches a source off, ``files`` replaces the file list), an entry with a new id adds a source
  (then every field is required);
* a **mirror** (setting ``CLEARANCE_SOURCE_MIRROR`` or ``--mirror``): a base URL that replaces the
  scheme and host of every official URL, keeping path and query — ``https://scsanctions.un.org/
  resources/xml/en/consolidated.xml`` becomes ``http://mirror:8080/resources/xml/en/consolidated.xml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from clearance.errors import ConfigError

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class SourceFile(BaseModel):
    """One file of a publication: the name it is saved under and its official URL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    url: str

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _FILE_NAME.match(value) or ".." in value:
            raise ValueError(f"file name {value!r} must be a plain file name (no directories)")
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value


class Source(BaseModel):
    """One downloadable list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    authority: str
    country: str = Field(description="ISO 3166-1 alpha-2 code, or 'eu'/'un'/'zz' (global)")
    format: str
    licence: str
    frequency: str
    homepage: str
    files: tuple[SourceFile, ...]
    enabled: bool = True
    notes: str | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"source id {value!r} must be lower-case letters, digits and '_'")
        return value

    @model_validator(mode="after")
    def _files_sane(self) -> Source:
        if not self.files:
            raise ValueError(f"source {self.id!r} lists no files")
        names = [f.name for f in self.files]
        if len(set(names)) != len(names):
            raise ValueError(f"source {self.id!r} lists a file name twice: {names}")
        return self


class Registry:
    """The sources, in registry order, looked up by id."""

    def __init__(self, sources: Iterable[Source]) -> None:
        self._sources: dict[str, Source] = {}
        for source in sources:
            if source.id in self._sources:
                raise ConfigError(f"source {source.id!r} is registered twice")
            self._sources[source.id] = source

    def __iter__(self) -> Iterator[Source]:
        return iter(self._sources.values())

    def __len__(self) -> int:
        return len(self._sources)

    def get(self, source_id: str) -> Source:
        try:
            return self._sources[source_id]
        except KeyError:
            known = ", ".join(self._sources)
            raise ConfigError(f"unknown source {source_id!r}; known: {known}") from None

    def select(self, ids: Iterable[str] = ()) -> list[Source]:
        """The named sources (even disabled ones: naming one is asking for it), else all enabled."""
        wanted = list(ids)
        if wanted:
            return [self.get(i) for i in wanted]
        return [s for s in self._sources.values() if s.enabled]

    def mirrored(self, mirror: str | None) -> Registry:
        """A copy whose URLs point at ``mirror`` (see :func:`mirror_url`); unchanged if None."""
        if not mirror:
            return self
        return Registry(
            s.model_copy(
                update={
                    "files": tuple(
                        f.model_copy(update={"url": mirror_url(f.url, mirror)}) for f in s.files
                    )
                }
            )
            for s in self
        )


def mirror_url(url: str, mirror: str) -> str:
    """``url`` with scheme and host replaced by ``mirror`` (whose path becomes a prefix)."""
    base = urlsplit(mirror)
    if base.scheme not in ("http", "https") or not base.netloc:
        raise ConfigError(f"mirror {mirror!r} is not an http(s) URL")
    parts = urlsplit(url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


def _read_yaml(text: str, origin: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise ConfigError(f"{origin}: expected a mapping with a 'sources' list")
    entries = data["sources"]
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ConfigError(f"{origin}: source entry {n} has no 'id'")
    return entries


def _validate(entry: dict[str, Any], origin: str) -> Source:
    try:
        return Source.model_validate(entry)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'entry'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"{origin}: source {entry.get('id')!r}: {problems}") from exc


def packaged_registry_text() -> str:
    """The YAML of the registry shipped with clearance."""
    return resources.files("clearance").joinpath("data/sources.yml").read_text("utf-8")


def load_registry(override: Path | None = None) -> Registry:
    """The packaged registry, with the override file (if any) applied on top."""
    entries = {e["id"]: e for e in _read_yaml(packaged_registry_text(), "sources.yml")}
    if override is not None:
        try:
            text = override.read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"sources file {override}: {exc}") from exc
        for entry in _read_yaml(text, str(override)):
            base = entries.get(entry["id"], {})
            entries[entry["id"]] = {**base, **entry}
    origin = f"sources.yml + {override}" if override else "sources.yml"
    return Registry(_validate(e, origin) for e in entries.values())


__all__ = ["Registry", "Source", "SourceFile", "load_registry", "mirror_url"]
