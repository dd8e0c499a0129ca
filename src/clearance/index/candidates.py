"""The loaded candidate index: query keys → the few listed entities worth scoring.

Scoring of a candidate (no I/O, numpy on memory-mapped arrays):

1. every query token (and word pair) is a group of keys (see :mod:`clearance.index.keys`); a
   key found in the index weighs ``idf ** idf_power × factor`` (a damped IDF: a rare exact
   spelling must not drown the common skeleton a romanised spelling shares); per group and
   entity only the strongest key counts, so a token adds at most once however many hit;
2. per query name (name, each alias): the candidate's Σ over the name's groups divided by the
   name's *full* weight (what a perfect namesake would get), or ``coverage_weight`` × the
   share of the name's groups it hits at all, whichever is higher; the candidate's score is
   its best over the query's names (a short alias fully matched scores 1);
3. candidates keep when share ≥ ``min_share``, best ``top_k`` first — but every candidate
   with share ≥ ``keep_share`` is kept (up to ``max_candidates``): a name listed on ten
   lists under five spellings must not push its own namesakes out; a tie at the cut is kept
   whole when it holds at most ``tie_cap`` entities (the same person on five lists scores
   five times the same); entities sharing an identifier are always kept (share 1).

Keys posted on more than ``max_df`` entities are stop-keys: they count only for entities some
other key found (``boost_stopped``: "Mohammed" still adds to "Mohammed Walid" once "Walid"
found it), or alone when the query has no other key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearance.index.build import IndexArrays
from clearance.index.keys import KeyList, QueryKeys
from clearance.index.records import EntityRecord
from clearance.index.storage import RecordFile, read_arrays, read_manifest
from clearance.match.prepared import PreparedEntity, prepare_entity

IntArray = npt.NDArray[np.int64]
Part = tuple[int, npt.NDArray[np.int32], float]
"""A key hit of a query group: (group, entity numbers posted under the key, weight)."""
PREPARED_CACHE = 500_000
"""Prepared entities kept per process (then the cache starts afresh)."""


@dataclass(frozen=True)
class CandidateConfig:
    """Knobs of candidate selection (defaults tuned on the matcher's development set)."""

    top_k: int = 40
    min_share: float = 0.3
    keep_share: float = 0.5
    max_candidates: int = 300
    max_df_share: float = 0.02
    min_max_df: int = 2000
    idf_power: float = 0.5
    coverage_weight: float = 0.8
    tie_cap: int = 100
    boost_stopped: bool = True


@dataclass
class Candidates:
    """Selected entity numbers (best first), their shares and the best query name's full weight."""

    entities: IntArray
    scores: npt.NDArray[np.float64]
    full: float


def restrict_stopped(parts: list[Part], stopped: list[Part]) -> list[Part]:
    """The stop-key hits limited to entities some ordinary key already found."""
    found = np.unique(np.concatenate([e for _, e, _ in parts]))
    return [(g, e[np.isin(e, found, assume_unique=True)], w) for g, e, w in stopped]


_EMPTY = Candidates(np.zeros(0, np.int64), np.zeros(0), 0.0)


class CandidateIndex:
    """An index directory opened for queries (see module doc)."""

    def __init__(self, path: Path) -> None:
        manifest = read_manifest(path)
        if manifest is None:
            raise FileNotFoundError(path / "manifest.json")
        self.path = path
        self.manifest: dict[str, Any] = manifest
        self.arrays: IndexArrays = read_arrays(path)
        self.records = RecordFile(path)
        self.size = len(self.records)
        self.schemas: list[str] = manifest["schemas"]
        self.sources: list[str] = manifest["sources"]
        self.programs: list[str] = manifest["programs"]
        self.topics: list[str] = manifest["topics"]
        self._lazy: dict[int, PreparedEntity] = {}
        self._record_cache: dict[int, EntityRecord] = {}
        self._masks: dict[Any, npt.NDArray[np.bool_]] = {}

    # -- entities -------------------------------------------------------------------------
    def prepared(self, n: int) -> PreparedEntity:
        """The matcher's prepared form of entity ``n``, made on first use and kept."""
        found = self._lazy.get(n)
        if found is None:
            raw = self.records.raw(n)
            found = prepare_entity({"schema": raw["schema"], "properties": raw["properties"]})
            if len(self._lazy) >= PREPARED_CACHE:
                self._lazy.clear()
            self._lazy[n] = found
        return found

    def record(self, n: int) -> EntityRecord:
        found = self._record_cache.get(n)
        if found is None:
            found = self.records.get(n)
            if len(self._record_cache) > 50_000:
                self._record_cache.clear()
            self._record_cache[n] = found
        return found

    # -- filters --------------------------------------------------------------------------
    def mask(
        self,
        sources: Iterable[str] | None = None,
        schemas: Iterable[str] | None = None,
        programs: Iterable[str] | None = None,
        topics: Iterable[str] | None = None,
    ) -> npt.NDArray[np.bool_] | None:
        """Boolean array of the entities passing every given filter (None: no filter)."""
        given = (sources, schemas, programs, topics)
        spec = tuple(None if x is None else frozenset(x) for x in given)
        if all(x is None for x in spec):
            return None
        cached = self._masks.get(spec)
        if cached is not None:
            return cached
        arrays = self.arrays
        mask = np.ones(self.size, dtype=bool)
        src, sch, prog, top = spec
        if src is not None:
            codes = [i for i, s in enumerate(self.sources) if s in src]
            mask &= np.isin(arrays.source, codes)
        if sch is not None:
            codes = [i for i, s in enumerate(self.schemas) if s in sch]
            mask &= np.isin(arrays.schema, codes)
        for wanted, names, offsets, ids in (
            (prog, self.programs, arrays.program_offsets, arrays.program_ids),
            (top, self.topics, arrays.topic_offsets, arrays.topic_ids),
        ):
            if wanted is None:
                continue
            codes = [i for i, s in enumerate(names) if s in wanted]
            hit = np.isin(np.asarray(ids), codes)
            bounds = np.asarray(offsets, dtype=np.int64)
            counts = bounds[1:] - bounds[:-1]
            owners = np.repeat(np.arange(self.size), counts)
            has = np.zeros(self.size, dtype=bool)
            has[owners[hit]] = True
            mask &= has
        if len(self._masks) > 64:
            self._masks.clear()
        self._masks[spec] = mask
        return mask

    # -- candidates -----------------------------------------------------------------------
    def _lookup(self, keys: KeyList, idf_power: float) -> tuple[IntArray, npt.NDArray[np.float64]]:
        """Index positions and weights (idf^power × factor) of the keys present in the index."""
        arrays = self.arrays
        hashes = np.fromiter((h for h, _ in keys), dtype=np.uint64, count=len(keys))
        pos = np.searchsorted(arrays.keys, hashes)
        pos[pos >= len(arrays.keys)] = 0
        found = arrays.keys[pos] == hashes
        factors = np.fromiter((f for _, f in keys), dtype=np.float64, count=len(keys))
        pos = pos[found]
        idf = arrays.idf[pos].astype(np.float64)
        if idf_power != 1.0:
            idf = idf**idf_power
        return pos, idf * factors[found]

    def candidates(
        self,
        query: QueryKeys,
        config: CandidateConfig,
        mask: npt.NDArray[np.bool_] | None = None,
    ) -> Candidates:
        """Best candidates for the query keys (see module doc); scores are name shares."""
        arrays = self.arrays
        offsets = arrays.offsets
        size = self.size
        max_df = max(config.min_max_df, int(size * config.max_df_share))
        postings = arrays.postings
        parts: list[Part] = []
        stopped: list[Part] = []
        for g, keys in enumerate(query.groups):
            pos, weights = self._lookup(keys, config.idf_power)
            for p, w in zip(pos.tolist(), weights.tolist(), strict=True):
                start, end = int(offsets[p]), int(offsets[p + 1])
                (parts if end - start <= max_df else stopped).append((g, postings[start:end], w))
        if not parts:
            parts = stopped
        elif stopped and config.boost_stopped:
            parts.extend(restrict_stopped(parts, stopped))
        forced = np.zeros(0, dtype=np.int64)
        if query.identifiers:
            id_pos, _ = self._lookup(tuple(query.identifiers), 1.0)
            if len(id_pos):
                forced = np.concatenate(
                    [arrays.postings[offsets[p] : offsets[p + 1]] for p in id_pos.tolist()]
                ).astype(np.int64)
        if not parts and not len(forced):
            return _EMPTY
        group_max = [0.0] * len(query.groups)
        for g, _, w in parts:
            group_max[g] = max(group_max[g], w)
        name_full = [sum(group_max[g] for g in groups) for groups in query.name_groups]
        uniq, scores = self._shares(
            parts, query.name_groups, name_full, group_max, config.coverage_weight
        )
        if mask is not None:
            keep = mask[uniq]
            uniq, scores = uniq[keep], scores[keep]
            forced = forced[mask[forced]] if len(forced) else forced
        keep = scores >= config.min_share
        uniq, scores = uniq[keep], scores[keep]
        strong = int(np.count_nonzero(scores >= config.keep_share))
        limit = min(config.max_candidates, max(config.top_k, strong))
        if len(uniq) > limit and config.tie_cap > limit:
            last = np.partition(-scores, limit - 1)[limit - 1]
            tied = int(np.count_nonzero(-scores <= last))
            if tied <= config.tie_cap:
                limit = tied
        if len(uniq) > limit:
            top = np.argpartition(-scores, limit - 1)[:limit]
            uniq, scores = uniq[top], scores[top]
        order = np.argsort(-scores, kind="stable")
        uniq, scores = uniq[order], scores[order]
        if len(forced):
            extra = np.setdiff1d(np.unique(forced), uniq)
            uniq = np.concatenate([uniq, extra])
            scores = np.concatenate([scores, np.ones(len(extra))])
        return Candidates(uniq, scores, max(name_full, default=0.0))

    def _shares(
        self,
        parts: list[Part],
        name_groups: list[list[int]],
        name_full: list[float],
        group_full: list[float],
        coverage_weight: float = 0.0,
    ) -> tuple[IntArray, npt.NDArray[np.float64]]:
        """Entities hit by ``parts`` and their best share of a query name's full weight."""
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        stride = self.size + 1
        ents = np.concatenate([e for _, e, _ in parts]).astype(np.int64)
        lens = np.fromiter((len(e) for _, e, _ in parts), dtype=np.int64, count=len(parts))
        weights = np.repeat(np.fromiter((w for *_, w in parts), np.float64, len(parts)), lens)
        groups = np.repeat(np.fromiter((g for g, *_ in parts), np.int64, len(parts)), lens)
        combo = groups * stride + ents
        order = np.lexsort((-weights, combo))
        combo, weights = combo[order], weights[order]
        first = np.ones(len(combo), dtype=bool)
        first[1:] = combo[1:] != combo[:-1]
        combo, weights = combo[first], weights[first]  # strongest key per (group, entity)
        uniq, inverse = np.unique(combo % stride, return_inverse=True)
        group_of = combo // stride
        best = np.zeros(len(uniq), dtype=np.float64)
        seen: set[tuple[int, ...]] = set()
        for name_keys, full in zip(name_groups, name_full, strict=True):
            key = tuple(name_keys)
            if full <= 0.0 or key in seen:
                continue
            seen.add(key)
            sel = np.isin(group_of, name_keys)
            sums = np.bincount(inverse[sel], weights=weights[sel], minlength=len(uniq))
            np.maximum(best, sums / full, out=best)
            if coverage_weight > 0.0:
                live = sum(1 for g in name_keys if group_full[g] > 0.0)
                hits = np.bincount(inverse[sel], minlength=len(uniq))
                np.maximum(best, coverage_weight * hits / max(1, live), out=best)
        return uniq, best

    def close(self) -> None:
        self.records.close()
