"""Spark-only behaviour: the index reaches the executors as a shipped copy, opened once per
Python worker; the CLI runs a file on Spark with the local engine's output."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyspark import SparkFiles
from pyspark.sql import SparkSession
from typer.testing import CliRunner

from clearance.cli import app
from clearance.engines import EngineError, open_engine
from clearance.engines.spark import (
    SparkEngine,
    SparkSettings,
    choose_master,
    executor_screener,
    failure,
)
from tests.engines.conftest import write_book
from tests.index.factory import SmallWorld


def test_executors_open_the_shipped_index_once_per_worker(
    spark: SparkSession, world: SmallWorld
) -> None:
    engine = open_engine("spark", world.index.path, session=spark)
    assert isinstance(engine, SparkEngine)
    name = engine.shipped

    def where(part: Iterable[int]) -> Iterator[tuple[int, str, int, str]]:
        # defined here so that cloudpickle ships it by value (tests/ is not on the workers)
        for _ in part:
            screener = executor_screener(name)
            yield os.getpid(), str(screener.index.path), id(screener), SparkFiles.getRootDirectory()

    rdd = spark.sparkContext.parallelize(range(24), 12)
    seen = rdd.mapPartitions(where).collect()
    assert len(seen) == 24
    for _pid, path, _id, root in seen:
        assert Path(path).parent == Path(root)  # the copy under SparkFiles, not the driver's
        assert Path(path).name == world.index.path.name
        assert Path(path) != world.index.path
        assert (Path(path) / "manifest.json").read_bytes() == (
            world.index.path / "manifest.json"
        ).read_bytes()
    by_worker: dict[int, set[int]] = {}
    for pid, _path, ident, _root in seen:
        by_worker.setdefault(pid, set()).add(ident)
    assert all(len(ids) == 1 for ids in by_worker.values())
    engine.close()  # a session the engine did not start is left running
    assert spark.sparkContext._jsc is not None
    assert spark.range(3).count() == 3


def test_cli_engine_option_gives_the_same_file(
    spark: SparkSession, world: SmallWorld, book: list[dict[str, str]], tmp_path: Path
) -> None:
    src = write_book(tmp_path / "book.csv", book[:120])
    env = {"CLEARANCE_HOME": str(world.home), "COLUMNS": "200"}
    outputs = {}
    for name in ("local", "spark"):
        out = tmp_path / f"{name}.csv"
        args = ["screen", str(src), "-o", str(out), "--engine", name, "--workers", "2"]
        result = CliRunner().invoke(app, args, env=env)
        assert result.exit_code == 0, result.stderr
        assert "120 row(s) screened" in result.stderr
        outputs[name] = out.read_bytes()
    assert outputs["spark"] == outputs["local"]
    assert outputs["local"].count(b"\n") > 20
    bad = CliRunner().invoke(
        app, ["screen", str(src), "-o", str(tmp_path / "x.csv"), "--engine", "dask"], env=env
    )
    assert bad.exit_code == 1 and "unknown engine 'dask'" in bad.stderr


@pytest.mark.parametrize(
    ("option", "setting", "submitted", "workers", "expected"),
    [
        ("spark://h:7077", "yarn", False, 2, "spark://h:7077"),
        (None, "yarn", True, 2, "yarn"),
        (None, None, True, 2, None),
        (None, None, False, 3, "local[3]"),
        (None, None, False, 0, "local[8]"),
    ],
)
def test_master_choice(
    option: str | None, setting: str | None, submitted: bool, workers: int, expected: str | None
) -> None:
    assert choose_master(option, setting, submitted, workers, cpus=8) == expected


def test_the_master_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_SPARK_MASTER", "spark://head:7077")
    assert SparkSettings().master == "spark://head:7077"


def test_a_failing_spark_job_is_an_engine_error(
    spark: SparkSession, world: SmallWorld, book: list[dict[str, str]]
) -> None:
    engine = open_engine("spark", world.index.path, session=spark)
    assert isinstance(engine, SparkEngine)
    engine.shipped = "no-such-index"  # the executors cannot find it
    with pytest.raises(EngineError, match=r"Spark job failed: .*no-such-index") as caught:
        list(engine.screen_many(book[:10]))
    assert "\n" not in str(caught.value)
    engine.close()


@given(st.text())
def test_a_spark_failure_is_always_one_line(message: str) -> None:
    shown = failure(RuntimeError(message))
    assert "\n" not in shown and "\r" not in shown
    assert shown


def test_a_spark_failure_shows_the_python_error_of_the_executor() -> None:
    message = (
        "An exception was thrown from the Python worker:\nTraceback (most recent call last):\n"
        '  File "x.py", line 1, in f\n    raise IndexCorrupt(p)\n'
        "clearance.index.storage.IndexCorrupt: /x: unreadable index array\n\n"
        "JVM stacktrace:\norg.apache.spark.SparkException: Job aborted: boom\n\tat x.y(z)\n"
    )
    shown = failure(RuntimeError(message))
    assert shown == "clearance.index.storage.IndexCorrupt: /x: unreadable index array"
