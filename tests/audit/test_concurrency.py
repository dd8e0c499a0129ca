"""Concurrent writers (threads, and separate processes) keep one valid chain: no fork, no
duplicate or skipped sequence number — on SQLite and PostgreSQL, starting from an empty trail
(the first writers race to create the head row)."""

from __future__ import annotations

import multiprocessing
import threading
from typing import Any

import pytest
from sqlalchemy import select

from clearance import audit
from clearance.audit.tables import audit_log
from clearance.store import Store
from clearance.store.store import make_engine

WRITERS = 6
PROCESSES = 3
EACH = 15


def _write(url: str, writer: int, count: int, start: Any = None) -> None:
    """Append ``count`` entries, each in its own transaction (separate engine: own pool)."""
    engine = make_engine(url)
    try:
        if start is not None:
            start.wait(timeout=120)
        for i in range(count):
            with engine.begin() as conn:
                audit.append(
                    conn, actor=f"w{writer}", action="test.write", subject=f"{writer}:{i}",
                    data={"writer": writer, "i": i},
                )  # fmt: skip
    finally:
        engine.dispose()


def _check(store: Store, writers: int = WRITERS) -> None:
    report = audit.verify(store.engine)
    assert report.ok, report.problems
    assert report.checked == writers * EACH == report.head_seq
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.seq, audit_log.c.subject, audit_log.c.prev_hash)
        ).all()
    assert sorted(r.seq for r in rows) == list(range(1, writers * EACH + 1))
    assert len({r.prev_hash for r in rows}) == len(rows)  # no two entries share a parent
    assert {r.subject for r in rows} == {f"{w}:{i}" for w in range(writers) for i in range(EACH)}


def test_threads_share_one_chain(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            _write(url, writer, EACH, barrier)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    _check(store)


@pytest.mark.slow
def test_processes_share_one_chain(store: Store) -> None:
    """Separate processes (own interpreters, own connections); 3 of them, as each start costs."""
    url = store.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)  # all processes start writing together
    procs = [ctx.Process(target=_write, args=(url, w, EACH, barrier)) for w in range(PROCESSES)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=180)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    _check(store, PROCESSES)
