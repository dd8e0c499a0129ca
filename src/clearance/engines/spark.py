"""The Spark engine: the same screening, distributed over Apache Spark executors (pyspark).

How it works (docs/spark.md has the operator's view):

* the driver opens a ``SparkSession`` — ``local[N]`` by default, or the master of
  ``CLEARANCE_SPARK_MASTER`` / the ``master`` option, or the one ``spark-submit`` gave;
* the index directory is shipped to the executors with ``SparkContext.addFile`` (recursive),
  and every Python worker opens it once (memory-mapped) and keeps it in a module global,
  so tasks after the first reuse it and its prepared entities;
* queries (or the rows of a batch file, read on the driver by :mod:`clearance.screen.readers`
  so row numbers, broken-row reports and parsing are exactly those of the local engine) are
  cut into numbered chunks; a *wave* of chunks is one Spark job (``parallelize`` one chunk per
  partition → ``mapPartitions`` → ``collect``); two waves are in flight so the cores do not idle
  while a wave's last chunk finishes; results are put back in chunk order;
* every chunk is screened by the same code as the local engine (``Screener.screen``; for files
  :func:`clearance.screen.batch.screen_chunk`), and batch output goes through the same
  resumable :class:`~clearance.screen.batch.BatchRun` parts, journal and writers — so a file
  gives byte-identical output on both engines, and either engine can resume the other's run.

Reading on the driver keeps exact parity with the local engine (Spark's CSV reader parses
quoting, blank lines and bad rows differently); the driver only parses rows, which is far
cheaper than screening them. Only this module imports pyspark, and only when the engine opens.
"""

from __future__ import annotations

import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic_settings import BaseSettings, SettingsConfigDict

from clearance.engines import EngineError
from clearance.engines.local import Outcome, raise_or_yield, screen_queries
from clearance.screen.batch import BatchReport, BatchRun, Chunk, ChunkDone, screen_chunk
from clearance.screen.readers import read_rows
from clearance.screen.results import ScreenResult
from clearance.screen.service import Screener

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

T = TypeVar("T")
Numbered = tuple[int, list[Any]]


class SparkSettings(BaseSettings):
    """Spark settings from the environment (``CLEARANCE_SPARK_*``), read when an engine opens."""

    model_config = SettingsConfigDict(env_prefix="CLEARANCE_SPARK_", extra="ignore")

    master: str | None = None
    """Spark master URL (``local[4]``, ``spark://host:7077``, ``yarn``, ``k8s://…``)."""
    python: str | None = None
    """Python interpreter of the executors (default in local mode: this interpreter)."""


# -- executor side ---------------------------------------------------------------------------

_SCREENERS: dict[str, Screener] = {}
"""Index name → screener, per Python worker: the shipped index is opened once per worker."""


def executor_screener(name: str) -> Screener:
    """The screener over the shipped index ``name`` (opened on first use in this worker)."""
    screener = _SCREENERS.get(name)
    if screener is None:
        from pyspark import SparkFiles

        screener = Screener.from_path(Path(SparkFiles.get(name)))
        _SCREENERS[name] = screener
    return screener


def _screen_part(name: str, options: dict[str, Any], part: Iterable[Numbered]) -> Iterator[Any]:
    screener = executor_screener(name)
    for number, queries in part:
        yield number, screen_queries(screener, options, queries)


def _batch_part(name: str, options: dict[str, Any], part: Iterable[Chunk]) -> Iterator[ChunkDone]:
    screener = executor_screener(name)
    for chunk in part:
        yield screen_chunk(screener, options, chunk)


# -- driver side -----------------------------------------------------------------------------


def choose_master(
    option: str | None, setting: str | None, submitted: bool, workers: int, cpus: int
) -> str | None:
    """The master URL to set: the option, else ``CLEARANCE_SPARK_MASTER``, else none under
    ``spark-submit`` (keep the one it was given), else ``local[workers or cpus]``."""
    if option or setting:
        return option or setting
    if submitted:
        return None
    return f"local[{workers or cpus}]"


def spark_session(
    workers: int = 0,
    master: str | None = None,
    conf: dict[str, str] | None = None,
) -> tuple[SparkSession, bool]:
    """The Spark session to use, and whether this call started it (then the engine stops it).

    A session already running in this process is reused (tests, notebooks, ``spark-submit``
    apps that opened one). Under ``spark-submit`` the master it was given is kept.
    """
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    running = SparkContext._active_spark_context is not None
    settings = SparkSettings()
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # the driver was started by spark-submit
    master = choose_master(master, settings.master, submitted, workers, os.cpu_count() or 1)
    builder = SparkSession.builder.appName("clearance-screen")
    if master is not None:
        builder = builder.master(master)
    python = settings.python
    if python is None and (master or "").startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        python = sys.executable  # the workers must import clearance: use this environment
    if python is not None:
        # pyspark reads the workers' interpreter from this variable when the context starts
        os.environ["PYSPARK_PYTHON"] = python
        builder = builder.config("spark.pyspark.python", python)
    # Spark's console progress bar would garble the CLI's own; a conf entry can turn it back on
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate(), not running


def failure(exc: BaseException) -> str:
    """The line of a Spark error worth showing: the Python error raised on an executor (the
    last ``Name: message`` line of its traceback), else the first line of the message."""
    text = str(exc).split("JVM stacktrace:")[0]
    lines = [line for line in text.splitlines() if line.strip()]
    errors = [
        line.strip()
        for line in lines
        if not line[0].isspace() and re.match(r"^[\w.]+(Error|Exception|Corrupt|Query)\b.*:", line)
    ]
    if errors:
        return errors[-1]
    return lines[0].strip() if lines else repr(exc)


