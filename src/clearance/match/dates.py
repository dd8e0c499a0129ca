"""Birth-date evidence: exact day, same year, compatible ranges, years apart, swapped day/month.

Years apart are graded: lists often disagree on a birth year by a few years (estimates, "circa",
a second list's own research: the same person is 1954 on one list and 1958 on another), while
different people who share a name are usually a decade or more apart. A full date whose day and
month agree while the year differs by one digit or two swapped digits (1967-06-20 /
1976-06-20, 1986-05-06 / 1984-05-06) is a typing error, not another person.

Dates are ISO prefixes ("1958", "1958-02", "1958-02-01"); textual dates and ranges
("01 Feb 1958 to 28 Feb 1958") are parsed with :func:`clearance.model.parse_date_range`.
"""

from __future__ import annotations

from clearance.model.dates import parse_date_range

BIRTH_DATE_MATCH = "birth_date_match"
BIRTH_YEAR_MATCH = "birth_year_match"
BIRTH_DATE_COMPATIBLE = "birth_date_compatible"
BIRTH_DATE_SWAPPED = "birth_date_swapped"
BIRTH_DATE_MISMATCH = "birth_date_mismatch"
BIRTH_YEAR_NEAR = "birth_year_near"
BIRTH_YEAR_TYPO = "birth_year_typo"
BIRTH_YEARS_APART = "birth_years_apart"
BIRTH_YEAR_DISJOINT = "birth_year_disjoint"
APART_YEARS = 5
"""Years apart (2..APART_YEARS) that count as ``birth_years_apart``, not ``birth_year_disjoint``."""

ADJUSTMENTS = {
    BIRTH_DATE_MATCH: 0.08,
    BIRTH_YEAR_MATCH: 0.03,
    BIRTH_DATE_COMPATIBLE: 0.01,
    BIRTH_DATE_SWAPPED: -0.04,
    BIRTH_DATE_MISMATCH: -0.08,
    BIRTH_YEAR_TYPO: -0.08,
    BIRTH_YEAR_NEAR: -0.15,
    BIRTH_YEARS_APART: -0.25,
    BIRTH_YEAR_DISJOINT: -0.4,
}
"""Score adjustment per finding (added to the name score)."""


def parse_dates(values: list[str]) -> tuple[str, ...]:
    """Distinct ISO prefixes of the given date values (at most 24)."""
    out: list[str] = []
    for value in values[:24]:
        for prefix in parse_date_range(value[:64]):
            if prefix not in out:
                out.append(prefix)
    return tuple(out[:24])


def _compare_one(a: str, b: str) -> str:
    if a == b:
        return BIRTH_DATE_MATCH if len(a) >= 10 else BIRTH_YEAR_MATCH
    if a.startswith(b) or b.startswith(a):
        return BIRTH_YEAR_MATCH if min(len(a), len(b)) == 4 else BIRTH_DATE_COMPATIBLE
    if a[:4] == b[:4]:
        if len(a) == len(b) == 10 and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
            return BIRTH_DATE_SWAPPED
        return BIRTH_DATE_MISMATCH
    if len(a) == len(b) == 10 and a[4:] == b[4:] and _year_typo(a[:4], b[:4]):
        return BIRTH_YEAR_TYPO
    gap = abs(int(a[:4]) - int(b[:4]))
    if gap == 1:
        return BIRTH_YEAR_NEAR
    return BIRTH_YEARS_APART if gap <= APART_YEARS else BIRTH_YEAR_DISJOINT


def _year_typo(a: str, b: str) -> bool:
    """One digit differs, or two neighbouring digits are swapped (1967 / 1976)."""
    diff = [i for i in range(4) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    if len(diff) != 2 or diff[1] != diff[0] + 1:
        return False
    i, j = diff
    return a[i] == b[j] and a[j] == b[i]


def compare_dates(
    query: tuple[str, ...], candidate: tuple[str, ...]
) -> tuple[str, str, str] | None:
    """The most favourable finding over all date pairs: (finding, query date, candidate date)."""
    if not query or not candidate:
        return None
    best: tuple[str, str, str] | None = None
    for a in query:
        for b in candidate:
            finding = _compare_one(a, b)
            if best is None or ADJUSTMENTS[finding] > ADJUSTMENTS[best[0]]:
                best = (finding, a, b)
    return best
