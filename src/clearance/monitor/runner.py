"""Full and delta monitoring runs: jobs with progress, resumable after a crash.

A **full** run screens every live record of a book against the full index of the active list
versions. A **delta** run screens only what changed since the book's last completed run:

* part ``records`` — book records whose content hash differs from the one last screened
  (new or changed records) against the *full* index;
* part ``book`` — the whole book against the *delta* index of the list parties the new
  versions added or changed (:mod:`clearance.monitor.indexes`);
* chunk 0 — closes the active alerts of removed list parties and of deleted book records.

**Plan.** When a run is created it pins the exact list versions (``monitor_runs.versions``)
and cuts each part into chunks of ``chunk_size`` records in ``record_id`` order, storing each
chunk's last id (``plan.parts[].bounds``). Book imports are refused while a run of the book is
``running``, so a chunk holds the same records whenever it is screened.

**Commit.** Each chunk is screened through the :class:`~clearance.engines.Engine` protocol, then
one transaction inserts its ``run_chunks`` row *first* (a second process finishing the same
chunk fails on that primary key and rolls back everything it wrote), raises / re-scores alerts
with their audit entries (:mod:`clearance.monitor.alerts`), marks the records screened and
advances ``monitor_runs.done``. A process killed at any point loses at most the chunks it had
not committed; :func:`execute_run` on the same run id skips committed chunks, so the result
equals an uninterrupted run — no alert lost, none raised twice.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from clearance import audit
from clearance.errors import ClearanceError
from clearance.monitor.alerts import ACTIVE, AlertCounts, Finding, apply_findings, close_alerts
from clearance.monitor.changes import ListChanges, list_changes
from clearance.monitor.indexes import delta_index, delta_root, full_index
from clearance.monitor.tables import alerts, book_records, monitor_runs, run_chunks
from clearance.screen.results import Hit, ScreenResult
from clearance.store import Store
from clearance.store.tables import version_entities

log = logging.getLogger("clearance.monitor")

CHUNK_SIZE = 500
"""Book records per committed chunk."""
Progress = Callable[[int, int], None]
"""``progress(done, total)`` — records screened so far and in the whole run."""


class RunError(ClearanceError):
    """A run cannot start or continue (no list loaded, unknown run, empty book)."""


@dataclass
class RunReport:
    """What a run did (the totals are over the whole run, resumed parts included)."""

    run_id: str
    book: str
    kind: str
    status: str
    total: int = 0
    done: int = 0
    chunks: int = 0
    resumed_chunks: int = 0
    counts: AlertCounts = field(default_factory=AlertCounts)
    changes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    index_seconds: float = 0.0
    """Part of ``seconds`` spent loading or building the full and delta indexes."""


# -- planning -------------------------------------------------------------------------------


def active_map(store: Store) -> dict[str, int]:
    """``source → version id`` of the active list versions."""
    return {v.source: v.id for v in store.active_versions()}


def last_completed(conn: Connection, book: str) -> dict[str, int] | None:
    """The list versions of the book's last completed run (None: never screened)."""
    row = conn.execute(
        select(monitor_runs.c.versions)
        .where(monitor_runs.c.book == book, monitor_runs.c.status == "completed")
        .order_by(monitor_runs.c.finished_at.desc(), monitor_runs.c.started_at.desc())
        .limit(1)
    ).first()
    return None if row is None else {str(k): int(v) for k, v in dict(row.versions).items()}


def _selection(book: str, selector: str) -> Any:
    live = and_(book_records.c.book == book, book_records.c.deleted_at.is_(None))
    if selector == "changed":
        return and_(
            live,
            or_(
                book_records.c.screened_hash.is_(None),
                book_records.c.screened_hash != book_records.c.hash,
            ),
        )
    return live


def _bounds(conn: Connection, book: str, selector: str, size: int) -> tuple[list[str], int]:
    """The last record id of each chunk of ``size`` selected records, and their number."""
    ids = conn.execute(
        select(book_records.c.record_id)
        .where(_selection(book, selector))
        .order_by(book_records.c.record_id)
        .execution_options(yield_per=10_000)
    )
    bounds: list[str] = []
    count = 0
    last = None
    for (record_id,) in ids:
        count += 1
        last = record_id
        if count % size == 0:
            bounds.append(record_id)
    if last is not None and (not bounds or bounds[-1] != last):
        bounds.append(last)
    return bounds, count


