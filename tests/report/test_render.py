"""Evidence reports: HTML content and a PDF whose first page renders to a readable image
(rendered with pypdfium2, no system poppler needed)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from clearance.deal import DealResult, Review, load_deal
from clearance.report import (
    ReportError,
    render_html,
    render_text_html,
    write_html_or_pdf,
    write_report,
)
from clearance.settings import REPO_ROOT
from tests.deal.world import DealWorld

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result(world: DealWorld) -> DealResult:
    deal = load_deal(REPO_ROOT / "examples" / "deals" / "china-su35-s400-2018.yml")
    deal.review = Review(
        reviewer="A. Analyst", decision="Escalated: do not proceed", date=date(2026, 1, 5)
    )
    return world.deals.screen(deal)


def test_html_has_the_evidence(result: DealResult) -> None:
    html = render_html(result)
    for text in (
        "Equipment Development Department",
        "Li Shangfu",
        "ROSOBORONEKSPORT OAO",
        "CAATSA - RUSSIA",
        "235(a)(11)",
        "Secondary sanctions risk",
        "us_ofac_cons",
        "un_sc_sanctions",
        "2026-05-08",
        "A. Analyst",
        "Escalated: do not proceed",
        result.screened_at,
    ):
        assert text in html, text
    assert "<script" not in html


def test_pdf_first_page_renders(result: DealResult, tmp_path: Path) -> None:
    path = write_report(result, tmp_path / "report.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    pdf = pdfium.PdfDocument(str(path))
    assert len(pdf) >= 2
    image = pdf[0].render(scale=1.0).to_pil().convert("L")
    width, height = image.size
    assert 550 <= width <= 650 and 800 <= height <= 900  # A4 at 72 dpi: 595 x 842
    dark = sum(image.histogram()[:128])
    assert 0.01 < dark / (width * height) < 0.5  # text on a white page, not blank, not black
    pdf.close()


def test_html_file_and_bad_suffix(result: DealResult, tmp_path: Path) -> None:
    html = write_report(result, tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    with pytest.raises(ReportError, match=r"must be \.html or \.pdf"):
        write_report(result, tmp_path / "r.docx")


def test_text_report(world: DealWorld, tmp_path: Path) -> None:
    text = "Payment to Almaz-Antey via <b>Gazprombank</b> & partners for Vladimir Putin's visit."
    scanned = world.text.scan(text)
    html = render_text_html(scanned, text, "remittance")
    for name in ("Almaz-Antey", "Gazprombank", "Vladimir Putin"):  # "Putin's": possessive cut
        assert f"<mark>{name}</mark>" in html, name
    assert "&lt;b&gt;" in html  # the text is escaped, never interpreted
    assert "JOINT STOCK COMPANY AEROSPACE DEFENSE CONCERN ALMAZ-ANTEY" in html
    pdf = write_html_or_pdf(html, tmp_path / "text.pdf")
    assert len(pdfium.PdfDocument(str(pdf))) == 1
