"""Preparing an entity once for many comparisons (the screening index stores these).

:func:`prepare_entity` accepts a FollowTheMoney-style dict
(``{"schema": "Person", "properties": {"name": [...]}}``) or an ``EntityProxy`` and returns a
:class:`PreparedEntity`: name forms, the de-duplicated tokens of all names, an index from token
keys to tokens, parsed dates, identifiers, contacts,
countries and gender. Nothing in the comparison hot path touches FtM objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clearance.match.attributes import parse_countries, parse_gender
from clearance.match.dates import parse_dates
from clearance.match.identifiers import normalise_contact, parse_identifiers
from clearance.match.names import NameForm, name_forms
from clearance.match.similarity import allowed_edits
from clearance.match.tokens import WORD, Token

PERSON, ORG, LEGAL, VESSEL, AIRPLANE, ANY = "person", "org", "legal", "vessel", "airplane", "any"
_SCHEMA_KINDS = {
    "Person": PERSON,
    "Organization": ORG,
    "Company": ORG,
    "PublicBody": ORG,
    "LegalEntity": LEGAL,
    "Vessel": VESSEL,
    "Airplane": AIRPLANE,
}
_COMPATIBLE = {
    PERSON: {PERSON, LEGAL, ANY},
    ORG: {ORG, LEGAL, ANY},
    LEGAL: {PERSON, ORG, LEGAL, ANY},
    VESSEL: {VESSEL, ANY},
    AIRPLANE: {AIRPLANE, ANY},
    ANY: {PERSON, ORG, LEGAL, VESSEL, AIRPLANE, ANY},
}


RunEntry = tuple[int, int, str, int, int, str, int, int, str]
"""A run of name tokens a split / join may use: (entity position, length, text) of a token,
of the next token in the name and of the one after (-1, 0, "": none)."""

SplitTarget = tuple[int, int, int, str, str]
"""A token that may be a join of the other side's tokens: (entity position, length, typo
budget, text, fold key)."""


def schemas_compatible(a: str, b: str) -> bool:
    """Whether entities of these schema kinds can be the same thing."""
    return b in _COMPATIBLE[a]


def schema_kind(schema: str) -> str:
    """The matcher's kind of a FollowTheMoney schema name (``any`` when not a party)."""
    return _SCHEMA_KINDS.get(schema, ANY)


