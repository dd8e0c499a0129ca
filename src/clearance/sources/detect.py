"""Format detection from file content, so a user can just point at a file."""

from __future__ import annotations

from pathlib import Path

from clearance.errors import ListFormatError, UnknownFormatError
from clearance.sources import parsers
from clearance.sources.base import ListParser, read_head


def detect(path: Path) -> type[ListParser]:
    """The parser class that reads ``path``.

    A directory is accepted when a parser recognises it (e.g. an OFAC CSV set). Raises
    ListFormatError for a missing or empty file, UnknownFormatError when no parser claims it.
    """
    if not path.exists():
        raise ListFormatError(path, None, "no such file or directory")
    if path.is_dir():
        head = b""
    else:
        if path.stat().st_size == 0:
            raise ListFormatError(path, None, "file is empty")
        head = read_head(path)
        if not head.strip():
            raise ListFormatError(path, None, "file holds only white space")
    for parser in parsers():
        if parser.sniff(path, head):
            return parser
    kind = "directory" if path.is_dir() else f"starts with {head[:40]!r}"
    raise UnknownFormatError(path, kind)
