"""The downloads folder of one source, and the updater's record of the files it last loaded.

``$CLEARANCE_HOME/downloads/<source>/`` holds ``incoming/`` (this run's files; a rejected download
stays there for inspection), ``current/`` (the files of the active version), ``current.json``
(the manifest) and ``.lock`` (held while a run updates the source).

For each file of a source's ``current/`` copy the manifest keeps the server's validators (ETag,
Last-Modified) and the sha256, so the next run can make conditional requests per file — a source
of several files (OFAC's CSV set) has several ETags, while the store's ``SourceState`` keeps one.
The manifest is trusted only when its fingerprint equals the store's active version (checked by
the updater), so a reset database or a manual ``lists load`` simply means a full download.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from clearance.errors import ConfigError
from clearance.update.fetch import Validators


@dataclass(frozen=True)
class FileRecord:
    etag: str | None
    last_modified: str | None
    sha256: str
    size: int

    @classmethod
    def of(cls, validators: Validators, sha256: str, size: int) -> FileRecord:
        return cls(validators.etag, validators.last_modified, sha256, size)

    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


def combined_sha256(shas: dict[str, str]) -> str:
    """The store's fingerprint of a publication (see ``clearance.store.fingerprint``).

    One file: its sha256. Several: sha256 of the sorted lines ``"<sha256>  <file name>\\n"``.
    """
    if len(shas) == 1:
        return next(iter(shas.values()))
    lines = sorted(f"{sha}  {name}\n" for name, sha in shas.items())
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def read_manifest(path: Path) -> dict[str, FileRecord]:
    """The manifest, or an empty one when missing or unreadable (then nothing is trusted)."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return {name: FileRecord(**fields) for name, fields in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_manifest(path: Path, records: dict[str, FileRecord]) -> None:
    """Write the manifest atomically (temp file + rename)."""
    tmp = path.with_name(path.name + ".tmp")
    payload = {"files": {name: asdict(record) for name, record in sorted(records.items())}}
    tmp.write_text(json.dumps(payload, indent=2), "utf-8")
    os.replace(tmp, path)


def link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def promote(incoming: Path, current: Path) -> None:
    """Make ``incoming`` the new ``current`` (a crash in between only costs a re-download)."""
    old = current.with_name(current.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    incoming.rename(current)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def locked(home: Path) -> Iterator[None]:
    """Hold ``<home>/.lock`` so two update runs never write one source's files at once."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(f"another update of {home.name} is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


__all__ = [
    "FileRecord",
    "combined_sha256",
    "link_or_copy",
    "locked",
    "promote",
    "read_manifest",
    "write_manifest",
]
