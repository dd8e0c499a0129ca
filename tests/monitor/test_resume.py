"""Crash and resume: a real `clearance monitor run` killed with SIGKILL mid-run, then resumed,
gives exactly the alerts of an uninterrupted run — none lost, none raised twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from clearance.audit import entries, verify
from clearance.monitor.book import import_rows
from clearance.monitor.runner import run_book
from clearance.monitor.tables import alerts, monitor_runs, run_chunks
from clearance.screen.readers import read_rows
from clearance.store import Store
from tests.monitor.conftest import Lists, book_rows, write_book

RECORDS = 4000
CHUNK = 50


def outcome(store: Store) -> Counter[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(alerts)).all()
    return Counter(
        (r.record_id, r.entity_id, r.status, round(r.score, 6), r.cause["kind"]) for r in rows
    )


def cli(home: Path, url: str, *args: str) -> list[str]:
    clearance = Path(sys.executable).with_name("clearance")
    return [str(clearance), *args]


def env(home: Path, url: str) -> dict[str, str]:
    return {**os.environ, "CLEARANCE_HOME": str(home), "CLEARANCE_DATABASE_URL": url}


def committed(store: Store) -> tuple[int, str | None]:
    with store.engine.connect() as conn:
        chunks = conn.execute(select(func.count()).select_from(run_chunks)).scalar_one()
        status = conn.execute(select(monitor_runs.c.status)).scalar()
    return int(chunks), status


def test_killed_run_resumes_to_the_same_alerts(
    store: Store, store_url: str, sdn_lists: Lists, tmp_path: Path
) -> None:
    rows = book_rows(RECORDS)
    book = write_book(tmp_path / "book.csv", rows)
    store.load_path(sdn_lists.v1)
    import_rows(store, "retail", read_rows(book))
    home = tmp_path / "home"

    args = cli(
        home,
        store_url,
        "monitor",
        "run",
        "--full",
        "--workers",
        "2",
        "--chunk-size",
        str(CHUNK),
        "--book",
        "retail",
    )
    proc = subprocess.Popen(
        args,
        env=env(home, store_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its worker processes share its process group
    )
    try:
        deadline = time.monotonic() + 300
        while committed(store)[0] < 6:
            assert proc.poll() is None, "the run ended before it could be killed"
            assert time.monotonic() < deadline, "no chunk committed in 300 s"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    chunks, status = committed(store)
    total_chunks = RECORDS // CHUNK + 1 + 1  # + the planted records' chunk + chunk 0
    assert status == "running" and chunks < total_chunks, "killed after the run finished"
    partial = outcome(store)

    resumed = subprocess.run(
        cli(home, store_url, "monitor", "resume", "--workers", "2"),
        env=env(home, store_url),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed" in resumed.stderr

    reference = Store.open(f"sqlite:///{tmp_path / 'reference.db'}")
    try:
        reference.load_path(sdn_lists.v1)
        import_rows(reference, "retail", read_rows(book))
        run_book(
            reference,
            "retail",
            index_root=tmp_path / "ref-index",
            kind="full",
            workers=1,
            chunk_size=CHUNK,
        )
        expected = outcome(reference)
    finally:
        reference.close()

    got = outcome(store)
    assert got == expected
    assert max(got.values()) == 1  # no pair twice
    assert sum(partial.values()) < sum(expected.values())  # the kill did interrupt the work
    with store.engine.connect() as conn:
        run = conn.execute(select(monitor_runs)).one()
        chunk_numbers = conn.execute(select(run_chunks.c.chunk)).scalars().all()
        raised = [e.subject for e in entries(conn) if e.action == "alert.raised"]
        ids = conn.execute(select(alerts.c.id)).scalars().all()
    assert (run.status, run.done, run.total) == ("completed", RECORDS + 5, RECORDS + 5)
    assert sorted(chunk_numbers) == list(range(total_chunks))
    assert sorted(raised) == sorted(ids)  # one audit entry per alert, none for rolled-back work
    assert verify(store.engine).ok
