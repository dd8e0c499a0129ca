"""The streaming build (records written as read, joins applied afterwards, keys in one flat
buffer, postings sorted by buckets) writes the very index the in-memory build wrote.

Real data: the UN list and the BIS DPL of the small world. Every UN entity's sanction comes
after it in the store's stream (ids ``unsc-…`` sort before the sanctions' ids), so the joins
are applied in the second pass; DPL entries have none.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest

from clearance.index import build
from clearance.index.build import Vocabulary
from clearance.index.records import RECORD_OFFSETS, RECORDS_FILE, collect_records
from clearance.index.service import build_index
from clearance.index.storage import ARRAY_NAMES, read_manifest
from clearance.store import Store
from tests.index import reference_build
from tests.index.factory import SmallWorld

Reference = tuple[list[bytes], dict[str, np.ndarray], Vocabulary]


@pytest.fixture(scope="module")
def reference(world: SmallWorld) -> Reference:
    with Store.open(world.db_url) as store:
        records = reference_build.collect_records(store.active_entities())
    vocabulary = Vocabulary()
    arrays = reference_build.build_arrays(records, vocabulary)
    lines = [orjson.dumps(r.to_dict()) + b"\n" for r in records]
    return lines, arrays.as_dict(), vocabulary


def _assert_same(path: Path, reference: Reference) -> None:
    lines, arrays, vocabulary = reference
    assert (path / RECORDS_FILE).read_bytes() == b"".join(lines)
    offsets = np.load(path / RECORD_OFFSETS)
    assert offsets.tolist() == np.cumsum([0] + [len(x) for x in lines]).tolist()
    for name in ARRAY_NAMES:
        got = np.load(path / f"{name}.npy")
        assert got.dtype == arrays[name].dtype, name
        assert np.array_equal(got, arrays[name]), name
    manifest = read_manifest(path)
    assert manifest is not None
    assert manifest["programs"] == vocabulary.programs.values
    assert manifest["sources"] == vocabulary.sources.values
    assert manifest["schemas"] == vocabulary.schemas.values


def test_the_joins_really_come_late(world: SmallWorld) -> None:
    seen: set[str] = set()
    late = 0
    with Store.open(world.db_url) as store:
        for _info, proxy in store.active_entities():
            if proxy.schema.name in ("Sanction", "Identification"):
                prop = "entity" if proxy.schema.name == "Sanction" else "holder"
                late += sum(1 for t in proxy.get(prop, quiet=True) if t in seen)
            else:
                seen.add(proxy.id or "")
    assert late > 700  # the UN sanctions and identification documents


def test_streaming_build_writes_the_reference_index(
    world: SmallWorld, reference: Reference
) -> None:
    _assert_same(world.index.path, reference)


def test_sort_buckets_give_the_same_index(
    world: SmallWorld,
    reference: Reference,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(build, "BUCKET_POSTINGS", 5_000)  # 32 buckets here
    with Store.open(world.db_url) as store:
        versions = store.active_versions()
        build_index(store.active_entities(), versions, tmp_path / "index")
    _assert_same(tmp_path / "index", reference)


def test_collect_records_equals_the_reference(world: SmallWorld) -> None:
    with Store.open(world.db_url) as store:
        new = collect_records(store.active_entities())
        old = reference_build.collect_records(store.active_entities())
    assert new == old


def test_join_key_collisions_do_not_mix_entities(
    world: SmallWorld,
    reference: Reference,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clearance.index import records

    def few(version_id: int, entity_id: str) -> int:  # 8 keys for ~3,800 entities
        return sum(entity_id.encode()) % 8

    monkeypatch.setattr(records, "join_key", few)
    monkeypatch.setattr(build, "join_key", few)
    with Store.open(world.db_url) as store:
        build_index(store.active_entities(), store.active_versions(), tmp_path / "index")
    _assert_same(tmp_path / "index", reference)
