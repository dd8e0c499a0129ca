"""``clearance monitor schedule``: on a cron schedule, update the lists, then delta re-screen.

One **cycle** is: fetch every source (:func:`clearance.update.updater.run_update`; a source
that fails keeps its last good version active and is marked stale), then run a delta of each
book against whatever is active now — new versions for the sources that updated, the last good
one for those that failed. A failed download is an **operator alert**: logged at ERROR level
with the source, the error and the version still serving, and shown by ``clearance monitor
status`` and ``GET /monitor/status`` until a later download of that source succeeds (the
updater's ``source_state.stale`` / ``last_error``).

The schedule is a standard 5-field cron expression (``croniter``), evaluated in UTC.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from clearance.errors import ClearanceError
from clearance.monitor.runner import RunReport, run_book
from clearance.settings import Settings
from clearance.store import Store

log = logging.getLogger("clearance.monitor")


class ScheduleError(ClearanceError):
    """A bad cron expression or schedule setting."""


def next_time(cron: str, after: datetime) -> datetime:
    """The first time after ``after`` matching the cron expression (UTC)."""
    from croniter import croniter

    if not croniter.is_valid(cron):
        raise ScheduleError(f'bad cron expression {cron!r}; e.g. "0 6 * * *" (daily at 06:00 UTC)')
    found: datetime = croniter(cron, after.astimezone(UTC)).get_next(datetime)
    return found if found.tzinfo else found.replace(tzinfo=UTC)


@dataclass
class CycleReport:
    """One update → delta cycle: sources updated / failed, the runs made."""

    started: datetime
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    runs: list[RunReport] = field(default_factory=list)


def _update(
    settings: Settings,
    store: Store,
    sources: Sequence[str],
    mirror: str | None,
    report: CycleReport,
) -> None:
    from clearance.update.updater import run_update

    try:
        outcome = run_update(settings, sources, mirror, store=store)
    except ClearanceError as exc:  # e.g. an unknown source id: nothing was fetched
        report.failed["*"] = str(exc)
        log.error("OPERATOR ALERT: list update could not run: %s; active versions unchanged", exc)
        return
    for o in outcome.outcomes:
        if o.status == "failed":
            report.failed[o.source] = o.error or "failed"
            serving = (
                f"version {o.active_version} stays active"
                if o.active_version is not None
                else "no version loaded yet"
            )
            log.error(
                "OPERATOR ALERT: download of %s failed: %s; %s (last good since %s)",
                o.source,
                o.error,
                serving,
                o.stale_since.isoformat() if o.stale_since else "never",
            )
        elif o.status == "updated":
            report.updated.append(o.source)
            log.info(
                "list %s updated: new version %s (%s entities)", o.source, o.version, o.entity_count
            )
        else:
            report.unchanged.append(o.source)
            log.info("list %s unchanged (version %s)", o.source, o.version)


def run_cycle(
    settings: Settings,
    store: Store,
    books: Sequence[str],
    *,
    index_root: Path,
    sources: Sequence[str] = (),
    mirror: str | None = None,
    update: bool = True,
    engine: str = "local",
    workers: int = 0,
) -> CycleReport:
    """Update the lists (unless ``update`` is false), then a delta run of each book."""
    report = CycleReport(datetime.now(UTC))
    if update:
        _update(settings, store, sources, mirror, report)
    for book in books:
        try:
            report.runs.extend(
                run_book(
                    store, book, index_root=index_root, kind="delta", engine=engine, workers=workers
                )
            )
        except ClearanceError as exc:
            log.error("OPERATOR ALERT: delta run of book %r failed: %s", book, exc)
    for run in report.runs:
        log.info(
            "book %r: %s run %s, %d record(s) screened, %d alert(s) raised, %d re-scored, "
            "%d closed, %.1f s",
            run.book,
            run.kind,
            run.run_id,
            run.done,
            run.counts.raised,
            run.counts.rescored,
            run.counts.closed,
            run.seconds,
        )
    return report


def run_schedule(
    cron: str,
    cycle: Callable[[], CycleReport],
    *,
    once: bool = False,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] = time.sleep,
    max_cycles: int | None = None,
) -> list[CycleReport]:
    """Call ``cycle`` at every time matching ``cron`` (``once``: one cycle now, then return)."""
    next_time(cron, now())  # a bad expression fails before anything runs
    reports: list[CycleReport] = []
    if once:
        reports.append(cycle())
        return reports
    while max_cycles is None or len(reports) < max_cycles:
        due = next_time(cron, now())
        log.info("next update → delta cycle at %s", due.isoformat())
        while (wait := (due - now()).total_seconds()) > 0:
            sleep(min(wait, 60.0))
        reports.append(cycle())
    return reports


__all__ = ["CycleReport", "ScheduleError", "next_time", "run_cycle", "run_schedule"]
