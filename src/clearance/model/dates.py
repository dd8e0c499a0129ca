"""Date parsing for list files: many textual formats to ISO-8601 prefixes (FtM's date type).

Lists write dates as "01 Feb 1958", "Feb 1958", "1958", "circa 1958", "1958-02-01",
"01/02/1958" (day first outside the US), "01.02.1958", ranges "01 Feb 1958 to 28 Feb 1958" and
"1958 - 1962". A date becomes a prefix of the precision the source gives ("1958-02"). A range
becomes the values that cover it: its common prefix if both ends share a month or year, else
each year from start to end (at most 20).
"""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january", "janvier", "enero"),
            ("feb", "february", "fevrier", "février", "febrero"),
            ("mar", "march", "mars", "marzo"),
            ("apr", "april", "avril", "abril"),
            ("may", "mai", "mayo"),
            ("jun", "june", "juin", "junio"),
            ("jul", "july", "juillet", "julio"),
            ("aug", "august", "aout", "août", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre"),
            ("oct", "october", "octobre", "octubre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "decembre", "décembre", "diciembre"),
        ]
    )
    for m in names
}
_QUALIFIER = re.compile(
    r"^(circa|ca\.?|c\.|approximately|approx\.?|about|around|before|after)\s+", re.I
)
_RANGE = re.compile(r"^(.+?)\s+(?:to|until|-|–|—|and)\s+(.+)$", re.I)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_DMY = re.compile(r"^(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{4})$")
_MDY_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_D_MON_Y = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?[\s\-./]+)?([A-Za-zéû]+)\.?[\s\-./,]+(\d{4})$")
_MON_D_Y = re.compile(r"^([A-Za-zéû]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")


def _fmt(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1000 <= year <= 2200:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None or day == 0:
        return f"{year:04d}-{month:02d}"
    try:
        date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date(text: str | None, *, month_first: bool = False) -> str | None:
    """Parse one date into an ISO prefix, or None when it is not a date.

    ``month_first`` reads ``02/01/1958`` as 1 February (US files); otherwise day first.
    """
    if not text:
        return None
    value = _QUALIFIER.sub("", text.strip().strip(".,;")).strip()
    if not value:
        return None
    if m := _ISO.match(value):
        y, mo, d = m.groups()
        if mo is None:
            return _fmt(int(y))
        if mo in ("0", "00"):
            return _fmt(int(y))
        return _fmt(int(y), int(mo), int(d) if d else None)
    if month_first and (m := _MDY_US.match(value)):
        return _fmt(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    if m := _DMY.match(value):
        return _fmt(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _D_MON_Y.match(value):
        month = _MONTHS.get(m.group(2).lower())
        if month is not None:
            return _fmt(int(m.group(3)), month, int(m.group(1)) if m.group(1) else None)
    if m := _MON_D_Y.match(value):
        month = _MONTHS.get(m.group(1).lower())
        if month is not None:
            return _fmt(int(m.group(3)), month, int(m.group(2)))
    if m := _YEAR.match(value):
        return _fmt(int(m.group(1)))
    return None


def _common_prefix(start: str, end: str) -> str | None:
    if start == end:
        return start
    if start[:7] == end[:7] and len(start) >= 7 and len(end) >= 7:
        return start[:7]
    return None


def parse_date_range(text: str | None, *, month_first: bool = False) -> list[str]:
    """Parse a date or a date range into the ISO prefixes that cover it (see module doc)."""
    if not text:
        return []
    value = text.strip()
    single = parse_date(value, month_first=month_first)
    if single is not None:
        return [single]
    m = _YEAR_RANGE.match(_QUALIFIER.sub("", value)) or _RANGE.match(value)
    if m is None:
        return []
    start = parse_date(m.group(1), month_first=month_first)
    end = parse_date(m.group(2), month_first=month_first)
    if start is None or end is None:
        return []
    if start > end:
        start, end = end, start
    common = _common_prefix(start, end)
    if common is not None:
        return [common]
    first, last = int(start[:4]), int(end[:4])
    if last - first > 20:
        return [start, end]
    if first == last:
        return [start[:4]]
    return [str(y) for y in range(first, last + 1)]
