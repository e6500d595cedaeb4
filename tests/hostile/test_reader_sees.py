"""``verify`` answers for what a reader sees, not for what the XML's words say: a .docx that
shows (or hides) text through constructs iopdocs never writes cannot be verified (exit 2),
whatever its words are; one iopdocs wrote verifies unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iopdocs.provenance import verify
from tests.hostile.conftest import iopdocs, replace_part

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
NOTICE_RUN = rb"<w:r>(<w:rPr>.*?</w:rPr>)?(<w:t[^>]*>[^<]*upps\xc3\xa4gningstid[^<]*</w:t>)</w:r>"


def _document(docx: bytes) -> bytes:
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(docx)) as package:
        return package.read("word/document.xml")


def _styles(docx: bytes) -> bytes:
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(docx)) as package:
        return package.read("word/styles.xml")


def _notice_run(xml: bytes) -> re.Match[bytes]:
    """The run that states the notice period (uppsägningstid), the paragraph an attacker hides."""
    found = re.search(
        rb"<w:r>(<w:rPr>.*?</w:rPr>)?(<w:t[^>]*>[^<]*upps\xc3\xa4gningstid[^<]*</w:t>)</w:r>", xml
    )
    assert found is not None
    return found


def _hidden(xml: bytes) -> bytes:
    run = _notice_run(xml)
    return (
        xml[: run.start()]
        + b"<w:r><w:rPr><w:vanish/></w:rPr>"
        + run.group(2)
        + b"</w:r>"
        + xml[run.end() :]
    )


def _alternate(xml: bytes) -> bytes:
    """The notice text kept in mc:Choice, another text in the mc:Fallback LibreOffice shows."""
    run = _notice_run(xml)
    box = (
        f'<w:r><mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="wps">'.encode()
        + run.group(2)
        + b"</mc:Choice><mc:Fallback><w:t>Avtalet kan inte s\xc3\xa4gas upp.</w:t></mc:Fallback>"
        b"</mc:AlternateContent></w:r>"
    )
    return xml[: run.start()] + box + xml[run.end() :]


def _alt_chunk(xml: bytes) -> bytes:
    return xml.replace(
        b"</w:body>",
        b'<w:altChunk r:id="rId999" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></w:body>',
    )


def _field(xml: bytes) -> bytes:
    run = _notice_run(xml)
    field = (
        b'<w:fldSimple w:instr=" DOCPROPERTY Notice "><w:r>'
        + run.group(2)
        + b"</w:r></w:fldSimple>"
    )
    return xml[: run.start()] + field + xml[run.end() :]


def _white(xml: bytes) -> bytes:
    return xml.replace(
        b"</w:body>",
        b'<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
        b"<w:t>Kommunen betalar 10 000 000 kr.</w:t></w:r></w:p></w:body>",
    )


EDITS = {
    "w:vanish on the notice paragraph": ("word/document.xml", _document, _hidden, "hidden text"),
    "Choice and Fallback differ": ("word/document.xml", _document, _alternate, "alternate content"),
    "w:altChunk": ("word/document.xml", _document, _alt_chunk, "w:altChunk"),
    "a field that computes the text": ("word/document.xml", _document, _field, "DOCPROPERTY"),
    "white text": ("word/document.xml", _document, _white, "white text"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_construct_iopdocs_never_writes_cannot_be_verified(
    tmp_path: Path, contract_docx: bytes, edit: str
) -> None:
    part, read, change, named = EDITS[edit]
    document = tmp_path / "avtal.docx"
    document.write_bytes(replace_part(contract_docx, part, change(read(contract_docx))))
    outcome = iopdocs("verify", document)
    assert outcome.status == 2, outcome.text
    assert "cannot verify" in outcome.out
    assert named in outcome.out


def test_hiding_through_a_style_cannot_be_verified(contract_docx: bytes) -> None:
    """``w:vanish`` in the paragraph style the body uses hides every paragraph of that style."""
    styles = _styles(contract_docx)
    hidden = re.sub(
        rb'(<w:style [^>]*w:styleId="Normal"[^>]*>)',
        rb"\1<w:rPr><w:vanish/></w:rPr>",
        styles,
        count=1,
    )
    assert hidden != styles
    result = verify(replace_part(contract_docx, "word/styles.xml", hidden))
    assert not result.unchanged
    assert any("hidden text" in what for what in result.unverifiable)


def test_what_iopdocs_writes_verifies_unchanged(contract_docx: bytes) -> None:
    """The census of a fresh document equals its re-rendering's: nothing is unverifiable."""
    result = verify(contract_docx)
    assert result.unverifiable == []
    assert result.unchanged


def test_a_text_box_whose_alternatives_agree_is_accepted(contract_docx: bytes) -> None:
    """Word writes every text box twice; when both show the same text it is read once and the
    document is only as changed as its words are."""
    xml = _document(contract_docx)
    run = _notice_run(xml)
    box = (
        f'<w:r><mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="wps">'.encode()
        + run.group(2)
        + b"</mc:Choice><mc:Fallback>"
        + run.group(2)
        + b"</mc:Fallback></mc:AlternateContent></w:r>"
    )
    edited = replace_part(
        contract_docx, "word/document.xml", xml[: run.start()] + box + xml[run.end() :]
    )
    result = verify(edited)
    assert not any("alternate content whose" in what for what in result.unverifiable)
