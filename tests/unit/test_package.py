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


def test_attaching_appends_to_the_pdf_and_leaves_its_bytes_as_they_were(
    make_agreement: Callable[..., Agreement],
) -> None:
    """An incremental update: the document LibreOffice wrote is not parsed and written again."""
    from pypdf import PdfReader

    original = blank_pdf(2)
    attached = attach_agreement(original, make_agreement())
    assert attached.startswith(original)
    update = attached[len(original) :]
    assert update.count(b"/Type /Catalog") == 1  # the new catalog, beside the new objects only
    assert b"/Type /Page\n" not in update
    assert b"/Prev " in update  # linked to the original's cross-reference table
    assert len(PdfReader(io.BytesIO(attached)).pages) == 2


def test_the_update_keeps_the_document_information_and_permanent_identifier(
    make_agreement: Callable[..., Agreement],
) -> None:
    """PDF/A needs the information dictionary to agree with the XMP metadata: both stay."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Avtal"})
    out = io.BytesIO()
    writer.write(out)
    once = attach_agreement(out.getvalue(), make_agreement())  # gives it the /ID PDF/A needs
    before = PdfReader(io.BytesIO(once))
    after = PdfReader(io.BytesIO(attach_agreement(once, make_agreement())))
    assert after.metadata == before.metadata
    assert after.trailer["/ID"][0] == before.trailer["/ID"][0]
    assert after.trailer["/ID"][1] != before.trailer["/ID"][1]  # an updated file


def test_the_attachment_is_a_pdfa3_associated_file_with_its_mime_type_and_date(
    make_agreement: Callable[..., Agreement],
) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(attach_agreement(blank_pdf(1), make_agreement())))
    (spec,) = (ref.get_object() for ref in reader.root_object["/AF"])
    assert spec["/AFRelationship"] == "/Source"
    assert spec["/F"] == spec["/UF"] == AGREEMENT_ATTACHMENT
    stream = spec["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/application/json"  # written /application#2Fjson
    assert stream["/Params"]["/ModDate"].startswith("D:")
    assert stream["/Params"]["/Size"] == len(stream.get_data())


def test_other_attachments_are_kept_when_the_agreement_is_attached(
    make_agreement: Callable[..., Agreement],
) -> None:
    from pypdf import PdfReader

    from iopdocs.pdf.package import attach

    with_other = attach(blank_pdf(1), "budget.csv", b"a;b\n", "Budget", mime="text/csv")
    both = attach_agreement(with_other, make_agreement())

    reader = PdfReader(io.BytesIO(both))
    assert sorted(a.name for a in reader.attachment_list) == sorted(
        [AGREEMENT_ATTACHMENT, "budget.csv"]
    )
    assert len(reader.root_object["/AF"]) == 2


def test_a_pdf_with_cross_reference_streams_is_rewritten_whole_instead(
    make_agreement: Callable[..., Agreement],
) -> None:
    from pypdf import PdfReader, PdfWriter

    # pypdf's own incremental writer ends a file with a cross-reference stream.
    writer = PdfWriter(PdfReader(io.BytesIO(blank_pdf(1))), incremental=True)
    writer.add_metadata({"/Title": "Avtal"})
    out = io.BytesIO()
    writer.write(out)
    assert b"/XRef" in out.getvalue()
    attached = attach_agreement(out.getvalue(), make_agreement())
    reader = PdfReader(io.BytesIO(attached))
    assert [a.name for a in reader.attachment_list] == [AGREEMENT_ATTACHMENT]
