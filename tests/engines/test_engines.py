"""One suite for both engine backends (local worker processes, Spark local[2]): each must give
exactly what the in-process ``Screener`` gives — same queries, hits, scores, order, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clearance.engines import Engine, EngineError, open_engine
from clearance.screen import InvalidQuery, Screener, ScreenResult
from clearance.screen.batch import BatchReport, BatchRun, screen_chunk
from clearance.screen.readers import read_rows
from tests.engines.conftest import write_book
from tests.index.factory import SmallWorld

Found = list[tuple[str | None, list[tuple[str, float]]]]


def _found(results: list[ScreenResult]) -> Found:
    return [(r.query_id, [(h.entity_id, h.score) for h in r.hits]) for r in results]


def test_same_hits_as_in_process(
    engine: Engine, world: SmallWorld, book: list[dict[str, str]]
) -> None:
    expected = _found(list(Screener(world.index).screen_many(book)))
    got = _found(list(engine.screen_many(book)))
    assert got == expected  # order, query ids, entity ids and exact scores
    hits = {(q, e) for q, found in got for e, _ in found}
    assert len(hits) > 75  # a quarter of the book are listed names
    assert [q for q, _ in got] == [row["id"] for row in book]


def test_options_reach_the_workers(
    engine: Engine, world: SmallWorld, book: list[dict[str, str]]
) -> None:
    options: dict[str, Any] = {"schema": "Organization", "limit": 1, "threshold": 0.8}
    expected = _found(list(Screener(world.index).screen_many(book, **options)))
    got = list(engine.screen_many(book, **options))
    assert _found(got) == expected
    assert all(len(r.hits) <= 1 and r.threshold == 0.8 for r in got)
    assert {h.schema for r in got for h in r.hits} <= {"Organization", "Company", "PublicBody"}
    assert any(r.hits for r in got)


def test_an_invalid_query_raises_at_its_position(
    engine: Engine, book: list[dict[str, str]]
) -> None:
    queries: list[Any] = [*book[:120], {"id": "bad", "name": "  "}, *book[120:]]
    seen: list[str | None] = []
    with pytest.raises(InvalidQuery, match="empty query"):
        for result in engine.screen_many(queries):
            seen.append(result.query_id)
    assert seen == [row["id"] for row in book[:120]]


def test_a_bad_option_fails_before_screening(engine: Engine, book: list[dict[str, str]]) -> None:
    with pytest.raises(ValueError, match="threshold"):
        list(engine.screen_many(book, threshold=1.5))


def test_a_file_gives_the_local_batch_output(
    engine: Engine, world: SmallWorld, book: list[dict[str, str]], tmp_path: Path
) -> None:
    rows: list[dict[str, Any]] = [*book[:200], {"id": "broken", "name": ""}, *book[200:]]
    src = write_book(tmp_path / "book.csv", rows)
    reference = tmp_path / "reference.jsonl"
    BatchRun(Screener(world.index), src, reference, {"limit": 5}, workers=1).run()
    out = tmp_path / "out.jsonl"
    advanced: list[int] = []
    report = engine.screen_file(src, out, progress=advanced.append, limit=5)
    assert out.read_bytes() == reference.read_bytes()
    assert report.rows == len(rows) == sum(advanced)
    assert report.hits == len(out.read_bytes().splitlines()) > 75
    assert [(e["row"], e["where"]) for e in report.errors] == [(201, "line 202")]
    errors = (tmp_path / "out.jsonl.errors.jsonl").read_text("utf-8").splitlines()
    assert json.loads(errors[0])["row"] == 201
    assert not (tmp_path / "out.jsonl.parts").exists()


def test_unknown_engine_and_missing_index_are_clear_errors(
    world: SmallWorld, tmp_path: Path
) -> None:
    with pytest.raises(EngineError, match="unknown engine 'hadoop'; known: local, spark"):
        open_engine("hadoop", world.index.path)
    with pytest.raises(EngineError, match="not a screening index"):
        open_engine("local", tmp_path)


def test_a_run_resumes_the_chunks_another_engine_committed(
    engine: Engine, world: SmallWorld, book: list[dict[str, str]], tmp_path: Path
) -> None:
    src = write_book(tmp_path / "book.csv", book[:130])
    reference = tmp_path / "reference.jsonl"
    BatchRun(Screener(world.index), src, reference, {"limit": 5}, workers=1, chunk_size=40).run()
    out = tmp_path / "out.jsonl"
    # an interrupted in-process run: the parts folder with chunk 1 of 4 committed
    first = BatchRun(Screener(world.index), src, out, {"limit": 5}, workers=1, chunk_size=40)
    first._prepare_parts()
    rows = list(read_rows(src))
    first._store(screen_chunk(first.screener, {"limit": 5}, (1, rows[40:80])), BatchReport(out))
    report = engine.screen_file(src, out, limit=5)
    assert report.resumed_chunks == 1 and report.chunks == 3 and report.rows == 90
    assert out.read_bytes() == reference.read_bytes()


def test_the_local_engine_never_imports_pyspark() -> None:
    code = (
        "import sys, clearance.engines, clearance.engines.local, clearance.cli.screen\n"
        "assert 'pyspark' not in sys.modules, 'pyspark imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
