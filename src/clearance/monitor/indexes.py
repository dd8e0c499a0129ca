"""The two indexes a monitoring run screens against.

*Full index* — the candidate index of an exact set of list versions (the ones a run pinned when
it started). It is the same directory :func:`clearance.index.ensure_index` uses for those
versions when they are active; a resumed run whose versions are no longer active rebuilds it
from the store, so a resumed run screens exactly what the interrupted one did.

*Delta index* — only the list entities a new list version added or changed (records taken from
the full index, so they carry the same provenance, listings and identifiers). Its ``idf`` array
is copied from the full index for the same keys: candidate shares are then computed with the
weights the whole list gives a token, not with the statistics of a handful of entities, and a
customer is a candidate of a new entity exactly when the full index would make it one (or
more often: no other entity competes for the top-k). Screening the whole book against it finds
the pairs a new list version created, without re-screening the book against the whole list.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from clearance.index import CandidateIndex, EntityRecord, build_index, index_key
from clearance.index.build import Vocabulary, build_arrays
from clearance.index.service import KEEP_INDEXES, prune
from clearance.index.storage import (
    INDEX_ALGORITHM,
    IndexCorrupt,
    index_manifest,
    read_manifest,
    write_index,
)
from clearance.store import Store, VersionInfo


def _complete(path: Path) -> bool:
    try:
        manifest = read_manifest(path)
    except IndexCorrupt:
        manifest = None
    if manifest is not None and manifest.get("algorithm") == INDEX_ALGORITHM:
        return True
    if path.exists():  # damaged (the manifest is written last): not a live index
        shutil.rmtree(path, ignore_errors=True)
    return False


def _rows(store: Store, versions: Sequence[VersionInfo]) -> Iterator[tuple[VersionInfo, Any]]:
    for info in versions:
        for proxy in store.entities(info.id):
            yield info, proxy


def full_index(store: Store, version_ids: Sequence[int], root: Path) -> Path:
    """The index directory of exactly these list versions under ``root`` (built if missing;
    then the older directories are pruned as :func:`clearance.index.ensure_index` does)."""
    versions = [store.version(v) for v in sorted(version_ids)]
    path = root / index_key(versions)
    if not _complete(path):
        build_index(_rows(store, versions), versions, path)
        prune(root, keep=KEEP_INDEXES)
    return path


def delta_root(index_root: Path) -> Path:
    """Where delta indexes live: beside the index root (``$CLEARANCE_HOME/monitor/delta``), not
    in it, so pruning the full indexes never removes one a run is using."""
    return index_root.parent / "monitor" / "delta"


def delta_key(full: Path, entity_ids: Iterable[str]) -> str:
    """Directory name of the delta index of ``entity_ids`` taken from the index ``full``."""
    text = json.dumps({"full": full.name, "entities": sorted(set(entity_ids))})
    return "delta-" + hashlib.sha1(text.encode()).hexdigest()[:16]


def delta_index(full: Path, entity_ids: Iterable[str], root: Path) -> Path | None:
    """The delta index of ``entity_ids`` (see module doc) under ``root``; None when none of
    them is a screened party of the full index."""
    wanted = set(entity_ids)
    path = root / delta_key(full, wanted)
    if _complete(path):
        return path
    source = CandidateIndex(full)
    try:
        records: list[EntityRecord] = [
            source.records.get(n)
            for n in range(source.size)
            if source.records.raw(n)["id"] in wanted
        ]
        if not records:
            return None
        vocabulary = Vocabulary()
        arrays = build_arrays(records, vocabulary)
        big = source.arrays
        pos = np.searchsorted(big.keys, arrays.keys)
        pos[pos >= len(big.keys)] = 0
        found = big.keys[pos] == arrays.keys
        idf = np.array(arrays.idf, dtype=np.float32)
        idf[found] = np.asarray(big.idf)[pos[found]]
        arrays.idf = idf
        manifest = index_manifest(
            path.name,
            arrays,
            len(records),
            vocabulary,
            source.manifest.get("versions", []),
            delta_of=full.name,
        )
        write_index(path, arrays, records, manifest)
    finally:
        source.close()
    return path


__all__ = ["delta_index", "delta_key", "delta_root", "full_index"]
