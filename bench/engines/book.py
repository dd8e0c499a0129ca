"""A synthetic customer book for the engine benchmark: Faker multi-locale people and companies
(the generator of :mod:`bench.screen.speed`) with a known set of listed persons planted at
seeded random rows.

    python -m bench.engines.book --rows 1000000 --planted 10000 --out var/engines/book-1m.csv

Writes the CSV (query columns of docs/screening.md) and ``<out>.truth.json``: planted row id →
the listed entity (id, caption) whose name was used. Planted names are the list caption as
published, or its tokens reversed, or re-cased — forms the matcher must still recognise.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.screen.speed import faker_records

from clearance.index import CandidateIndex

COLUMNS = ("id", "schema", "name", "birth_date", "nationality", "country", "identifiers")
BLOCK = 10_000


def listed_people(index: CandidateIndex, count: int, seed: int) -> list[dict[str, str]]:
    """``count`` distinct listed persons of the index (seeded sample), name forms varied."""
    rng = random.Random(seed)
    people = [n for n in range(index.size) if index.record(n).schema == "Person"]
    out = []
    for n in rng.sample(people, count):
        record = index.record(n)
        name = record.caption
        tokens = name.split()
        form = rng.randrange(3)
        if form == 1 and len(tokens) > 1:
            name = " ".join(reversed(tokens))
        elif form == 2:
            name = name.title()
        out.append({"entity_id": record.id, "caption": record.caption, "name": name})
    return out


def book_rows(
    rows: int, planted: list[dict[str, str]], seed: int
) -> Iterator[tuple[dict[str, Any], dict[str, str] | None]]:
    """(customer row, planted listed person or None), ``rows`` of them, ids ``c0``…"""
    rng = random.Random(seed)
    at = dict(zip(sorted(rng.sample(range(rows), len(planted))), planted, strict=True))
    n = 0
    block = 0
    while n < rows:
        for record in faker_records(min(BLOCK, rows - n), seed=seed + 1000 * block):
            person = at.get(n)
            record = dict(record, id=f"c{n}")
            if person is not None:
                record.update(schema="Person", name=person["name"], birth_date="", nationality="")
            yield record, person
            n += 1
        block += 1


def write_book(
    index: CandidateIndex, out: Path, rows: int, planted: int, seed: int = 23
) -> dict[str, Any]:
    """Write the book CSV and its truth file; a summary."""
    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    truth: dict[str, dict[str, str]] = {}
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        for record, person in book_rows(rows, listed_people(index, planted, seed), seed):
            writer.writerow(record)
            if person is not None:
                truth[record["id"]] = person
    Path(f"{out}.truth.json").write_text(json.dumps(truth, ensure_ascii=False), "utf-8")
    return {"rows": rows, "planted": planted, "seconds": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="full-catalog index directory")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--planted", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("var/engines/book-1m.csv"))
    args = parser.parse_args()
    print(write_book(CandidateIndex(args.index), args.out, args.rows, args.planted))


if __name__ == "__main__":
    main()
