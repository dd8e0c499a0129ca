"""The versioned snapshot store: load list versions atomically, switch, read and diff them.

One :class:`Store` wraps a SQLAlchemy engine (SQLite file by default, or PostgreSQL). Opening it
runs the shipped Alembic migrations to head. Every load makes an immutable version; each source
has at most one active version, switched atomically (see :mod:`clearance.store.loader`).
Database errors are translated into :class:`~clearance.errors.StoreError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from followthemoney.proxy import EntityProxy
from sqlalchemy import Row, and_, delete, event, insert, select
from sqlalchemy.engine import Connection, Engine, create_engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import ListFormatError, StoreError, UnknownFormatError, VersionNotFound
from clearance.settings import Settings, load_settings
from clearance.sources.base import ParseResult
from clearance.sources.version import parser_version
from clearance.store import migrate
from clearance.store.canonical import to_proxy
from clearance.store.diff import ListDiff, diff_entities
from clearance.store.fingerprint import files_sha256
from clearance.store.loader import Progress, VersionWriter, record_failure, set_active
from clearance.store.tables import (
    active_versions,
    entity_blobs,
    list_versions,
    source_state,
    version_entities,
)
from clearance.store.types import SourceState, VersionInfo

_STREAM_BATCH = 1000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL (readers go on during a load) and foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything the store writes is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _state(row: Row[Any]) -> SourceState:
    data = row._asdict()
    data["checked_at"] = _aware(data["checked_at"])
    data["fetched_at"] = _aware(data["fetched_at"])
    data["stale"] = bool(data["stale"])
    return SourceState(**data)


def _info(row: Row[Any], active: bool) -> VersionInfo:
    return VersionInfo(
        id=row.id,
        source=row.source,
        format=row.format,
        publication_date=row.publication_date,
        sha256=row.sha256,
        files=list(row.files or []),
        entity_count=row.entity_count,
        schema_counts=dict(row.schema_counts or {}),
        warnings=list(row.warnings or []),
        loaded_at=_aware(row.loaded_at) or row.loaded_at,
        active=active,
        status=row.status,
        parser_version=row.parser_version,
    )


class Store:
    """Versioned list snapshots in a SQL database (see docs/store.md)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, url: str | None = None, settings: Settings | None = None) -> Store:
        """Open (and create or upgrade) the store at ``url`` or the settings' ``db_url``."""
        url = url or (settings or load_settings()).db_url
        engine = make_engine(url)
        store = cls(engine)
        try:
            migrate.upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store at {store.url}: {exc}") from exc
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- loading -------------------------------------------------------------------------------

    def find_version(
        self,
        source: str | None,
        sha256: str,
        fmt: str | None = None,
        parser: str | None = None,
    ) -> VersionInfo | None:
        """The newest ready version loaded from files with this fingerprint (of ``source`` and
        ``fmt`` when given) by the parser version ``parser`` (default: the running code's), if
        any. A version parsed by other parser code is not a match: the file is parsed again."""
        query = self._version_query().where(
            list_versions.c.sha256 == sha256,
            list_versions.c.status == "ready",
            list_versions.c.parser_version == (parser or parser_version()),
        )
        if source is not None:
            query = query.where(list_versions.c.source == source)
        if fmt is not None:
            query = query.where(list_versions.c.format == fmt)
        with self._connect() as conn:
            row = conn.execute(query.order_by(list_versions.c.id.desc()).limit(1)).first()
        return _info(row, row.active_id is not None) if row is not None else None

    def _reuse(self, existing: VersionInfo, activate: bool) -> VersionInfo:
        if activate and not existing.active:
            self.activate(existing.id)
            return self.version(existing.id)
        return existing

    def load(
        self,
        result: ParseResult,
        *,
        source: str | None = None,
        activate: bool = True,
        progress: Progress | None = None,
    ) -> VersionInfo:
        """Store a parsed list as a new version, atomically; see the module docstring.

        Files already loaded for ``source`` (same sha256) return the existing version, which is
        re-activated only when ``activate`` is true.
        """
        meta = result.meta
        source = source or meta.source
        sha256 = files_sha256(meta.files)
        existing = self.find_version(source, sha256)
        if existing is not None:
            return self._reuse(existing, activate)
        try:
            with self.engine.begin() as conn:
                writer = VersionWriter(conn, meta, source, sha256)
                writer.write(result.entities, progress)
                version_id = writer.finish(activate)
        except SQLAlchemyError as exc:
            self._record_failure(meta, source, sha256, exc)
            raise StoreError(f"loading {source} into {self.url} failed: {exc}") from exc
        except BaseException as exc:
            self._record_failure(meta, source, sha256, exc)
            raise
        return self.version(version_id)

    def _record_failure(self, meta: Any, source: str, sha256: str, exc: BaseException) -> None:
        try:
            with self.engine.begin() as conn:
                record_failure(conn, meta, source, sha256, str(exc) or type(exc).__name__)
        except SQLAlchemyError:
            pass  # the database itself is the problem; the original error is raised

    def load_path(
        self,
        path: Path,
        *,
        fmt: str | None = None,
        source: str | None = None,
        activate: bool = True,
        progress: Progress | None = None,
    ) -> VersionInfo:
        """Detect the format of ``path`` (or use ``fmt``), parse it and load it.

        Files already loaded (same fingerprint and format, and source when given) are
        recognised before parsing, so re-loading an unchanged file costs one checksum.
        """
        from clearance.sources import parser_for_format
        from clearance.sources.detect import detect

        if not path.exists():
            raise ListFormatError(path, None, "no such file or directory")
        try:
            parser_cls = parser_for_format(fmt) if fmt else detect(path)
        except KeyError as exc:
            raise UnknownFormatError(path, str(exc.args[0])) from exc
        existing = self.find_version(source, files_sha256([path]), parser_cls.format)
        if existing is not None:
            return self._reuse(existing, activate)
        result = parser_cls().parse(path)
        return self.load(result, source=source, activate=activate, progress=progress)

    def activate(self, version_id: int) -> None:
        """Make ``version_id`` the active version of its source (one atomic row switch)."""
        info = self.version(version_id)
        if info.status != "ready":
            raise StoreError(f"version {version_id} is a failed load and cannot be activated")
        try:
            with self.engine.begin() as conn:
                set_active(conn, info.source, version_id)
        except SQLAlchemyError as exc:
            raise StoreError(f"activating version {version_id} failed: {exc}") from exc

    # -- versions ------------------------------------------------------------------------------

    def _connect(self) -> Connection:
        try:
            return self.engine.connect()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot connect to the store at {self.url}: {exc}") from exc

    def _version_query(self) -> Any:
        return select(list_versions, active_versions.c.version_id.label("active_id")).outerjoin(
            active_versions, active_versions.c.version_id == list_versions.c.id
        )

    def versions(
        self, source: str | None = None, *, include_failed: bool = False
    ) -> list[VersionInfo]:
        """Versions in load order (oldest first), of one source or all."""
        query = self._version_query()
        if source is not None:
            query = query.where(list_versions.c.source == source)
        if not include_failed:
            query = query.where(list_versions.c.status == "ready")
        with self._connect() as conn:
            rows = conn.execute(query.order_by(list_versions.c.id)).all()
        return [_info(row, row.active_id is not None) for row in rows]

    def active_versions(self) -> list[VersionInfo]:
        """The active version of every source, by source id."""
        query = self._version_query().where(active_versions.c.version_id.is_not(None))
        with self._connect() as conn:
            rows = conn.execute(query.order_by(list_versions.c.source)).all()
        return [_info(row, True) for row in rows]

    def version(self, version_id: int) -> VersionInfo:
        query = self._version_query().where(list_versions.c.id == version_id)
        with self._connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise VersionNotFound(f"no list version {version_id}")
        return _info(row, row.active_id is not None)

    def active_version(self, source: str) -> VersionInfo | None:
        query = self._version_query().where(active_versions.c.source == source)
        with self._connect() as conn:
            row = conn.execute(query).first()
        return _info(row, True) if row is not None else None

    # -- entities ------------------------------------------------------------------------------

    def entities(self, version_id: int) -> Iterator[EntityProxy]:
        """Every entity of a version, by entity id (streamed); VersionNotFound at once."""
        self.version(version_id)
        return self._stream_version(version_id)

    def _stream_version(self, version_id: int) -> Iterator[EntityProxy]:
        query = (
            select(entity_blobs.c.data)
            .select_from(version_entities.join(entity_blobs))
            .where(version_entities.c.version_id == version_id)
            .order_by(version_entities.c.entity_id)
        )
        with self._connect() as conn:
            result = conn.execution_options(yield_per=_STREAM_BATCH).execute(query)
            for (data,) in result:
                yield to_proxy(json.loads(data))

    def active_entities(
        self, sources: Sequence[str] | None = None
    ) -> Iterator[tuple[VersionInfo, EntityProxy]]:
        """Entities of the active versions (of ``sources``, or all), with their version."""
        infos = {v.id: v for v in self.active_versions() if sources is None or v.source in sources}
        if not infos:
            return
        query = (
            select(version_entities.c.version_id, entity_blobs.c.data)
            .select_from(version_entities.join(entity_blobs))
            .where(version_entities.c.version_id.in_(list(infos)))
            .order_by(version_entities.c.version_id, version_entities.c.entity_id)
        )
        with self._connect() as conn:
            result = conn.execution_options(yield_per=_STREAM_BATCH).execute(query)
            for version_id, data in result:
                yield infos[version_id], to_proxy(json.loads(data))

    def entity_record(
        self, entity_id: str, version_id: int | None = None
    ) -> tuple[VersionInfo, str | None, EntityProxy] | None:
        """An entity with its provenance (version, source record id).

        Without ``version_id``: from an active version if one holds it, else the newest version.
        """
        query = (
            select(version_entities.c.version_id, version_entities.c.record_id, entity_blobs.c.data)
            .select_from(
                version_entities.join(entity_blobs).outerjoin(
                    active_versions, active_versions.c.version_id == version_entities.c.version_id
                )
            )
            .where(version_entities.c.entity_id == entity_id)
        )
        if version_id is not None:
            query = query.where(version_entities.c.version_id == version_id)
        query = query.order_by(
            active_versions.c.version_id.is_(None), version_entities.c.version_id.desc()
        ).limit(1)
        with self._connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return self.version(row.version_id), row.record_id, to_proxy(json.loads(row.data))

    def entity(self, entity_id: str, version_id: int | None = None) -> EntityProxy | None:
        """An entity of ``version_id``, or of the active versions when not given."""
        if version_id is None:
            found = self.entity_record(entity_id)
            if found is None or not found[0].active:
                return None
            return found[2]
        found = self.entity_record(entity_id, version_id)
        return found[2] if found is not None else None

    # -- diff ----------------------------------------------------------------------------------

    def _differing(self, conn: Connection, this: int, other: int) -> dict[str, tuple[str, Any]]:
        """Rows of version ``this`` that are missing from ``other`` or have another hash."""
        mine = version_entities.alias("mine")
        theirs = version_entities.alias("theirs")
        query = (
            select(mine.c.entity_id, mine.c.hash, entity_blobs.c.data)
            .select_from(
                mine.join(entity_blobs, entity_blobs.c.hash == mine.c.hash).outerjoin(
                    theirs,
                    and_(theirs.c.version_id == other, theirs.c.entity_id == mine.c.entity_id),
                )
            )
            .where(mine.c.version_id == this)
            .where((theirs.c.hash.is_(None)) | (theirs.c.hash != mine.c.hash))
        )
        return {row.entity_id: (row.hash, json.loads(row.data)) for row in conn.execute(query)}

    def diff(self, old_version_id: int, new_version_id: int) -> ListDiff:
        """Entities added, removed and changed (with property changes) from old to new."""
        old_info = self.version(old_version_id)
        new_info = self.version(new_version_id)
        with self._connect() as conn:
            old = self._differing(conn, old_version_id, new_version_id)
            new = self._differing(conn, new_version_id, old_version_id)
        result = diff_entities(
            old, new, old_version_id=old_version_id, new_version_id=new_version_id
        )
        result.parsers = (old_info.parser_version, new_info.parser_version)
        return result

    # -- source state --------------------------------------------------------------------------

    def get_source_state(self, source: str) -> SourceState | None:
        with self._connect() as conn:
            row = conn.execute(select(source_state).where(source_state.c.source == source)).first()
        if row is None:
            return None
        return _state(row)

    def set_source_state(self, state: SourceState) -> None:
        """Replace the stored state of ``state.source``."""
        values = {
            "source": state.source,
            "etag": state.etag,
            "last_modified": state.last_modified,
            "sha256": state.sha256,
            "checked_at": state.checked_at,
            "fetched_at": state.fetched_at,
            "last_error": state.last_error,
            "stale": state.stale,
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(source_state).where(source_state.c.source == state.source))
                conn.execute(insert(source_state).values(**values))
        except SQLAlchemyError as exc:
            raise StoreError(f"saving the state of {state.source} failed: {exc}") from exc

    def source_states(self) -> list[SourceState]:
        with self._connect() as conn:
            rows = conn.execute(select(source_state).order_by(source_state.c.source)).all()
        return [_state(row) for row in rows]
