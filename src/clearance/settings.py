"""Settings, read once from the environment (prefix ``CLEARANCE_``) and passed in.

``CLEARANCE_HOME``          data directory (default ``~/.clearance``); holds ``clearance.db``.
``CLEARANCE_DATABASE_URL``  SQLAlchemy URL; default ``sqlite:///$CLEARANCE_HOME/clearance.db``.
                            PostgreSQL: ``postgresql+psycopg://user@127.0.0.1:5432/db``.
``CLEARANCE_SHARED_DATA``   folder of the shared list files (default ``../shared/data`` next to the
                            checkout); used by ``make run``, tests and benchmarks.
"""

from __future__ import annotations

from pathlib import Path

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

    @field_validator("http_retries")
    @classmethod
    def _retries_sane(cls, value: int) -> int:
        if not 0 <= value <= 10:
            raise ValueError("must be between 0 and 10")
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
