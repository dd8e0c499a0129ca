"""The customer / counterparty book: records imported from files or a database table, versioned.

A book record is a screening query (the FtM-style dict of :mod:`clearance.screen.query`) under
a stable ``record_id`` (the ``id`` column). Its ``hash`` is the sha256 of its canonical JSON
(properties and values sorted), so re-importing an unchanged record is a no-op, and a changed
record gets a new ``version`` (kept in ``book_record_versions``) and is re-screened by the next
delta run (its hash no longer equals ``screened_hash``).

An import is **one transaction**: broken rows (bad JSON, wrong number of fields, no name,
duplicate id) are reported with their row number and place, every other row is imported; a
database error or an unreadable file leaves the book as it was. While a monitoring run of the
book is in progress the import is refused (a run screens a fixed book; see :mod:`.runner`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from sqlalchemy import and_, case, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from clearance.errors import ClearanceError, StoreError
from clearance.monitor.tables import book_record_versions, book_records, monitor_runs
from clearance.screen.query import InvalidQuery, query_from_fields
from clearance.screen.readers import InputRow
from clearance.store import Store

BATCH = 2000
"""Rows compared and written per statement batch."""


class BookError(ClearanceError):
    """A book cannot be imported (a run is in progress, a bad table or column)."""


@dataclass
class ImportReport:
    """What an import did (counts) and the rows it skipped (row, where, error)."""

    book: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


def record_hash(query: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a record (id, schema, sorted properties and values)."""
    props = query.get("properties") or {}
    canon = {
        "id": query.get("id"),
        "schema": query.get("schema"),
        "properties": {k: sorted(set(v)) for k, v in sorted(props.items()) if v},
    }
    text = json.dumps(canon, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def running_run(conn: Connection, book: str) -> str | None:
    """The id of a run of ``book`` that has not finished (imports must wait for it)."""
    row = conn.execute(
        select(monitor_runs.c.id).where(
            monitor_runs.c.book == book, monitor_runs.c.status == "running"
        )
    ).first()
    return None if row is None else str(row.id)


def _existing(conn: Connection, book: str, ids: list[str]) -> dict[str, tuple[int, str, bool]]:
    rows = conn.execute(
        select(
            book_records.c.record_id,
            book_records.c.version,
            book_records.c.hash,
            book_records.c.deleted_at,
        ).where(book_records.c.book == book, book_records.c.record_id.in_(ids))
    )
    return {r.record_id: (int(r.version), r.hash, r.deleted_at is not None) for r in rows}


def _write_batch(
    conn: Connection, book: str, batch: list[dict[str, Any]], now: datetime, report: ImportReport
) -> None:
    existing = _existing(conn, book, [q["id"] for q in batch])
    fresh: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    for query in batch:
        rid, digest = query["id"], record_hash(query)
        old = existing.get(rid)
        if old is not None and old[1] == digest and not old[2]:
            report.unchanged += 1
            continue
        version = 1 if old is None else old[0] + 1
        values = {"version": version, "hash": digest, "data": query, "updated_at": now}
        versions.append({"book": book, "record_id": rid, "imported_at": now, **values})
        if old is None:
            fresh.append({"book": book, "record_id": rid, "deleted_at": None, **values})
            report.new += 1
        else:
            conn.execute(
                update(book_records)
                .where(book_records.c.book == book, book_records.c.record_id == rid)
                .values(deleted_at=None, **values)
            )
            report.changed += 1
    if fresh:
        conn.execute(insert(book_records), fresh)
    if versions:
        conn.execute(insert(book_record_versions), versions)


def _mark_deleted(conn: Connection, book: str, seen: set[str], now: datetime) -> int:
    """Records of the book absent from a ``replace`` import are marked deleted."""
    live = conn.execute(
        select(book_records.c.record_id).where(
            book_records.c.book == book, book_records.c.deleted_at.is_(None)
        )
    ).scalars()
    gone = [rid for rid in live if rid not in seen]
    for start in range(0, len(gone), BATCH):
        conn.execute(
            update(book_records)
            .where(
                book_records.c.book == book,
                book_records.c.record_id.in_(gone[start : start + BATCH]),
            )
            .values(deleted_at=now, updated_at=now)
        )
    return len(gone)


def import_rows(
    store: Store, book: str, rows: Iterable[InputRow], *, replace: bool = False
) -> ImportReport:
    """Import ``rows`` into ``book`` in one transaction (see module doc).

    ``replace``: the rows are the whole book; live records not among them are marked deleted
    (a delta run closes their open alerts).
    """
    if not book or len(book) > 128:
        raise BookError("a book name must have 1 to 128 characters")
    report = ImportReport(book)
    now = datetime.now(UTC)
    seen: set[str] = set()
    try:
        with store.engine.begin() as conn:
            other = running_run(conn, book)
            if other is not None:
                raise BookError(
                    f"monitoring run {other} of book {book!r} is in progress; wait for it or "
                    "`clearance monitor resume` it before importing"
                )
            batch: list[dict[str, Any]] = []
            for row in rows:
                report.rows += 1
                if row.query is None:
                    report.errors.append({"row": row.row, "where": row.where, "error": row.error})
                    continue
                rid = str(row.query.get("id") or "")
                if not rid or len(rid) > 255:
                    report.errors.append(
                        {"row": row.row, "where": row.where, "error": "record id empty or too long"}
                    )
                    continue
                if rid in seen:
                    report.errors.append(
                        {"row": row.row, "where": row.where, "error": f"duplicate id {rid!r}"}
                    )
                    continue
                seen.add(rid)
                batch.append({**row.query, "id": rid})
                if len(batch) >= BATCH:
                    _write_batch(conn, book, batch, now, report)
                    batch = []
            if batch:
                _write_batch(conn, book, batch, now, report)
            if replace:
                report.deleted = _mark_deleted(conn, book, seen, now)
    except SQLAlchemyError as exc:
        raise StoreError(f"importing book {book!r} into {store.url} failed: {exc}") from exc
    return report


def table_rows(url: str, table: str, id_column: str = "id") -> Iterator[InputRow]:
    """The rows of a database table as book rows (columns: the query fields, ``id_column``
    renamed to ``id``); a missing table or an unknown column is a :class:`BookError`."""
    from sqlalchemy import MetaData, Table, create_engine
    from sqlalchemy.exc import NoSuchTableError

    from clearance.screen.query import QUERY_FIELDS

    engine = create_engine(url)
    try:
        try:
            source = Table(table, MetaData(), autoload_with=engine)
        except NoSuchTableError as exc:
            raise BookError(f"{table}: no such table") from exc
        except SQLAlchemyError as exc:
            raise BookError(f"cannot read table {table}: {exc}") from exc
        columns = [c.name for c in source.columns]
        if id_column not in columns:
            raise BookError(f"{table}: no id column {id_column!r}")
        rename = {c: ("id" if c == id_column else c) for c in columns}
        unknown = [c for c, f in rename.items() if f not in QUERY_FIELDS]
        if unknown:
            raise BookError(f"{table}: unknown column(s): {', '.join(unknown)}")
        with engine.connect() as conn:
            result = conn.execute(
                select(source).order_by(source.c[id_column]).execution_options(yield_per=BATCH)
            )
            for n, row in enumerate(result, start=1):
                fields = {
                    rename[k]: (str(v) if isinstance(v, (int, float)) else v)
                    for k, v in row._mapping.items()
                    if v is not None and v != ""
                }
                where = f"{id_column}={row._mapping[id_column]!r}"
                try:
                    yield InputRow(n, where, query=query_from_fields(fields))
                except InvalidQuery as exc:
                    yield InputRow(n, where, error=str(exc))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class BookInfo:
    """One book: live and deleted records, records waiting for a re-screen, open alerts."""

    book: str
    records: int
    deleted: int
    unscreened: int
    updated_at: datetime | None


def books(store: Store) -> list[BookInfo]:
    """Every book with its counts (``clearance book status``)."""
    live = book_records.c.deleted_at.is_(None)
    pending = and_(
        live,
        (book_records.c.screened_hash.is_(None))
        | (book_records.c.screened_hash != book_records.c.hash),
    )
    query = (
        select(
            book_records.c.book,
            func.sum(case((live, 1), else_=0)).label("records"),
            func.sum(case((live, 0), else_=1)).label("deleted"),
            func.sum(case((pending, 1), else_=0)).label("unscreened"),
            func.max(book_records.c.updated_at).label("updated_at"),
        )
        .group_by(book_records.c.book)
        .order_by(book_records.c.book)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [
        BookInfo(
            r.book,
            int(r.records or 0),
            int(r.deleted or 0),
            int(r.unscreened or 0),
            _aware(r.updated_at),
        )
        for r in rows
    ]


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything written here is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of ``size`` items (the last one shorter)."""
    it = iter(items)
    while block := list(islice(it, size)):
        yield block
