"""Settings of the HTTP API (prefix ``CLEARANCE_``), on top of :class:`clearance.settings.Settings`.

``CLEARANCE_API_SECRET``          server secret keying the API-key hashes (HMAC-SHA256); when unset,
                                  a random one is created once in ``$CLEARANCE_HOME/api_secret``
``CLEARANCE_API_AUTH``            require API keys (default true; health endpoints are always open)
``CLEARANCE_API_RATE_PER_MINUTE`` requests per minute per key (token bucket, default 6000)
``CLEARANCE_API_RATE_BURST``      bucket size: requests a key may send at once (default 200)
``CLEARANCE_API_MAX_BODY_BYTES``  largest JSON request body (default 1 MiB) → 413
``CLEARANCE_API_MAX_JOB_BYTES``   largest batch-job upload (default 50 MiB) → 413
``CLEARANCE_API_MAX_BATCH``       most queries in one /match request (default 100, as yente)
``CLEARANCE_API_MAX_DEPTH``       deepest JSON nesting accepted (default 16) → 400
``CLEARANCE_API_CORS_ORIGINS``    JSON list of allowed origins (default ``[]``: CORS off)
``CLEARANCE_API_RETENTION_DAYS``  screening records older than this are deleted (default 365)
``CLEARANCE_API_REDACT``          store screening records without personal data (default false)
``CLEARANCE_API_REFRESH_SECONDS`` how often the server looks for newly activated list versions
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import SettingsConfigDict

from clearance.errors import ConfigError
from clearance.settings import Settings


class ApiSettings(Settings):
    model_config = SettingsConfigDict(env_prefix="CLEARANCE_", extra="ignore")

    api_secret: SecretStr | None = None
    api_auth: bool = True
    api_rate_per_minute: float = 6000.0
    api_rate_burst: int = 200
    api_max_body_bytes: int = 1024 * 1024
    api_max_job_bytes: int = 50 * 1024 * 1024
    api_max_batch: int = 100
    api_max_depth: int = 16
    api_cors_origins: list[str] = Field(default_factory=list)
    api_retention_days: int = 365
    api_redact: bool = False
    api_refresh_seconds: float = 30.0
    #: prepare every list entity when an index is opened (before the worker screens with it),
    #: so no request pays for preparing its candidates cold (~0.3 ms each, ~10-200 ms for a
    #: query meeting new candidates); costs ~11 s CPU and ~0.7 GB per worker on the catalog
    api_warm: bool = True

    @field_validator(
        "api_rate_per_minute",
        "api_rate_burst",
        "api_max_body_bytes",
        "api_max_job_bytes",
        "api_max_batch",
        "api_max_depth",
        "api_retention_days",
        "api_refresh_seconds",
    )
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be positive")
        return value

    @field_validator("api_cors_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise ValueError(f"{origin!r} is not an http(s) origin")
        return value

    def secret_bytes(self) -> bytes:
        """The key-hashing secret: the setting, or ``$CLEARANCE_HOME/api_secret`` (made once)."""
        if self.api_secret is not None:
            value = self.api_secret.get_secret_value()
            if len(value) < 16:
                raise ConfigError("CLEARANCE_API_SECRET must have at least 16 characters")
            return value.encode("utf-8")
        path: Path = self.home / "api_secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32), "utf-8")
        return path.read_text("utf-8").strip().encode("utf-8")


def load_api_settings() -> ApiSettings:
    """Read the API settings from the environment; a bad value raises ConfigError."""
    try:
        return ApiSettings()
    except ValidationError as exc:
        raise ConfigError(f"bad setting: {exc}") from exc
