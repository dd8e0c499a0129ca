"""Screening engines: where many queries are screened, behind one small :class:`Engine` protocol.

Two backends of the same interface — the product (CLI, batch files, monitoring's delta runs)
only ever calls :func:`open_engine` and the protocol, never a backend directly:

``local``  this machine, all cores (worker processes over the memory-mapped index),
           :mod:`clearance.engines.local`
``spark``  Apache Spark (``local[N]`` or a cluster), the index shipped to the executors,
           :mod:`clearance.engines.spark`

Both screen with the same :class:`~clearance.screen.Screener` code on the same index, so they
return the same hits (tests/engines run one suite on both). Engines are imported lazily by
name: screening a CSV with the local engine never imports pyspark.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from clearance.errors import ClearanceError
from clearance.screen.batch import BatchReport
from clearance.screen.results import ScreenResult

ENGINES = {
    "local": "clearance.engines.local:LocalEngine",
    "spark": "clearance.engines.spark:SparkEngine",
}
"""Engine name → ``module:Class`` (explicit registry)."""


class EngineError(ClearanceError):
    """An engine cannot be opened or its backend failed (unknown name, Spark job failure)."""


class Engine(Protocol):
    """Runs screening over many queries (see module doc)."""

    name: str

    def screen_many(self, queries: Iterable[Any], **options: Any) -> Iterator[ScreenResult]:
        """Screen queries, results in input order (options as ``Screener.screen``).

        A query that cannot be screened raises (``InvalidQuery``) at its position, after the
        results of the queries before it, exactly as ``Screener.screen_many`` does.
        """
        ...

    def screen_file(
        self,
        input_path: Path,
        output: Path,
        progress: Callable[[int], None] | None = None,
        **options: Any,
    ) -> BatchReport:
        """Screen a CSV / JSONL / Parquet file into an output file (resumable, same format)."""
        ...

    def close(self) -> None:
        """Release what the engine holds (worker pools, the Spark session it started)."""
        ...


class EngineFactory(Protocol):
    """What an engine class offers to :func:`open_engine`."""

    def __call__(self, index_path: Path, workers: int = 0, **options: Any) -> Engine: ...


def engine_class(name: str) -> Any:
    """The engine class registered under ``name`` (EngineError for an unknown name)."""
    target = ENGINES.get(name)
    if target is None:
        raise EngineError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def open_engine(name: str, index_path: Path, workers: int = 0, **options: Any) -> Engine:
    """The engine ``name`` over the index directory ``index_path`` (written by clearance.index).

    ``workers``: parallelism (0 = all cores of this machine; for Spark, ``local[workers]``
    unless a master is configured). ``options`` are the backend's own (``chunk_size``; Spark:
    ``master``, ``session``, ``conf``); see each engine class.
    """
    if not (Path(index_path) / "manifest.json").is_file():
        raise EngineError(f"{index_path}: not a screening index directory (no manifest.json)")
    opener: EngineFactory = engine_class(name).open
    return opener(Path(index_path), workers=workers, **options)


__all__ = ["ENGINES", "Engine", "EngineError", "engine_class", "open_engine"]
