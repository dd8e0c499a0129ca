"""The record of one labelled pair in the development set, and query construction helpers."""

from __future__ import annotations

import random
from typing import Any

from bench.quality.lists import EntityDict
from bench.quality.scripts import script_of

Pair = dict[str, Any]
SECONDARY = ("birthDate", "nationality", "country")


def make_pair(
    kind: str,
    variant: str,
    query: EntityDict,
    candidate: EntityDict,
    source: str,
    detail: str = "",
) -> Pair:
    """A pair record; ``script`` is the script of the query's first name."""
    names = query["properties"].get("name", []) or [""]
    return {
        "id": "",  # numbered by the builder once the set is final
        "kind": kind,
        "variant": variant,
        "script": script_of(names[0]),
        "schema": query["schema"],
        "query": query,
        "candidate": candidate,
        "source": source,
        "detail": detail,
    }


def name_query(
    schema: str, name: str, like: EntityDict | None = None, rng: random.Random | None = None
) -> EntityDict:
    """A query with one name; with ``like`` and ``rng``, sometimes the candidate's birth date
    (30 %, exact or year only) and nationality/country (20 %), as a customer record would carry."""
    props: dict[str, list[str]] = {"name": [name]}
    if like is not None and rng is not None:
        cprops = like["properties"]
        dobs = cprops.get("birthDate", [])
        if dobs and rng.random() < 0.3:
            dob = rng.choice(dobs)
            props["birthDate"] = [dob[:4] if rng.random() < 0.3 else dob]
        for prop in ("nationality", "country"):
            if cprops.get(prop) and rng.random() < 0.2:
                props[prop] = [rng.choice(cprops[prop])]
    return {"id": "query", "schema": schema, "properties": props}


def without_scripts(entity: EntityDict, keep: str = "latin") -> EntityDict:
    """A copy of ``entity`` whose name values are all in script ``keep``."""
    props: dict[str, list[str]] = {}
    for prop, values in entity["properties"].items():
        if prop in (
            "name",
            "alias",
            "weakAlias",
            "previousName",
            "firstName",
            "lastName",
            "middleName",
            "fatherName",
            "secondName",
            "thirdName",
        ):
            values = [v for v in values if script_of(v) in (keep, "none")]
        if values:
            props[prop] = values
    return {**entity, "properties": props}
