"""Building the candidate index: records → prepared entities → blocking keys → CSR arrays.

Memory (issue #4, ~4M entities in 8 GB): the build streams. Each record is written to
``records.jsonl`` as it is read and keyed at once; what stays in memory per entity is its keys
in one flat ``uint64`` buffer (:class:`KeyBuffer`, ~250 B for ~31 keys) and a few numbers
(schema/source codes, name weight, topic codes, a join key). Sanctions and identification
numbers usually come after the entity they point at (the store streams a version by entity
id), so they are collected and applied afterwards to the few records they touch
(:func:`build_streaming`). The postings are sorted bucket by bucket (:func:`postings_of`): one
bucket of keys at a time is sorted, never the whole key array.

The inverted index is four numpy arrays: ``keys`` (sorted unique ``uint64`` key hashes),
``offsets`` (``int64``, one more than keys), ``postings`` (``int32`` entity numbers, sorted within
a key) and ``idf`` (``float32``, ``ln(1 + N / df)``). Per entity: ``schema`` and ``source`` codes
(``int16``) for filters, the programs / topics of its listings as small CSR arrays, and
``name_weight`` (``float32``): the matcher's weight (sum of token rarity weights) of its
lightest name, which the candidate score uses to estimate the matcher's name score (a
candidate's unmatched words lower the matcher's score in proportion to their weight).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt
import orjson
from followthemoney.proxy import EntityProxy

from clearance.index.keys import entity_keys
from clearance.index.records import (
    RECORD_OFFSETS,
    RECORDS_FILE,
    EntityRecord,
    Joins,
    apply_joins,
    join_key,
    new_record,
)
from clearance.match.prepared import PreparedEntity, prepare_entity
from clearance.store.types import VersionInfo

NO_NAME = 1e6
"""``name_weight`` of an entity without a name (no estimate can reach a cut)."""
BUCKET_POSTINGS = 4_000_000
"""Postings sorted at once by :func:`postings_of` (about 40 B of temporaries each)."""
PROGRESS_STEP = 10_000
"""Entities between two calls of a build's progress callback."""


@dataclass
class Codes:
    """A small vocabulary (schemas, sources, programs, topics) ↔ integer codes."""

    values: list[str] = field(default_factory=list)
    _codes: dict[str, int] = field(default_factory=dict)

    def code(self, value: str) -> int:
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self.values)
            self.values.append(value)
        return found


@dataclass
class IndexArrays:
    """Everything numeric of an index (see module doc)."""

    keys: npt.NDArray[np.uint64]
    offsets: npt.NDArray[np.int64]
    postings: npt.NDArray[np.int32]
    idf: npt.NDArray[np.float32]
    schema: npt.NDArray[np.int16]
    source: npt.NDArray[np.int16]
    program_offsets: npt.NDArray[np.int64]
    program_ids: npt.NDArray[np.int32]
    topic_offsets: npt.NDArray[np.int64]
    topic_ids: npt.NDArray[np.int32]
    name_weight: npt.NDArray[np.float32]

    def as_dict(self) -> dict[str, np.ndarray]:
        return dict(self.__dict__)


@dataclass
class Vocabulary:
    schemas: Codes = field(default_factory=Codes)
    sources: Codes = field(default_factory=Codes)
    programs: Codes = field(default_factory=Codes)
    topics: Codes = field(default_factory=Codes)


