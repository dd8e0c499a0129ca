"""Screening engines: where batch screening runs, behind one small :class:`Engine` protocol.

``local`` (this machine, all cores, :mod:`clearance.engines.local`) is the only engine so far;
a Spark engine will implement the same protocol. Engines are imported lazily by name, so
screening a CSV never imports a cluster client.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from clearance.screen.batch import BatchReport
from clearance.screen.results import ScreenResult

ENGINES = {"local": "clearance.engines.local:LocalEngine"}
"""Engine name → ``module:Class`` (explicit registry)."""


class Engine(Protocol):
    """Runs screening over many queries."""

    name: str

    def screen_many(self, queries: Iterable[Any], **options: Any) -> Iterator[ScreenResult]:
        """Screen queries in order (options as ``Screener.screen``)."""
        ...

    def screen_file(self, input_path: Path, output: Path, **options: Any) -> BatchReport:
        """Screen a CSV / JSONL / Parquet file into an output file (resumable)."""
        ...


def engine_class(name: str) -> type[Engine]:
    """The engine class registered under ``name`` (ValueError for an unknown name)."""
    import importlib

    target = ENGINES.get(name)
    if target is None:
        raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
    module, _, cls = target.partition(":")
    found: type[Engine] = getattr(importlib.import_module(module), cls)
    return found


__all__ = ["ENGINES", "Engine", "engine_class"]
