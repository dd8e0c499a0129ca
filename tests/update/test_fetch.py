"""The fetcher against a local server: conditional requests, retries, limits, atomicity."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clearance.errors import DownloadError
from clearance.update.fetch import FetchOptions, Validators, fetch_file, make_client
from tests.update.mirror import Mirror

FAST = FetchOptions(timeout=1.0, retries=2, backoff=0.01, max_bytes=8 * 1024**2)
PATH = "/resources/xml/en/consolidated.xml"


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(FAST) as c:
        yield c


@pytest.fixture
def un_xml(lists_dir: Path) -> Path:
    return lists_dir / "un_sc/2025-08-16_wallblue4/consolidated.xml"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_is_complete_and_checksummed(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path
) -> None:
    route = mirror.serve(PATH, un_xml)
    dest = tmp_path / "dl" / "consolidated.xml"
    seen: list[int] = []
    result = fetch_file(
        client, mirror.base + PATH, dest, FAST, progress=lambda n, _t: seen.append(n)
    )
    assert result.changed
    assert dest.read_bytes() == un_xml.read_bytes()
    assert result.sha256 == hashlib.sha256(un_xml.read_bytes()).hexdigest()
    assert result.size == un_xml.stat().st_size
    assert result.validators == Validators(route.etag, route.last_modified)
    assert seen and seen[-1] == un_xml.stat().st_size
    assert _leftovers(dest.parent) == ["consolidated.xml"]


def test_compressed_transfer_is_stored_decoded(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path
) -> None:
    mirror.serve(PATH, un_xml, gzip=True)
    dest = tmp_path / "consolidated.xml"
    result = fetch_file(client, mirror.base + PATH, dest, FAST)
    assert dest.read_bytes() == un_xml.read_bytes()
    assert result.sha256 == hashlib.sha256(un_xml.read_bytes()).hexdigest()


def test_compressed_and_truncated_is_an_error(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path
) -> None:
    mirror.serve(PATH, un_xml, gzip=True, truncate=True)
    with pytest.raises(DownloadError):
        fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", FAST, sleep=lambda _s: None)
    assert _leftovers(tmp_path) == []


def test_conditional_request_gets_304_and_writes_nothing(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path
) -> None:
    route = mirror.serve(PATH, un_xml)
    dest = tmp_path / "consolidated.xml"
    result = fetch_file(client, mirror.base + PATH, dest, FAST, Validators(route.etag, None))
    assert not result.changed and result.path is None
    assert not dest.exists()
    assert mirror.requests(PATH)[-1]["if-none-match"] == route.etag
    by_date = fetch_file(
        client, mirror.base + PATH, dest, FAST, Validators(None, route.last_modified)
    )
    assert not by_date.changed
    assert mirror.requests(PATH)[-1]["if-modified-since"] == route.last_modified


def test_a_stale_etag_downloads_again(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path
) -> None:
    mirror.serve(PATH, un_xml)
    dest = tmp_path / "consolidated.xml"
    result = fetch_file(client, mirror.base + PATH, dest, FAST, Validators('"old"', None))
    assert result.changed and dest.stat().st_size == un_xml.stat().st_size


@pytest.mark.parametrize("status", [503, 500, 429])
def test_retries_then_succeeds(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path, status: int
) -> None:
    mirror.serve(PATH, un_xml, fail_first=2, fail_status=status)
    waits: list[float] = []
    result = fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", FAST, sleep=waits.append)
    assert result.changed and result.attempts == 3
    assert len(mirror.requests(PATH)) == 3
    assert waits == [0.01, 0.02]  # exponential backoff


def test_gives_up_after_the_retry_budget(
    mirror: Mirror, client: httpx.Client, tmp_path: Path
) -> None:
    mirror.serve(PATH, b"<x/>", fail_first=100)
    with pytest.raises(DownloadError, match=r"HTTP 503 \(gave up after 3 attempts\)"):
        fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", FAST, sleep=lambda _s: None)
    assert len(mirror.requests(PATH)) == 3
    assert _leftovers(tmp_path) == []


def test_not_found_is_not_retried(mirror: Mirror, client: httpx.Client, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=r"/nothing/here: HTTP 404"):
        fetch_file(client, mirror.base + "/nothing/here", tmp_path / "f.xml", FAST)
    assert len(mirror.requests("/nothing/here")) == 1


def test_timeout_is_an_error_and_leaves_nothing(mirror: Mirror, tmp_path: Path) -> None:
    options = FetchOptions(timeout=0.2, retries=1, backoff=0.01)
    mirror.serve(PATH, b"<x/>", delay=3.0)
    with make_client(options) as client, pytest.raises(DownloadError, match="timed out"):
        fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", options)
    assert len(mirror.requests(PATH)) == 2
    assert _leftovers(tmp_path) == []


def test_trickling_server_is_abandoned(mirror: Mirror, tmp_path: Path) -> None:
    """Each read is within the timeout, but the whole download is not."""
    options = FetchOptions(timeout=1.0, retries=0, max_seconds=0.3)
    mirror.serve(PATH, b"x" * 64 * 1024, drip=0.05)
    with make_client(options) as client, pytest.raises(DownloadError, match="took longer"):
        fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", options)
    assert _leftovers(tmp_path) == []


def test_truncated_body_leaves_nothing(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path
) -> None:
    mirror.serve(PATH, un_xml, truncate=True)
    with pytest.raises(DownloadError, match="truncated"):
        fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", FAST, sleep=lambda _s: None)
    assert _leftovers(tmp_path) == []


def test_endless_body_is_cut_off_at_the_limit(mirror: Mirror, tmp_path: Path) -> None:
    options = FetchOptions(timeout=2.0, retries=0, max_bytes=1024**2)
    mirror.serve(PATH, b"", endless=50 * 1024**2)
    with make_client(options) as client, pytest.raises(DownloadError, match="exceeds the limit"):
        fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", options)
    assert _leftovers(tmp_path) == []


def test_announced_oversize_is_refused_before_reading(
    mirror: Mirror, un_xml: Path, tmp_path: Path
) -> None:
    options = FetchOptions(timeout=2.0, retries=0, max_bytes=1000)
    mirror.serve(PATH, un_xml)
    with make_client(options) as client, pytest.raises(DownloadError, match="Content-Length"):
        fetch_file(client, mirror.base + PATH, tmp_path / "f.xml", options)
    assert _leftovers(tmp_path) == []


def test_failed_download_keeps_the_previous_file(
    mirror: Mirror, client: httpx.Client, un_xml: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "f.xml"
    dest.write_bytes(b"previous good copy")
    mirror.serve(PATH, un_xml, truncate=True)
    with pytest.raises(DownloadError):
        fetch_file(client, mirror.base + PATH, dest, FAST, sleep=lambda _s: None)
    assert dest.read_bytes() == b"previous good copy"
    assert _leftovers(tmp_path) == ["f.xml"]


def test_connection_refused_is_a_download_error(tmp_path: Path) -> None:
    options = FetchOptions(timeout=0.5, retries=1, backoff=0.0)
    with make_client(options) as client, pytest.raises(DownloadError, match="ConnectError"):
        fetch_file(client, "http://127.0.0.1:9/list.xml", tmp_path / "f.xml", options)


@pytest.mark.parametrize(
    ("attempt", "retry_after", "expected"),
    [(1, None, 1.0), (3, None, 4.0), (10, None, 60.0), (1, "7", 7.0), (1, "600", 60.0)],
)
def test_backoff_is_bounded(attempt: int, retry_after: str | None, expected: float) -> None:
    options = FetchOptions(backoff=1.0, max_backoff=60.0)
    assert options.wait(attempt, retry_after) == expected