class PreparedEntity:
    """An entity reduced to what the matcher compares (see module doc)."""

    __slots__ = (
        "_split",
        "contacts",
        "countries",
        "dates",
        "gender",
        "identifiers",
        "index",
        "key_set",
        "kind",
        "name_key",
        "name_maps",
        "names",
        "positions",
        "schema",
        "signatures",
        "token_names",
        "tokens",
        "typo_by_length",
        "typo_items",
    )

    def __init__(self, schema: str, values: Mapping[str, list[str]]) -> None:
        self.schema = schema
        self.kind = schema_kind(schema)
        vals = {k: [str(v) for v in vs if v] for k, vs in values.items() if vs}
        person = self.kind in (PERSON, LEGAL, ANY)
        org = self.kind in (ORG, LEGAL, ANY)
        self.names: list[NameForm] = name_forms(vals, person, org)
        #: what the names of the entity are made of: entities with the same key have the same
        #: name forms (the same person on several lists) and so the same name score
        self.name_key = (self.kind, tuple((form.label, form.original) for form in self.names))
        unique: dict[int, int] = {}
        tokens: list[Token] = []
        positions: list[tuple[int, ...]] = []
        for form in self.names:
            pos = []
            for token in form.tokens:
                if id(token) not in unique:
                    unique[id(token)] = len(tokens)
                    tokens.append(token)
                pos.append(unique[id(token)])
            positions.append(tuple(pos))
        self.tokens: tuple[Token, ...] = tuple(tokens)
        token_names: list[list[int]] = [[] for _ in tokens]
        for n, name_pos in enumerate(positions):
            for j in set(name_pos):
                token_names[j].append(n)
        self.token_names: tuple[tuple[int, ...], ...] = tuple(tuple(n) for n in token_names)
        signatures: dict[tuple[int, ...], int] = {}
        for n, form in enumerate(self.names):
            if form.label != "weakAlias":
                signatures.setdefault(tuple(sorted(id(t) for t in form.tokens)), n)
        self.signatures = signatures
        self.positions: tuple[tuple[int, ...], ...] = tuple(positions)
        name_maps: list[dict[int, tuple[int, ...]]] = []
        for name_pos in positions:
            local: dict[int, tuple[int, ...]] = {}
            for b, j in enumerate(name_pos):
                local[j] = (*local.get(j, ()), b)
            name_maps.append(local)
        self.name_maps: tuple[dict[int, tuple[int, ...]], ...] = tuple(name_maps)
        self._split: SplitIndex | None = None
        self.dates = parse_dates(vals.get("birthDate", []))
        self.identifiers = parse_identifiers(vals)
        contacts = {
            normalise_contact(p, v) for p in ("email", "phone") for v in vals.get(p, ())[:16]
        }
        contacts.discard("")
        self.contacts = frozenset(contacts)
        self.countries = parse_countries(vals)
        self.gender = parse_gender(vals)
        index: dict[str, list[int]] = {}
        for j, token in enumerate(self.tokens):
            for key in token.index_keys:
                index.setdefault(key, []).append(j)
        self.index = index
        self.key_set = frozenset(index)
        self.typo_items: tuple[tuple[int, int, int, str], ...] = tuple(
            (len(token.key), token.mask, j, token.key)
            for j, token in enumerate(self.tokens)
            if token.kind == WORD and len(token.key) >= 4
        )
        by_length: dict[int, list[tuple[int, int, str]]] = {}
        for length, mask, j, key in self.typo_items:
            by_length.setdefault(length, []).append((mask, j, key))
        # the typo search only looks at keys of compatible length (at most 2 letters apart)
        self.typo_by_length: dict[int, tuple[tuple[int, int, str], ...]] = {
            length: tuple(items) for length, items in by_length.items()
        }

    def split_index(self) -> SplitIndex:
        """What the matcher's split / join bound looks up (made on first use: most prepared
        entities are never compared; :meth:`CandidateIndex.warm` makes it for all)."""
        found = self._split
        if found is None:
            found = self._split = SplitIndex(self.tokens, self.positions)
        return found

    def __repr__(self) -> str:
        return f"PreparedEntity({self.schema}, {self.names!r})"


