"""The draft stamp is appended to a PDF, not a rewrite of it: the converted document stays byte
for byte as LibreOffice wrote it, and every page gains UTKAST as a watermark artifact."""

from __future__ import annotations

import logging
import re
from io import BytesIO

import pytest
from pypdf import PdfReader, PdfWriter

from iopdocs.pdf.package import Part, assemble, stamp_appended

STAMP = re.compile(rb"/Artifact\s*<<\s*/Type\s*/Pagination\s*/Subtype\s*/Watermark\s*>>\s*BDC")


def blank_pdf(pages: int, *, offset: bool = False) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        if offset:  # a crop box that does not start at the origin
            page.cropbox.lower_left = (20, 30)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def drawn(pdf: bytes) -> list[bytes]:
    """The content of each page, all its streams joined."""
    reader = PdfReader(BytesIO(pdf))
    found = []
    for page in reader.pages:
        contents = page.get_contents()
        found.append(contents.get_data() if contents is not None else b"")
    return found


def test_every_page_is_stamped_and_the_original_bytes_are_kept() -> None:
    original = blank_pdf(3)
    stamped = stamp_appended(original)
    assert stamped is not None
    assert stamped.startswith(original)  # an incremental update: nothing before it is touched
    pages = drawn(stamped)
    assert len(pages) == 3
    for content in pages:
        assert STAMP.search(content)
        assert content.startswith(b"q")  # the page's own drawing is bracketed first
    reader = PdfReader(BytesIO(stamped))
    assert "/GSUtkast" in reader.pages[0]["/Resources"]["/ExtGState"]


def test_the_stamp_sits_in_the_crop_box() -> None:
    stamped = stamp_appended(blank_pdf(1, offset=True))
    assert stamped is not None
    # centred on the crop box: 20 + 575 / 2 across, 30 + 812 / 2 up
    assert b"1 0 0 1 307.50 436.00 cm" in drawn(stamped)[0]


def test_a_draft_of_one_part_is_stamped_by_appending_and_a_final_one_is_left_alone() -> None:
    original = blank_pdf(2)
    draft = assemble([Part(original)], draft=True, stamp_from=0)
    assert draft.startswith(original)
    assert all(STAMP.search(content) for content in drawn(draft))
    assert assemble([Part(original)], draft=False, stamp_from=0) == original


def test_a_file_that_cannot_take_an_update_is_not_stamped_here() -> None:
    """Cross-reference streams (or encryption): ``None``, and ``assemble`` rewrites instead."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("", "owner")
    out = BytesIO()
    writer.write(out)
    assert stamp_appended(out.getvalue()) is None


def test_an_appended_update_reads_cleanly_in_a_strict_reader(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The update's cross-reference section opens with object 0, as a full save's does, so a
    strict reader takes it as it is: no "not zero-indexed" warning, every page's objects found."""
    original = blank_pdf(2)
    stamped = stamp_appended(original)
    assert stamped is not None
    section = stamped[stamped.rindex(b"\nxref\n") + 1 :]
    assert section.startswith(b"xref\n0 1\n0000000000 65535 f\r\n")
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        reader = PdfReader(BytesIO(stamped), strict=True)
        assert all(page.get_contents() is not None for page in reader.pages)
    assert caplog.records == []
