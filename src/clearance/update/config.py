"""The fetch options and the source registry that the settings select (see docs/sources.md)."""

from __future__ import annotations

from clearance.settings import Settings
from clearance.update.fetch import FetchOptions
from clearance.update.registry import Registry, load_registry


def fetch_options(settings: Settings) -> FetchOptions:
    """The fetcher's limits from the settings."""
    return FetchOptions(
        timeout=settings.http_timeout,
        retries=settings.http_retries,
        backoff=settings.http_backoff,
        max_bytes=settings.download_max_bytes,
        max_seconds=settings.download_max_seconds,
    )


def registry_for(settings: Settings, mirror: str | None = None) -> Registry:
    """The registry with the settings' override file and mirror (``mirror`` wins) applied."""
    registry = load_registry(settings.sources_file)
    return registry.mirrored(mirror or settings.source_mirror)


__all__ = ["fetch_options", "registry_for"]
