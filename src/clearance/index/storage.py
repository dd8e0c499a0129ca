"""Persisting an index under ``$CLEARANCE_HOME/index/<key>/`` and loading it back fast.

The key names the content: the sorted ids of the list versions indexed and the algorithm
versions (blocking keys, and a fingerprint of the matcher's code and data — the keys are made
from the matcher's tokens, so any change there must rebuild). A change of active versions or
of either algorithm gives a new directory; the old one is simply not used any more. Layout:

``manifest.json``  key, algorithm, versions, vocabularies, counts, build time
``*.npy``          the arrays of :class:`~clearance.index.build.IndexArrays` (loaded with
                   ``mmap_mode="r"``: a restart maps them, nothing is rebuilt or copied)
``records.jsonl``  one JSON line per entity (:class:`~clearance.index.records.EntityRecord`),
                   with ``records.npy`` byte offsets; read lazily through ``mmap``

A directory is written under a temporary name and renamed into place, so a reader never
sees a half-written index, and two processes building the same index do not clash.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import shutil
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from clearance import match as match_package
from clearance.errors import ClearanceError
from clearance.index.build import IndexArrays, Vocabulary
from clearance.index.keys import KEYS_VERSION
from clearance.index.records import RECORD_OFFSETS, RECORDS_FILE, EntityRecord
from clearance.match import ALGORITHM
from clearance.store.types import VersionInfo

FORMAT_VERSION = "index-2"


def _matcher_fingerprint() -> str:
    """Hash of the matcher package's code and data files (its tokens make the keys)."""
    root = Path(match_package.__file__).parent
    digest = hashlib.sha1()
    for file in sorted(root.rglob("*")):
        if file.is_file() and file.suffix in (".py", ".tsv", ".txt", ".json", ".yml", ".csv"):
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


INDEX_ALGORITHM = f"{FORMAT_VERSION}/{KEYS_VERSION}/{ALGORITHM}@{_matcher_fingerprint()}"
MANIFEST = "manifest.json"
ARRAY_NAMES = tuple(IndexArrays.__dataclass_fields__)


class IndexCorrupt(ClearanceError):
    """An index directory exists but cannot be read (it is rebuilt)."""


def index_key(versions: Sequence[VersionInfo] | Sequence[int]) -> str:
    """Directory name of the index of these list versions under the current algorithms."""
    ids = sorted(v if isinstance(v, int) else v.id for v in versions)
    text = json.dumps({"algorithm": INDEX_ALGORITHM, "versions": ids})
    digest = hashlib.sha1(text.encode()).hexdigest()[:16]
    return f"v{'-'.join(map(str, ids[:8]))}{'-etc' if len(ids) > 8 else ''}-{digest}"


def begin_index(path: Path) -> Path:
    """A fresh temporary directory beside ``path`` to write its index into (see module doc)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))


def commit_index(tmp: Path, path: Path, arrays: IndexArrays, manifest: dict[str, Any]) -> Path:
    """Write the arrays and the manifest (last) into ``tmp``, which already holds the records
    files, and rename it to ``path``; ``tmp`` is removed on failure."""
    try:
        for name, array in arrays.as_dict().items():
            np.save(tmp / f"{name}.npy", array)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
        try:
            os.rename(tmp, path)
        except OSError:
            if not (path / MANIFEST).is_file():  # not "another process won the race"
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return path


def write_records(directory: Path, records: Sequence[EntityRecord]) -> None:
    """``records.jsonl`` and its offsets ``records.npy`` of records held in memory."""
    offsets = np.zeros(len(records) + 1, dtype=np.int64)
    with open(directory / RECORDS_FILE, "wb") as fh:
        pos = 0
        for n, record in enumerate(records):
            line = orjson.dumps(record.to_dict()) + b"\n"
            fh.write(line)
            pos += len(line)
            offsets[n + 1] = pos
    np.save(directory / RECORD_OFFSETS, offsets)


def write_index(
    path: Path,
    arrays: IndexArrays,
    records: Sequence[EntityRecord],
    manifest: dict[str, Any],
) -> Path:
    """Write an index of records held in memory atomically (see module doc); ``path``."""
    tmp = begin_index(path)
    try:
        write_records(tmp, records)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return commit_index(tmp, path, arrays, manifest)


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest of an index directory, or None when there is no complete index."""
    try:
        data: dict[str, Any] = json.loads((path / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{path}: unreadable index manifest ({exc})") from exc
    return data


def read_arrays(path: Path) -> IndexArrays:
    """The arrays of an index directory, memory-mapped read-only."""
    try:
        # plain ndarray views of the maps: still mapped, but slicing a np.memmap costs
        # ~2 µs of Python per slice (tens per query)
        loaded = {
            name: np.load(path / f"{name}.npy", mmap_mode="r").view(np.ndarray)
            for name in ARRAY_NAMES
        }
    except (OSError, ValueError) as exc:
        raise IndexCorrupt(f"{path}: unreadable index array ({exc})") from exc
    return IndexArrays(**loaded)


class RecordFile:
    """Random access to ``records.jsonl`` through ``mmap`` (nothing parsed until asked)."""

    def __init__(self, path: Path) -> None:
        self.offsets = np.load(path / RECORD_OFFSETS, mmap_mode="r")
        self._fh = open(path / RECORDS_FILE, "rb")  # noqa: SIM115 - lives with the index
        size = os.fstat(self._fh.fileno()).st_size
        self._map = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ) if size else None

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def raw(self, n: int) -> dict[str, Any]:
        if self._map is None:
            raise IndexError(n)
        start, end = int(self.offsets[n]), int(self.offsets[n + 1])
        data: dict[str, Any] = orjson.loads(self._map[start:end])
        return data

    def get(self, n: int) -> EntityRecord:
        return EntityRecord.from_dict(self.raw(n))

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
        self._fh.close()


def index_manifest(
    key: str,
    arrays: IndexArrays,
    entities: int,
    vocabulary: Vocabulary,
    versions: list[Any],
    **extra: Any,
) -> dict[str, Any]:
    """The ``manifest.json`` of an index written now (full or delta indexes alike)."""
    return {
        "key": key,
        "algorithm": INDEX_ALGORITHM,
        "created": datetime.now(UTC).isoformat(),
        **extra,
        "versions": versions,
        "entities": entities,
        "keys": len(arrays.keys),
        "postings": len(arrays.postings),
        "schemas": vocabulary.schemas.values,
        "sources": vocabulary.sources.values,
        "programs": vocabulary.programs.values,
        "topics": vocabulary.topics.values,
    }
