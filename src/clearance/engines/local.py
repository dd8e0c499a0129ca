"""The local engine: screening on this machine, over all its cores.

Many queries are cut into chunks screened by worker processes; each worker opens the
memory-mapped index once (:func:`clearance.screen.batch` worker initialiser, the same one
batch files use), so the workers share the arrays' pages. Results come back in input order.
Few queries are screened in this process: starting workers (and preparing list entities
cold in each) costs more than it saves below ``min_parallel`` queries.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

from clearance.screen import batch
from clearance.screen.batch import BatchReport, BatchRun
from clearance.screen.results import ScreenResult
from clearance.screen.service import Screener

Outcome = tuple[ScreenResult | None, Exception | None]
"""A screened query: its result, or the error ``Screener.screen`` raised for it."""


def screen_queries(
    screener: Screener, options: dict[str, Any], queries: list[Any]
) -> list[Outcome]:
    """Screen a chunk of queries; a failing query gives its error instead of stopping the chunk.

    Why not raise: the caller re-raises the error at the query's position, after yielding
    the results before it, as the in-process ``Screener.screen_many`` would.
    """
    out: list[Outcome] = []
    for query in queries:
        try:
            out.append((screener.screen(query, **options), None))
        except Exception as exc:  # re-raised by the caller at this query's position
            out.append((None, exc))
    return out


def raise_or_yield(outcomes: Iterable[Outcome]) -> Iterator[ScreenResult]:
    """The results of screened chunks in order; the first error is raised where it occurred."""
    for result, error in outcomes:
        if error is not None:
            raise error
        assert result is not None
        yield result


def _worker_queries(queries: list[Any]) -> list[Outcome]:
    """Screen a chunk in a pool worker (initialised by ``batch._init_worker``)."""
    screener = batch._WORKER
    assert screener is not None, "worker not initialised"
    return screen_queries(screener, batch._OPTIONS, queries)


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while block := list(islice(items, size)):
        yield block


class LocalEngine:
    """Screens with a :class:`~clearance.screen.Screener` here; many queries over all cores."""

    name = "local"

    def __init__(
        self,
        screener: Screener,
        workers: int = 0,
        chunk_size: int = 500,
        min_parallel: int = 2000,
    ) -> None:
        if chunk_size < 1:
            raise ValueError("chunk size must be at least 1")
        self.screener = screener
        self.workers = workers
        self.chunk_size = chunk_size
        self.min_parallel = min_parallel

    @classmethod
    def open(
        cls,
        index_path: Path,
        workers: int = 0,
        *,
        chunk_size: int = 500,
        min_parallel: int = 2000,
    ) -> LocalEngine:
        """The engine over an index directory (see :func:`clearance.engines.open_engine`)."""
        return cls(Screener.from_path(index_path), workers, chunk_size, min_parallel)

    @property
    def processes(self) -> int:
        """Worker processes used for large inputs (``workers``; 0 = all cores)."""
        return self.workers or os.cpu_count() or 1

    def screen_many(self, queries: Iterable[Any], **options: Any) -> Iterator[ScreenResult]:
        """Screen queries in input order: in worker processes when there are enough of them."""
        items = iter(queries)
        # look far enough ahead to know whether warming the index before forking pays off
        head = list(islice(items, max(self.min_parallel, batch.WARM_ROWS)))
        if self.processes <= 1 or len(head) < self.min_parallel:
            return self.screener.screen_many(chain(head, items), **options)
        return self._parallel(chain(head, items), options, warm=len(head) >= batch.WARM_ROWS)

    def _parallel(
        self, items: Iterator[Any], options: dict[str, Any], warm: bool = False
    ) -> Iterator[ScreenResult]:
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        if warm and ctx.get_start_method() == "fork":
            batch.share_warm(self.screener)  # prepared once here, inherited by the workers
        init = (str(self.screener.index.path), options)
        # the pool is terminated when the caller stops iterating (generator closed)
        with ctx.Pool(self.processes, initializer=batch._init_worker, initargs=init) as pool:
            pending: deque[Any] = deque()
            for chunk in _chunks(items, self.chunk_size):
                pending.append(pool.apply_async(_worker_queries, (chunk,)))
                while len(pending) >= 2 * self.processes:
                    yield from raise_or_yield(pending.popleft().get())
            while pending:
                yield from raise_or_yield(pending.popleft().get())

    def screen_file(
        self,
        input_path: Path,
        output: Path,
        progress: Callable[[int], None] | None = None,
        **options: Any,
    ) -> BatchReport:
        """Screen a file with :class:`~clearance.screen.batch.BatchRun` (resumable)."""
        run = BatchRun(
            self.screener,
            input_path,
            output,
            options,
            workers=self.workers,
            chunk_size=self.chunk_size,
        )
        return run.run(progress)

    def close(self) -> None:
        self.screener.close()
