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
   five times the same), else those whose lightest name weighs least are (the matcher
   counts a candidate's extra name words against it), then the lowest entity numbers — so
   the cut depends neither on the order of a partition nor on which other entities a filter
   removed; entities sharing an identifier are always kept (share 1).

Keys posted on more than ``max_df`` entities are stop-keys: they count only for entities some
other key found (``boost_stopped``: "Mohammed" still adds to "Mohammed Walid" once "Walid"
found it), or alone when the query has no other key.

Options measured on the development set and left off (no recall gain there, see
``bench/results/screen/README.md``): ``stopped_pairs`` (entities that stop-keys of two
different query tokens reach count as found) and ``estimate`` (an estimate of the matcher's
name score, ``2·m / (Q + 0.65·m + 0.35·C)`` with ``m`` the matcher weight of the query tokens
hit, ``Q`` the query name's weight and ``C`` the entity's lightest name's weight).
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearance.index.build import IndexArrays
from clearance.index.keys import KeyList, QueryKeys
from clearance.index.records import EntityRecord
from clearance.index.storage import RecordFile, read_arrays, read_manifest
from clearance.match.align import CANDIDATE_EXTRA_FACTOR as EXTRA
from clearance.match.prepared import (
    PreparedEntity,
    prepare_entity,
    schema_kind,
    schemas_compatible,
)

IntArray = npt.NDArray[np.int64]
Part = tuple[int, npt.NDArray[np.int32], float]
"""A key hit of a query group: (group, entity numbers posted under the key, weight)."""
PREPARED_CACHE = 200_000
"""Prepared entities kept per process (least recently used dropped first). About 14 KB of memory
each: the whole default catalog fits; on a 4M-entity index an unbounded cache would grow to
several GB per process (bench/results/screen/scale_README.md)."""

FREEZE_EVERY = 500
"""Entities prepared on demand between two moves of the collector's objects out of its sight
(``gc.freeze``, see :meth:`CandidateIndex._prepare`). Measured on the 4M index, 500 fresh
queries (``bench/results/screen/scale_README.md``, session 6): never — p99 103–109 ms, max
4.4–4.8 s; every 500 — p99 105 ms, max 0.42 s, mean matcher time 14 vs 23 ms; every 5,000 —
p99 123–135 ms; every 50,000 — p99 675 ms (after a freeze the collector's next full
collections come often and walk everything prepared since)."""

SPAN_CACHE = 50_000
"""Query tokens whose key look-ups are kept per process (a few MB; see ``_key_spans``)."""


@dataclass(frozen=True)
class CandidateConfig:
    """Knobs of candidate selection (defaults tuned on the matcher's development set)."""

    top_k: int = 40
    min_share: float = 0.3
    keep_share: float = 0.5
    max_candidates: int = 300
    max_df_share: float = 0.02
    min_max_df: int = 2000
    #: absolute cap on the stop-key cutoff, so the per-query postings do not grow with the index
    max_max_df: int = 20_000
    idf_power: float = 0.5
    coverage_weight: float = 0.8
    tie_cap: int = 100
    boost_stopped: bool = True
    stopped_pairs: bool = False
    estimate: bool = False


@dataclass
class Candidates:
    """Selected entity numbers (best first), their shares and the best query name's full weight."""

    entities: IntArray
    scores: npt.NDArray[np.float64]
    full: float


def restrict_stopped(parts: list[Part], stopped: list[Part], pairs: bool = False) -> list[Part]:
    """The stop-key hits limited to entities some ordinary key already found — or, with
    ``pairs``, that two different query tokens reach through stop-keys alone ("Mohammed
    Wali" ~ "Mohammad Ali": both tokens common, the pair is not)."""
    # a mark per entity number, not a sorted set and np.isin: stop-key postings run to
    # millions per query on a 4M-entity index (5x faster there, same result)
    top = max((int(e.max()) for _, e, _ in (*parts, *stopped) if len(e)), default=-1)
    found = np.zeros(top + 1, dtype=bool)
    for _, e, _ in parts:
        found[e] = True
    if pairs and len({g for g, _, _ in stopped}) > 1:
        found[stopped_pairs(stopped)] = True
    return [(g, e[found[e]], w) for g, e, w in stopped]


def stopped_pairs(stopped: list[Part]) -> npt.NDArray[np.int64]:
    """Entities hit by stop-keys of at least two different query groups."""
    ents = np.concatenate([e for _, e, _ in stopped]).astype(np.int64)
    lens = [len(e) for _, e, _ in stopped]
    groups = np.repeat(np.fromiter((g for g, _, _ in stopped), np.int64, len(stopped)), lens)
    stride = int(ents.max(initial=0)) + 1
    once = np.unique(groups * stride + ents) % stride
    uniq, counts = np.unique(once, return_counts=True)
    return uniq[counts >= 2]


TIE_BREAK = 1e-3
"""Weight of the key-weighted share inside a coverage score: orders candidates that hit the
same share of query words by how strong their keys are (exact spellings before skeletons)."""
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
        self._lazy: OrderedDict[int, PreparedEntity] = OrderedDict()
        #: every entity's prepared form by number, when the index fits PREPARED_CACHE (the
        #: catalog does): a list look-up per candidate instead of LRU bookkeeping
        self._table: list[PreparedEntity | None] | None = (
            [None] * self.size if self.size <= PREPARED_CACHE else None
        )
        self._unfrozen = 0
        self._record_cache: dict[int, EntityRecord] = {}
        self._masks: dict[Any, npt.NDArray[np.bool_]] = {}
        self._spans: dict[tuple[KeyList, float], list[tuple[int, int, float]]] = {}

    # -- entities -------------------------------------------------------------------------
    def prepared(self, n: int) -> PreparedEntity:
        """The matcher's prepared form of entity ``n``, made on first use and kept."""
        table = self._table
        if table is not None:  # the whole index fits the cache: no recency to keep
            found = table[n]
            if found is None:
                found = table[n] = self._prepare(n)
            return found
        found = self._lazy.get(n)
        if found is not None:
            self._lazy.move_to_end(n)
        else:
            found = self._prepare(n)
            if len(self._lazy) >= PREPARED_CACHE:  # drop the least recently used quarter
                for _ in range(PREPARED_CACHE // 4):
                    self._lazy.popitem(last=False)
            self._lazy[n] = found
        return found

    def _prepare(self, n: int) -> PreparedEntity:
        """Entity ``n`` prepared from its record.

        Every ``FREEZE_EVERY`` entities prepared here, the young garbage is collected and
        everything alive is moved out of the cyclic garbage collector's sight
        (``gc.freeze``): a prepared entity is ~100 long-lived objects, and without this each
        full collection walks all cached entities — at 4M indexed entities (a 200,000-entity
        cache) pauses of 4-7 s in the middle of a query. Every 500, so that what the
        collector still walks stays small (see ``FREEZE_EVERY``). Prepared entities hold no
        reference cycles (``tests/index/test_prepared_cache.py``), so an evicted one is still
        freed by its reference count: screening 40,000 book rows through a 4,000-entity LRU,
        the frozen object count stayed at 0.78-0.89 million. The price: anything else alive
        at a freeze that later becomes cyclic garbage is never collected (screening itself
        makes none)."""
        raw = self.records.raw(n)
        found = prepare_entity({"schema": raw["schema"], "properties": raw["properties"]})
        self._unfrozen += 1
        if self._unfrozen >= FREEZE_EVERY:
            self._unfrozen = 0
            gc.collect(1)
            gc.freeze()
        return found

    @property
    def table(self) -> list[PreparedEntity | None] | None:
        """Prepared entities by number (None: not prepared yet) when the whole index fits
        ``PREPARED_CACHE``, else None (then :meth:`prepared` keeps a least-recently-used
        cache). For loops that look entities up without a method call per candidate."""
        return self._table

    @property
    def prepared_count(self) -> int:
        """How many prepared entities this process holds."""
        if self._table is not None:
            return sum(1 for found in self._table if found is not None)
        return len(self._lazy)

    def warm(self, progress: Callable[[int], None] | None = None) -> int:
        """Prepare every entity now; the number prepared.

        Why: preparing a list entity for the matcher costs ~0.3-0.4 ms, paid on first use
        (its split / join index, :meth:`PreparedEntity.split_index`, on first comparison).
        A long batch run prepares them all in the parent once, then forks its workers, which
        share the prepared objects (copy-on-write) instead of each preparing them cold. The
        objects are then moved out of the garbage collector's sight (``gc.freeze``): the
        collector would otherwise walk these millions of objects on every full collection
        (latency spikes) and, in forked workers, touch — and so copy — their pages.
        """
        count = min(self.size, PREPARED_CACHE)
        for n in range(count):
            self.prepared(n).split_index()
            if progress is not None and n % 5000 == 0:
                progress(n)
        gc.collect()
        gc.freeze()
        return count

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
        kind: str | None = None,
    ) -> npt.NDArray[np.bool_] | None:
        """Boolean array of the entities passing every given filter (None: no filter).

        ``kind``: the matcher's schema kind of the query; entities of kinds that cannot be
        the same thing (a vessel for a person) are left out — the matcher would score them 0,
        and they would take places in the candidate cap.
        """
        if kind is not None:
            allowed = {s for s in self.schemas if schemas_compatible(kind, schema_kind(s))}
            if len(allowed) < len(self.schemas):
                schemas = allowed if schemas is None else allowed.intersection(schemas)
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

    def _key_spans(self, keys: KeyList, idf_power: float) -> list[tuple[int, int, float]]:
        """(start, end, weight) of the postings of each key of ``keys`` present in the index.

        Kept per key list (the keys of one query token: the same object for the same token,
        see :func:`clearance.index.keys.query_token_keys`): in a batch, the common first
        names and surnames of a customer book are looked up once, not once per customer."""
        cache_key = (keys, idf_power)
        found = self._spans.get(cache_key)
        if found is None:
            pos, weights = self._lookup(keys, idf_power)
            offsets = self.arrays.offsets
            found = [
                (int(offsets[p]), int(offsets[p + 1]), w)
                for p, w in zip(pos.tolist(), weights.tolist(), strict=True)
            ]
            if len(self._spans) >= SPAN_CACHE:
                self._spans.clear()
            self._spans[cache_key] = found
        return found

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
        max_df = min(config.max_max_df, max(config.min_max_df, int(size * config.max_df_share)))
        postings = arrays.postings
        parts: list[Part] = []
        stopped: list[Part] = []
        for g, keys in enumerate(query.groups):
            for start, end, w in self._key_spans(keys, config.idf_power):
                (parts if end - start <= max_df else stopped).append((g, postings[start:end], w))
        if not parts:
            parts = stopped
        elif stopped and config.boost_stopped:
            parts.extend(restrict_stopped(parts, stopped, config.stopped_pairs))
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
        uniq, scores = self._shares(parts, query, name_full, group_max, config)
        # the limit is set before the filters: a filter never narrows what is kept of the
        # entities it passes
        strong = int(np.count_nonzero(scores >= config.keep_share))
        limit = min(config.max_candidates, max(config.top_k, strong))
        if mask is not None:
            keep = mask[uniq]
            uniq, scores = uniq[keep], scores[keep]
            forced = forced[mask[forced]] if len(forced) else forced
        keep = scores >= config.min_share
        uniq, scores = uniq[keep], scores[keep]
        if len(uniq) > limit:
            # the cut: every entity above the limit-th share, then those tied with it — all of
            # them when the tie is small
            last = np.partition(-scores, limit - 1)[limit - 1]
            above = np.flatnonzero(-scores < last)
            tied = np.flatnonzero(-scores == last)
            if len(above) + len(tied) > config.tie_cap or config.tie_cap <= limit:
                # lightest name first: the matcher counts a candidate's extra name words
                light = np.asarray(self.arrays.name_weight)[uniq[tied]]
                tied = np.sort(tied[np.argsort(light, kind="stable")[: limit - len(above)]])
            top = np.concatenate([above, tied])
            uniq, scores = uniq[top], scores[top]
        order = np.argsort(-scores, kind="stable")  # equal shares: lower entity number first
        uniq, scores = uniq[order], scores[order]
        if len(forced):
            extra = np.setdiff1d(np.unique(forced), uniq)
            uniq = np.concatenate([uniq, extra])
            scores = np.concatenate([scores, np.ones(len(extra))])
        return Candidates(uniq, scores, max(name_full, default=0.0))

    def _shares(
        self,
        parts: list[Part],
        query: QueryKeys,
        name_full: list[float],
        group_full: list[float],
        config: CandidateConfig,
    ) -> tuple[IntArray, npt.NDArray[np.float64]]:
        """Entities hit by ``parts`` and their best score over the query's names: the share
        of the name's full key weight, ``coverage_weight`` × the share of its tokens hit, or
        the estimate of the matcher's name score (module doc), whichever is highest.

        Mechanics: each posting becomes one ``int64`` (entity, group, rank of its key's
        weight), sorted by value (no permutation to gather through), so the first of each
        (entity, group) run is its strongest key; the entities then come out sorted (no
        second sort for them), and each entity's groups in increasing order (the sums add in
        the order they always did)."""
        coverage_weight = config.coverage_weight
        if not parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        ordered = sorted(parts, key=lambda x: -x[2])  # stable: equal weights keep their order
        count = len(ordered)
        lens = np.fromiter((len(e) for _, e, _ in ordered), dtype=np.int64, count=count)
        span = len(query.groups) or 1
        part_weight = np.fromiter((w for *_, w in ordered), np.float64, count)
        tags = np.fromiter((g * count + i for i, (g, _, _) in enumerate(ordered)), np.int64, count)
        # one int64 per posting: (entity, group, part) — the part's rank is its weight order
        combo = np.concatenate([e for _, e, _ in ordered]).astype(np.int64) * (span * count)
        combo += np.repeat(tags, lens)
        combo.sort()  # values only: no permutation to gather through
        pair = combo // count
        first = np.ones(len(pair), dtype=bool)
        first[1:] = pair[1:] != pair[:-1]
        weights = part_weight[combo[first] % count]  # strongest key per (entity, group)
        combo = pair[first]
        ents, group_of = np.divmod(combo, span)
        new = np.ones(len(ents), dtype=bool)
        new[1:] = ents[1:] != ents[:-1]
        uniq = ents[new]
        inverse = np.cumsum(new) - 1
        best = np.zeros(len(uniq), dtype=np.float64)
        weighted = np.zeros(len(uniq), dtype=np.float64)
        lightest = (
            np.asarray(self.arrays.name_weight)[uniq].astype(np.float64)
            if config.estimate
            else None
        )
        group_weight = (
            np.asarray(query.group_weight, dtype=np.float64) if lightest is not None else None
        )
        seen: set[tuple[int, ...]] = set()
        for name_keys, full, qweight in zip(
            query.name_groups, name_full, query.name_weight, strict=True
        ):
            key = tuple(name_keys)
            if full <= 0.0 or key in seen:
                continue
            seen.add(key)
            if len(name_keys) == span:  # the name has every group of the query: no selection
                n_inverse, n_weights, n_groups = inverse, weights, group_of
            else:
                sel = np.isin(group_of, name_keys)
                n_inverse, n_weights, n_groups = inverse[sel], weights[sel], group_of[sel]
            sums = np.bincount(n_inverse, weights=n_weights, minlength=len(uniq))
            np.maximum(best, sums / full, out=best)
            np.maximum(weighted, sums / full, out=weighted)
            if coverage_weight > 0.0:
                live = sum(1 for g in name_keys if group_full[g] > 0.0)
                hits = np.bincount(n_inverse, minlength=len(uniq))
                np.maximum(best, coverage_weight * hits / max(1, live), out=best)
            if lightest is not None and group_weight is not None and qweight > 0.0:
                matched = np.bincount(
                    n_inverse, weights=group_weight[n_groups], minlength=len(uniq)
                )
                estimate = 2 * matched / (qweight + (1 - EXTRA) * matched + EXTRA * lightest)
                np.maximum(best, np.minimum(1.0, estimate), out=best)
        # equal coverage is ordered by the key evidence behind it (a tie-break only)
        return uniq, best + TIE_BREAK * weighted

    def close(self) -> None:
        self.records.close()