def running_runs(store: Store, book: str | None = None) -> list[str]:
    """Ids of runs left ``running`` (interrupted, or going on in another process)."""
    query = select(monitor_runs.c.id).where(monitor_runs.c.status == "running")
    if book is not None:
        query = query.where(monitor_runs.c.book == book)
    with store.engine.connect() as conn:
        return [str(x) for x in conn.execute(query.order_by(monitor_runs.c.started_at)).scalars()]


def create_run(
    store: Store,
    book: str,
    *,
    kind: str = "delta",
    engine: str = "local",
    chunk_size: int = CHUNK_SIZE,
    threshold: float | None = None,
    limit: int = 10,
) -> str:
    """Plan a run of ``book`` (see module doc) and record it as ``running``; its id.

    A delta run of a book never screened before becomes a full run.
    """
    if kind not in ("full", "delta"):
        raise RunError(f"unknown run kind {kind!r}; use full or delta")
    if chunk_size < 1:
        raise RunError("chunk size must be at least 1")
    current = active_map(store)
    if not current:
        raise RunError("no list loaded yet: run `clearance lists load PATH` first")
    with store.engine.connect() as conn:
        previous = last_completed(conn, book)
    if previous is None:
        kind = "full"
    changes = list_changes(store, previous or {}, current) if kind == "delta" else ListChanges()
    run_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        other = conn.execute(
            select(monitor_runs.c.id).where(
                monitor_runs.c.book == book, monitor_runs.c.status == "running"
            )
        ).first()
        if other is not None:
            raise RunError(f"run {other.id} of book {book!r} is still running; resume it first")
        parts: list[dict[str, Any]] = []
        total, first = 0, 1
        specs = [("records", "all" if kind == "full" else "changed", "full")]
        if changes.affected:
            specs.append(("book", "all", "delta"))
        for name, selector, index in specs:
            bounds, count = _bounds(conn, book, selector, chunk_size)
            if not count:
                continue
            parts.append(
                {
                    "name": name,
                    "selector": selector,
                    "index": index,
                    "first": first,
                    "bounds": bounds,
                }
            )
            first += len(bounds)
            total += count
        plan = {
            "chunk_size": chunk_size,
            "threshold": threshold,
            "limit": limit,
            "parts": parts,
            "changes": changes.to_dict(),
        }
        conn.execute(
            insert(monitor_runs).values(
                id=run_id,
                kind=kind,
                book=book,
                engine=engine,
                status="running",
                versions=current,
                previous_versions=previous or {},
                plan=plan,
                total=total,
                done=0,
                alerts_raised=0,
                alerts_closed=0,
                error=None,
                started_at=now,
                finished_at=None,
                heartbeat_at=now,
            )
        )
        summary = {
            "book": book,
            "kind": kind,
            "engine": engine,
            "records": total,
            "added": len(changes.added),
            "changed": len(changes.changed),
            "removed": len(changes.removed),
            "previous_versions": previous or {},
        }
        audit.append(
            conn,
            actor="monitor",
            action="run.started",
            subject=run_id,
            data=summary,
            versions=sorted(current.values()),
        )
    log.info(
        "run %s planned: %s run of book %r, %d record(s), %d added / %d changed / %d removed "
        "list parties",
        run_id,
        kind,
        book,
        total,
        len(changes.added),
        len(changes.changed),
        len(changes.removed),
    )
    return run_id


# -- executing ------------------------------------------------------------------------------


@dataclass
class _Chunk:
    number: int
    records: list[Any]


