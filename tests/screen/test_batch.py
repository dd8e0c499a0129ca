"""Batch screening of files: output rows, broken rows, formats, and resume after SIGKILL."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from clearance.screen import Screener, batch
from clearance.screen.batch import BatchError, BatchRun
from tests.index.factory import SmallWorld

NAMES = [
    "Abd al-Rahman Khalaf al-Anizi",
    "Bank of East Land",
    "Green Pine Associated Corp",
    "Jane Nobody",
    "Abd Al-Rahman Salim",
    "Annexfield Limited",
]


def _write_input(path: Path, rows: int, broken_at: int | None = None) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "schema", "name", "birth_date", "nationality", "country"])
        for n in range(1, rows + 1):
            name = "" if n == broken_at else NAMES[n % len(NAMES)]
            writer.writerow([f"q{n}", "", name, "", "", ""])


def _run(world: SmallWorld, src: Path, out: Path, **kw: int) -> BatchRun:
    run = BatchRun(Screener(world.index), src, out, {"limit": 3}, **kw)
    run.run()
    return run


def test_output_rows_and_broken_row_report(world: SmallWorld, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write_input(src, 12, broken_at=5)
    out = tmp_path / "out.csv"
    run = BatchRun(Screener(world.index), src, out, {"limit": 3}, workers=1, chunk_size=4)
    report = run.run()
    assert report.rows == 12
    assert [(e["row"], e["where"]) for e in report.errors] == [(5, "line 6")]
    errors = [json.loads(x) for x in (tmp_path / "out.csv.errors.jsonl").read_text().splitlines()]
    assert errors[0]["row"] == 5 and "empty query" in errors[0]["error"]
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and report.hits == len(rows)
    ids = {r["query_id"] for r in rows}
    assert "q5" not in ids and "q3" not in ids  # broken row; "Jane Nobody" has no hit
    first = next(r for r in rows if r["query_id"] == "q6")  # NAMES[0]
    assert first["entity_id"] == "unsc-6908399"
    assert first["source"] == "un_sc_sanctions" and first["programs"] == "Al-Qaida"
    assert float(first["score"]) >= 0.7 and first["explanation"]
    assert not (tmp_path / "out.csv.parts").exists()


def test_formats_agree_and_workers_agree(world: SmallWorld, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write_input(src, 10)
    _run(world, src, tmp_path / "a.jsonl", workers=1, chunk_size=3)
    _run(world, src, tmp_path / "b.parquet", workers=2, chunk_size=3)
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    table = pq.read_table(tmp_path / "b.parquet").to_pylist()
    assert lines == table


def test_leftovers_of_another_run_are_refused(world: SmallWorld, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write_input(src, 3)
    parts = tmp_path / "out.csv.parts"
    parts.mkdir()
    (parts / "journal.json").write_text('{"input": "something else"}')
    with pytest.raises(BatchError, match="different run"):
        _run(world, src, tmp_path / "out.csv", workers=1)
    with pytest.raises(BatchError, match="suffix"):
        BatchRun(Screener(world.index), src, tmp_path / "out.xlsx", {})


def _cli(world: SmallWorld, *args: str) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, CLEARANCE_HOME=str(world.home))
    code = "from clearance.cli import main; main()"
    return [sys.executable, "-c", code, "screen", *args], env


def test_resume_after_sigkill_gives_the_same_output(world: SmallWorld, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write_input(src, 600, broken_at=7)
    reference = tmp_path / "ref.csv"
    _run(world, src, reference, workers=1, chunk_size=10)

    out = tmp_path / "out.csv"
    parts = tmp_path / "out.csv.parts"
    args, env = _cli(
        world, str(src), "-o", str(out), "--workers", "1", "--chunk-size", "10", "--limit", "3"
    )
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if len(list(parts.glob("chunk-*[0-9].jsonl"))) >= 3:
            break
        if proc.poll() is not None:
            pytest.fail("the batch run ended before it could be interrupted")
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("chunk-*[0-9].jsonl")))
    assert 3 <= done < 60, done
    assert not out.exists()

    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "resumed" in result.stderr
    assert "row 7" in result.stderr
    assert out.read_text() == reference.read_text()
    with open(out, encoding="utf-8") as fh:
        keys = [(r["query_id"], r["entity_id"]) for r in csv.DictReader(fh)]
    assert len(keys) == len(set(keys))  # no duplicated output row


def test_workers_inherit_a_warmed_index_and_agree(world: SmallWorld, tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write_input(src, 10)
    cold = BatchRun(Screener(world.index), src, tmp_path / "a.jsonl", {"limit": 3}, workers=1)
    cold.run()
    screener = Screener(world.index)
    run = BatchRun(screener, src, tmp_path / "b.jsonl", {"limit": 3}, workers=2, warm=True)
    run.run()
    assert batch._SHARED is screener  # the parent prepared the entities once for the workers
    assert screener.index.prepared_count == world.index.size
    assert (tmp_path / "a.jsonl").read_text() == (tmp_path / "b.jsonl").read_text()
