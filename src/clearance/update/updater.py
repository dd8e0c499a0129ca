"""``clearance lists update``: fetch every source, load what changed, never lose a good version.

For each source (in registry order) the updater

1. fetches each of its files into ``$CLEARANCE_HOME/downloads/<source>/incoming/`` — with
   conditional requests when the local copy in ``current/`` is the one the store has active;
2. decides: every file 304, or the new files' fingerprint equals the active version's sha256 →
   **unchanged** (no new version); otherwise loads them with ``Store.load_path`` → **updated**;
3. on success moves ``incoming/`` to ``current/`` and records the validators (``current.json``)
   and the :class:`~clearance.store.SourceState` (``checked_at`` = last time the source was
   confirmed, ``fetched_at`` = last time new content was loaded, ``stale`` cleared).

Any failure of one source — the server is down, 404, a timeout, a truncated or oversized body, a
malformed file (ListFormatError from the parser), even an unexpected bug — leaves that source's
active version serving, marks its state ``stale`` with ``last_error``, keeps the rejected
download in ``incoming/`` for inspection, and the run continues with the next source.
:attr:`UpdateReport.exit_code` is 1 only when every attempted source failed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

import httpx

from clearance.errors import ClearanceError, DownloadError
from clearance.settings import Settings
from clearance.store import SourceState, Store, VersionInfo
from clearance.update.config import fetch_options, registry_for
from clearance.update.downloads import (
    FileRecord,
    combined_sha256,
    link_or_copy,
    locked,
    promote,
    read_manifest,
    write_manifest,
)
from clearance.update.fetch import FetchOptions, fetch_file, make_client
from clearance.update.registry import Registry, Source

Status = Literal["unchanged", "updated", "failed"]


@dataclass
class SourceOutcome:
    """What happened to one source in one run."""

    source: str
    status: Status
    version: int | None = None
    error: str | None = None
    #: for a failed source: the active version serving instead (None: nothing loaded yet)
    active_version: int | None = None
    #: for a failed source: last time the source was confirmed current
    stale_since: datetime | None = None
    downloaded_bytes: int = 0
    #: entities in the new (updated) or serving (unchanged) version
    entity_count: int | None = None
    #: the parser's warnings about the new version (odd but loadable content)
    warnings: int = 0


@dataclass
class UpdateReport:
    outcomes: list[SourceOutcome] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when every attempted source failed (nothing could be refreshed), else 0."""
        if self.outcomes and all(o.status == "failed" for o in self.outcomes):
            return 1
        return 0

    def by_source(self) -> dict[str, SourceOutcome]:
        return {o.source: o for o in self.outcomes}


class UpdateProgress(Protocol):
    """Callbacks of a run (the CLI draws them with Rich)."""

    def source_started(self, source: Source) -> None: ...
    def phase(self, source: Source, text: str) -> None: ...
    def transferred(self, source: Source, done: int, total: int | None) -> None: ...
    def source_finished(self, source: Source, outcome: SourceOutcome) -> None: ...


class _Silent:
    def source_started(self, source: Source) -> None:
        pass

    def phase(self, source: Source, text: str) -> None:
        pass

    def transferred(self, source: Source, done: int, total: int | None) -> None:
        pass

    def source_finished(self, source: Source, outcome: SourceOutcome) -> None:
        pass


def _now() -> datetime:
    return datetime.now(UTC)


