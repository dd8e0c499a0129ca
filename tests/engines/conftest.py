"""Fixtures of the engine tests: the small real store, one Spark session, a customer book.

One session-scoped ``local[2]`` Spark session serves every test (the JVM takes seconds to
start); engines opened in this process find it and never stop it.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyspark.sql import SparkSession

from clearance.engines import Engine, open_engine
from clearance.index import CandidateIndex
from tests.index.factory import SmallWorld, small_world

BOOK_COLUMNS = ("id", "schema", "name", "birth_date", "nationality", "country", "identifiers")


@pytest.fixture(scope="session")
def world(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> SmallWorld:
    return small_world(lists_dir, tmp_path_factory.getbasetemp() / "small-world")


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    from clearance.engines.spark import spark_session

    session, _ = spark_session(
        2,
        "local[2]",
        {
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.driver.memory": "1g",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(params=["local", "spark"])
def engine(request: pytest.FixtureRequest, world: SmallWorld) -> Iterator[Engine]:
    """Each backend in turn; small chunks so that both really run in parallel workers."""
    if request.param == "spark":
        session = request.getfixturevalue("spark")
        found = open_engine("spark", world.index.path, 2, session=session, chunk_size=40)
    else:
        found = open_engine("local", world.index.path, 2, chunk_size=40, min_parallel=50)
    yield found
    found.close()


def make_book(index: CandidateIndex, size: int, seed: int = 5) -> list[dict[str, str]]:
    """Customers: real listed names (exact, re-cased, tokens reversed, a letter dropped) among
    Faker people and companies of several locales; each row a flat query record."""
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker(["en_US", "de_DE", "fr_FR", "ru_RU", "ar_AA", "tr_TR"])
    fake.seed_instance(seed)
    listed = rng.sample(range(index.size), size // 4)
    rows: list[dict[str, str]] = []
    for n in listed:
        record = index.record(n)
        name = record.caption
        tokens = name.split()
        form = rng.randrange(4)
        if form == 1:
            name = name.lower() if rng.random() < 0.5 else name.title()
        elif form == 2 and len(tokens) > 1:
            name = " ".join(reversed(tokens))
        elif form == 3 and len(name) > 6:
            cut = rng.randrange(1, len(name) - 1)
            name = name[:cut] + name[cut + 1 :]
        schema = record.schema if record.schema in ("Person", "Organization", "Company") else ""
        rows.append({"schema": schema, "name": name})
    while len(rows) < size:
        if rng.random() < 0.7:
            rows.append({"schema": "Person", "name": fake.name(), "nationality": "de"})
        else:
            rows.append({"schema": "Company", "name": fake.company(), "country": "fr"})
    rng.shuffle(rows)
    return [{"id": f"c{i}", **row} for i, row in enumerate(rows)]


def write_book(path: Path, rows: list[dict[str, Any]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, BOOK_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def book(world: SmallWorld) -> list[dict[str, str]]:
    return make_book(world.index, 300)
