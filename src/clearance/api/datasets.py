"""Datasets as yente names them: our source ids plus the collections ``default`` and
``sanctions`` (every loaded source). A request's scope is the dataset's sources, narrowed by
``include_dataset`` and reduced by ``exclude_dataset``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from clearance.api.errors import ApiError
from clearance.store import VersionInfo

COLLECTIONS = {
    "default": "All lists loaded in this clearance server",
    "sanctions": "Every sanctions and export-control list loaded",
}


@lru_cache(maxsize=1)
def source_titles() -> dict[str, str]:
    """Human titles of the known sources (shared catalog, then parser registry)."""
    from clearance.sources import parsers
    from clearance.store.catalog import shared_catalog

    titles: dict[str, str] = {}
    for parser in parsers():
        source = getattr(parser, "source", None)
        title = getattr(parser, "title", None)
        if isinstance(source, str) and isinstance(title, str):
            titles.setdefault(source, title)
    for entry in shared_catalog():
        titles[entry.source] = entry.title
    return titles


def dataset_sources(dataset: str, versions: Sequence[VersionInfo]) -> list[str]:
    """The sources of ``dataset``; 404 when there is no such dataset."""
    loaded = sorted({v.source for v in versions})
    if dataset in COLLECTIONS:
        return loaded
    if dataset in loaded:
        return [dataset]
    raise ApiError(404, f"no such dataset: {dataset!r}")


def scope(
    dataset: str,
    versions: Sequence[VersionInfo],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[str]:
    """Sources searched for a request on ``dataset`` with include/exclude filters."""
    sources = dataset_sources(dataset, versions)
    if include:
        wanted: set[str] = set()
        for name in include:
            wanted.update(dataset_sources(name, versions))
        sources = [s for s in sources if s in wanted]
    if exclude:
        dropped: set[str] = set()
        for name in exclude:
            dropped.update(dataset_sources(name, versions))
        sources = [s for s in sources if s not in dropped]
    return sources
