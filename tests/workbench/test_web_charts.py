"""Server-side SVG charts (pure): bar heights follow the data; labels are escaped."""

from __future__ import annotations

import re

from clearance.workbench.charts import _nice_max, horizontal_bars, stacked_bars


def _heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'<rect class="c\d" [^>]*height="([\d.]+)"', svg)]


def test_stacked_bars_scale_to_the_largest_total() -> None:
    chart = stacked_bars(
        ["2026-11-23", "2026-11-24", "2026-11-25"],
        [("un_sc_sanctions", [2, 0, 4]), ("us_ofac_sdn", [2, 1, 0])],
        title="Alerts per day",
    )
    heights = _heights(chart.svg)
    assert len(heights) == 4  # zero values draw nothing
    first_day = heights[0] + heights[1]
    assert abs(first_day - heights[3]) < 0.2  # 2 + 2 == 4
    assert abs(heights[2] * 4 - first_day) < 0.5  # 1 is a quarter of 4
    assert chart.legend == [("c0", "un_sc_sanctions"), ("c1", "us_ofac_sdn")]
    assert "<title" in chart.svg and "11-25" in chart.svg


def test_labels_are_escaped() -> None:
    chart = horizontal_bars([("<script>alert(1)</script>", 3), ("b&c", 1)], title="t <x>")
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg and "b&amp;c" in chart.svg
    widths = [float(w) for w in re.findall(r'<rect class="c\d" [^>]*width="([\d.]+)"', chart.svg)]
    assert abs(widths[0] - 3 * widths[1]) < 0.5


def test_empty_charts_do_not_fail() -> None:
    assert "<svg" in stacked_bars([], [], title="nothing").svg
    assert "<svg" in horizontal_bars([], title="nothing").svg


def test_nice_max() -> None:
    assert [_nice_max(v) for v in (0, 1, 3, 7, 12, 99, 101)] == [1, 1, 5, 10, 20, 100, 200]
