"""Login throttling: too many failed logins lock a user name (and an address) for a while.

Counts are kept in the server process (with several workers, each counts on its own: an
attacker gets at most ``workers x attempts`` guesses per window). A locked name answers the same
"locked" message whether the password would have been right or not, and no password is checked
while it is locked, so guessing cannot continue at hashing speed.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class LoginThrottle:
    """Sliding-window failure counts per user name and per client address."""

    def __init__(self, attempts: int, window_seconds: float, per_address: int | None = None):
        self.attempts = attempts
        self.window = window_seconds
        self.per_address = per_address or attempts * 4
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.setdefault(key, deque())
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def locked(self, username: str, address: str, now: float | None = None) -> bool:
        """Whether logins for this name, or from this address, are refused right now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            by_name = len(self._recent("u:" + username.strip().casefold(), now))
            by_address = len(self._recent("a:" + address, now))
        return by_name >= self.attempts or by_address >= self.per_address

    def failed(self, username: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent("u:" + username.strip().casefold(), now).append(now)
            self._recent("a:" + address, now).append(now)
            if len(self._failures) > 100_000:  # bounded memory under a spray of names
                self._failures = {k: v for k, v in self._failures.items() if v}

    def succeeded(self, username: str) -> None:
        """A good login clears the name's failures (not the address's)."""
        with self._lock:
            self._failures.pop("u:" + username.strip().casefold(), None)