def _csr(rows: list[list[int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(r) for r in rows])
    flat = np.fromiter((x for r in rows for x in r), dtype=np.int32, count=int(offsets[-1]))
    return offsets, flat


class KeyBuffer:
    """The key sets of entities ``0 .. n-1`` in one flat growing ``uint64`` buffer (plus a
    count per entity), and *extra* keys added to an entity later (identification numbers
    joined after it was keyed; duplicates of its keys are allowed and dropped)."""

    def __init__(self) -> None:
        self.flat = array("Q")
        self.counts = array("i")
        self.extra_keys: list[npt.NDArray[np.uint64]] = []
        self.extra_owners: list[int] = []

    def __len__(self) -> int:
        return len(self.counts)

    def add(self, keys: Iterable[int] | npt.NDArray[np.uint64]) -> None:
        """The key set of the next entity."""
        before = len(self.flat)
        if isinstance(keys, np.ndarray):
            self.flat.frombytes(keys.astype(np.uint64, copy=False).tobytes())
        else:
            self.flat.extend(keys)
        self.counts.append(len(self.flat) - before)

    def add_extra(self, entity: int, keys: Iterable[int]) -> None:
        """More keys of an entity already added."""
        self.extra_keys.append(np.fromiter(keys, dtype=np.uint64))
        self.extra_owners.append(entity)


def _bucket_bits(total: int) -> int:
    bits = 0
    while bits < 8 and (total >> bits) > BUCKET_POSTINGS:
        bits += 1
    return bits


def _bucket_ids(keys: npt.NDArray[np.uint64], bits: int) -> npt.NDArray[np.uint8]:
    """The top ``bits`` bits of every key (computed in slices: no full-size temporary)."""
    out = np.zeros(len(keys), dtype=np.uint8)
    if bits:
        shift = np.uint64(64 - bits)
        step = 1 << 22
        for start in range(0, len(keys), step):
            out[start : start + step] = keys[start : start + step] >> shift
    return out


def postings_of(
    buffer: KeyBuffer,
) -> tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]
]:
    """CSR postings of the buffer's key sets: sorted unique keys, offsets, postings (entity
    numbers, ascending within a key) and idf (see module doc).

    The keys are split into up to 256 buckets by their top bits; each bucket is gathered,
    sorted and cut into keys on its own, in key order, so the temporaries are those of one
    bucket and the result is that of one global stable sort.
    """
    n = len(buffer)
    flat = np.frombuffer(buffer.flat, dtype=np.uint64) if len(buffer.flat) else _NO_KEYS
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.frombuffer(buffer.counts, dtype=np.int32), out=starts[1:])
    extra = (
        np.concatenate(buffer.extra_keys).astype(np.uint64, copy=False)
        if buffer.extra_keys
        else _NO_KEYS
    )
    extra_owner = np.repeat(
        np.array(buffer.extra_owners, dtype=np.int32), [len(k) for k in buffer.extra_keys]
    ).astype(np.int32, copy=False)
    bits = _bucket_bits(len(flat) + len(extra))
    bucket = _bucket_ids(flat, bits)
    extra_bucket = _bucket_ids(extra, bits)
    postings = np.empty(len(flat) + len(extra), dtype=np.int32)
    keys_out: list[npt.NDArray[np.uint64]] = []
    counts_out: list[npt.NDArray[np.int64]] = []
    filled = 0
    for b in range(1 << bits):
        where = np.flatnonzero(bucket == b) if bits else np.arange(len(flat))
        keys = flat[where]
        owners = (np.searchsorted(starts, where, side="right") - 1).astype(np.int32)
        del where
        more = np.flatnonzero(extra_bucket == b)
        if len(more):
            keys = np.concatenate([keys, extra[more]])
            owners = np.concatenate([owners, extra_owner[more]])
            order = np.lexsort((owners, keys))
        else:
            order = np.argsort(keys, kind="stable")  # owners ascend: postings stay sorted
        keys, owners = keys[order], owners[order]
        del order
        if len(more):  # an extra key the entity already had
            dup = np.zeros(len(keys), dtype=bool)
            dup[1:] = (keys[1:] == keys[:-1]) & (owners[1:] == owners[:-1])
            keys, owners = keys[~dup], owners[~dup]
        if not len(keys):
            continue
        new = np.ones(len(keys), dtype=bool)
        new[1:] = keys[1:] != keys[:-1]
        first = np.flatnonzero(new)
        keys_out.append(keys[first])
        counts_out.append(np.diff(np.append(first, len(keys))))
        postings[filled : filled + len(owners)] = owners
        filled += len(owners)
    keys_all = np.concatenate(keys_out) if keys_out else _NO_KEYS
    counts = np.concatenate(counts_out) if counts_out else np.zeros(0, dtype=np.int64)
    offsets = np.zeros(len(keys_all) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    idf = np.log1p(max(n, 1) / counts).astype(np.float32)
    return keys_all, offsets, postings[:filled], idf


_NO_KEYS = np.zeros(0, dtype=np.uint64)


def inverted_index(
    entity_key_sets: Sequence[npt.NDArray[np.uint64]],
) -> tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]
]:
    """CSR postings of the key sets (one array of unique keys per entity)."""
    buffer = KeyBuffer()
    for keys in entity_key_sets:
        buffer.add(np.asarray(keys, dtype=np.uint64))
    return postings_of(buffer)


def name_weight(entity: PreparedEntity) -> float:
    """The matcher's weight of the entity's lightest name (NO_NAME: no name)."""
    return min((form.weight_sum for form in entity.names if form.tokens), default=NO_NAME)


def _prepare(record: EntityRecord) -> PreparedEntity:
    return prepare_entity({"schema": record.schema, "properties": record.properties})


