"""Settings, read once from the environment (prefix ``CLEARANCE_``) and passed in.

``CLEARANCE_HOME``          data directory (default ``~/.clearance``); holds ``clearance.db``.
``CLEARANCE_DATABASE_URL``  SQLAlchemy URL; default ``sqlite:///$CLEARANCE_HOME/clearance.db``.
                            PostgreSQL: ``postgresql+psycopg://user@127.0.0.1:5432/db``.
``CLEARANCE_SHARED_DATA``   folder of the shared list files (default ``../shared/data`` next to the
                            checkout); used by ``make run``, tests and benchmarks.
``CLEARANCE_HTTP_TIMEOUT``  seconds for each network operation of a download (default 30).
``CLEARANCE_HTTP_RETRIES``  retries of a failed download, 0-10 (default 3).
``CLEARANCE_HTTP_BACKOFF``  first retry waits this many seconds, doubling each time (default 1).
``CLEARANCE_SOURCE_MIRROR`` base URL replacing scheme+host of every official source URL.
``CLEARANCE_SOURCES_FILE``  YAML override file for the source registry (docs/sources.md).
``CLEARANCE_DOWNLOAD_MAX_BYTES``   a response larger than this is cut off (default 2 GiB).
``CLEARANCE_DOWNLOAD_MAX_SECONDS`` one download taking longer is abandoned (default 3600).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEARANCE_", extra="ignore")

    home: Path = Path.home() / ".clearance"
    database_url: str | None = None
    shared_data: Path = REPO_ROOT.parent / "shared" / "data"
    http_timeout: float = 30.0
    http_retries: int = 3
    http_backoff: float = 1.0
    source_mirror: str | None = None
    sources_file: Path | None = None
    download_max_bytes: int = 2 * 1024**3
    download_max_seconds: float = 3600.0

    @field_validator("http_retries")
    @classmethod
    def _retries_sane(cls, value: int) -> int:
        if not 0 <= value <= 10:
            raise ValueError("must be between 0 and 10")
        return value

    @field_validator("download_max_bytes", "download_max_seconds", "http_timeout")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be positive")
        return value

    @field_validator("http_backoff")
    @classmethod
    def _backoff_sane(cls, value: float) -> float:
        if not 0 <= value <= 300:
            raise ValueError("must be between 0 and 300 seconds")
        return value

    @field_validator("source_mirror")
    @classmethod
    def _mirror_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{value!r} is not an http(s) URL with a host")
        return value

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home / 'clearance.db'}"


def load_settings() -> Settings:
    """Read the settings from the environment; a bad value raises ConfigError."""
    from pydantic import ValidationError

    from clearance.errors import ConfigError

    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError(f"bad setting: {exc}") from exc
