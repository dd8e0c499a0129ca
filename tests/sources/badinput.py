"""Helpers for the bad-input tests of every parser: write a small file, assert it is refused.

A parser may refuse a file when ``parse`` is called (header, encoding) or while its entities are
read (a malformed record): :func:`refused` reads everything, so either counts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.sources.base import ListParser


def write(tmp_path: Path, content: str | bytes, name: str) -> Path:
    """``content`` in ``tmp_path/name``; text is written as UTF-8."""
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def refused(parser: ListParser, path: Path, match: str) -> ListFormatError:
    """Parsing ``path`` (entities included) raises a ListFormatError matching ``match``."""
    with pytest.raises(ListFormatError, match=match) as info:
        list(parser.parse(path).entities)
    assert re.search(match, str(info.value))
    return info.value
