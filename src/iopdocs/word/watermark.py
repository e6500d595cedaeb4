"""The draft watermark of a Word document: "UTKAST" across every page.

Word's own watermark is a VML WordArt shape (``PowerPlusWaterMarkObject``) anchored in the page
header, so it repeats on every page that header serves; Word shows it under the text, and
LibreOffice imports it as the same diagonal text (and draws it in its PDFs). Every header part of
the document gets one, so first-page and even-page headers are covered too; a document without
any header gets one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iopdocs.word.package import Parts

__all__ = [
    "DRAFT_WATERMARK",
    "add_draft_watermark",
    "has_draft_watermark",
    "without_draft_watermark",
]

DRAFT_WATERMARK = "UTKAST"
"""The word that marks a draft (utkast) on every page."""

_SHAPE_ID = "PowerPlusWaterMarkObject"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEADER_TYPE = _R + "/header"
_HEADER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_NAMESPACES = {
    "w": _W,
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "r": _R,
}


def _watermark_run(number: int) -> str:
    # The shape type is Word's "text plain" WordArt (type 136); the geometry formulas are what
    # Word writes for a watermark, and LibreOffice needs them to lay the text along the path.
    return (
        f'<w:r xmlns:w="{_W}" xmlns:v="{_NAMESPACES["v"]}" xmlns:o="{_NAMESPACES["o"]}" '
        f'xmlns:w10="{_NAMESPACES["w10"]}"><w:rPr><w:noProof/></w:rPr><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
        '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
        '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
        '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
        '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
        '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
        '<v:path textpathok="t" o:connecttype="custom" '
        'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
        'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        f'<v:shape id="{_SHAPE_ID}{number}" o:spid="_x0000_s{2049 + number}" '
        'type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;'
        "width:415pt;height:138pt;rotation:315;z-index:-251657216;"
        "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" '
        'o:allowincell="f" fillcolor="#c00000" stroked="f">'
        '<v:fill opacity=".25"/>'
        f'<v:textpath style="font-family:&quot;Calibri&quot;;font-size:1pt" '
        f'string="{DRAFT_WATERMARK}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )


def add_draft_watermark(docx: bytes, timestamp: dt.date | None = None) -> bytes:
    """``docx`` with the UTKAST watermark in every page header, its zip entries dated
    ``timestamp`` (by default the date they had); only the headers are compressed anew."""
    from iopdocs.word.package import Parts

    parts = Parts(docx)
    add_draft_watermark_parts(parts)
    return parts.to_bytes(timestamp)


def add_draft_watermark_parts(parts: Parts) -> None:
    """``add_draft_watermark`` on a package's parts, before they are written."""

    names = parts.names
    headers = sorted(n for n in names if re.fullmatch(r"word/header\d*\.xml", n))
    if not headers:
        headers = [_add_header(parts)]
    for number, name in enumerate(headers, start=1):
        parts[name] = _watermarked(parts[name], number)


# A pure function of the header's bytes: the header of one template's drafts (its footer line,
# often its title) recurs from one draft to the next, so the result is remembered (bounded).
@functools.lru_cache(maxsize=64)
def _watermarked(header: bytes, number: int) -> bytes:
    """``header`` with the watermark run first in its first paragraph (one made if it has
    none), as the ``number``-th header of its document."""
    from lxml import etree

    root = etree.fromstring(header)
    paragraph = root.find(f"{{{_W}}}p")
    if paragraph is None:
        paragraph = etree.SubElement(root, f"{{{_W}}}p")
    properties = paragraph.find(f"{{{_W}}}pPr")
    run = etree.fromstring(_watermark_run(number))
    paragraph.insert(0 if properties is None else 1, run)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def without_draft_watermark(docx: bytes) -> bytes:
    """``docx`` without the watermark ``add_draft_watermark`` put in its headers (the same bytes
    when it has none).

    For a PDF: LibreOffice exports the WordArt as a figure of the page's content, which a screen
    reader would announce on every page; the PDF gets the stamp drawn as a page artifact instead
    (``iopdocs.pdf.package.stamp_pages``).
    """
    if not has_draft_watermark(docx):
        return docx
    from lxml import etree

    from iopdocs.word.package import Parts

    parts = Parts(docx)
    for name in parts.names:
        if not re.fullmatch(r"word/header\d*\.xml", name) or _SHAPE_ID.encode() not in parts[name]:
            continue
        root = etree.fromstring(parts[name])
        for shape in root.iterfind(".//v:shape", _NAMESPACES):
            if (shape.get("id") or "").startswith(_SHAPE_ID):
                run = next(shape.iterancestors(f"{{{_W}}}r"))
                run.getparent().remove(run)
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return parts.to_bytes()


def has_draft_watermark(docx: bytes) -> bool:
    """Whether ``docx`` carries the draft watermark in a page header."""
    with zipfile.ZipFile(BytesIO(docx)) as source:
        return any(
            _SHAPE_ID.encode() in source.read(name)
            for name in source.namelist()
            if re.fullmatch(r"word/header\d*\.xml", name)
        )


def _add_header(parts: Parts) -> str:
    """Give a document without headers one empty default header on every section."""
    from lxml import etree

    name = "word/header1.xml"
    parts[name] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{_W}" '
        f'xmlns:r="{_R}"><w:p/></w:hdr>'
    ).encode()
    rels_name = "word/_rels/document.xml.rels"
    rels = etree.fromstring(parts[rels_name])
    taken = {rel.get("Id") for rel in rels}
    rel_id = next(
        f"rIdWatermark{i}" for i in range(1, len(taken) + 2) if f"rIdWatermark{i}" not in taken
    )
    rel = etree.SubElement(rels, rels[0].tag if len(rels) else "Relationship")
    rel.set("Id", rel_id)
    rel.set("Type", _HEADER_TYPE)
    rel.set("Target", "header1.xml")
    parts[rels_name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    override = etree.SubElement(types, f"{{{types.nsmap[None]}}}Override")
    override.set("PartName", "/word/header1.xml")
    override.set("ContentType", _HEADER_CONTENT)
    parts["[Content_Types].xml"] = etree.tostring(
        types, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    document = etree.fromstring(parts["word/document.xml"])
    for section in document.iter(f"{{{_W}}}sectPr"):
        reference = etree.Element(f"{{{_W}}}headerReference")
        reference.set(f"{{{_W}}}type", "default")
        reference.set(f"{{{_R}}}id", rel_id)
        section.insert(0, reference)
    parts["word/document.xml"] = etree.tostring(
        document, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    return name
