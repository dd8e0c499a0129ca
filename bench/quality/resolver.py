"""Real cross-list pairs from the OpenSanctions resolver judgements of 2021-10.

``resolve.ijson.gz`` holds one JSON array per line: ``[left_id, right_id, judgement, score,
user, timestamp]`` with judgement ``positive`` / ``negative`` / ``unsure``. Ids are source
entity ids (``ofac-<ent_num>``, ``unsc-<DATAID>``, ``gb-hmt-<group id>``, ``au-dfat-<ref>``,
``trade-csl-<_id>`` ...) or canonical cluster ids ``NK-*``. Positive judgements are merged into
clusters (union-find); a negative judgement between two ids says their clusters differ.

Real positives: two entities of one cluster from different sources (prefixes), both found in
the list files we parse. Real negatives: an entity of each side of a negative judgement.
"""

from __future__ import annotations

import gzip
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from bench.quality.lists import EntityDict

RESOLVER = "labelled/opensanctions_resolver_2021-10/resolve.ijson.gz"
PREFIXES = ("trade-csl", "au-dfat", "gb-hmt", "unsc", "ofac")


def source_of(entity_id: str) -> str | None:
    """The source prefix of an id ('ofac-123' -> 'ofac'), None for ids of other sources."""
    for prefix in PREFIXES:
        if entity_id.startswith(prefix + "-"):
            return prefix
    return None


class Judgements:
    """Clusters (from positive judgements) and negative judgements."""

    def __init__(self, path: Path) -> None:
        self._parent: dict[str, str] = {}
        self.negatives: list[tuple[str, str]] = []
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                left, right, judgement, *_ = json.loads(line)
                if judgement == "positive":
                    self._union(left, right)
                elif judgement == "negative":
                    self.negatives.append((left, right))
        self.members: dict[str, list[str]] = defaultdict(list)
        for node in list(self._parent):
            self.members[self.find(node)].append(node)

    def find(self, node: str) -> str:
        parent = self._parent.setdefault(node, node)
        while parent != self._parent[parent]:
            self._parent[parent] = self._parent[self._parent[parent]]
            parent = self._parent[parent]
        self._parent[node] = parent
        return parent

    def _union(self, left: str, right: str) -> None:
        a, b = self.find(left), self.find(right)
        if a != b:
            self._parent[a] = b

    def same(self, left: str, right: str) -> bool:
        return (
            left in self._parent and right in self._parent and self.find(left) == self.find(right)
        )

    def cluster(self, node: str) -> list[str]:
        return self.members.get(self.find(node), [node]) if node in self._parent else [node]


def positive_pairs(
    judge: Judgements, entities: dict[str, EntityDict], rng: random.Random, per_pair_cap: int
) -> Iterator[tuple[str, str]]:
    """(left, right) ids of one cluster from two different sources, capped per source pair."""
    by_pair: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for root in sorted(judge.members):
        found = sorted(m for m in judge.members[root] if m in entities and source_of(m))
        for i, left in enumerate(found):
            for right in found[i + 1 :]:
                a, b = sorted((source_of(left) or "", source_of(right) or ""))
                if a != b:
                    by_pair[(a, b)].append((left, right))
    for key in sorted(by_pair):
        pairs = by_pair[key]
        rng.shuffle(pairs)
        yield from pairs[:per_pair_cap]


def negative_pairs(
    judge: Judgements, entities: dict[str, EntityDict], rng: random.Random
) -> Iterator[tuple[str, str]]:
    """(left, right) ids of entities on the two sides of a negative judgement."""
    seen: set[tuple[str, str]] = set()
    for left, right in judge.negatives:
        if judge.same(left, right):
            continue  # contradicting judgements: skip
        lefts = [m for m in judge.cluster(left) if m in entities]
        rights = [m for m in judge.cluster(right) if m in entities]
        if not lefts or not rights:
            continue
        pair = (rng.choice(lefts), rng.choice(rights))
        key = (min(pair), max(pair))
        if key not in seen and pair[0] != pair[1]:
            seen.add(key)
            yield pair
