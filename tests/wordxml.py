"""Templates written the way Word writes them: tags split over runs, spelling marks, revisions.

python-docx's ``add_paragraph`` writes each text as one clean run; a template saved by Word
rarely looks like that. These helpers build the messy XML directly.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

REVISION_DATE = "2026-03-02T10:15:00Z"


def run(text: str, rsid: str = "00A41C2E", *, bold: bool = False) -> str:
    """One run, with the rsid and language marks Word adds."""
    props = "<w:b/>" if bold else ""
    return (
        f'<w:r w:rsidR="{rsid}" w:rsidRPr="{rsid}"><w:rPr>{props}<w:lang w:val="sv-SE"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    )


def runs(*texts: str) -> str:
    """Several runs, with spell-check marks around the middle ones, as Word splits a tag."""
    out = run(texts[0])
    for index, text in enumerate(texts[1:], start=1):
        mark = "spellStart" if index % 2 else "spellEnd"
        out += f'<w:proofErr w:type="{mark}"/>' + run(text, rsid=f"00B{index:05d}")
    return out


def inserted(text: str, author: str = "Anna Svensson") -> str:
    """A tracked insertion of ``text``."""
    return f'<w:ins w:id="7" w:author="{author}" w:date="{REVISION_DATE}">{run(text)}</w:ins>'


def deleted(text: str, author: str = "Anna Svensson") -> str:
    """A tracked deletion of ``text``."""
    return (
        f'<w:del w:id="8" w:author="{author}" w:date="{REVISION_DATE}"><w:r>'
        f'<w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def para(*content: str, style: str | None = None) -> str:
    """A paragraph of run XML (or plain text, which becomes one run)."""
    inner = "".join(c if c.startswith("<") else run(c) for c in content)
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p w:rsidR="00A41C2E" w:rsidRDefault="00C7D210">{props}{inner}</w:p>'


def table(*rows: tuple[str, ...]) -> str:
    """A table; each row is a tuple of cell texts (a lone text makes a one-cell row)."""
    width = max(len(r) for r in rows)
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(width))
    body = ""
    for row in rows:
        cells = ""
        for text in row:
            span = f'<w:gridSpan w:val="{width}"/>' if len(row) == 1 and width > 1 else ""
            props = f'<w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{span}</w:tcPr>'
            cells += f"<w:tc>{props}{para(text)}</w:tc>"
        body += f"<w:tr>{cells}</w:tr>"
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


def word_template(
    *blocks: str,
    header: str | None = None,
    comment: tuple[str, str] | None = None,
) -> bytes:
    """A .docx whose body holds ``blocks`` (paragraph and table XML) in order.

    ``header`` is the text of a page header; ``comment`` is (text of the paragraph to comment
    on, the comment) and is added as Word does: a comments part and anchors in the paragraph.
    """
    doc = Document()
    body = doc.element.body
    section = body[-1]
    for block in blocks:
        xml = re.sub(r"^<w:(\w+)", rf"<w:\1 {nsdecls('w')}", block)
        section.addprevious(parse_xml(xml))
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    if comment is not None:
        target, said = comment
        paragraph = next(p for p in doc.paragraphs if target in p.text)
        doc.add_comment(paragraph.runs, text=said, author="Anna Svensson", initials="AS")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
