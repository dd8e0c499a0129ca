"""Evidence reports (HTML and PDF) of deal and text screenings: parties, hits with reasons,
programs and measures, list versions and timestamps, the reviewer's decision."""

from clearance.report.render import (
    ReportError,
    html_to_pdf,
    render_html,
    render_pdf,
    render_text_html,
    write_html_or_pdf,
    write_report,
)

__all__ = [
    "ReportError",
    "html_to_pdf",
    "render_html",
    "render_pdf",
    "render_text_html",
    "write_html_or_pdf",
    "write_report",
]
