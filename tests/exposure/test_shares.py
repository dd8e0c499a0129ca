"""Tests for clearance.exposure.shares: reading ownership percentages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.exposure.shares import UNDETERMINED, ShareError, parse_share


@pytest.mark.parametrize(
    ("raw", "low", "high"),
    [
        ("50", 50, 50),
        ("50%", 50, 50),
        ("25.5", 25.5, 25.5),
        ("25,5 %", 25.5, 25.5),
        (" 100.00 ", 100, 100),
        ("25-50", 25, 50),
        ("50 to 25 percent", 25, 50),
        (">50", 50, 100),
        ("more than 50%", 50, 100),
        ("less than 10", 0, 10),
        (30, 30, 30),
        (12.5, 12.5, 12.5),
    ],
)
def test_readable(raw: str | float, low: float, high: float) -> None:
    share = parse_share(raw)
    assert share.known and (share.low, share.high) == (low, high)


@pytest.mark.parametrize("raw", [None, "", "   ", "%"])
def test_missing_is_undetermined(raw: str | None) -> None:
    assert parse_share(raw) == UNDETERMINED
    assert parse_share(raw).text() == "undetermined"


@pytest.mark.parametrize("raw", ["150", "-3", "100.5%", "abc", "majority", True, float("nan")])
def test_bad_values_raise(raw: object) -> None:
    with pytest.raises(ShareError):
        parse_share(raw)  # type: ignore[arg-type]


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_numbers_round_trip(value: object) -> None:
    share = parse_share(f"{value}%")
    assert share.low == share.high == float(str(value))


@given(st.text())
def test_never_crashes_otherwise(text: str) -> None:
    try:
        share = parse_share(text)
    except ShareError:
        return
    assert 0 <= share.low <= share.high <= 100
