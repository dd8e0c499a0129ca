"""Downloading the official lists: the source registry, the fetcher and the updater.

``registry`` says what to fetch (``clearance/data/sources.yml``), ``fetch`` downloads one file
safely, ``downloads`` keeps the files and what was downloaded, ``config`` holds the settings,
``updater`` runs ``clearance lists update``.
The store is imported only by ``updater``, so reading the registry stays cheap.
"""

from __future__ import annotations

from clearance.update.fetch import FetchOptions, FetchResult, Validators, fetch_file
from clearance.update.registry import Registry, Source, SourceFile, load_registry, mirror_url

__all__ = [
    "FetchOptions",
    "FetchResult",
    "Registry",
    "Source",
    "SourceFile",
    "Validators",
    "fetch_file",
    "load_registry",
    "mirror_url",
]
