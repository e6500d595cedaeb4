"""PDFs from outside: attachments that are too large, not UTF-8 or not JSON, deep nesting, an
edited attachment, a record naming another template, pages appended after the contract."""

from __future__ import annotations

import json
import os
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from iopdocs.loading import load_agreement
from iopdocs.record import AGREEMENT_ATTACHMENT, RECORD_ATTACHMENT, agreement_json
from tests.hostile.conftest import FLAGSHIP, iopdocs, refused

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
IN_CI = os.environ.get("CI", "").lower() == "true"
needs_soffice = pytest.mark.skipif(
    SOFFICE is None and not IN_CI,
    reason="LibreOffice (soffice) is not installed: apt-get install --no-install-recommends "
    "libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2",
)


def pdf_with(attachments: dict[str, bytes], source: bytes | None = None) -> bytes:
    """A PDF (one blank page, or ``source``) with these attachments replacing its own."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(source))) if source else PdfWriter()
    if source is None:
        writer.add_blank_page(595, 842)
    for existing in list(writer.attachment_list):
        if existing.name in attachments:
            existing.delete()
    for name, data in attachments.items():
        writer.add_attachment(name, data)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8"),
        (b"{" * 5000 + b"}" * 5000, "not valid JSON"),
        (b"[" * 100 + b"]" * 100, "nested more than"),
        (b"x" * (11 * 1024 * 1024), "larger than the limit"),
    ],
    ids=["not-utf8", "json-deep", "nested", "too-large"],
)
def test_a_hostile_attachment_is_a_clear_error(tmp_path: Path, blob: bytes, message: str) -> None:
    document = tmp_path / "avtal.pdf"
    document.write_bytes(pdf_with({AGREEMENT_ATTACHMENT: blob}))
    for command in ("extract", "verify"):
        refused(iopdocs(command, document), message)


def test_a_deeply_nested_pdf_is_a_clear_error(tmp_path: Path) -> None:
    """pypdf reads nested arrays recursively: 100 000 levels end in a RecursionError."""
    base = pdf_with({AGREEMENT_ATTACHMENT: agreement_json(load_agreement(FLAGSHIP))})
    deep = b"[" * 100_000 + b"]" * 100_000
    document = tmp_path / "djup.pdf"
    document.write_bytes(base.replace(b"/Type /Catalog", b"/Type /Catalog /Deep " + deep, 1))
    outcome = iopdocs("extract", document)
    assert outcome.status in (0, 2), outcome.text


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The flagship contract as PDF, rendered by the command (LibreOffice) once."""
    folder = tmp_path_factory.mktemp("pdf")
    outcome = iopdocs("render", FLAGSHIP, "-o", folder / "avtal.pdf", timeout=240)
    assert outcome.status == 0, outcome.text
    return (folder / "avtal.pdf").read_bytes()


@needs_soffice
def test_a_pdf_records_its_template_and_page_counts(rendered: bytes) -> None:
    record = json.loads(PdfReader(BytesIO(rendered)).attachments[RECORD_ATTACHMENT][0])
    pages = len(PdfReader(BytesIO(rendered)).pages)
    assert record["pages"] == record["totalPages"] == pages
    assert len(record["templateSha256"]) == 64


@needs_soffice
def test_pages_appended_after_the_contract_are_a_change_unless_expected(
    tmp_path: Path, rendered: bytes
) -> None:
    """An added page (here: a copy of the first) used to verify as unchanged."""
    reader = PdfReader(BytesIO(rendered))
    writer = PdfWriter(clone_from=reader)
    writer.add_page(reader.pages[0])
    out = BytesIO()
    writer.write(out)
    signed = tmp_path / "signerad.pdf"
    signed.write_bytes(out.getvalue())
    appended = len(reader.pages) + 1
    changed = iopdocs("verify", signed)
    assert changed.status == 1, changed.text
    assert f"pages after those iopdocs wrote: {appended}" in changed.out
    expected = iopdocs("verify", signed, "--allow-appended")
    assert expected.status == 0, expected.text
    assert f"pages after those iopdocs wrote: {appended}" in expected.out


@needs_soffice
def test_an_edited_attachment_is_reported_by_extract_and_verify(
    tmp_path: Path, rendered: bytes
) -> None:
    data = json.loads(PdfReader(BytesIO(rendered)).attachments[AGREEMENT_ATTACHMENT][0])
    data["conditions"]["notice_months"] = 1
    edited = tmp_path / "andrad.pdf"
    edited.write_bytes(pdf_with({AGREEMENT_ATTACHMENT: json.dumps(data).encode()}, source=rendered))
    extract = iopdocs("extract", edited)
    assert extract.status == 0
    assert "no longer matches the SHA-256" in extract.err
    verify = iopdocs("verify", edited)
    assert verify.status == 1
    assert "no longer matches" in verify.out


@needs_soffice
def test_a_pdf_of_another_template_says_the_template_differs(
    tmp_path: Path, rendered: bytes
) -> None:
    """It used to list eight "changed" passages: the PDF recorded no template."""
    record = json.loads(PdfReader(BytesIO(rendered)).attachments[RECORD_ATTACHMENT][0])
    record["templateSha256"] = "0" * 64
    record["template"] = "egen.docx"
    other = tmp_path / "egen.pdf"
    other.write_bytes(pdf_with({RECORD_ATTACHMENT: json.dumps(record).encode()}, source=rendered))
    refused(iopdocs("verify", other), "egen.docx", "verify it with the template")
