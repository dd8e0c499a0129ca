"""Evidence reports of a deal or text screening: HTML (Jinja2 templates) and PDF (WeasyPrint).

``render_html(result)`` / ``render_text_html(result, text)`` are pure; ``write_report(result,
path)`` / ``write_html_or_pdf(html, path)`` pick HTML or PDF from the suffix. WeasyPrint is
imported only when a PDF is asked for (it needs the Pango libraries).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from clearance.deal.screening import DealResult
from clearance.errors import ClearanceError
from clearance.text.scan import TextResult

EXCERPT_CHARS = 20_000


class ReportError(ClearanceError):
    """A report cannot be written (unknown format, PDF engine missing)."""


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("clearance.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(result: DealResult) -> str:
    """The evidence report as one self-contained HTML page."""
    return _environment().get_template("deal.html.j2").render(deal=result.deal, result=result)


def _excerpt(text: str, result: TextResult) -> list[tuple[str, bool]]:
    """The first ``EXCERPT_CHARS`` of the text cut into (part, is a hit) pieces."""
    parts: list[tuple[str, bool]] = []
    pos = 0
    for hit in sorted(result.hits, key=lambda h: (h.start, -h.end)):
        if hit.start < pos or hit.end > EXCERPT_CHARS:
            continue
        parts += [(text[pos : hit.start], False), (text[hit.start : hit.end], True)]
        pos = hit.end
    parts.append((text[pos:EXCERPT_CHARS], False))
    return parts


def render_text_html(result: TextResult, text: str, title: str | None = None) -> str:
    """The evidence report of a free-text screening (excerpt with marked spans, hits)."""
    return (
        _environment()
        .get_template("text.html.j2")
        .render(
            result=result,
            title=title,
            size=len(text),
            excerpt=_excerpt(text, result),
            screened_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML page (WeasyPrint)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing
        raise ReportError(f"PDF reports need WeasyPrint and Pango: {exc}") from exc
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_pdf(result: DealResult) -> bytes:
    """The evidence report as PDF bytes (WeasyPrint)."""
    return html_to_pdf(render_html(result))


def write_html_or_pdf(html: str, path: Path) -> Path:
    """Write a rendered report to ``path`` (``.html`` / ``.htm`` or ``.pdf``)."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        path.write_text(html, encoding="utf-8")
    elif suffix == ".pdf":
        path.write_bytes(html_to_pdf(html))
    else:
        raise ReportError(f"{path}: report format must be .html or .pdf, not {suffix or 'none'}")
    return path


def write_report(result: DealResult, path: Path) -> Path:
    """Write the deal report to ``path`` (``.html`` / ``.htm`` or ``.pdf``)."""
    return write_html_or_pdf(render_html(result), path)