class Updater:
    """Runs updates of registry sources into one store."""

    def __init__(
        self,
        store: Store,
        registry: Registry,
        options: FetchOptions,
        downloads: Path,
        client: httpx.Client | None = None,
    ) -> None:
        self.store = store
        self.registry = registry
        self.options = options
        self.downloads = downloads
        self._client = client

    def run(self, ids: Iterable[str] = (), progress: UpdateProgress | None = None) -> UpdateReport:
        """Update the named sources (default: every enabled one)."""
        sources = self.registry.select(ids)
        shown = progress or _Silent()
        report = UpdateReport()
        client = self._client or make_client(self.options)
        try:
            for source in sources:
                shown.source_started(source)
                outcome = self.update_source(client, source, shown)
                report.outcomes.append(outcome)
                shown.source_finished(source, outcome)
        finally:
            if self._client is None:
                client.close()
        return report

    def update_source(
        self, client: httpx.Client, source: Source, progress: UpdateProgress
    ) -> SourceOutcome:
        """One source; every failure becomes a ``failed`` outcome and a stale state."""
        try:
            with locked(self.downloads / source.id):
                return self._update(client, source, progress)
        except Exception as exc:  # one broken source must never stop the run
            known = isinstance(exc, ClearanceError)
            return self._record_failure(
                source, str(exc) if known else f"{type(exc).__name__}: {exc}"
            )

    def _update(
        self, client: httpx.Client, source: Source, progress: UpdateProgress
    ) -> SourceOutcome:
        home = self.downloads / source.id
        current, incoming = home / "current", home / "incoming"
        active = self.store.active_version(source.id)
        manifest = read_manifest(home / "current.json")
        trusted = (
            active is not None
            and manifest.keys() == {f.name for f in source.files}
            and combined_sha256({n: r.sha256 for n, r in manifest.items()}) == active.sha256
            and all((current / n).is_file() for n in manifest)
        )
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.mkdir(parents=True)
        records: dict[str, FileRecord] = {}
        fetched: dict[str, bool] = {}
        downloaded = 0
        for spec in source.files:
            progress.phase(source, f"fetching {spec.name}")
            previous = manifest.get(spec.name) if trusted else None
            result = fetch_file(
                client,
                spec.url,
                incoming / spec.name,
                self.options,
                previous.validators() if previous else None,
                progress=lambda done, total: progress.transferred(source, done, total),
            )
            fetched[spec.name] = result.changed
            if result.changed:
                assert result.sha256 is not None
                downloaded += result.size
                records[spec.name] = FileRecord.of(result.validators, result.sha256, result.size)
            else:
                if previous is None:
                    raise DownloadError(f"{spec.url}: 304 Not Modified to an unconditional request")
                records[spec.name] = previous
        if not any(fetched.values()):
            return self._record_success(source, active, manifest, None, downloaded)
        for name, changed in fetched.items():
            if not changed:
                link_or_copy(current / name, incoming / name)
        fingerprint = combined_sha256({n: r.sha256 for n, r in records.items()})
        version: VersionInfo | None = None
        if active is None or fingerprint != active.sha256:
            progress.phase(source, "loading")
            target = incoming / source.files[0].name if len(source.files) == 1 else incoming
            version = self.store.load_path(
                target,
                fmt=source.format,
                source=source.id,
                progress=lambda n: progress.phase(source, f"loading: {n:,} entities"),
            )
        promote(incoming, current)
        write_manifest(home / "current.json", records)
        return self._record_success(source, version or active, records, version, downloaded)

    def _record_success(
        self,
        source: Source,
        serving: VersionInfo | None,
        records: dict[str, FileRecord],
        new_version: VersionInfo | None,
        downloaded: int,
    ) -> SourceOutcome:
        now = _now()
        old = self.store.get_source_state(source.id)
        primary = records.get(source.files[0].name)
        self.store.set_source_state(
            SourceState(
                source=source.id,
                etag=_fit(primary.etag if primary else None, 512),
                last_modified=_fit(primary.last_modified if primary else None, 128),
                sha256=serving.sha256 if serving else None,
                checked_at=now,
                fetched_at=now if new_version else (old.fetched_at if old else None),
                last_error=None,
                stale=False,
            )
        )
        if new_version is not None:
            return SourceOutcome(
                source.id,
                "updated",
                version=new_version.id,
                downloaded_bytes=downloaded,
                entity_count=new_version.entity_count,
                warnings=len(new_version.warnings),
            )
        return SourceOutcome(
            source.id,
            "unchanged",
            version=serving.id if serving else None,
            downloaded_bytes=downloaded,
            entity_count=serving.entity_count if serving else None,
        )

    def _record_failure(self, source: Source, message: str) -> SourceOutcome:
        active = self.store.active_version(source.id)
        old = self.store.get_source_state(source.id)
        state = old or SourceState(source=source.id)
        state.last_error = message
        state.stale = True
        self.store.set_source_state(state)
        since = state.checked_at or (active.loaded_at if active else None)
        return SourceOutcome(
            source.id,
            "failed",
            error=message,
            active_version=active.id if active else None,
            stale_since=since,
        )


def _fit(value: str | None, limit: int) -> str | None:
    """A validator longer than its column is dropped (the next request is unconditional)."""
    return value if value is None or len(value) <= limit else None


def run_update(
    settings: Settings,
    ids: Iterable[str] = (),
    mirror: str | None = None,
    progress: UpdateProgress | None = None,
    store: Store | None = None,
) -> UpdateReport:
    """Open the store from ``settings`` and update the sources (see :class:`Updater`)."""
    registry = registry_for(settings, mirror)
    wanted = list(ids)
    registry.select(wanted)  # unknown ids fail before anything is fetched
    own = store is None
    db = store or Store.open(settings=settings)
    try:
        updater = Updater(db, registry, fetch_options(settings), settings.home / "downloads")
        return updater.run(wanted, progress)
    finally:
        if own:
            db.close()


__all__ = [
    "SourceOutcome",
    "UpdateProgress",
    "UpdateReport",
    "Updater",
    "run_update",
]