class SplitIndex:
    """Where a split / join of the other side's tokens can find its parts in an entity (see
    :func:`clearance.match.align.split_join_masks`), and what each token can add to a name's
    matched weight."""

    __slots__ = (
        "length_index",
        "letter_windows",
        "run_index",
        "run_lengths",
        "short_heads",
        "split_letters",
        "split_targets",
        "split_windows",
        "token_caps",
    )

    def __init__(self, tokens: tuple[Token, ...], positions: tuple[tuple[int, ...], ...]) -> None:
        # first two letters of a token -> the distinct runs (token, next token, the one
        # after) starting with it in a name, shortest first token first
        runs: dict[str, dict[RunEntry, None]] = {}
        for name_pos in positions:
            last = len(name_pos)
            for p, j in enumerate(name_pos):
                first = tokens[j]
                nj = name_pos[p + 1] if p + 1 < last else -1
                nj2 = name_pos[p + 2] if p + 2 < last else -1
                entry: RunEntry = (
                    j,
                    first.length,
                    first.text,
                    nj,
                    tokens[nj].length if nj >= 0 else 0,
                    tokens[nj].text if nj >= 0 else "",
                    nj2,
                    tokens[nj2].length if nj2 >= 0 else 0,
                    tokens[nj2].text if nj2 >= 0 else "",
                )
                runs.setdefault(first.head2, {})[entry] = None
        self.run_index: dict[str, tuple[RunEntry, ...]] = {
            head: tuple(sorted(found, key=lambda entry: entry[1])) for head, found in runs.items()
        }
        # per head: a bit mask of the lengths a join starting there can have — two or three
        # tokens in name order, or the first token and any token of the entity (a cheap test
        # that skips a target no run can reach within its edit budget)
        any_length = 0
        for token in tokens:
            any_length |= 1 << token.length
        run_lengths: dict[str, int] = {}
        for head, entries in self.run_index.items():
            mask = 0
            for entry in entries:
                flen = entry[1]
                mask |= any_length << flen
                if entry[3] >= 0:
                    mask |= 1 << (flen + entry[4])
                    if entry[6] >= 0:
                        mask |= 1 << (flen + entry[4] + entry[7])
            run_lengths[head] = mask
        #: first letters of a run -> bit mask of the lengths its joins can have
        self.run_lengths = run_lengths
        #: the one-letter heads of run_index (runs starting with an initial)
        self.short_heads = tuple(head for head in self.run_index if len(head) == 1)
        lengths: dict[int, list[tuple[int, str]]] = {}
        for j, token in enumerate(tokens):
            lengths.setdefault(token.length, []).append((j, token.text))
        #: token length -> (position, text) of the tokens that long
        self.length_index: dict[int, tuple[tuple[int, str], ...]] = {
            length: tuple(found) for length, found in lengths.items()
        }
        # tokens that may be a join of the other side's tokens, by their first two letters
        # and by their first letter
        by_head: dict[str, list[SplitTarget]] = {}
        by_letter: dict[str, list[SplitTarget]] = {}
        for j, t in enumerate(tokens):
            if t.splittable:
                target = (j, t.length, allowed_edits(t.length), t.text, t.key)
                by_head.setdefault(t.head2, []).append(target)
                by_letter.setdefault(t.head2[:1], []).append(target)
        self.split_targets: dict[str, tuple[SplitTarget, ...]] = {
            head: tuple(found) for head, found in by_head.items()
        }
        self.split_letters: dict[str, tuple[SplitTarget, ...]] = {
            head: tuple(found) for head, found in by_letter.items()
        }
        #: per head (and per first letter): a bit mask of the lengths a join must have to
        #: reach one of its targets within the target's edit budget
        self.split_windows = _windows(self.split_targets)
        self.letter_windows = _windows(self.split_letters)
        # per token: its weight times the most times it occurs in one name (what it can add
        # to a name's matched weight; see Matcher._best_name)
        caps = [0.0] * len(tokens)
        for name_pos in positions:
            for j in set(name_pos):
                caps[j] = max(caps[j], tokens[j].weight * name_pos.count(j))
        self.token_caps: tuple[float, ...] = tuple(caps)


def length_window(size: int, budget: int) -> int:
    """Bit mask of the lengths within ``budget`` of ``size``."""
    low = size - budget
    full = (2 << (2 * budget)) - 1
    return full << low if low >= 0 else full >> -low


def _windows(targets: dict[str, tuple[SplitTarget, ...]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for head, found in targets.items():
        mask = 0
        for target in found:
            mask |= length_window(target[1], target[2])
        out[head] = mask
    return out


def _properties(entity: Any) -> tuple[str, Mapping[str, list[str]]]:
    if isinstance(entity, Mapping):
        schema = str(entity.get("schema") or "Thing")
        props = entity.get("properties") or {}
        out = {}
        for key, value in props.items():
            out[str(key)] = [value] if isinstance(value, str) else list(value or ())
        return schema, out
    schema_obj = getattr(entity, "schema", None)
    props_obj = getattr(entity, "properties", None)
    if schema_obj is None or props_obj is None:
        raise TypeError(f"cannot match a {type(entity).__name__}: need a dict or an EntityProxy")
    return str(getattr(schema_obj, "name", schema_obj)), {k: list(v) for k, v in props_obj.items()}


def prepare_entity(entity: Any) -> PreparedEntity:
    """Prepare an FtM-style dict or EntityProxy (a PreparedEntity is returned unchanged)."""
    if isinstance(entity, PreparedEntity):
        return entity
    schema, values = _properties(entity)
    return PreparedEntity(schema, values)
