"""The index is built once per set of active versions, persisted, and loaded on restart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from clearance.index import service
from clearance.index.storage import MANIFEST, index_key
from clearance.store import Store
from tests.index.factory import SmallWorld


def test_second_open_loads_without_building(world: SmallWorld) -> None:
    before = service.BUILD_COUNT
    with Store.open(world.db_url) as store:
        again = service.ensure_index(store, world.index_root)
    assert before == service.BUILD_COUNT
    assert again.path == world.index.path
    assert isinstance(again.arrays.postings.base, np.memmap)  # mapped, not read into memory
    assert again.size == world.index.size


def test_a_new_process_loads_without_building(world: SmallWorld) -> None:
    manifest = world.index.path / MANIFEST
    mtime = manifest.stat().st_mtime_ns
    code = (
        "import sys; from pathlib import Path; from clearance.store import Store;"
        "from clearance.index import service;"
        f"s = Store.open({world.db_url!r});"
        f"i = service.ensure_index(s, Path({str(world.index_root)!r}));"
        "print(service.BUILD_COUNT, i.size)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", str(world.index.size)]
    assert manifest.stat().st_mtime_ns == mtime


def test_round_trip_keeps_records_and_arrays(world: SmallWorld) -> None:
    from clearance.index import CandidateIndex

    reopened = CandidateIndex(world.index.path)
    assert reopened.size == world.index.size
    for n in (0, reopened.size // 2, reopened.size - 1):
        assert reopened.record(n) == world.index.record(n)
    assert np.array_equal(reopened.arrays.keys, world.index.arrays.keys)
    manifest = json.loads((world.index.path / MANIFEST).read_text())
    assert manifest["entities"] == reopened.size
    assert sorted(v["source"] for v in manifest["versions"]) == [
        "un_sc_sanctions",
        "us_bis_denied",
    ]


def test_new_active_version_builds_a_new_index(
    world: SmallWorld, lists_dir: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'clearance.db'}"
    with Store.open(url) as store:
        store.load_path(lists_dir / "us_bis_dpl/2023-11_watchman/dpl.txt")
        before = service.BUILD_COUNT
        first = service.ensure_index(store, tmp_path / "index")
        assert before + 1 == service.BUILD_COUNT
        store.load_path(lists_dir / "us_bis_dpl/2022-09_watchman/dpl.txt")
        second = service.ensure_index(store, tmp_path / "index")
        assert before + 2 == service.BUILD_COUNT
        assert second.path != first.path
        assert second.path.name == index_key(store.active_versions())
        service.ensure_index(store, tmp_path / "index")
        assert before + 2 == service.BUILD_COUNT


def test_corrupt_manifest_is_rebuilt(world: SmallWorld, lists_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clearance.db'}"
    with Store.open(url) as store:
        store.load_path(lists_dir / "us_bis_dpl/2023-11_watchman/dpl.txt")
        index = service.ensure_index(store, tmp_path / "index")
        (index.path / MANIFEST).write_text("{not json")
        before = service.BUILD_COUNT
        # a half-written directory is never renamed into place; a damaged one is replaced
        rebuilt = service.ensure_index(store, tmp_path / "index")
        assert before + 1 == service.BUILD_COUNT
        assert rebuilt.size == index.size


def test_old_indexes_are_pruned(tmp_path: Path) -> None:
    import os

    for n in range(4):
        folder = tmp_path / f"v{n}"
        folder.mkdir()
        os.utime(folder, (1000 + n, 1000 + n))
    removed = service.prune(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == ["v0", "v1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v2", "v3"]
