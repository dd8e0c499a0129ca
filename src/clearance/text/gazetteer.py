"""The gazetteer: an Aho-Corasick automaton over the normalised names of every indexed entity.

Patterns per entity: every name, alias, weak alias and previous name; for persons also
"first last", "last first" and "first middle last" (from name parts or "LAST, First" names); for
organisations the name without legal forms and hyphenated compounds ("ALMAZ-ANTEY") on their own.
Each pattern maps to at most :data:`MAX_ENTITIES_PER_PATTERN` index positions. The automaton is
built once per index (its key is the index directory name) and pickled under ``root/<key>/``.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ahocorasick

from clearance.index import CandidateIndex
from clearance.match.legal_forms import is_legal_form, replace_legal_forms
from clearance.text.tokens import normalise_name

GAZETTEER_VERSION = "gazetteer-3"
MAX_ENTITIES_PER_PATTERN = 20
MIN_PATTERN_CHARS = 3
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")


def _person_variants(props: dict[str, list[str]]) -> Iterator[str]:
    firsts = props.get("firstName") or []
    lasts = props.get("lastName") or []
    for name in props.get("name", []) + props.get("alias", []):
        last, sep, first = name.partition(",")
        if sep and first.strip():
            firsts.append(first.strip())
            lasts.append(last.strip())
    for first in firsts:
        given = first.split()
        for last in lasts:
            yield f"{first} {last}"
            if given:
                yield f"{given[0]} {last}"
                yield f"{last} {given[0]}"


def _org_variants(name: str) -> Iterator[str]:
    words = normalise_name(name).split()
    core = [w for w in replace_legal_forms(" ".join(words)).split() if not is_legal_form(w)]
    if core and core != words:
        yield " ".join(core)
    for raw in name.split():
        if raw.count("-") == 1:
            left, right = raw.split("-")
            if len(left) >= 3 and len(right) >= 3:
                yield raw


def entity_patterns(schema: str, props: dict[str, list[str]]) -> set[str]:
    """The normalised patterns of one entity."""
    raw: list[str] = []
    for prop in NAME_PROPS:
        for value in props.get(prop, []):
            # a one-word weak alias ("Serb", "Ismail") is noise unless it is an acronym
            if prop == "weakAlias" and " " not in normalise_name(value) and len(value) > 5:
                continue
            raw.append(value)
    if schema == "Person":
        raw.extend(_person_variants(props))
    else:
        for name in props.get("name", []) + props.get("alias", []):
            raw.extend(_org_variants(name))
    out = set()
    for value in raw:
        norm = normalise_name(value)
        if len(norm) >= MIN_PATTERN_CHARS:
            out.add(norm)
    return out


def build_automaton(index: CandidateIndex) -> Any:
    """The automaton: normalised pattern → (pattern, tuple of index positions)."""
    table: dict[str, list[int]] = {}
    for n in range(index.size):
        record = index.record(n)
        for pattern in entity_patterns(record.schema, record.properties):
            found = table.setdefault(pattern, [])
            if len(found) < MAX_ENTITIES_PER_PATTERN:
                found.append(n)
    automaton = ahocorasick.Automaton()
    for pattern, positions in table.items():
        automaton.add_word(pattern, (pattern, tuple(positions)))
    automaton.make_automaton()
    return automaton


def gazetteer_root(index: CandidateIndex) -> Path:
    """Default cache: ``<index root>/../gazetteer`` (``$CLEARANCE_HOME/gazetteer``)."""
    return index.path.parent.parent / "gazetteer"


def load_automaton(index: CandidateIndex, root: Path | None = None) -> Any:
    """The automaton of ``index``: read from the cache, else built and cached atomically."""
    folder = (root or gazetteer_root(index)) / f"{index.path.name}-{GAZETTEER_VERSION}"
    path = folder / "automaton.pkl"
    if path.is_file():
        with path.open("rb") as fh:
            return pickle.load(fh)
    automaton = build_automaton(index)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(automaton, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return automaton
