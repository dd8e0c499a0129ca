"""The updater end to end: a local mirror of the official sites, a real store in tmp_path.

Most cases use OpenSanctions FtM files (small, quick to load) under sources added by an override
file; the OFAC cases use the real SDN files of 2024-05-02 and 2024-05-03 and the non-SDN
consolidated CSV set (four files) through the packaged registry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.errors import ConfigError
from clearance.settings import Settings
from clearance.store import Store
from clearance.store.fingerprint import files_sha256
from clearance.update.config import fetch_options, registry_for
from clearance.update.fetch import FetchOptions
from clearance.update.updater import Updater
from tests.update.mirror import Mirror, os_path, os_source

SDN_PATH = "/api/PublicationPreview/exports/SDN.CSV"
CONS = "/api/PublicationPreview/exports/"
CONS_FILES = {
    "cons_prim.csv": "CONS_PRIM.CSV",
    "cons_add.csv": "CONS_ADD.CSV",
    "cons_alt.csv": "CONS_ALT.CSV",
    "cons_comments.csv": "CONS_COMMENTS.CSV",
}

OVERRIDE = """
sources:
  - id: us_ofac_sdn
    files:
      - name: sdn.csv
        url: https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV
"""
OVERRIDE += os_source("alpha") + os_source("beta")


@pytest.fixture
def zala(lists_dir: Path) -> Path:
    return lists_dir / "opensanctions/yente_fixtures/zala/entities.ftm.json"


@pytest.fixture
def t1(lists_dir: Path) -> Path:
    return lists_dir / "opensanctions/yente_fixtures/t1/entities.ftm.json"


@pytest.fixture
def test_settings(settings: Settings, tmp_path: Path) -> Settings:
    override = tmp_path / "sources.yml"
    override.write_text(OVERRIDE)
    return settings.model_copy(update={"sources_file": override})


@pytest.fixture
def store(test_settings: Settings) -> Iterator[Store]:
    with Store.open(settings=test_settings) as db:
        yield db


@pytest.fixture
def updater(test_settings: Settings, store: Store, mirror: Mirror) -> Updater:
    registry = registry_for(test_settings, mirror.base)
    return Updater(store, registry, fetch_options(test_settings), test_settings.home / "downloads")


def _lines(path: Path) -> int:
    return sum(1 for line in path.open("rb") if line.strip())


def _parts(downloads: Path) -> list[Path]:
    return [p for p in downloads.rglob("*") if p.name.endswith(".part")]


def test_first_update_loads_second_is_304(
    updater: Updater, store: Store, mirror: Mirror, zala: Path
) -> None:
    route = mirror.serve(os_path("alpha"), zala)
    first = updater.run(["os_alpha"]).by_source()["os_alpha"]
    assert first.status == "updated" and first.version is not None
    version = store.version(first.version)
    assert version.entity_count == _lines(zala)  # one entity per NDJSON line
    assert version.sha256 == hashlib.sha256(zala.read_bytes()).hexdigest()
    state = store.get_source_state("os_alpha")
    assert state is not None and state.etag == route.etag and not state.stale

    second = updater.run(["os_alpha"]).by_source()["os_alpha"]
    assert second.status == "unchanged" and second.version == first.version
    assert mirror.requests(os_path("alpha"))[-1]["if-none-match"] == route.etag
    assert [v.id for v in store.versions("os_alpha")] == [first.version]
    later = store.get_source_state("os_alpha")
    assert later is not None and later.checked_at is not None and state.checked_at is not None
    assert later.checked_at > state.checked_at and later.fetched_at == state.fetched_at


def test_same_bytes_without_conditional_support_is_unchanged(
    updater: Updater, store: Store, mirror: Mirror, zala: Path
) -> None:
    mirror.serve(os_path("alpha"), zala, conditional=False)
    assert updater.run(["os_alpha"]).outcomes[0].status == "updated"
    again = updater.run(["os_alpha"]).outcomes[0]
    assert again.status == "unchanged" and again.downloaded_bytes == zala.stat().st_size
    assert len(store.versions("os_alpha")) == 1


def test_changed_file_makes_a_new_version(
    updater: Updater, store: Store, mirror: Mirror, zala: Path, t1: Path
) -> None:
    mirror.serve(os_path("alpha"), t1)
    old = updater.run(["os_alpha"]).outcomes[0].version
    mirror.serve(os_path("alpha"), zala)
    new = updater.run(["os_alpha"]).outcomes[0]
    assert new.status == "updated" and new.version not in (None, old)
    active = store.active_version("os_alpha")
    assert active is not None and active.id == new.version
    assert active.entity_count == _lines(zala)


def test_source_down_keeps_last_good_version_others_update(
    updater: Updater, store: Store, mirror: Mirror, zala: Path, t1: Path
) -> None:
    mirror.serve(os_path("alpha"), zala)
    mirror.serve(os_path("beta"), t1)
    first = updater.run().by_source()
    good = first["os_alpha"].version
    before = store.get_source_state("os_alpha")
    assert before is not None

    mirror.serve(os_path("alpha"), zala, fail_first=1000)
    mirror.serve(os_path("beta"), zala)
    report = updater.run()
    outcome = report.by_source()
    assert outcome["os_alpha"].status == "failed"
    assert "HTTP 503" in (outcome["os_alpha"].error or "")
    assert outcome["os_alpha"].active_version == good
    assert outcome["os_alpha"].stale_since == before.checked_at
    assert outcome["os_beta"].status == "updated"
    assert report.exit_code == 0
    active = store.active_version("os_alpha")
    assert active is not None and active.id == good
    state = store.get_source_state("os_alpha")
    assert state is not None and state.stale and "503" in (state.last_error or "")
    assert state.etag == before.etag  # still the validators of the version that serves

    mirror.serve(os_path("alpha"), zala)  # back up, same content: 304, no longer stale
    back = updater.run(["os_alpha"]).outcomes[0]
    assert back.status == "unchanged"
    state = store.get_source_state("os_alpha")
    assert state is not None and not state.stale and state.last_error is None


def test_retries_then_success(updater: Updater, mirror: Mirror, zala: Path) -> None:
    mirror.serve(os_path("alpha"), zala, fail_first=2)
    assert updater.run(["os_alpha"]).outcomes[0].status == "updated"
    assert len(mirror.requests(os_path("alpha"))) == 3


def test_timeout_fails_and_loads_nothing(
    updater: Updater, store: Store, mirror: Mirror, zala: Path, test_settings: Settings
) -> None:
    mirror.serve(os_path("alpha"), zala, delay=5.0)
    impatient = FetchOptions(timeout=0.3, retries=1, backoff=0.01)
    updater = Updater(store, updater.registry, impatient, updater.downloads)
    outcome = updater.run(["os_alpha"]).outcomes[0]
    assert outcome.status == "failed" and "timed out" in (outcome.error or "")
    assert outcome.active_version is None and outcome.stale_since is None
    assert store.versions("os_alpha", include_failed=True) == []
    assert _parts(test_settings.home / "downloads") == []


def test_truncated_download_leaves_nothing(
    updater: Updater, store: Store, mirror: Mirror, zala: Path, test_settings: Settings
) -> None:
    mirror.serve(os_path("alpha"), zala, truncate=True)
    report = updater.run(["os_alpha"])
    assert report.outcomes[0].status == "failed" and report.exit_code == 1
    assert "truncated" in (report.outcomes[0].error or "")
    assert store.versions("os_alpha", include_failed=True) == []
    downloads = test_settings.home / "downloads" / "os_alpha"
    assert [p for p in downloads.rglob("*") if p.is_file() and p.name != ".lock"] == []


def test_malformed_file_names_the_file_previous_stays_active(
    updater: Updater, store: Store, mirror: Mirror, zala: Path
) -> None:
    mirror.serve(os_path("alpha"), zala)
    good = updater.run(["os_alpha"]).outcomes[0].version
    lines = zala.read_bytes().splitlines(keepends=True)
    mirror.serve(os_path("alpha"), b"".join(lines[:10]) + b'{"id": "x", "schema": \n')
    outcome = updater.run(["os_alpha"]).outcomes[0]
    assert outcome.status == "failed"
    assert "entities.ftm.json, line 11" in (outcome.error or "")
    active = store.active_version("os_alpha")
    assert active is not None and active.id == good == outcome.active_version


def test_not_found_fails_without_retry(updater: Updater, mirror: Mirror) -> None:
    outcome = updater.run(["os_alpha"]).outcomes[0]
    assert outcome.status == "failed" and "HTTP 404" in (outcome.error or "")
    assert len(mirror.requests(os_path("alpha"))) == 1


def test_every_source_failing_is_exit_code_1(updater: Updater, mirror: Mirror) -> None:
    report = updater.run(["os_alpha", "os_beta"])
    assert [o.status for o in report.outcomes] == ["failed", "failed"]
    assert report.exit_code == 1


def test_unknown_source_is_refused(updater: Updater) -> None:
    with pytest.raises(ConfigError, match="unknown source 'nope'"):
        updater.run(["nope"])


def test_new_database_downloads_in_full(
    updater: Updater, mirror: Mirror, zala: Path, test_settings: Settings, tmp_path: Path
) -> None:
    """Validators are only trusted for the version the store has active."""
    mirror.serve(os_path("alpha"), zala)
    updater.run(["os_alpha"])
    other = test_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'b.db'}"})
    with Store.open(settings=other) as fresh:
        again = Updater(fresh, updater.registry, updater.options, updater.downloads)
        outcome = again.run(["os_alpha"]).outcomes[0]
        assert outcome.status == "updated"
        assert "if-none-match" not in mirror.requests(os_path("alpha"))[-1]


# -- OFAC ------------------------------------------------------------------------------------


def test_garbage_sdn_csv_is_refused_previous_stays_active(
    updater: Updater, store: Store, mirror: Mirror, lists_dir: Path, tmp_path: Path
) -> None:
    sdn = lists_dir / "ofac_sdn/2024-05-03_jackdwyer/sdn.csv"
    head = b"".join(sdn.read_bytes().splitlines(keepends=True)[:200])
    mirror.serve(SDN_PATH, head)
    good = updater.run(["us_ofac_sdn"]).outcomes[0]
    assert good.status == "updated"
    mirror.serve(SDN_PATH, bytes(range(256)) * 64)
    outcome = updater.run(["us_ofac_sdn"]).outcomes[0]
    assert outcome.status == "failed"
    # the first byte above 127 (offset 128) comes after the newline at offset 10: line 2
    assert "incoming/sdn.csv, line 2: not valid utf-8" in (outcome.error or "")
    assert outcome.active_version == good.version
    active = store.active_version("us_ofac_sdn")
    assert active is not None and active.id == good.version


@pytest.mark.slow
def test_ofac_sdn_daily_update(
    updater: Updater, store: Store, mirror: Mirror, lists_dir: Path
) -> None:
    """SDN 2024-05-02, then the same again (304), then 2024-05-03 (8 entries removed)."""
    mirror.serve(SDN_PATH, lists_dir / "ofac_sdn/2024-05-02_jackdwyer/sdn.csv")
    first = updater.run(["us_ofac_sdn"]).outcomes[0]
    assert first.status == "updated" and first.version is not None
    assert updater.run(["us_ofac_sdn"]).outcomes[0].status == "unchanged"
    assert len(store.versions("us_ofac_sdn")) == 1

    mirror.serve(SDN_PATH, lists_dir / "ofac_sdn/2024-05-03_jackdwyer/sdn.csv")
    second = updater.run(["us_ofac_sdn"]).outcomes[0]
    assert second.status == "updated" and second.version is not None
    assert second.version != first.version
    # ent_num 38556 is in the 2024-05-02 file and not in 2024-05-03 (checked with csv.reader)
    assert store.entity("ofac-38556", first.version) is not None
    assert store.entity("ofac-38556", second.version) is None
    active = store.active_version("us_ofac_sdn")
    assert active is not None and active.id == second.version


def test_ofac_consolidated_set_of_four_files(
    settings: Settings, mirror: Mirror, lists_dir: Path
) -> None:
    """The packaged registry through a mirror: four files, one version, one fingerprint."""
    folder = lists_dir / "ofac_cons/2025-12_watchman"
    for name, remote in CONS_FILES.items():
        mirror.serve(CONS + remote, folder / name)
    with Store.open(settings=settings) as db:
        updater = Updater(
            db,
            registry_for(settings, mirror.base),
            fetch_options(settings),
            settings.home / "downloads",
        )
        first = updater.run(["us_ofac_cons"]).outcomes[0]
        assert first.status == "updated", first.error
        assert first.version is not None
        version = db.version(first.version)
        assert version.sha256 == files_sha256(folder / n for n in CONS_FILES)
        assert len(version.files) == 4

        assert updater.run(["us_ofac_cons"]).outcomes[0].status == "unchanged"
        # one file re-sent in full (no ETag support), same bytes: still no new version
        mirror.serve(CONS + "CONS_ADD.CSV", folder / "cons_add.csv", conditional=False)
        assert updater.run(["us_ofac_cons"]).outcomes[0].status == "unchanged"
        # one file changes (last alias line dropped): a new version of the whole set
        alt = (folder / "cons_alt.csv").read_bytes().rstrip(b"\x1a\r\n").rsplit(b"\n", 1)[0]
        mirror.serve(CONS + "CONS_ALT.CSV", alt + b"\n")
        changed = updater.run(["us_ofac_cons"]).outcomes[0]
        assert changed.status == "updated" and changed.version != first.version
        # a missing file fails the whole set; the last good version keeps serving
        del mirror.routes[CONS + "CONS_COMMENTS.CSV"]
        mirror.serve(CONS + "CONS_PRIM.CSV", b"changed")
        failed = updater.run(["us_ofac_cons"]).outcomes[0]
        assert failed.status == "failed" and "CONS_COMMENTS.CSV: HTTP 404" in (failed.error or "")
        active = db.active_version("us_ofac_cons")
        assert active is not None and active.id == changed.version
