"""Joining PDFs with pypdf: bookmarks per appendix, a font-free draft stamp on appendix pages only,
and exactly one attached agreement. Runs on PDFs made with pypdf, so it needs no LibreOffice."""

from __future__ import annotations

import io
from collections.abc import Callable

from iopdocs import Agreement, parse_agreement
from iopdocs.pdf import attach_agreement
from iopdocs.pdf.package import Part, assemble
from iopdocs.provenance import AGREEMENT_ATTACHMENT


def blank_pdf(pages: int, width: float = 595, height: float = 842) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def contents(page: object) -> bytes:
    stream = page.get_contents()  # type: ignore[attr-defined]
    return b"" if stream is None else bytes(stream.get_data())  # a blank page has none


def test_appendices_follow_the_main_document_each_with_its_bookmark() -> None:
    from pypdf import PdfReader

    joined = assemble(
        [Part(blank_pdf(3)), Part(blank_pdf(2), "Bilaga 2 – Plan"), Part(blank_pdf(1), "Bilaga 3")],
        draft=False,
    )
    reader = PdfReader(io.BytesIO(joined))
    assert len(reader.pages) == 6
    marks = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert marks == {"Bilaga 2 – Plan": 3, "Bilaga 3": 5}


def test_a_draft_stamps_appendix_pages_with_a_watermark_artifact_and_no_font() -> None:
    from pypdf import PdfReader

    joined = assemble(
        [Part(blank_pdf(1)), Part(blank_pdf(2, 842, 595), "Bilaga 2 – Liggande")], draft=True
    )
    reader = PdfReader(io.BytesIO(joined))
    main, *appendix = reader.pages
    assert b"/Watermark" not in contents(main)  # the contract has Word's watermark already
    for page in appendix:
        stream = contents(page)
        assert b"/Artifact" in stream  # marked as an artifact, not content, for tagged PDF
        assert b"/Subtype /Watermark" in stream
        assert b"\nS\n" in stream  # stroked lines and curves, not text
        assert b"Tj" not in stream
        assert "/Font" not in page["/Resources"]
    final = PdfReader(
        io.BytesIO(assemble([Part(blank_pdf(1)), Part(blank_pdf(1), "B")], draft=False))
    )
    assert all(b"/Watermark" not in contents(page) for page in final.pages)


def test_attaching_again_replaces_the_agreement_rather_than_adding_a_second(
    make_agreement: Callable[..., Agreement],
) -> None:
    from pypdf import PdfReader

    agreement = make_agreement()
    twice = attach_agreement(attach_agreement(blank_pdf(1), agreement), agreement)
    reader = PdfReader(io.BytesIO(twice))
    (attachment,) = list(reader.attachment_list)
    assert attachment.name == AGREEMENT_ATTACHMENT
    assert attachment.associated_file_relationship == "/Source"
    assert len(reader.root_object["/AF"]) == 1
    assert parse_agreement(attachment.content.decode("utf-8")) == agreement
