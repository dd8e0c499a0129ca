"""Small charts drawn on the server as inline SVG (pure; no JavaScript, no chart library).

Colours come from the stylesheet's series classes ``c0`` … ``c7`` (the report palette), so the
SVG carries no inline style and passes the UI's strict Content-Security-Policy. Every chart has a
``<title>`` and ``<desc>`` for screen readers, and the page shows the numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

SERIES = 8


@dataclass(frozen=True)
class Chart:
    svg: Markup
    legend: list[tuple[str, str]]
    """(css class, label) of each series."""


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def stacked_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    ident: str = "bars",
    classes: Sequence[str] | None = None,
    width: int = 760,
    height: int = 240,
) -> Chart:
    """Vertical bars per label (e.g. per day), stacked by series (e.g. per list); ``classes``
    gives each series its colour class (default ``c0``, ``c1``, … in turn)."""
    colours = list(classes) if classes else [f"c{s % SERIES}" for s in range(len(series))]
    left, right, top, bottom = 40, 8, 10, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak = _nice_max(max(totals, default=0))
    n = max(1, len(labels))
    slot = plot_w / n
    bar = max(1.0, slot * 0.8)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(_describe(labels, series))}</desc>'
    ]
    ticks = next(n for n in (5, 4, 2, 1) if (peak / n).is_integer())
    for k in range(ticks + 1):
        y = top + plot_h - plot_h * k / ticks
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        tick = _num(peak * k / ticks)
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for s, (name, values) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            h = plot_h * value / peak
            y -= h
            tip = f"{escape(label)} · {escape(name)}: {_num(value)}"
            parts.append(
                f'<rect class="{colours[s]}" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{tip}</title></rect>'
            )
    step = max(1, len(labels) // 8)
    for i in range(0, len(labels), step):
        x = left + i * slot + slot / 2
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{escape(_short(labels[i]))}</text>"
        )
    base = top + plot_h
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{base}" y2="{base}"/>')
    parts.append("</svg>")
    legend = [(colours[s], name) for s, (name, _) in enumerate(series)]
    return Chart(Markup("".join(parts)), legend)


def horizontal_bars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    ident: str = "hbars",
    classes: Sequence[str] | None = None,
    width: int = 380,
    row: int = 26,
) -> Chart:
    """One horizontal bar per item (e.g. decisions by kind), labelled with its value."""
    colours = list(classes) if classes else [f"c{i % SERIES}" for i in range(len(items))]
    label_w, right = 140, 50
    height = max(1, len(items)) * row + 8
    peak = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape("; ".join(f"{k}: {_num(v)}" for k, v in items))}</desc>'
    ]
    for i, (name, value) in enumerate(items):
        y = 4 + i * row
        w = (width - label_w - right) * value / peak
        middle = y + row / 2 + 4
        parts.append(
            f'<text x="{label_w - 6}" y="{middle:.1f}" text-anchor="end">{escape(name)}</text>'
        )
        parts.append(
            f'<rect class="{colours[i]}" x="{label_w}" y="{y + 3}" width="{max(w, 1):.1f}" '
            f'height="{row - 8}"/>'
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + row / 2 + 4:.1f}">{_num(value)}</text>'
        )
    parts.append("</svg>")
    legend = [(colours[i], name) for i, (name, _) in enumerate(items)]
    return Chart(Markup("".join(parts)), legend)


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _short(label: str) -> str:
    """``2026-11-25`` → ``11-25`` (axis labels)."""
    return label[5:] if len(label) == 10 and label[4] == "-" else label


def _describe(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> str:
    totals = {name: sum(values) for name, values in series}
    span = f"{labels[0]} to {labels[-1]}" if labels else "no data"
    return f"{span}; totals: " + "; ".join(f"{k} {_num(v)}" for k, v in totals.items())
