"""Downloading one file over HTTP(S), safely: the fetcher of ``clearance lists update``.

:func:`fetch_file` makes a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the
validators of the last good download) and retries connection errors, timeouts, truncated bodies,
5xx and 429 with exponential backoff (bounded by ``retries``). ``timeout`` applies to each
network operation, ``max_seconds`` to a whole download, so a trickling server cannot hold a run.
The body is streamed to a temporary file beside the destination while its sha256 is computed,
and renamed onto the destination only when complete: a truncated body (fewer bytes than
``Content-Length``), a body larger than ``max_bytes``, or any error leaves no file behind. A 304
answer returns ``changed=False`` and writes nothing. Every failure is a
:class:`~clearance.errors.DownloadError` naming the URL.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from clearance import __version__
from clearance.errors import DownloadError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
CHUNK = 1 << 16

#: called with (bytes received so far, expected total or None)
ProgressFn = Callable[[int, int | None], None]


@dataclass(frozen=True)
class FetchOptions:
    """How patient and how trusting the fetcher is."""

    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_bytes: int = 2 * 1024**3
    #: a whole download (one attempt) taking longer than this is abandoned
    max_seconds: float = 3600.0

    def wait(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry ``attempt`` (1-based); honours a Retry-After header."""
        delay = self.backoff * 2 ** (attempt - 1)
        if retry_after:
            hinted = _retry_after_seconds(retry_after)
            if hinted is not None:
                delay = max(delay, hinted)
        return min(delay, self.max_backoff)


@dataclass(frozen=True)
class Validators:
    """What the server said about the last good copy, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class FetchResult:
    """One fetched file: ``changed`` False means 304 (nothing written)."""

    url: str
    changed: bool
    path: Path | None
    sha256: str | None
    size: int
    validators: Validators
    attempts: int


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: str | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def _retry_after_seconds(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def make_client(options: FetchOptions) -> httpx.Client:
    """An httpx client with clearance's timeouts and User-Agent (follows redirects)."""
    return httpx.Client(
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=True,
        headers={"User-Agent": f"clearance/{__version__} (sanctions list updater)"},
    )


def fetch_file(
    client: httpx.Client,
    url: str,
    dest: Path,
    options: FetchOptions,
    validators: Validators | None = None,
    progress: ProgressFn | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchResult:
    """GET ``url`` into ``dest`` (atomically); see the module docstring for the guarantees."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    attempt = 0
    while True:
        attempt += 1
        try:
            return _attempt(client, url, dest, options, validators, progress, attempt)
        except _Retryable as exc:
            if attempt > options.retries:
                raise DownloadError(
                    f"{url}: {exc} (gave up after {attempt} attempt{'s' * (attempt > 1)})"
                ) from exc
            sleep(options.wait(attempt, exc.retry_after))


def _attempt(
    client: httpx.Client,
    url: str,
    dest: Path,
    options: FetchOptions,
    validators: Validators | None,
    progress: ProgressFn | None,
    attempt: int,
) -> FetchResult:
    headers = validators.headers() if validators else {}
    try:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304:
                return FetchResult(url, False, None, None, 0, validators or Validators(), attempt)
            if status in RETRY_STATUS:
                raise _Retryable(f"HTTP {status}", response.headers.get("Retry-After"))
            if status != 200:
                raise DownloadError(f"{url}: HTTP {status} {response.reason_phrase}".rstrip())
            got = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
            digest, size = _stream_to(response, url, dest, options, progress)
            return FetchResult(url, True, dest, digest, size, got, attempt)
    except httpx.TimeoutException as exc:
        raise _Retryable(f"timed out ({type(exc).__name__}, limit {options.timeout:g}s)") from exc
    except httpx.RemoteProtocolError as exc:
        raise _Retryable(f"truncated or broken response: {exc}") from exc
    except httpx.TransportError as exc:
        raise _Retryable(f"{type(exc).__name__}: {exc}") from exc
    except httpx.HTTPError as exc:
        raise DownloadError(f"{url}: {type(exc).__name__}: {exc}") from exc


def _expected_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def _stream_to(
    response: httpx.Response,
    url: str,
    dest: Path,
    options: FetchOptions,
    progress: ProgressFn | None,
) -> tuple[str, int]:
    """Write the body to a temp file, check it, rename it onto ``dest``; return (sha256, size)."""
    expected = _expected_length(response)
    encoded = "Content-Encoding" in response.headers
    if expected is not None and not encoded and expected > options.max_bytes:
        raise DownloadError(
            f"{url}: Content-Length {expected} bytes exceeds the limit of {options.max_bytes}"
        )
    digest = hashlib.sha256()
    size = 0
    deadline = time.monotonic() + options.max_seconds
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > options.max_bytes:
                    raise DownloadError(
                        f"{url}: body exceeds the limit of {options.max_bytes} bytes; cut off"
                    )
                if time.monotonic() > deadline:
                    raise _Retryable(
                        f"download took longer than {options.max_seconds:g}s ({size} bytes)"
                    )
                digest.update(chunk)
                out.write(chunk)
                if progress is not None:
                    progress(size, None if encoded else expected)
            out.flush()
            os.fsync(out.fileno())
        raw = response.num_bytes_downloaded
        if expected is not None and raw != expected:
            raise _Retryable(f"truncated body: received {raw} of {expected} bytes")
        if size == 0:
            raise DownloadError(f"{url}: empty body")
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


__all__ = ["FetchOptions", "FetchResult", "Validators", "fetch_file", "make_client"]
