"""The local engine: screening in this process, batch files over all cores of this machine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from clearance.screen.batch import BatchReport, BatchRun
from clearance.screen.results import ScreenResult
from clearance.screen.service import Screener


class LocalEngine:
    """Runs a :class:`~clearance.screen.Screener` here; files via :class:`BatchRun`."""

    name = "local"

    def __init__(self, screener: Screener, workers: int = 0, chunk_size: int = 500) -> None:
        self.screener = screener
        self.workers = workers
        self.chunk_size = chunk_size

    def screen_many(self, queries: Iterable[Any], **options: Any) -> Iterator[ScreenResult]:
        return self.screener.screen_many(queries, **options)

    def screen_file(
        self,
        input_path: Path,
        output: Path,
        progress: Callable[[int], None] | None = None,
        **options: Any,
    ) -> BatchReport:
        run = BatchRun(
            self.screener,
            input_path,
            output,
            options,
            workers=self.workers,
            chunk_size=self.chunk_size,
        )
        return run.run(progress)
