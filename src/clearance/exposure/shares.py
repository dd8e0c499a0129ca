"""Ownership percentages as sources write them: "50", "50%", "25,5 %", "25-50", ">50", missing.

:func:`parse_share` turns such a text into a :class:`Share` range (``low`` .. ``high`` percent).
A missing or unreadable value is *undetermined* (``low`` 0, ``high`` 100, ``known`` False),
never silently 0 or 100; a value below 0 or above 100 is rejected with a reason and also
treated as undetermined by the caller.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUM = r"(\d+(?:[.,]\d+)?)"
_RANGE = re.compile(rf"^{_NUM}\s*(?:-|–|—|to|\.\.)\s*{_NUM}$")
_AT_LEAST = re.compile(rf"^(?:>=?|≥|more than|over|above|at least|min(?:imum)?)\s*{_NUM}$")
_AT_MOST = re.compile(rf"^(?:<=?|≤|less than|under|below|up to|max(?:imum)?)\s*{_NUM}$")
_SINGLE = re.compile(r"^(?:approx(?:imately)?\.?\s*|~\s*)?(-?\d+(?:[.,]\d+)?)$")
_SUFFIX = re.compile(r"\s*(?:%|per\s*cent|percent|pct)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Share:
    """An ownership share in percent, as a closed range; ``known`` False when undetermined."""

    low: float
    high: float
    raw: str | None
    known: bool = True

    def text(self) -> str:
        """How the share reads in an explanation: "30%", "25-50%", "undetermined"."""
        if not self.known:
            return "undetermined"
        if self.low == self.high:
            return f"{_fmt(self.low)}%"
        return f"{_fmt(self.low)}-{_fmt(self.high)}%"


UNDETERMINED = Share(0.0, 100.0, None, known=False)


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


class ShareError(ValueError):
    """A percentage that is present but cannot be used (unreadable, negative, over 100)."""


def parse_share(value: str | float | int | None) -> Share:
    """Read one percentage. None/empty → :data:`UNDETERMINED`; bad values raise ShareError."""
    if value is None:
        return UNDETERMINED
    if isinstance(value, bool):
        raise ShareError(f"not a percentage: {value!r}")
    if isinstance(value, (int, float)):
        low = high = float(value)
        raw = str(value)
    else:
        raw = value
        text = _SUFFIX.sub(" ", value.strip().lower()).strip()
        if not text:
            return UNDETERMINED
        if m := _RANGE.match(text):
            low, high = sorted((_num(m.group(1)), _num(m.group(2))))
        elif m := _AT_LEAST.match(text):
            low, high = _num(m.group(1)), 100.0
        elif m := _AT_MOST.match(text):
            low, high = 0.0, _num(m.group(1))
        elif m := _SINGLE.match(text):
            low = high = _num(m.group(1))
        else:
            raise ShareError(f"unreadable percentage {value!r}")
    if math.isnan(low) or math.isnan(high) or low < 0 or high > 100:
        raise ShareError(f"percentage out of range 0-100: {raw!r}")
    return Share(low, high, raw)


__all__ = ["UNDETERMINED", "Share", "ShareError", "parse_share"]
