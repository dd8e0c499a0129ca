"""``CandidateIndex._shares`` as it was before the scale work (session 2: a lexsort of all
(group, entity) postings by weight, then a sort of the entities). The reference the
one-sort implementation must reproduce exactly (tests/index/test_shares.py)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from clearance.index.candidates import TIE_BREAK, CandidateConfig, CandidateIndex, IntArray, Part
from clearance.index.keys import QueryKeys
from clearance.match.align import CANDIDATE_EXTRA_FACTOR as EXTRA


class ReferenceShares(CandidateIndex):
    """The index with the old share computation."""

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
        the estimate of the matcher's name score (module doc), whichever is highest."""
        coverage_weight = config.coverage_weight
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
        weighted = np.zeros(len(uniq), dtype=np.float64)
        lightest = (
            np.asarray(self.arrays.name_weight)[uniq].astype(np.float64)
            if config.estimate
            else None
        )
        token_weight = (
            np.asarray(query.group_weight, dtype=np.float64)[group_of]
            if lightest is not None
            else None
        )
        seen: set[tuple[int, ...]] = set()
        for name_keys, full, qweight in zip(
            query.name_groups, name_full, query.name_weight, strict=True
        ):
            key = tuple(name_keys)
            if full <= 0.0 or key in seen:
                continue
            seen.add(key)
            sel = np.isin(group_of, name_keys)
            sums = np.bincount(inverse[sel], weights=weights[sel], minlength=len(uniq))
            np.maximum(best, sums / full, out=best)
            np.maximum(weighted, sums / full, out=weighted)
            if coverage_weight > 0.0:
                live = sum(1 for g in name_keys if group_full[g] > 0.0)
                hits = np.bincount(inverse[sel], minlength=len(uniq))
                np.maximum(best, coverage_weight * hits / max(1, live), out=best)
            if lightest is not None and token_weight is not None and qweight > 0.0:
                matched = np.bincount(inverse[sel], weights=token_weight[sel], minlength=len(uniq))
                estimate = 2 * matched / (qweight + (1 - EXTRA) * matched + EXTRA * lightest)
                np.maximum(best, np.minimum(1.0, estimate), out=best)
        return uniq, best + TIE_BREAK * weighted  # tie-break added by the lead (recall)
