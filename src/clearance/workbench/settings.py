"""Settings of the analyst workbench (web UI), prefix ``CLEARANCE_UI_``.

``CLEARANCE_UI_COOKIE_SECURE``    ``auto`` (default): cookies are ``Secure`` when the request
                                  arrived over https; ``true`` behind a TLS-terminating proxy
                                  (``X-Forwarded-Proto`` is not trusted); ``false`` never
``CLEARANCE_UI_SESSION_HOURS``    lifetime of a login session (default 8; absolute, not sliding)
``CLEARANCE_UI_LOGIN_ATTEMPTS``   failed logins of one user name (or 4x that from one address)
                                  within the lockout window before further attempts are refused
``CLEARANCE_UI_LOCKOUT_MINUTES``  the window and the lockout time (default 15)
``CLEARANCE_UI_MAX_FORM_BYTES``   largest form body the UI reads (default 64 KiB) → 413
"""

from __future__ import annotations

from typing import Literal

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from clearance.errors import ConfigError


class WorkbenchSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLEARANCE_UI_", extra="ignore")

    cookie_secure: Literal["auto", "true", "false"] = "auto"
    session_hours: float = 8.0
    login_attempts: int = 5
    lockout_minutes: float = 15.0
    max_form_bytes: int = 64 * 1024

    @field_validator("session_hours", "login_attempts", "lockout_minutes", "max_form_bytes")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be positive")
        return value

    def secure_cookie(self, scheme: str) -> bool:
        """Whether the session cookie carries ``Secure`` for a request made over ``scheme``."""
        if self.cookie_secure == "auto":
            return scheme == "https"
        return self.cookie_secure == "true"


def load_workbench_settings() -> WorkbenchSettings:
    """Read the settings from the environment; a bad value raises ConfigError naming it."""
    try:
        return WorkbenchSettings()
    except ValidationError as exc:
        raise ConfigError(f"bad setting: {exc}") from exc
