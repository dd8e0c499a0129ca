"""Batch screening jobs: an uploaded CSV / JSON-lines file screened in the background.

``submit`` stores the upload under ``$CLEARANCE_HOME/api_jobs/<job id>/`` and checks its header;
one worker thread per server process runs queued jobs with the screening engine's
:class:`~clearance.screen.batch.BatchRun` (chunked, resumable) and keeps the ``jobs`` row up to
date (rows done, hits, row errors). Results are JSON lines, one per query × hit
(:mod:`clearance.screen.writers` columns). Each finished job is recorded as one screening
record (input sha256, options, row and hit counts, output sha256).
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from clearance.api.errors import ApiError
from clearance.api.state import AppState, iso
from clearance.api.tables import jobs
from clearance.errors import ClearanceError, ListFormatError
from clearance.match import ALGORITHM
from clearance.screen.batch import BatchRun
from clearance.screen.readers import count_rows, read_rows

log = logging.getLogger("clearance.api")
FORMATS = {"csv": ".csv", "jsonl": ".jsonl"}
MAX_ERRORS_SHOWN = 100
_PROGRESS_SECONDS = 0.5


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class JobRunner:
    """Submits, runs and reports batch jobs of one server process."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self.root = state.settings.home / "api_jobs"
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobs")
        with state.store.engine.begin() as conn:
            conn.execute(
                update(jobs)
                .where(jobs.c.status.in_(["queued", "running"]))
                .values(
                    status="failed",
                    message="interrupted by a server restart; submit the file again",
                    finished_at=datetime.now(UTC),
                )
            )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def submit(self, key_id: str | None, fmt: str, body: bytes, options: dict[str, Any]) -> str:
        """Store the upload, check its header and queue it; the job id."""
        if fmt not in FORMATS:
            raise ApiError(400, f"unknown job format {fmt!r}; use csv or jsonl")
        if not body.strip():
            raise ApiError(400, "the uploaded file is empty")
        job_id = str(uuid.uuid4())
        folder = self.root / job_id
        folder.mkdir(parents=True)
        path = folder / f"input{FORMATS[fmt]}"
        path.write_bytes(body)
        try:
            next(iter(read_rows(path)), None)
        except ListFormatError as exc:
            raise ApiError(400, f"{exc.where or 'file'}: {exc.message}") from exc
        with self.state.store.engine.begin() as conn:
            conn.execute(
                insert(jobs).values(
                    id=job_id,
                    key_id=key_id,
                    status="queued",
                    format=fmt,
                    options=options,
                    total=count_rows(path) or 0,
                    done=0,
                    hits=0,
                    errors=[],
                    created_at=datetime.now(UTC),
                )
            )
        self._pool.submit(self._run, job_id, path, options, key_id)
        return job_id

    def _set(self, job_id: str, **values: Any) -> None:
        with self.state.store.engine.begin() as conn:
            conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))

    def _run(self, job_id: str, path: Path, options: dict[str, Any], key_id: str | None) -> None:
        self._set(job_id, status="running")
        done = 0
        last = 0.0

        def progress(n: int) -> None:
            nonlocal done, last
            done += n
            now = time.monotonic()
            if now - last >= _PROGRESS_SECONDS:
                last = now
                self._set(job_id, done=done)

        try:
            loaded = self.state.loaded()
            output = path.with_name("results.jsonl")
            run = BatchRun(loaded.screener, path, output, options, workers=1, chunk_size=200)
            report = run.run(progress)
        except (ClearanceError, ApiError, OSError) as exc:
            message = exc.message if isinstance(exc, ListFormatError) else str(exc)
            self._set(job_id, status="failed", message=message, finished_at=datetime.now(UTC))
            return
        except Exception:
            log.exception("job %s failed", job_id)
            self._set(
                job_id, status="failed", message="internal error", finished_at=datetime.now(UTC)
            )
            return
        screening_id = self.state.records.add(
            key_id=key_id,
            key_name=None,
            endpoint="/jobs",
            query={"job_id": job_id, "input_sha256": _sha256(path), "options": options},
            versions=[{"id": v.id, "source": v.source} for v in loaded.versions],
            algorithm=ALGORITHM,
            results={
                "summary": [
                    {
                        "rows": report.rows,
                        "hits": report.hits,
                        "errors": len(report.errors),
                        "output_sha256": _sha256(output),
                    }
                ]
            },
        )
        self._set(
            job_id,
            status="done",
            done=report.rows,
            hits=report.hits,
            errors=report.errors[:MAX_ERRORS_SHOWN],
            screening_id=screening_id,
            finished_at=datetime.now(UTC),
        )

    def status(self, job_id: str, key_id: str | None, admin: bool) -> dict[str, Any]:
        with self.state.store.engine.connect() as conn:
            row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
        if row is None or (not admin and row.key_id != key_id):
            raise ApiError(404, f"no job {job_id!r}")
        finished = row.finished_at
        created = row.created_at
        return {
            "id": row.id,
            "status": row.status,
            "format": row.format,
            "total": row.total,
            "done": row.done,
            "hits": row.hits,
            "errors": row.errors,
            "message": row.message,
            "created_at": iso(_aware(created)),
            "finished_at": iso(_aware(finished)) if finished else None,
            "options": row.options,
            "screening_id": row.screening_id,
        }

    def results_path(self, job_id: str) -> Path:
        return self.root / job_id / "results.jsonl"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