def _numbered(items: Iterator[T], size: int) -> Iterator[tuple[int, list[T]]]:
    number = 0
    while block := list(islice(items, size)):
        yield number, block
        number += 1


class SparkEngine:
    """Screens on Spark executors (see module doc); same results as the local engine."""

    name = "spark"

    def __init__(
        self,
        index_path: Path,
        session: SparkSession,
        *,
        owns_session: bool = False,
        chunk_size: int = 500,
        wave_chunks: int = 0,
    ) -> None:
        if chunk_size < 1:
            raise ValueError("chunk size must be at least 1")
        self.screener = Screener.from_path(index_path)  # options check, batch journal
        self.index_path = Path(index_path).resolve()
        self.session = session
        self.owns_session = owns_session
        self.chunk_size = chunk_size
        context = session.sparkContext
        self.wave_chunks = wave_chunks or 4 * max(1, context.defaultParallelism)
        context.addFile(str(self.index_path), recursive=True)
        self.shipped = self.index_path.name

    @classmethod
    def open(
        cls,
        index_path: Path,
        workers: int = 0,
        *,
        master: str | None = None,
        session: SparkSession | None = None,
        conf: dict[str, str] | None = None,
        chunk_size: int = 500,
        wave_chunks: int = 0,
    ) -> SparkEngine:
        """The engine over an index directory (see :func:`clearance.engines.open_engine`).

        ``session``: use this Spark session (never stopped by the engine); otherwise one is
        found or started by :func:`spark_session` with ``workers``, ``master`` and ``conf``.
        """
        owns = False
        if session is None:
            try:
                session, owns = spark_session(workers, master, conf)
            except Exception as exc:  # JVM missing, bad master URL …
                raise EngineError(f"cannot start Spark: {exc}") from exc
        try:
            return cls(
                index_path,
                session,
                owns_session=owns,
                chunk_size=chunk_size,
                wave_chunks=wave_chunks,
            )
        except BaseException:
            if owns:  # do not leave a JVM behind for an engine that never opened
                session.stop()
            raise

    def _check(self, options: dict[str, Any]) -> None:
        """Raise on the driver what a bad option would raise in every task (same errors)."""
        self.screener.screen("options check", **options)

    def _waves(
        self, func: Callable[[Iterable[Any]], Iterator[Any]], items: Iterator[tuple[int, Any]]
    ) -> Iterator[Any]:
        """``func`` over numbered items, one Spark job per wave, results in number order."""
        context = self.session.sparkContext

        def job(wave: list[tuple[int, Any]]) -> list[Any]:
            try:
                found = context.parallelize(wave, len(wave)).mapPartitions(func).collect()
            except Exception as exc:
                raise EngineError(f"Spark job failed: {failure(exc)}") from exc
            return sorted(found, key=lambda done: int(done[0]))

        waves = iter(lambda: list(islice(items, self.wave_chunks)), [])
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="clearance-spark") as pool:
            pending: deque[Future[list[Any]]] = deque()
            try:
                for wave in waves:
                    pending.append(pool.submit(job, wave))
                    if len(pending) >= 2:
                        yield from pending.popleft().result()
                while pending:
                    yield from pending.popleft().result()
            finally:
                for future in pending:
                    future.cancel()

    def screen_many(self, queries: Iterable[Any], **options: Any) -> Iterator[ScreenResult]:
        """Screen queries on the executors, results in input order (errors where they occur)."""
        self._check(options)
        func = partial(_screen_part, self.shipped, options)
        chunks = _numbered(iter(queries), self.chunk_size)
        for _number, outcomes in self._waves(func, chunks):
            done: list[Outcome] = outcomes
            yield from raise_or_yield(done)

    def screen_file(
        self,
        input_path: Path,
        output: Path,
        progress: Callable[[int], None] | None = None,
        **options: Any,
    ) -> BatchReport:
        """Screen a file on Spark into the local engine's output format (resumable)."""
        self._check(options)
        return SparkBatchRun(self, input_path, output, options).run(progress)

    def close(self) -> None:
        self.screener.close()
        if self.owns_session:
            self.session.stop()
            self.owns_session = False


class SparkBatchRun(BatchRun):
    """A :class:`BatchRun` whose chunks are screened by Spark waves (same parts and output)."""

    def __init__(
        self, engine: SparkEngine, input_path: Path, output: Path, options: dict[str, Any]
    ) -> None:
        super().__init__(
            engine.screener, input_path, output, options, workers=1, chunk_size=engine.chunk_size
        )
        self.engine = engine

    def run(self, progress: Callable[[int], None] | None = None) -> BatchReport:
        report = BatchReport(self.output)
        done = self._prepare_parts()
        report.resumed_chunks = len(done)
        if progress is not None and done:
            progress(len(done) * self.chunk_size)
        todo = (c for c in _numbered(read_rows(self.input), self.chunk_size) if c[0] not in done)
        func = partial(_batch_part, self.engine.shipped, self.options)
        for result in self.engine._waves(func, todo):
            before = report.rows
            self._store(result, report)
            if progress is not None:
                progress(report.rows - before)
        self._assemble(report)
        return report
