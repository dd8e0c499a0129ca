"""The error tree of clearance.

    ClearanceError
    ├── ConfigError            a setting has a bad value
    ├── ListError              a list file cannot be used
    │   ├── UnknownFormatError     no parser recognises the file
    │   └── ListFormatError        the file is malformed (names file and line/record/field)
    ├── StoreError             the snapshot store refused an operation
    │   └── VersionNotFound        no such list version
    └── DownloadError          a source could not be fetched

Vendor errors (lxml, csv, SQLAlchemy, httpx) are translated at the boundary into these, so callers
and the CLI see one kind of message that names the file, the place in it and what is wrong.
"""

from __future__ import annotations

from pathlib import Path


class ClearanceError(Exception):
    """Base class of every error clearance raises on purpose."""


class ConfigError(ClearanceError):
    """A setting has a value that cannot be used."""


class ListError(ClearanceError):
    """A list file cannot be used."""


class UnknownFormatError(ListError):
    """No parser recognises the file's content."""

    def __init__(self, path: Path | str, detail: str = "") -> None:
        self.path = Path(path)
        msg = f"{self.path}: not a list format clearance knows"
        super().__init__(f"{msg} ({detail})" if detail else msg)


class ListFormatError(ListError):
    """A list file is malformed. ``where`` names the line, record or field."""

    def __init__(self, path: Path | str, where: str | None, message: str) -> None:
        self.path = Path(path)
        self.where = where
        self.message = message
        location = f"{self.path}, {where}" if where else str(self.path)
        super().__init__(f"{location}: {message}")


class StoreError(ClearanceError):
    """The snapshot store refused an operation."""


class VersionNotFound(StoreError):
    """No list version with that id or source."""


class DownloadError(ClearanceError):
    """A source could not be fetched from its URL."""
