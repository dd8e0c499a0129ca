"""Scheduling: cron times, the cycle loop, and a failed download (last good version serves,
the operator is alerted in the log and in the status)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clearance.monitor.book import import_rows
from clearance.monitor.schedule import (
    CycleReport,
    ScheduleError,
    next_time,
    run_cycle,
    run_schedule,
)
from clearance.monitor.status import monitor_status
from clearance.screen.readers import read_rows
from clearance.settings import Settings
from clearance.store import Store
from tests.monitor.conftest import Lists, book_rows, write_book


def test_next_time_follows_the_cron_expression() -> None:
    at = datetime(2026, 11, 25, 5, 59, tzinfo=UTC)
    assert next_time("0 6 * * *", at) == datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    assert next_time("0 6 * * *", at + timedelta(minutes=2)) == datetime(
        2026, 11, 26, 6, 0, tzinfo=UTC
    )
    assert next_time("*/15 * * * 1-5", at) == datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["", "every day", "61 * * * *", "0 6 * *"])
def test_a_bad_cron_expression_is_refused(bad: str) -> None:
    with pytest.raises(ScheduleError, match="bad cron expression"):
        next_time(bad, datetime.now(UTC))


def test_the_loop_runs_a_cycle_at_each_scheduled_time() -> None:
    clock = [datetime(2026, 11, 25, 5, 0, 30, tzinfo=UTC)]
    ran: list[datetime] = []

    def sleep(seconds: float) -> None:
        clock[0] += timedelta(seconds=seconds)

    def cycle() -> CycleReport:
        ran.append(clock[0])
        return CycleReport(clock[0])

    run_schedule("*/30 * * * *", cycle, now=lambda: clock[0], sleep=sleep, max_cycles=3)
    assert ran == [
        datetime(2026, 11, 25, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 25, 6, 0, tzinfo=UTC),
        datetime(2026, 11, 25, 6, 30, tzinfo=UTC),
    ]
    with pytest.raises(ScheduleError):
        run_schedule("nonsense", cycle, once=True)
    assert len(ran) == 3  # a bad expression runs nothing


def test_a_failed_download_keeps_the_last_good_version_and_alerts_the_operator(
    store: Store, store_url: str, sdn_lists: Lists, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    version = store.load_path(sdn_lists.v1)
    import_rows(store, "retail", read_rows(write_book(tmp_path / "b.csv", book_rows(20))))
    settings = Settings(
        home=tmp_path / "home",
        database_url=store_url,
        source_mirror="http://127.0.0.1:9",  # nothing listens there
        http_retries=0,
        http_timeout=2.0,
    )
    with caplog.at_level(logging.INFO, logger="clearance.monitor"):
        report = run_cycle(
            settings, store, ["retail"], index_root=tmp_path / "index", sources=["us_ofac_sdn"]
        )
    assert list(report.failed) == ["us_ofac_sdn"]
    assert store.active_version("us_ofac_sdn") == store.version(version.id)
    [run] = report.runs  # the book was still screened, against the last good version
    assert run.status == "completed" and run.done == 25
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(
        m.startswith("OPERATOR ALERT: download of us_ofac_sdn failed")
        and f"version {version.id} stays active" in m
        for m in errors
    )
    status = monitor_status(store)
    [alert] = status["operator_alerts"]
    assert alert["kind"] == "download_failed" and alert["source"] == "us_ofac_sdn"
    assert f"version {version.id} still active" in alert["message"]
    assert status["runs"][0]["status"] == "completed"


def test_a_cycle_after_a_new_version_runs_a_delta(
    store: Store, sdn_lists: Lists, tmp_path: Path
) -> None:
    store.load_path(sdn_lists.v1)
    import_rows(store, "retail", read_rows(write_book(tmp_path / "b.csv", book_rows(20))))
    settings = Settings(home=tmp_path / "home")
    first = run_cycle(settings, store, ["retail"], index_root=tmp_path / "index", update=False)
    store.load_path(sdn_lists.v2)
    second = run_cycle(settings, store, ["retail"], index_root=tmp_path / "index", update=False)
    assert [r.kind for r in first.runs + second.runs] == ["full", "delta"]
    assert second.runs[0].counts.raised >= 2  # Rosoboronexport and Bank Melli were added
