"""The index build as it was before it streamed (index-2, session 2): every record in memory,
joins by dict, one key array per entity, one global sort. Kept as the reference the streaming
build must reproduce byte for byte (tests/index/test_streaming.py)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from followthemoney.proxy import EntityProxy

from clearance.index.build import IndexArrays, Vocabulary, name_weight
from clearance.index.keys import entity_keys
from clearance.index.records import (
    SCREENED_SCHEMAS,
    EntityRecord,
    Listing,
    identification_numbers,
    listing_of,
)
from clearance.match.prepared import prepare_entity
from clearance.store.types import VersionInfo


def _add_numbers(record: EntityRecord, found: list[tuple[str, list[str]]]) -> None:
    for prop, numbers in found:
        values = record.properties.setdefault(prop, [])
        values.extend(n for n in numbers if n not in values)


def collect_records(rows: Iterable[tuple[VersionInfo, EntityProxy]]) -> list[EntityRecord]:
    records: list[EntityRecord] = []
    by_key: dict[tuple[int, str], EntityRecord] = {}
    pending: dict[tuple[int, str], list[Listing]] = {}
    idents: dict[tuple[int, str], list[tuple[str, list[str]]]] = {}
    for info, proxy in rows:
        schema = proxy.schema.name
        if proxy.id is None:
            continue
        if schema == "Identification":
            numbers = identification_numbers(proxy)
            for holder in proxy.get("holder", quiet=True):
                key = (info.id, holder)
                if key in by_key:
                    _add_numbers(by_key[key], [numbers])
                else:
                    idents.setdefault(key, []).append(numbers)
            continue
        if schema == "Sanction":
            listing = listing_of(proxy)
            for target in proxy.get("entity", quiet=True):
                key = (info.id, target)
                if key in by_key:
                    by_key[key].listings.append(listing)
                else:
                    pending.setdefault(key, []).append(listing)
            continue
        if schema not in SCREENED_SCHEMAS:
            continue
        record = EntityRecord(
            id=proxy.id,
            schema=schema,
            caption=proxy.caption,
            source=info.source,
            version_id=info.id,
            publication_date=info.publication_date,
            properties={p: list(v) for p, v in proxy.properties.items()},
            listings=pending.pop((info.id, proxy.id), []),
        )
        _add_numbers(record, idents.pop((info.id, proxy.id), []))
        by_key[(info.id, proxy.id)] = record
        records.append(record)
    for record in records:
        record.listings.sort(key=lambda x: (x.listing_date or "", x.programs))
    return records


def _csr(rows: list[list[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r) for r in rows])
    flat = np.fromiter((x for r in rows for x in r), dtype=np.int32, count=int(offsets[-1]))
    return offsets, flat


def build_arrays(records: list[EntityRecord], vocabulary: Vocabulary) -> IndexArrays:
    key_sets = []
    shorts = np.zeros(len(records), dtype=np.float32)
    for n, record in enumerate(records):
        prepared = prepare_entity({"schema": record.schema, "properties": record.properties})
        key_sets.append(np.fromiter(entity_keys(prepared), dtype=np.uint64))
        shorts[n] = name_weight(prepared)
    sizes = [len(k) for k in key_sets]
    all_keys = np.concatenate(key_sets) if key_sets else np.zeros(0, np.uint64)
    owners = np.repeat(np.arange(len(records), dtype=np.int32), sizes)
    order = np.argsort(all_keys, kind="stable")
    sorted_keys, postings = all_keys[order], owners[order]
    keys, starts, counts = np.unique(sorted_keys, return_index=True, return_counts=True)
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    offsets[:-1] = starts
    offsets[-1] = len(sorted_keys)
    idf = np.log1p(max(len(records), 1) / counts).astype(np.float32)
    v = vocabulary
    prog_off, prog_ids = _csr([[v.programs.code(p) for p in r.programs] for r in records])
    topic_off, topic_ids = _csr([[v.topics.code(t) for t in r.topics] for r in records])
    return IndexArrays(
        keys.astype(np.uint64),
        offsets,
        postings.astype(np.int32),
        idf,
        np.array([v.schemas.code(r.schema) for r in records], dtype=np.int16),
        np.array([v.sources.code(r.source) for r in records], dtype=np.int16),
        prog_off,
        prog_ids,
        topic_off,
        topic_ids,
        shorts,
    )
