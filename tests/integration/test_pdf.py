"""The PDF for signing and archiving: converted by LibreOffice for real, checked the way an
archivist and a signing official would check it.

Skipped with the stated reason where LibreOffice is absent; never skipped in CI (CI=true), where
.ci/run installs it (and poppler-utils, whose pdftoppm draws pages to look for the watermark).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from iopdocs import (
    Agreement,
    AppendixError,
    ConversionError,
    NotPdfAWarning,
    NotPdfUAWarning,
    convert_many,
    payment_schedule,
    render_annual_report_pdf,
    render_pdf,
)
from iopdocs.pdf import convert_to_pdf
from iopdocs.provenance import AGREEMENT_ATTACHMENT
from iopdocs.record import RECORD_ATTACHMENT
from tests.conftest import compact
from tests.integration.test_libreoffice import IN_CI, pytestmark  # noqa: F401 - the skip rule

PDFTOPPM = shutil.which("pdftoppm")

if PDFTOPPM is None and IN_CI:  # pragma: no cover - a broken CI machine
    raise RuntimeError("CI=true but poppler-utils (pdftoppm) is not installed; see .ci/run")


PLAN_TEXT = "Verksamhetsplanen beskriver mötesplatserna hösten 2024."
BUDGET_TEXT = "Budgeten för 2024 omfattar lokalhyra och samordning."


@dataclass
class Pdf:
    path: Path
    pages: list[str]
    reader: Any

    @property
    def text(self) -> str:
        return compact(" ".join(self.pages))

    def bookmarks(self) -> dict[str, int]:
        return {
            item.title: self.reader.get_destination_page_number(item)
            for item in self.reader.outline
            if not isinstance(item, list)
        }

    def xmp(self) -> str:
        data: bytes = self.reader.root_object["/Metadata"].get_object().get_data()
        return data.decode("utf-8")


def read_pdf(path: Path) -> Pdf:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return Pdf(path, [page.extract_text() or "" for page in reader.pages], reader)


def word_document(path: Path, *paragraphs: str) -> Path:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def watermark_share(pdf: Path, page: int) -> float:
    """The share of a page's pixels in the watermark's red (none on a plain black-on-white page)."""
    assert PDFTOPPM is not None, "pdftoppm (poppler-utils) draws the page"
    data = subprocess.run(
        [PDFTOPPM, "-r", "12", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    _, size, _, pixels = data.split(b"\n", 3)  # binary PPM: P6, width height, 255, RGB bytes
    width, height = (int(n) for n in size.split())
    red = sum(
        1
        for i in range(0, width * height * 3, 3)
        if pixels[i] > 150 and pixels[i] - pixels[i + 1] > 25 and pixels[i] - pixels[i + 2] > 25
    )
    return red / (width * height)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def budget_pdfa(folder: Path) -> Path:
    docx = word_document(folder / "budget.docx", "Budget 2024", BUDGET_TEXT)
    path = folder / "budget.pdf"
    path.write_bytes(convert_to_pdf(docx, pdfa=2))
    return path


@pytest.fixture(scope="module")
def draft(flagship: Agreement) -> Agreement:
    data = flagship.model_dump()
    data["metadata"]["status"] = "draft"
    data["appendices"] = ["Verksamhetsplan 2024", {"title": "Budget 2024"}]
    return Agreement.model_validate(data)


@pytest.fixture(scope="module")
def draft_package(draft: Agreement, folder: Path, budget_pdfa: Path) -> Pdf:
    plan = word_document(folder / "plan.docx", "Verksamhetsplan 2024", PLAN_TEXT)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NotPdfAWarning)  # both appendices end up PDF/A
        path = render_pdf(draft, folder / "utkast.pdf", appendices=[plan, budget_pdfa])
    return read_pdf(path)


@pytest.fixture(scope="module")
def final_contract(flagship: Agreement, folder: Path) -> Pdf:
    assert flagship.metadata.status == "final"
    return read_pdf(render_pdf(flagship, folder / "avtal.pdf"))


def test_the_package_is_the_contract_then_each_appendix_bookmarked_bilaga_n(
    draft_package: Pdf,
) -> None:
    marks = draft_package.bookmarks()
    contract_pages = marks["Bilaga 2 – Verksamhetsplan 2024"]
    assert f"Sida {contract_pages} av {contract_pages}" in compact(
        draft_package.pages[contract_pages - 1]
    )
    assert marks["Bilaga 1 – Utbetalningsplan"] < contract_pages  # inside the contract
    assert PLAN_TEXT in compact(draft_package.pages[contract_pages])
    budget = marks["Bilaga 3 – Budget 2024"]
    assert budget > contract_pages
    assert BUDGET_TEXT in compact(draft_package.pages[budget])
    assert len(draft_package.pages) == budget + 1  # the budget is one page
    assert "1. Gemensam samhällsutmaning" in marks  # the contract's own headings stay


def test_the_contract_lists_the_appendices_it_is_signed_with(draft_package: Pdf) -> None:
    text = draft_package.text
    listing = text[text.index("Följande bilagor hör till avtalet") : text.index("Underskrifter")]
    assert "Bilaga 1 – Utbetalningsplan" in listing
    assert "Bilaga 2 – Verksamhetsplan 2024" in listing
    assert "Bilaga 3 – Budget 2024" in listing


def test_every_party_and_amount_is_in_the_text(final_contract: Pdf, flagship: Agreement) -> None:
    text = final_contract.text  # no-break spaces come out as plain spaces, collapsed here
    for party in flagship.parties:
        assert compact(party.name) in text
        assert party.org_number in text
        for signatory in party.signatories:
            assert signatory.name in text
    schedule = payment_schedule(flagship)

    def kr(amount: object) -> str:
        return f"{amount:,.0f}".replace(",", " ") + " kr"

    for amount in (schedule.total, *schedule.by_recipient.values(), *schedule.by_line.values()):
        assert kr(amount) in text, kr(amount)


def test_a_final_contract_is_pdfa_3b_tagged_with_agreeing_info_and_xmp(
    final_contract: Pdf, flagship: Agreement
) -> None:
    xmp = final_contract.xmp()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    root = final_contract.reader.root_object
    assert "/OutputIntents" in root
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    info = final_contract.reader.metadata
    assert info["/Title"] == flagship.metadata.title
    assert info["/Subject"] == flagship.metadata.subject
    assert info["/Author"] == flagship.public_parties[0].name
    for key, pattern in (
        ("/Title", r"<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>([^<]*)<"),
        ("/Author", r"<dc:creator>\s*<rdf:Seq>\s*<rdf:li>([^<]*)<"),
        ("/Subject", r"<dc:description>\s*<rdf:Alt>\s*<rdf:li[^>]*>([^<]*)<"),
        ("/Keywords", r"<pdf:Keywords>([^<]*)<"),
    ):
        found = re.search(pattern, xmp)
        assert found is not None, key
        assert found.group(1) == info[key], key


def test_the_agreement_is_attached_as_a_pdfa3_source_file_and_reads_back_equal(
    final_contract: Pdf, draft_package: Pdf, flagship: Agreement, draft: Agreement
) -> None:
    from iopdocs import parse_agreement

    for pdf, agreement in ((final_contract, flagship), (draft_package, draft)):
        # The agreement, and beside it the record of the PDF's making (template, page counts).
        attachments = {a.name: a for a in pdf.reader.attachment_list}
        assert sorted(attachments) == sorted([AGREEMENT_ATTACHMENT, RECORD_ATTACHMENT])
        for attachment in attachments.values():
            assert attachment.subtype == "/application/json"  # the MIME type, as PDF/A-3 asks
            assert attachment.associated_file_relationship == "/Source"
        catalog_af = [ref.get_object() for ref in pdf.reader.root_object["/AF"]]
        assert sorted(spec["/UF"] for spec in catalog_af) == sorted(attachments)
        attachment = attachments[AGREEMENT_ATTACHMENT]
        assert parse_agreement(attachment.content.decode("utf-8")) == agreement


def test_a_draft_carries_the_watermark_on_every_page_appendices_included(
    draft_package: Pdf,
) -> None:
    for page in range(1, len(draft_package.pages) + 1):
        assert watermark_share(draft_package.path, page) > 0.01, f"page {page}"


def test_a_final_contract_carries_no_watermark(final_contract: Pdf) -> None:
    for page in range(1, len(final_contract.pages) + 1):
        assert watermark_share(final_contract.path, page) == 0, f"page {page}"
    assert "UTKAST" not in final_contract.text


def test_the_stamp_adds_no_font_and_no_text(draft_package: Pdf) -> None:
    budget = draft_package.bookmarks()["Bilaga 3 – Budget 2024"]
    assert "UTKAST" not in draft_package.pages[budget]  # drawn, not written: text stays clean
    fonts = subprocess.run(
        ["pdffonts", str(draft_package.path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    assert all(" yes " in line for line in fonts), fonts  # every font embedded (PDF/A)


def test_without_embedded_data_the_pdf_is_pdfa_2b_without_attachments(
    make_agreement: Callable[..., Agreement],
) -> None:
    pdf_bytes = render_pdf(make_agreement(metadata={"title": "Läxhjälp", "status": "final"}),
                           embed_data=False)  # fmt: skip
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_bytes))
    xmp = reader.root_object["/Metadata"].get_object().get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert list(reader.attachment_list) == []
    assert "/AF" not in reader.root_object


def test_an_appendix_pdf_that_is_not_pdfa_is_included_with_a_warning(
    make_agreement: Callable[..., Agreement], tmp_path: Path
) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    plain = tmp_path / "skiss.pdf"
    with plain.open("wb") as handle:
        writer.write(handle)
    agreement = make_agreement(appendices=["Skiss"])
    # Both warnings: the appendix is not PDF/A, and its untagged page keeps the package from
    # claiming PDF/UA.
    with (
        pytest.warns(NotPdfAWarning, match=r"skiss\.pdf: the appendix 'Bilaga 2 – Skiss'"),
        pytest.warns(NotPdfUAWarning, match=r"untagged pages.*\(Bilaga 2 – Skiss\)"),
    ):
        path = render_pdf(agreement, tmp_path / "avtal.pdf", appendices=[plain])
    assert read_pdf(path).bookmarks()["Bilaga 2 – Skiss"] == len(read_pdf(path).pages) - 1


def test_the_annual_report_renders_to_pdfa_with_the_agreement_attached(
    flagship: Agreement, folder: Path
) -> None:
    pdf = read_pdf(
        render_annual_report_pdf(flagship, 2024, party="GSE", path=folder / "rapport.pdf")
    )
    assert "Årsberättelse 2024" in pdf.text
    assert "<pdfaid:part>3</pdfaid:part>" in pdf.xmp()
    names = sorted(a.name for a in pdf.reader.attachment_list)
    assert names == sorted([AGREEMENT_ATTACHMENT, RECORD_ATTACHMENT])


def test_a_batch_converted_contract_gets_the_same_attachment_as_render_pdf(
    make_agreement: Callable[..., Agreement], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from iopdocs import parse_agreement, render_contract
    from iopdocs.pdf import attach_agreement

    agreement = make_agreement()
    (pdf,) = convert_many([render_contract(agreement, tmp_path / "avtal.docx")], tmp_path, pdfa=3)
    reader = PdfReader(io.BytesIO(attach_agreement(pdf.read_bytes(), agreement)))
    (attachment,) = list(reader.attachment_list)
    assert attachment.associated_file_relationship == "/Source"
    assert parse_agreement(attachment.content.decode("utf-8")) == agreement
    assert "/AF" in reader.root_object


def test_batch_conversion_gives_one_checked_pdf_per_docx(tmp_path: Path) -> None:
    sources = [word_document(tmp_path / f"dok-{n}.docx", f"Dokument nummer {n}") for n in range(3)]
    out = tmp_path / "pdf"
    out.mkdir()
    pdfs = convert_many(sources, out)
    assert pdfs == [out / f"dok-{n}.pdf" for n in range(3)]
    for n, pdf in enumerate(pdfs):
        assert f"Dokument nummer {n}" in read_pdf(pdf).text
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in pdfs]


def test_a_garbage_docx_appendix_is_refused_with_a_clear_error(
    make_agreement: Callable[..., Agreement], tmp_path: Path
) -> None:
    garbage = tmp_path / "plan.docx"
    garbage.write_text("not a Word document")
    target = tmp_path / "avtal.pdf"
    with pytest.raises(AppendixError, match=r"plan\.docx: the appendix 'Plan' is neither"):
        render_pdf(make_agreement(appendices=["Plan"]), target, appendices=[garbage])
    assert not target.exists()
    with pytest.raises(ConversionError, match="not a Word document"):
        convert_many([garbage], tmp_path)
