"""Batch screening of a file, on all cores, resumable after an interruption.

The input is cut into numbered chunks of ``chunk_size`` rows. Each chunk is screened by a
worker process (the index is opened — memory-mapped — once per worker) and its output rows are
*committed* as ``<output>.parts/chunk-NNNNNN.jsonl``: written under a temporary name and renamed,
so a chunk file is either complete or absent. Broken rows of the chunk go to
``chunk-NNNNNN.errors.jsonl``, committed first. ``journal.json`` in the same folder records the
input (path, size, mtime), the options and the index; a re-run with the same arguments skips
committed chunks, so an interrupted run (even SIGKILL) continues where it stopped and no output
row is written twice. When every chunk is done the chunks are assembled into ``<output>``
(CSV / JSONL / Parquet), errors into ``<output>.errors.jsonl``, and the parts folder is removed.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from clearance.errors import ClearanceError
from clearance.index import CandidateIndex
from clearance.screen.readers import InputRow, count_rows, read_rows
from clearance.screen.service import Screener
from clearance.screen.writers import OUTPUT_FORMATS, encode_rows, hit_rows, write_output

Chunk = tuple[int, list[InputRow]]
ChunkDone = tuple[int, bytes, list[dict[str, Any]], int]


class BatchError(ClearanceError):
    """A batch run cannot start or continue (bad output path, a different run's leftovers)."""


@dataclass
class BatchReport:
    """What a batch run did."""

    output: Path
    rows: int = 0
    hits: int = 0
    chunks: int = 0
    resumed_chunks: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


_WORKER: Screener | None = None
_OPTIONS: dict[str, Any] = {}
_SHARED: Screener | None = None
"""A warmed screener of the parent process, inherited by forked workers (see share_warm)."""
WARM_ROWS = 20_000
"""Inputs of at least this many rows warm the index in the parent before forking workers."""


def share_warm(screener: Screener) -> None:
    """Prepare every list entity of ``screener`` here, for the workers forked next.

    Why: a cold worker prepares each list entity it meets (~0.3-0.4 ms each, ~50,000 of them
    for the full catalog) — for a long run, each worker pays that again. Prepared once in the
    parent, the entities are inherited by forked workers (copy-on-write pages), and
    :func:`_init_worker` uses the inherited screener instead of opening the index afresh.
    Spawned workers (no fork) still open the index themselves.
    """
    global _SHARED
    screener.warm()
    _SHARED = screener


def _init_worker(index_path: str, options: dict[str, Any]) -> None:
    """Pool initialiser: the worker's screener (the parent's warmed one when inherited)."""
    global _WORKER, _OPTIONS
    shared = _SHARED
    if shared is not None and str(shared.index.path) == index_path:
        _WORKER = shared
    else:
        _WORKER = Screener(CandidateIndex(Path(index_path)))
    _OPTIONS = options


def screen_chunk(screener: Screener, options: dict[str, Any], chunk: Chunk) -> ChunkDone:
    """Screen the rows of one chunk: (number, output JSON lines, row errors, queries screened)."""
    number, rows = chunk
    out: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    screened = 0
    for row in rows:
        if row.query is None:
            errors.append({"row": row.row, "where": row.where, "error": row.error})
            continue
        try:
            result = screener.screen(row.query, **options)
        except ClearanceError as exc:
            errors.append({"row": row.row, "where": row.where, "error": str(exc)})
            continue
        screened += 1
        out.extend(hit_rows(row.row, result))
    return number, encode_rows(out), errors, screened


def _worker_chunk(chunk: Chunk) -> ChunkDone:
    assert _WORKER is not None
    return screen_chunk(_WORKER, _OPTIONS, chunk)


def _chunks(rows: Iterator[InputRow], size: int) -> Iterator[Chunk]:
    number = 0
    while True:
        block = list(islice(rows, size))
        if not block:
            return
        yield number, block
        number += 1


def _commit(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class BatchRun:
    """One batch run of ``input`` into ``output`` (see module doc)."""

    def __init__(
        self,
        screener: Screener,
        input_path: Path,
        output: Path,
        options: dict[str, Any],
        *,
        workers: int = 0,
        chunk_size: int = 500,
        warm: bool | None = None,
    ) -> None:
        if output.suffix.lower() not in OUTPUT_FORMATS:
            raise BatchError(f"{output}: unsupported output suffix; use .csv, .jsonl or .parquet")
        if chunk_size < 1:
            raise BatchError("chunk size must be at least 1")
        self.screener = screener
        self.input = input_path
        self.output = output
        self.options = options
        self.workers = workers or os.cpu_count() or 1
        self.chunk_size = chunk_size
        #: warm the index before forking workers (None: when the input has WARM_ROWS rows)
        self.warm = warm
        self.parts = output.with_name(output.name + ".parts")

    def _journal(self) -> dict[str, Any]:
        stat = self.input.stat()
        return {
            "input": str(self.input.resolve()),
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "options": self.options,
            "chunk_size": self.chunk_size,
            "index": self.screener.index.path.name,
            "output": str(self.output.resolve()),
        }

    def _prepare_parts(self) -> set[int]:
        """Create or check the parts folder; the numbers of chunks already committed."""
        journal = self._journal()
        path = self.parts / "journal.json"
        if self.parts.exists():
            try:
                old = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                old = None
            if old != journal:
                differ = sorted(
                    k for k in journal if not isinstance(old, dict) or old.get(k) != journal[k]
                )
                raise BatchError(
                    f"{self.parts} holds a different run (its {', '.join(differ)} differ); "
                    "delete it to start afresh"
                )
        else:
            self.parts.mkdir(parents=True)
            _commit(path, json.dumps(journal, indent=1).encode())
        done = set()
        for file in self.parts.glob("chunk-*.jsonl"):
            stem = file.name[len("chunk-") : -len(".jsonl")]
            if stem.isdigit():
                done.add(int(stem))
        return done

    def _chunk_path(self, number: int, kind: str = "") -> Path:
        return self.parts / f"chunk-{number:06d}{kind}.jsonl"

    def _store(self, done: ChunkDone, report: BatchReport) -> None:
        number, data, errors, screened = done
        _commit(self._chunk_path(number, ".errors"), encode_rows(errors))
        _commit(self._chunk_path(number), data)
        report.chunks += 1
        report.rows += screened + len(errors)

    def run(self, progress: Callable[[int], None] | None = None) -> BatchReport:
        """Screen every row not done yet, then assemble the output (see module doc)."""
        report = BatchReport(self.output)
        done = self._prepare_parts()
        todo = (c for c in _chunks(read_rows(self.input), self.chunk_size) if c[0] not in done)
        report.resumed_chunks = len(done)
        if progress is not None and done:
            progress(len(done) * self.chunk_size)

        def finished(result: ChunkDone) -> None:
            before = report.rows
            self._store(result, report)
            if progress is not None:
                progress(report.rows - before)

        if self.workers <= 1:
            for chunk in todo:
                finished(screen_chunk(self.screener, self.options, chunk))
        else:
            fork = "fork" in mp.get_all_start_methods()
            ctx = mp.get_context("fork" if fork else "spawn")
            warm = self.warm
            if warm is None:
                warm = (count_rows(self.input) or 0) >= WARM_ROWS
            if warm and fork:
                share_warm(self.screener)
            init = (str(self.screener.index.path), self.options)
            with ctx.Pool(self.workers, initializer=_init_worker, initargs=init) as pool:
                pending: deque[Any] = deque()
                for chunk in todo:
                    pending.append(pool.apply_async(_worker_chunk, (chunk,)))
                    while len(pending) >= 2 * self.workers:
                        finished(pending.popleft().get())
                while pending:
                    finished(pending.popleft().get())
        self._assemble(report)
        return report

    def _assemble(self, report: BatchReport) -> None:
        numbers = sorted(
            int(f.name[6:-6]) for f in self.parts.glob("chunk-*.jsonl") if f.name[6:-6].isdigit()
        )
        tmp = self.output.with_name(f".{self.output.name}.tmp{self.output.suffix}")
        report.hits = write_output((self._chunk_path(n) for n in numbers), tmp)
        errors: list[dict[str, Any]] = []
        for n in numbers:
            err = self._chunk_path(n, ".errors")
            if err.is_file():
                errors.extend(orjson.loads(line) for line in err.read_bytes().splitlines())
        report.errors = errors
        error_file = self.output.with_name(self.output.name + ".errors.jsonl")
        if errors:
            _commit(error_file, encode_rows(errors))
        elif error_file.exists():
            error_file.unlink()
        os.replace(tmp, self.output)
        shutil.rmtree(self.parts)
