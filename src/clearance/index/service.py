"""Getting the index of the store's active list versions: load it, or build it once.

:func:`ensure_index` is the one entry point: it computes the key of the active versions,
loads ``$CLEARANCE_HOME/index/<key>/`` when it exists and otherwise builds it from the store
(and then loads it). :data:`BUILD_COUNT` counts builds in this process (tests use it to prove
a restart does not rebuild).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from followthemoney.proxy import EntityProxy

from clearance.index.build import Vocabulary, build_streaming
from clearance.index.candidates import CandidateIndex
from clearance.index.storage import (
    INDEX_ALGORITHM,
    IndexCorrupt,
    begin_index,
    commit_index,
    index_key,
    index_manifest,
    read_manifest,
)
from clearance.settings import Settings, load_settings
from clearance.store import Store, VersionInfo

BUILD_COUNT = 0
"""Number of index builds done by this process."""
KEEP_INDEXES = 2
"""Index directories kept under ``$CLEARANCE_HOME/index`` (the newest ones)."""


def build_index(
    rows: Iterable[tuple[VersionInfo, EntityProxy]],
    versions: list[VersionInfo],
    path: Path,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Build and write the index of ``rows`` (the entities of ``versions``) at ``path``."""
    global BUILD_COUNT
    BUILD_COUNT += 1
    started = time.perf_counter()
    vocabulary = Vocabulary()
    tmp = begin_index(path)
    try:
        arrays, count = build_streaming(
            rows, tmp, vocabulary, (lambda n: progress("keys", n)) if progress is not None else None
        )
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    built_s = time.perf_counter() - started
    manifest = index_manifest(
        path.name,
        arrays,
        count,
        vocabulary,
        [
            {"id": v.id, "source": v.source, "publication_date": v.publication_date}
            for v in versions
        ],
    )
    commit_index(tmp, path, arrays, manifest)
    manifest["seconds"] = {
        "build": round(built_s, 3),
        "total": round(time.perf_counter() - started, 3),
    }
    (path / "build.json").write_text(str(manifest["seconds"]).replace("'", '"'), "utf-8")
    return manifest


def index_root(settings: Settings | None = None) -> Path:
    """Where indexes live: ``$CLEARANCE_HOME/index``."""
    return (settings or load_settings()).home / "index"


def ensure_index(
    store: Store,
    root: Path | None = None,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> CandidateIndex:
    """The index of the store's active versions: loaded when built before, else built now."""
    versions = store.active_versions()
    path = (root or index_root()) / index_key(versions)
    try:
        manifest = read_manifest(path)
    except IndexCorrupt:
        manifest = None
    if manifest is None or manifest.get("algorithm") != INDEX_ALGORITHM:
        if path.exists():  # damaged: the manifest is written last, so this is not a live index
            shutil.rmtree(path)
        build_index(store.active_entities(), versions, path, progress=progress)
        prune(path.parent, keep=KEEP_INDEXES)
    return CandidateIndex(path)


def prune(root: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest index directories under ``root``; the removed ones.

    Processes still using a removed index keep working (their files stay mapped); the
    previous index is kept so batch workers starting right after a rebuild find it.
    """
    found = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    removed = found[keep:]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed
