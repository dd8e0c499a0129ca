"""The server's shared state: store, key store, rate limiter, screener, records, jobs.

The screener (index of the active list versions) is opened in a background thread at start-up
and re-opened when the active versions change (checked every ``api_refresh_seconds``); until it
is there, ``/readyz`` answers 503 and screening endpoints 503. Requests in flight keep the
screener they started with.
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from clearance.api.auth import KeyStore
from clearance.api.errors import ApiError
from clearance.api.limits import RateLimiter
from clearance.api.records import RecordBook
from clearance.api.settings import ApiSettings
from clearance.index import ensure_index, index_key
from clearance.screen import Screener
from clearance.store import Store, VersionInfo
from clearance.store.tables import list_versions, version_entities

log = logging.getLogger("clearance.api")


@dataclass(frozen=True)
class Loaded:
    """A screener with the list versions its index was built from."""

    screener: Screener
    versions: list[VersionInfo]
    key: str


@dataclass(frozen=True)
class Timeline:
    """When an entity was first seen, last changed and last seen (loads of its versions)."""

    first_seen: str | None
    last_change: str | None
    last_seen: str | None


def _build(db_url: str, root: str) -> None:
    with Store.open(db_url) as store:
        ensure_index(store, Path(root))


def build_in_subprocess(db_url: str, root: Path) -> None:
    """Build the index in another process, so this one keeps answering (an index build holds
    the GIL for minutes on the full lists; uvicorn would take a silent worker for dead)."""
    process = multiprocessing.get_context("spawn").Process(
        target=_build, args=(db_url, str(root)), name="index-build", daemon=True
    )
    process.start()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"the index build failed (exit code {process.exitcode})")


def ensure_built(db_url: str, index_root: Path, versions: list[VersionInfo]) -> str:
    """Make sure the index of ``versions`` is on disk (built in a subprocess when it is not);
    its key. A file lock keeps builds one at a time across processes: the workers of a server,
    and ``clearance serve`` building before it starts them."""
    key = index_key(versions)
    if not (index_root / key).is_dir():
        index_root.mkdir(parents=True, exist_ok=True)
        with open(index_root / ".build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (index_root / key).is_dir():
                build_in_subprocess(db_url, index_root)
        if not (index_root / key).is_dir():  # the child computed another key
            raise RuntimeError(
                f"the index build did not make {key}: the installed code changed since this "
                "process started; restart it"
            )
    return key


def iso(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


class AppState:
    """Everything a request handler needs (one per application)."""

    def __init__(self, settings: ApiSettings, store: Store, index_root: Path | None = None):
        self.settings = settings
        self.store = store
        self.index_root = index_root or settings.home / "index"
        self.keys = KeyStore(store.engine, settings.secret_bytes())
        self.limiter = RateLimiter(settings.api_rate_per_minute, settings.api_rate_burst)
        self.records = RecordBook(store.engine, settings)
        self.started = datetime.now(UTC)
        self._loaded: Loaded | None = None
        self._error: str | None = None
        self._timeline: dict[str, Timeline] = {}
        self._timeline_key: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- screener ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the refresh thread. When the index of the active versions is already on disk
        (``clearance serve`` builds it before it starts the workers), it is mapped here first,
        in about a second: a worker then accepts connections only once it can screen, so with
        several workers ``/readyz`` and ``/match`` do not depend on which worker answers."""
        try:
            self.refresh(build=False)
        except Exception:  # the refresh thread retries and reports on /readyz
            log.exception("cannot open the index")
        self._thread = threading.Thread(target=self._refresh_loop, name="index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.records.close()

    def _refresh_loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh()
            except Exception as exc:  # keep serving the old index; report on /readyz
                log.exception("cannot open the index")
                self._error = type(exc).__name__
            self._preload_timelines()
            self.records.purge_expired()
            self._stop.wait(self.settings.api_refresh_seconds)

    def refresh(self, *, build: bool = True) -> None:
        """Open the index of the active versions when they differ from the loaded ones
        (building it first unless ``build`` is false: then a missing index is left for later)."""
        versions = self.store.active_versions()
        if not versions:
            self._error = "no list versions are active; load lists first"
            return
        key = index_key(versions)
        if self._loaded is not None and self._loaded.key == key:
            return
        if not build and not (self.index_root / key).is_dir():
            return
        ensure_built(self.settings.db_url, self.index_root, versions)
        screener = Screener.open(self.store, index_root=self.index_root)
        if self.settings.api_warm:
            screener.warm()  # before it serves: no request prepares candidates cold
        self._loaded = Loaded(screener, versions, key)
        self._timeline = {}
        self._error = None

    @property
    def current(self) -> Loaded | None:
        return self._loaded

    @property
    def ready(self) -> bool:
        return self._loaded is not None

    @property
    def not_ready_reason(self) -> str:
        return self._error or "the index is being loaded"

    def loaded(self) -> Loaded:
        found = self._loaded
        if found is None:
            raise ApiError(503, f"not ready: {self.not_ready_reason}", {"Retry-After": "5"})
        return found

    # -- provenance dates -------------------------------------------------------------------
    def _preload_timelines(self) -> None:
        """Read the dates of every entity of the loaded versions at once (one scan, in the
        refresh thread), so a request does not query them: on the full lists the per-request
        query was a tenth of a worker's time. Until then, :meth:`timeline` queries and caches."""
        loaded = self._loaded
        if loaded is None or self._timeline_key == loaded.key:
            return
        try:
            self._timeline = self._timelines_of(None, {v.id for v in loaded.versions})
            self._timeline_key = loaded.key
        except Exception:  # per-request queries keep working
            log.exception("cannot preload entity dates")

    def _timelines_of(self, entity_ids: list[str] | None, active: set[int]) -> dict[str, Timeline]:
        query = (
            select(
                version_entities.c.entity_id,
                version_entities.c.version_id,
                version_entities.c.hash,
                list_versions.c.loaded_at,
            )
            .select_from(version_entities.join(list_versions))
            .order_by(version_entities.c.version_id)
        )
        if entity_ids is not None:
            query = query.where(version_entities.c.entity_id.in_(entity_ids))
        rows: dict[str, list[tuple[int, str, datetime]]] = {}
        with self.store.engine.connect() as conn:
            for eid, vid, digest, loaded_at in conn.execute(query):
                if loaded_at.tzinfo is None:
                    loaded_at = loaded_at.replace(tzinfo=UTC)
                rows.setdefault(eid, []).append((vid, digest, loaded_at))
        found = {eid: _timeline_of(r, active) for eid, r in rows.items()}
        for eid in entity_ids or ():
            found.setdefault(eid, Timeline(None, None, None))
        return found

    def timeline(self, entity_ids: list[str]) -> dict[str, Timeline]:
        """First seen / last change / last seen of entities of the active versions."""
        known = self._timeline
        missing = [i for i in entity_ids if i not in known]
        if missing:
            loaded = self._loaded
            versions = loaded.versions if loaded is not None else self.store.active_versions()
            known.update(self._timelines_of(missing, {v.id for v in versions}))
        return {i: known[i] for i in entity_ids}


def _timeline_of(rows: list[tuple[int, str, datetime]], active: set[int]) -> Timeline:
    if not rows:
        return Timeline(None, None, None)
    current = [r for r in rows if r[0] in active] or rows[-1:]
    digest = current[-1][1]
    changed = min(r[2] for r in rows if r[1] == digest)
    return Timeline(iso(rows[0][2]), iso(changed), iso(current[-1][2]))
