"""A .docx from outside (a document to verify or extract, a template to lint or render with)
is bounded before any part is parsed: the sizes its files unpack to, their compression ratio,
their number, and no DTD in any XML part. Broken XML is a clear error, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from iopdocs.word.package import MAX_MEMBER_SIZE
from tests.hostile.conftest import docx_with_text, iopdocs, refused, replace_part

BOMB_SIZE = 100 * 1024 * 1024  # unpacked; about 100 KB on disk


def zip_bomb(docx: bytes, target: Path) -> Path:
    """``docx`` with ``word/document.xml`` grown, streaming, to ``BOMB_SIZE`` of XML."""
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(docx)) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                continue
            out.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>')
            chunk = b"<w:p/>" * (1024 * 1024 // 6)
            written = 0
            while written < BOMB_SIZE:
                part.write(chunk)
                written += len(chunk)
            part.write(b"</w:body></w:document>")
    return target


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory, contract_docx: bytes) -> Path:
    """The flagship contract as a zip bomb: its document.xml unpacks to 100 MB."""
    return zip_bomb(contract_docx, tmp_path_factory.mktemp("bomb") / "bomb.docx")


def test_a_zip_bomb_is_refused_by_verify_and_extract(bomb: Path) -> None:
    """A 3 MB .docx unpacking to 1 GB used to drive verify past 12 GB of memory."""
    assert bomb.stat().st_size < 5 * 1024 * 1024
    for command in ("verify", "extract"):
        refused(iopdocs(command, bomb), "word/document.xml", f"{MAX_MEMBER_SIZE // 2**20} MiB")


def test_a_zip_bomb_template_is_refused_by_lint_and_render(
    bomb: Path, agreement_file: Path
) -> None:
    refused(iopdocs("templates", "lint", bomb), "word/document.xml")
    out = agreement_file.parent / "avtal.docx"
    refused(iopdocs("render", agreement_file, "--template", bomb, "-o", out), "word/document.xml")
    assert not out.exists()


def test_a_highly_compressed_part_is_refused_by_its_ratio(
    tmp_path: Path, contract_docx: bytes
) -> None:
    """Under the size limit, but packed more than any real XML packs."""
    filler = b"<!-- " + b" " * (20 * 1024 * 1024) + b" -->"
    document = tmp_path / "ratio.docx"
    document.write_bytes(replace_part(contract_docx, "customXml/filler.xml", filler))
    refused(iopdocs("verify", document), "compressed more than")


ENTITY_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)


def test_a_dtd_entity_bomb_template_is_refused(agreement_file: Path) -> None:
    """``templates lint`` promised exit 2 and gave a traceback; render likewise."""
    template = agreement_file.parent / "lol.docx"
    template.write_bytes(replace_part(docx_with_text("x"), "word/document.xml", ENTITY_BOMB))
    refused(iopdocs("templates", "lint", template), "<!DOCTYPE>")
    out = agreement_file.parent / "avtal.docx"
    refused(iopdocs("render", agreement_file, "--template", template, "-o", out), "<!DOCTYPE>")
    assert not out.exists()


def test_a_dtd_hidden_behind_comments_is_refused(tmp_path: Path, contract_docx: bytes) -> None:
    """A comment holding an element-like ``<a>`` does not end the prolog early."""
    xml = b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'
    document = tmp_path / "dtd.docx"
    document.write_bytes(replace_part(contract_docx, "docProps/app.xml", xml))
    refused(iopdocs("verify", document), "<!DOCTYPE>")


@pytest.mark.parametrize("xml", [b"<w:document><w:body><w:p>", b"\x00\xff not xml", b""])
def test_a_template_with_broken_xml_is_a_clear_error(agreement_file: Path, xml: bytes) -> None:
    template = agreement_file.parent / "trasig.docx"
    template.write_bytes(replace_part(docx_with_text("x"), "word/document.xml", xml))
    lint = iopdocs("templates", "lint", template)
    assert lint.status in (1, 2), lint.text
    out = agreement_file.parent / "avtal.docx"
    refused(iopdocs("render", agreement_file, "--template", template, "-o", out))
    assert not out.exists()


def test_a_document_that_is_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    refused(iopdocs("verify", fake), "not a Word document")
