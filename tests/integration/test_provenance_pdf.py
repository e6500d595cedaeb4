"""Provenance through LibreOffice: the DOCX still opens, a PDF carrying the agreement JSON reads
back and verifies, and an edit made before conversion is found on its page.

The PDFs are made here as iopdocs makes them: LibreOffice converts the rendered DOCX, then pypdf
attaches the agreement JSON as a PDF/A-3 associated file (/AFRelationship /Source, catalog /AF).
Skipped with a stated reason where LibreOffice is absent; never skipped in CI (CI=true).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docx import Document

from iopdocs import (
    Agreement,
    NoProvenanceError,
    TemplateMismatchError,
    extract,
    load_agreement,
    render_contract,
    verify,
)
from iopdocs.provenance import AGREEMENT_ATTACHMENT, agreement_json
from tests.conftest import ROOT, compact
from tests.integration.test_libreoffice import SOFFICE, pytestmark  # noqa: F401 - the skip rule
from tests.unit.test_render import own_template

SECOND = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"


def convert(out_dir: Path, *documents: Path) -> list[Path]:
    """One soffice run for all documents, with a private profile."""
    assert SOFFICE is not None
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir),
            *map(str, documents),
        ],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdfs = [out_dir / (d.stem + ".pdf") for d in documents]
    assert all(p.is_file() for p in pdfs), "soffice exits 0 even when it fails"
    return pdfs


def with_attachment(
    pdf: Path, data: bytes, *appendices: Path, info: dict[str, str] | None = None
) -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=str(pdf))
    for appendix in appendices:
        writer.append(str(appendix))
    attached = writer.add_attachment(AGREEMENT_ATTACHMENT, data)
    attached.subtype = NameObject("/application#2Fjson")
    attached.associated_file_relationship = NameObject("/Source")
    attached.description = TextStringObject("Avtalets data (JSON)")
    writer._root_object[NameObject("/AF")] = ArrayObject([attached.pdf_object.indirect_reference])
    if info:
        writer.add_metadata(info)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, flagship: Agreement) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("provenance-pdf")
    contract = render_contract(flagship, folder / "avtal.docx")
    document = Document(str(contract))
    paragraph = next(p for p in document.paragraphs if "uppsägningstid om sex" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("sex månader", "en månad")
    document.save(str(folder / "andrat.docx"))
    appendix = folder / "bilaga.docx"
    appendix.write_bytes(own_template("Bilaga 2 – Verksamhetsplan", "Plattformarnas plan."))
    second = render_contract(load_agreement(SECOND), folder / "laxhjalp.docx")
    converted = convert(folder, contract, folder / "andrat.docx", appendix, second)
    return dict(zip(("contract", "edited", "appendix", "second"), converted, strict=True))


def test_libreoffice_opens_a_docx_that_carries_provenance(pdfs: dict[str, Path]) -> None:
    from pypdf import PdfReader

    text = compact(" ".join(p.extract_text() or "" for p in PdfReader(pdfs["contract"]).pages))
    assert "Parternas bidrag" in text
    assert "upp till 300 000 kr per tolvmånadersperiod" in text


def test_the_agreement_attached_to_a_pdf_reads_back_equal(
    pdfs: dict[str, Path], flagship: Agreement
) -> None:
    pdf = with_attachment(pdfs["contract"], agreement_json(flagship))
    assert extract(pdf) == flagship


def test_an_untouched_pdf_verifies(pdfs: dict[str, Path], flagship: Agreement) -> None:
    result = verify(with_attachment(pdfs["contract"], agreement_json(flagship)))
    assert result.changes == []
    assert result.unchanged


def test_the_second_example_a_draft_with_narrow_tables_verifies_as_pdf(
    pdfs: dict[str, Path],
) -> None:
    agreement = load_agreement(SECOND)
    pdf = with_attachment(pdfs["second"], agreement_json(agreement))
    assert extract(pdf) == agreement
    assert verify(pdf).changes == []


def test_pages_after_the_contract_are_listed_and_count_unless_expected(
    pdfs: dict[str, Path], flagship: Agreement
) -> None:
    """The flagship lists no appendices, so pages after its contract were appended afterwards
    (an e-signature service's record, or an added promise): a change unless expected."""
    pdf = with_attachment(pdfs["contract"], agreement_json(flagship), pdfs["appendix"])
    assert not flagship.appendices
    result = verify(pdf)
    assert not result.unchanged
    assert result.appended_pages
    expected = verify(pdf, allow_appended=True)
    assert expected.unchanged
    assert expected.appended_pages == result.appended_pages


def test_a_pdf_whose_text_was_changed_is_caught_on_its_page(
    pdfs: dict[str, Path], flagship: Agreement
) -> None:
    result = verify(with_attachment(pdfs["edited"], agreement_json(flagship)))
    assert not result.unchanged
    [change] = result.changes
    assert change.where.startswith("page ")
    assert change.expected is not None
    assert change.actual is not None
    assert "[sex månader.]" in change.expected
    assert "[en månad.]" in change.actual
    assert "uppsägningstid om" in change.actual  # a little context


def test_a_pdf_recording_another_template_in_its_info_needs_that_template(
    pdfs: dict[str, Path], flagship: Agreement
) -> None:
    info = {"/iopdocs.template": "egen.docx", "/iopdocs.templateSha256": "0" * 64}
    pdf = with_attachment(pdfs["contract"], agreement_json(flagship), info=info)
    with pytest.raises(TemplateMismatchError, match=r"'egen\.docx'"):
        verify(pdf)


def test_a_pdf_without_the_attachment_has_no_provenance(pdfs: dict[str, Path]) -> None:
    with pytest.raises(NoProvenanceError):
        verify(pdfs["contract"])


def test_a_docx_saved_again_by_libreoffice_keeps_its_data_and_verifies(
    tmp_path: Path, flagship: Agreement
) -> None:
    (tmp_path / "in").mkdir()
    source = render_contract(flagship, tmp_path / "in" / "avtal.docx")
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(tmp_path), str(source),
        ],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    resaved = tmp_path / "avtal.docx"
    assert resaved.is_file()
    assert extract(resaved) == flagship
    assert verify(resaved).unchanged
