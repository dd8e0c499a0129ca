"""The sha256 that identifies a list publication's input files.

One file: the sha256 of its bytes, as ``sha256sum`` prints it (and as the shared data MANIFEST
lists it). Several files (e.g. OFAC's sdn/add/alt/comments set) or a directory: the sha256 of the
sorted lines ``"<sha256>  <file name>"``, so renaming the folder or listing the files in another
order gives the same fingerprint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _expand(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.iterdir()) if p.is_file())
        else:
            out.append(path)
    return out


def files_sha256(paths: Iterable[Path]) -> str:
    """Fingerprint of one or more files (directories stand for the files directly inside)."""
    files = _expand(paths)
    if len(files) == 1:
        return file_sha256(files[0])
    lines = sorted(f"{file_sha256(p)}  {p.name}\n" for p in files)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
