"""The flagship's review appendix, converted to PDF by LibreOffice, keeps every finding and check.

Skipped with a stated reason where LibreOffice is absent; never skipped in CI (CI=true).
"""

from __future__ import annotations

from pathlib import Path

from iopdocs import load_agreement, render_review, review
from iopdocs.reviewing import CHECKS
from tests.conftest import FLAGSHIP, compact
from tests.integration.test_libreoffice import convert_to_pdf, pytestmark

__all__ = ["pytestmark"]


def test_the_review_appendix_converts_with_every_finding_and_check(tmp_path: Path) -> None:
    from pypdf import PdfReader

    agreement = load_agreement(FLAGSHIP)
    docx = render_review(agreement, tmp_path / "granskning.docx")
    reader = PdfReader(convert_to_pdf(docx, tmp_path))
    pages = [compact(page.extract_text() or "") for page in reader.pages]
    for number, text in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in text
    text = " ".join(pages)
    for finding in review(agreement):
        assert finding.path in text
    for check in CHECKS:
        assert compact(check.title) in text, check.code
