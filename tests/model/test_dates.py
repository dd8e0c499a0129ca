from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.model.dates import parse_date, parse_date_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01 Feb 1958", "1958-02-01"),
        ("1 February 1958", "1958-02-01"),
        ("Feb 1958", "1958-02"),
        ("1958", "1958"),
        ("circa 1958", "1958"),
        ("approximately 1958", "1958"),
        ("1958-02-01", "1958-02-01"),
        ("1958-02", "1958-02"),
        ("1958-00-00", "1958"),
        ("01/02/1958", "1958-02-01"),
        ("01.02.1958", "1958-02-01"),
        ("February 1, 1958", "1958-02-01"),
        ("31 Feb 1958", None),
        ("not a date", None),
        ("", None),
        ("0000", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_month_first_for_us_files() -> None:
    assert parse_date("02/01/1958", month_first=True) == "1958-02-01"
    assert parse_date("02/01/1958") == "1958-01-02"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01 Feb 1958 to 28 Feb 1958", ["1958-02"]),
        ("1958 to 1960", ["1958", "1959", "1960"]),
        ("1960 - 1958", ["1958", "1959", "1960"]),
        ("1979-1982", ["1979", "1980", "1981", "1982"]),
        ("circa 1979-1982", ["1979", "1980", "1981", "1982"]),
        ("01 Jan 1958 to 31 Dec 1958", ["1958"]),
        ("1900 to 1990", ["1900", "1990"]),
        ("12 May 1970", ["1970-05-12"]),
        ("sometime", []),
    ],
)
def test_parse_date_range(text: str, expected: list[str]) -> None:
    assert parse_date_range(text) == expected


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2200, 12, 31)))
def test_every_real_date_round_trips_in_each_format(value: date) -> None:
    iso = value.isoformat()
    assert parse_date(iso) == iso
    assert parse_date(value.strftime("%d %b %Y")) == iso
    assert parse_date(value.strftime("%d/%m/%Y")) == iso
    assert parse_date(value.strftime("%B %d, %Y")) == iso


@given(st.text(max_size=200))
def test_never_raises_and_result_is_iso_prefix(text: str) -> None:
    result = parse_date(text)
    if result is not None:
        assert len(result) in (4, 7, 10)
        date.fromisoformat((result + "-01-01")[:10])
    for value in parse_date_range(text):
        assert len(value) in (4, 7, 10)
