"""A PDF rendered with a municipality's own clause library verifies with that library."""

from __future__ import annotations

from pathlib import Path

from iopdocs import Agreement, verify
from iopdocs.documents.clauses import packaged_library
from iopdocs.pdf import render_pdf
from tests.conftest import compact
from tests.integration.test_libreoffice import pytestmark  # noqa: F401 - the skip rule


def test_a_pdf_with_own_clauses_carries_them_and_verifies_with_the_library(
    flagship: Agreement, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    source = packaged_library().source.decode("utf-8")
    own = tmp_path / "sv.yaml"
    own.write_text(source.replace("omfattande arbetskonflikt", "strejk"), encoding="utf-8")
    pdf = render_pdf(flagship, tmp_path / "avtal.pdf", clauses=own)
    text = compact(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages))
    assert "myndighetsbeslut eller strejk" in text
    assert verify(pdf, clauses=own).unchanged
    assert not verify(pdf).unchanged  # the packaged wording differs in that one clause
