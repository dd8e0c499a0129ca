"""Building the candidate index: records → prepared entities → blocking keys → CSR arrays.

The inverted index is four numpy arrays: ``keys`` (sorted unique ``uint64`` key hashes),
``offsets`` (``int64``, one more than keys), ``postings`` (``int32`` entity numbers, sorted within
a key) and ``idf`` (``float32``, ``ln(1 + N / df)``). Per entity: ``schema`` and ``source`` codes
(``int16``) for filters, the programs / topics of its listings as small CSR arrays, and
``name_weight`` (``float32``): the matcher's weight (sum of token rarity weights) of its
lightest name, which the candidate score uses to estimate the matcher's name score (a
candidate's unmatched words lower the matcher's score in proportion to their weight).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from clearance.index.keys import entity_keys
from clearance.index.records import EntityRecord
from clearance.match.prepared import PreparedEntity, prepare_entity

NO_NAME = 1e6
"""``name_weight`` of an entity without a name (no estimate can reach a cut)."""


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


def inverted_index(
    entity_key_sets: Sequence[npt.NDArray[np.uint64]],
) -> tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]
]:
    """CSR postings of the key sets (one ``uint64`` array of unique keys per entity)."""
    n = len(entity_key_sets)
    sizes = np.fromiter((len(k) for k in entity_key_sets), dtype=np.int64, count=n)
    all_keys = (np.concatenate(entity_key_sets) if n else np.zeros(0, dtype=np.uint64)).astype(
        np.uint64, copy=False
    )
    owners = np.repeat(np.arange(n, dtype=np.int32), sizes)
    order = np.argsort(all_keys, kind="stable")  # stable: postings stay sorted by entity
    sorted_keys = all_keys[order]
    postings = owners[order]
    del all_keys, owners, order
    keys, starts, counts = np.unique(sorted_keys, return_index=True, return_counts=True)
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    offsets[:-1] = starts
    offsets[-1] = len(sorted_keys)
    idf = np.log1p(max(n, 1) / counts).astype(np.float32)
    return keys.astype(np.uint64), offsets, postings.astype(np.int32), idf


def name_weight(entity: PreparedEntity) -> float:
    """The matcher's weight of the entity's lightest name (NO_NAME: no name)."""
    return min((form.weight_sum for form in entity.names if form.tokens), default=NO_NAME)


def record_keys(
    records: Sequence[EntityRecord], progress: Callable[[int], None] | None = None
) -> tuple[list[npt.NDArray[np.uint64]], npt.NDArray[np.float32]]:
    """The key set and ``name_weight`` of every record (prepared with the matcher, dropped)."""
    out: list[npt.NDArray[np.uint64]] = []
    shorts = np.full(len(records), NO_NAME, dtype=np.float32)
    step = max(1, int(math.sqrt(len(records) or 1)) * 10)
    for n, record in enumerate(records):
        prepared = prepare_entity({"schema": record.schema, "properties": record.properties})
        out.append(np.fromiter(entity_keys(prepared), dtype=np.uint64))
        shorts[n] = name_weight(prepared)
        if progress is not None and n % step == 0:
            progress(n)
    return out, shorts


def build_arrays(
    records: Sequence[EntityRecord],
    vocabulary: Vocabulary,
    progress: Callable[[int], None] | None = None,
) -> IndexArrays:
    """The index arrays of the records (codes for schema, source, ... go into ``vocabulary``)."""
    key_sets, shorts = record_keys(records, progress)
    keys, offsets, postings, idf = inverted_index(key_sets)
    del key_sets
    schema = np.array([vocabulary.schemas.code(r.schema) for r in records], dtype=np.int16)
    source = np.array([vocabulary.sources.code(r.source) for r in records], dtype=np.int16)
    prog_off, prog_ids = _csr([[vocabulary.programs.code(p) for p in r.programs] for r in records])
    topic_off, topic_ids = _csr([[vocabulary.topics.code(t) for t in r.topics] for r in records])
    return IndexArrays(
        keys,
        offsets,
        postings,
        idf,
        schema,
        source,
        prog_off,
        prog_ids,
        topic_off,
        topic_ids,
        shorts,
    )