class RunExecutor:
    """Executes (or resumes) one planned run (see module doc)."""

    def __init__(
        self,
        store: Store,
        run_id: str,
        *,
        index_root: Path,
        workers: int = 0,
        engine: str | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.index_root = index_root
        self.workers = workers
        self.progress = progress
        with store.engine.connect() as conn:
            row = conn.execute(select(monitor_runs).where(monitor_runs.c.id == run_id)).first()
            if row is None:
                raise RunError(f"no monitoring run {run_id}")
            self.committed = set(
                conn.execute(select(run_chunks.c.chunk).where(run_chunks.c.run_id == run_id))
                .scalars()
                .all()
            )
        self.run = row
        self.engine_name = engine or row.engine
        self.plan: dict[str, Any] = dict(row.plan)
        self.versions: dict[str, int] = {str(k): int(v) for k, v in dict(row.versions).items()}
        self.changes = ListChanges.from_dict(self.plan["changes"])
        self.report = RunReport(
            run_id,
            row.book,
            row.kind,
            row.status,
            row.total,
            row.done,
            changes={
                "added": len(self.changes.added),
                "changed": len(self.changes.changed),
                "removed": len(self.changes.removed),
            },
        )
        self.report.resumed_chunks = len(self.committed)
        self._delta: Path | None = None

    @property
    def version_ids(self) -> list[int]:
        return sorted(self.versions.values())

    def execute(self) -> RunReport:
        started, cpu = time.perf_counter(), time.process_time()
        if self.run.status == "completed":
            return self.report
        if self.committed:
            log.info(
                "resuming run %s: %d chunk(s) already committed",
                self.report.run_id,
                len(self.committed),
            )
        try:
            full: Path | None = None
            if 0 not in self.committed:
                self._closures()
            for part in self.plan["parts"]:
                todo = [
                    part["first"] + i
                    for i in range(len(part["bounds"]))
                    if part["first"] + i not in self.committed
                ]
                if not todo:
                    continue
                clock = time.perf_counter()
                if full is None:  # built (or loaded) only when a part has work left
                    full = full_index(self.store, self.version_ids, self.index_root)
                if part["index"] == "full":
                    path: Path | None = full
                else:
                    path = delta_index(full, self.changes.affected, delta_root(self.index_root))
                    self._delta = path
                self.report.index_seconds += time.perf_counter() - clock
                self._screen_part(part, todo, path)
        except BaseException as exc:
            self._failed(exc)
            raise
        self._finish()
        self.report.seconds = time.perf_counter() - started
        self.report.cpu_seconds = time.process_time() - cpu
        return self.report

    # -- chunk 0: closures
    def _closures(self) -> None:
        book = self.report.book
        by_reason: dict[str, list[str]] = {}
        for entity_id, where in self.changes.removed.items():
            reason = (
                f"list entity removed from {where['source']} by version {where['version_id']}"
                if where.get("version_id") is not None
                else f"source {where['source']} no longer active"
            )
            if where.get("previous_version_id") is not None:
                reason += f" (previous version {where['previous_version_id']})"
            by_reason.setdefault(reason, []).append(entity_id)
        try:
            with self.store.engine.begin() as conn:
                conn.execute(
                    insert(run_chunks).values(
                        run_id=self.report.run_id,
                        chunk=0,
                        rows=0,
                        alerts=0,
                        committed_at=datetime.now(UTC),
                    )
                )
                closed = 0
                for reason, ids in sorted(by_reason.items()):
                    closed += close_alerts(
                        conn,
                        book,
                        reason=reason,
                        entity_ids=ids,
                        run_id=self.report.run_id,
                        versions=self.version_ids,
                    )
                deleted = conn.execute(
                    select(alerts.c.record_id)
                    .select_from(
                        alerts.join(
                            book_records,
                            and_(
                                book_records.c.book == alerts.c.book,
                                book_records.c.record_id == alerts.c.record_id,
                            ),
                        )
                    )
                    .where(
                        alerts.c.book == book,
                        alerts.c.status.in_(ACTIVE),
                        book_records.c.deleted_at.is_not(None),
                    )
                ).scalars()
                closed += close_alerts(
                    conn,
                    book,
                    reason="record deleted from the book",
                    record_ids=sorted(set(deleted)),
                    run_id=self.report.run_id,
                    versions=self.version_ids,
                )
                self._advance(conn, 0, AlertCounts(closed=closed))
        except IntegrityError:
            log.warning("run %s: chunk 0 was committed by another process", self.report.run_id)
            return
        self.report.counts.closed += closed
        if closed:
            log.info("run %s: %d alert(s) closed", self.report.run_id, closed)

    # -- screening parts
    def _records(self, part: dict[str, Any], number: int) -> list[Any]:
        i = number - part["first"]
        bounds = part["bounds"]
        query = select(
            book_records.c.record_id,
            book_records.c.version,
            book_records.c.hash,
            book_records.c.screened_hash,
            book_records.c.data,
        ).where(
            _selection(self.report.book, part["selector"]), book_records.c.record_id <= bounds[i]
        )
        if i > 0:
            query = query.where(book_records.c.record_id > bounds[i - 1])
        with self.store.engine.connect() as conn:
            return list(conn.execute(query.order_by(book_records.c.record_id)).all())

    def _screen_part(self, part: dict[str, Any], todo: list[int], path: Path | None) -> None:
        if path is None:  # no affected entity is a screened party: nothing can match
            for number in todo:
                self._commit(part, _Chunk(number, self._records(part, number)), [])
            return
        from clearance.engines import open_engine

        engine = open_engine(self.engine_name, path, workers=self.workers)
        pending: deque[_Chunk] = deque()

        def queries() -> Iterator[dict[str, Any]]:
            for number in todo:
                chunk = _Chunk(number, self._records(part, number))
                pending.append(chunk)
                for record in chunk.records:
                    yield dict(record.data)

        options = {"threshold": self.plan.get("threshold"), "limit": self.plan.get("limit", 10)}
        buffer: list[ScreenResult] = []
        try:
            for result in engine.screen_many(queries(), **options):
                buffer.append(result)
                while pending and len(buffer) >= len(pending[0].records):
                    chunk = pending.popleft()
                    size = len(chunk.records)
                    self._commit(part, chunk, buffer[:size])
                    buffer = buffer[size:]
            while pending:
                self._commit(part, pending.popleft(), [])
        finally:
            engine.close()

    def _cause(self, part: dict[str, Any], record: Any, hit: Hit) -> dict[str, Any]:
        if part["name"] == "book":
            added = self.changes.added.get(hit.entity_id)
            where = added or self.changes.changed.get(hit.entity_id) or {}
            cause = {"kind": "list_added" if added else "list_changed", **where}
            cause.setdefault("source", hit.source)
            cause.setdefault("version_id", hit.version_id)
            return cause
        if self.report.kind == "full":
            kind = "full"
        else:
            kind = "record_new" if record.screened_hash is None else "record_changed"
        return {
            "kind": kind,
            "record_version": int(record.version),
            "source": hit.source,
            "version_id": hit.version_id,
        }

    def _entity_hashes(self, results: Sequence[ScreenResult]) -> dict[tuple[int, str], str]:
        wanted: dict[int, set[str]] = {}
        for result in results:
            for hit in result.hits:
                wanted.setdefault(hit.version_id, set()).add(hit.entity_id)
        out: dict[tuple[int, str], str] = {}
        with self.store.engine.connect() as conn:
            for version_id, ids in wanted.items():
                rows = conn.execute(
                    select(version_entities.c.entity_id, version_entities.c.hash).where(
                        version_entities.c.version_id == version_id,
                        version_entities.c.entity_id.in_(sorted(ids)),
                    )
                )
                for entity_id, digest in rows:
                    out[(version_id, entity_id)] = digest
        return out

    def _commit(self, part: dict[str, Any], chunk: _Chunk, results: list[ScreenResult]) -> None:
        hashes = self._entity_hashes(results)
        findings = []
        for record, result in zip(chunk.records, results, strict=False):
            for hit in result.hits:
                findings.append(
                    Finding(
                        record_id=record.record_id,
                        record_version=int(record.version),
                        record_hash=record.hash,
                        entity_id=hit.entity_id,
                        entity_hash=hashes[(hit.version_id, hit.entity_id)],
                        source=hit.source,
                        version_id=hit.version_id,
                        score=float(hit.score),
                        hit=hit.to_dict(),
                        cause=self._cause(part, record, hit),
                    )
                )
        try:
            with self.store.engine.begin() as conn:
                conn.execute(
                    insert(run_chunks).values(
                        run_id=self.report.run_id,
                        chunk=chunk.number,
                        rows=len(chunk.records),
                        alerts=0,
                        committed_at=datetime.now(UTC),
                    )
                )
                counts = apply_findings(
                    conn,
                    self.report.book,
                    findings,
                    run_id=self.report.run_id,
                    versions=self.version_ids,
                )
                if part["index"] == "full" and chunk.records:
                    ids = [r.record_id for r in chunk.records]
                    for start in range(0, len(ids), 500):
                        conn.execute(
                            update(book_records)
                            .where(
                                book_records.c.book == self.report.book,
                                book_records.c.record_id.in_(ids[start : start + 500]),
                            )
                            .values(screened_hash=book_records.c.hash)
                        )
                conn.execute(
                    update(run_chunks)
                    .where(
                        run_chunks.c.run_id == self.report.run_id,
                        run_chunks.c.chunk == chunk.number,
                    )
                    .values(alerts=counts.raised)
                )
                self._advance(conn, len(chunk.records), counts)
        except IntegrityError:
            log.warning(
                "run %s: chunk %d was committed by another process",
                self.report.run_id,
                chunk.number,
            )
            return
        self.report.counts.add(counts)
        self.report.chunks += 1
        self.report.done += len(chunk.records)
        if self.progress is not None:
            self.progress(self.report.done, self.report.total)

    def _advance(self, conn: Connection, rows: int, counts: AlertCounts) -> None:
        conn.execute(
            update(monitor_runs)
            .where(monitor_runs.c.id == self.report.run_id)
            .values(
                done=monitor_runs.c.done + rows,
                alerts_raised=monitor_runs.c.alerts_raised + counts.raised,
                alerts_closed=monitor_runs.c.alerts_closed + counts.closed,
                heartbeat_at=datetime.now(UTC),
            )
        )

    def _finish(self) -> None:
        now = datetime.now(UTC)
        with self.store.engine.begin() as conn:
            row = conn.execute(
                select(monitor_runs).where(monitor_runs.c.id == self.report.run_id)
            ).one()
            expected = 1 + sum(len(p["bounds"]) for p in self.plan["parts"])
            chunks = conn.execute(
                select(func.count())
                .select_from(run_chunks)
                .where(run_chunks.c.run_id == self.report.run_id)
            ).scalar_one()
            if chunks != expected:
                raise RunError(
                    f"run {self.report.run_id}: {chunks} of {expected} chunks committed; resume it"
                )
            finished = conn.execute(
                update(monitor_runs)
                .where(monitor_runs.c.id == self.report.run_id, monitor_runs.c.status == "running")
                .values(status="completed", finished_at=now, error=None, heartbeat_at=now)
            )
            if finished.rowcount == 0:  # another process finished it first
                self.report.status = "completed"
                return
            audit.append(
                conn,
                actor="monitor",
                action="run.finished",
                subject=self.report.run_id,
                data={
                    "book": self.report.book,
                    "kind": self.report.kind,
                    "records": int(row.done),
                    "alerts_raised": int(row.alerts_raised),
                    "alerts_closed": int(row.alerts_closed),
                },
                versions=self.version_ids,
            )
        self.report.status = "completed"
        self.report.done = int(row.done)
        if self._delta is not None:  # only this run needed it (a resume rebuilds it)
            shutil.rmtree(self._delta, ignore_errors=True)
        log.info(
            "run %s completed: %d record(s) screened, %d alert(s) raised, %d closed",
            self.report.run_id,
            int(row.done),
            int(row.alerts_raised),
            int(row.alerts_closed),
        )

    def _failed(self, exc: BaseException) -> None:
        """Note the error on the run (it stays ``running``: resuming it continues the work)."""
        message = f"{type(exc).__name__}: {exc}"[:2000]
        try:
            with self.store.engine.begin() as conn:
                conn.execute(
                    update(monitor_runs)
                    .where(monitor_runs.c.id == self.report.run_id)
                    .values(error=message)
                )
        except Exception:  # the database may be what failed; the original error is raised
            pass
        log.error("run %s interrupted: %s (resume it to continue)", self.report.run_id, message)


def execute_run(
    store: Store,
    run_id: str,
    *,
    index_root: Path,
    workers: int = 0,
    engine: str | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Execute or resume the run ``run_id`` (see module doc)."""
    return RunExecutor(
        store, run_id, index_root=index_root, workers=workers, engine=engine, progress=progress
    ).execute()


def run_book(
    store: Store,
    book: str,
    *,
    index_root: Path,
    kind: str = "delta",
    engine: str = "local",
    workers: int = 0,
    chunk_size: int = CHUNK_SIZE,
    threshold: float | None = None,
    limit: int = 10,
    progress: Progress | None = None,
) -> list[RunReport]:
    """Resume the book's interrupted runs, then plan and execute a new ``kind`` run."""
    reports = [
        execute_run(store, rid, index_root=index_root, workers=workers, progress=progress)
        for rid in running_runs(store, book)
    ]
    run_id = create_run(
        store,
        book,
        kind=kind,
        engine=engine,
        chunk_size=chunk_size,
        threshold=threshold,
        limit=limit,
    )
    reports.append(
        execute_run(
            store, run_id, index_root=index_root, workers=workers, engine=engine, progress=progress
        )
    )
    return reports


def versions_label(versions: Mapping[str, int]) -> str:
    return ", ".join(f"{s}={v}" for s, v in sorted(versions.items()))


__all__ = [
    "CHUNK_SIZE",
    "RunError",
    "RunExecutor",
    "RunReport",
    "active_map",
    "create_run",
    "execute_run",
    "run_book",
    "running_runs",
]