class _Columns:
    """The per-entity numbers of a build, filled in entity order."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.keys = KeyBuffer()
        self.schema = array("h")
        self.source = array("h")
        self.weight = array("f")
        self.topic_counts = array("i")
        self.topic_ids = array("i")
        self.program_lists: dict[int, list[int]] = {}

    def add(self, record: EntityRecord) -> None:
        prepared = _prepare(record)
        self.keys.add(entity_keys(prepared))
        self.weight.append(name_weight(prepared))
        codes = self.vocabulary
        self.schema.append(codes.schemas.code(record.schema))
        self.source.append(codes.sources.code(record.source))
        topics = record.topics
        self.topic_counts.append(len(topics))
        self.topic_ids.extend(codes.topics.code(t) for t in topics)

    def finish(self) -> IndexArrays:
        """The arrays (programs: from ``program_lists``, entity number → program codes)."""
        n = len(self.schema)
        keys, offsets, postings, idf = postings_of(self.keys)
        topic_off = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(self.topic_counts, dtype=np.int32), out=topic_off[1:])
        prog_counts = np.zeros(n, dtype=np.int64)
        for e, ids in self.program_lists.items():
            prog_counts[e] = len(ids)
        prog_off = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(prog_counts, out=prog_off[1:])
        prog_ids = np.fromiter(
            (x for e in sorted(self.program_lists) for x in self.program_lists[e]),
            dtype=np.int32,
            count=int(prog_off[-1]),
        )
        return IndexArrays(
            keys,
            offsets,
            postings,
            idf,
            np.array(self.schema, dtype=np.int16),
            np.array(self.source, dtype=np.int16),
            prog_off,
            prog_ids,
            topic_off,
            np.array(self.topic_ids, dtype=np.int32),
            np.array(self.weight, dtype=np.float32),
        )


def build_arrays(
    records: Sequence[EntityRecord],
    vocabulary: Vocabulary,
    progress: Callable[[int], None] | None = None,
) -> IndexArrays:
    """The index arrays of records held in memory (codes for schema, source, ... go into
    ``vocabulary``); :func:`build_streaming` gives the same from a stream."""
    columns = _Columns(vocabulary)
    for n, record in enumerate(records):
        columns.add(record)
        if progress is not None and n % PROGRESS_STEP == 0:
            progress(n)
    for n, record in enumerate(records):
        if record.programs:
            columns.program_lists[n] = [vocabulary.programs.code(p) for p in record.programs]
    return columns.finish()


def _copy_range(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    src.seek(start)
    left = end - start
    while left > 0:
        chunk = src.read(min(left, 1 << 24))
        if not chunk:
            raise OSError("records file ended early")
        dst.write(chunk)
        left -= len(chunk)


def build_streaming(
    rows: Iterable[tuple[VersionInfo, EntityProxy]],
    directory: Path,
    vocabulary: Vocabulary,
    progress: Callable[[int], None] | None = None,
) -> tuple[IndexArrays, int]:
    """Index the screened parties of ``rows``, writing ``records.jsonl`` and its offsets into
    ``directory``; the arrays and the number of entities. Same result as
    :func:`~clearance.index.records.collect_records` then :func:`build_arrays`.

    Pass 1 writes and keys each record as it comes (without its joins) and collects the
    joins; pass 2 copies the records file, rewriting the lines of the records that have
    joins, and adds the identifier keys of the properties that received identification
    numbers (prepared alone: names never read identifier properties, so the entity's other
    keys stay those of pass 1 — tests/index/test_streaming.py checks the whole index against
    a build that prepares every joined record in full).
    """
    columns = _Columns(vocabulary)
    joins = Joins()
    join_keys = array("Q")
    offsets = array("q", [0])
    part = directory / (RECORDS_FILE + ".part")
    with open(part, "wb") as out:
        pos = 0
        for info, proxy in rows:
            if proxy.id is None or joins.add(info, proxy):
                continue
            record = new_record(info, proxy)
            if record is None:
                continue
            n = len(join_keys)
            if progress is not None and n % PROGRESS_STEP == 0:
                progress(n)
            join_keys.append(join_key(record.version_id, record.id))
            columns.add(record)
            line = orjson.dumps(record.to_dict()) + b"\n"
            out.write(line)
            pos += len(line)
            offsets.append(pos)
    count = len(join_keys)
    found = joins.resolve(np.frombuffer(join_keys, dtype=np.uint64) if count else _NO_KEYS)
    del joins, join_keys
    final = np.frombuffer(offsets, dtype=np.int64).copy()
    del offsets
    if not found:
        os.replace(part, directory / RECORDS_FILE)
    else:
        grown = np.zeros(count + 1, dtype=np.int64)
        with open(part, "rb") as src, open(directory / RECORDS_FILE, "wb") as dst:
            done = 0
            for n in sorted(found):
                start, end = int(final[n]), int(final[n + 1])
                _copy_range(src, dst, done, start)
                record = EntityRecord.from_dict(orjson.loads(src.read(end - start)))
                numbered = apply_joins(record, found[n])
                if numbered:  # the identifier keys of the numbers' properties (names unchanged)
                    props = {p: record.properties[p] for p in numbered}
                    only = prepare_entity({"schema": record.schema, "properties": props})
                    columns.keys.add_extra(n, entity_keys(only))
                programs = record.programs
                if programs:
                    codes = vocabulary.programs
                    columns.program_lists[n] = [codes.code(p) for p in programs]
                line = orjson.dumps(record.to_dict()) + b"\n"
                dst.write(line)
                grown[n + 1] = len(line) - (end - start)
                done = end
            _copy_range(src, dst, done, int(final[-1]))
        final += np.cumsum(grown)
        part.unlink()
    np.save(directory / RECORD_OFFSETS, final)
    return columns.finish(), count
