"""The parser version: a fingerprint of the code that turns list files into entities.

A list version records the parser version that produced it. Loading a file whose sha256 is
already in the store reuses that version only when it was parsed by the same code; after a parser
change the file is parsed again, so a better parser reaches the data without manual steps, and
``lists diff`` can say when two versions were parsed by different code (their differences may
then come from the parser, not from the list).

The fingerprint covers every module of ``clearance.sources`` and ``clearance.model`` (parsers
share helpers and the entity model), as a sha256 over their sorted relative paths and bytes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGES = ("sources", "model")


@lru_cache(maxsize=1)
def parser_version() -> str:
    """``"p-<16 hex>"``, stable for identical parser code."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return "p-" + digest.hexdigest()[:16]


__all__ = ["parser_version"]
