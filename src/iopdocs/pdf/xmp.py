"""The PDF/UA identification in a PDF/A file's XMP metadata, made valid for PDF/A.

LibreOffice (7.4) writes ``pdfuaid:part`` into the XMP of a PDF/A file exported with
``PDFUACompliance``, but not the PDF/A extension schema that PDF/A requires for any property
outside its predefined schemas (ISO 19005-1 6.7.8, -2/-3 6.6.2.3); a PDF/A validator then refuses
the metadata ("cannot find a definition for the namespace http://www.aiim.org/pdfua/ns/id/").

The fix is made in place: LibreOffice leaves a few kilobytes of padding whitespace at the end of
the XMP packet for exactly such edits, so the extension schema takes the place of some of that
padding and every byte offset of the file stays as it was. Nothing else of the file is parsed or
rewritten. ``without_pdfua_claim`` does the opposite, for a package that cannot honestly claim
PDF/UA (pages without tags).
"""

from __future__ import annotations

import re

__all__ = ["PDFUA_NAMESPACE", "claims_pdfua", "declare_pdfua_schema", "without_pdfua_claim"]

PDFUA_NAMESPACE = b"http://www.aiim.org/pdfua/ns/id/"

_EXTENSION = (
    b'<rdf:Description rdf:about="" '
    b'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    b'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    b'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    b'<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    b"<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    b"<pdfaSchema:namespaceURI>" + PDFUA_NAMESPACE + b"</pdfaSchema:namespaceURI>"
    b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    b'<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    b"<pdfaProperty:name>part</pdfaProperty:name>"
    b"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    b"<pdfaProperty:category>internal</pdfaProperty:category>"
    b"<pdfaProperty:description>Part of ISO 14289 (PDF/UA) the file conforms to"
    b"</pdfaProperty:description>"
    b"</rdf:li></rdf:Seq></pdfaSchema:property>"
    b"</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\n"
)
_PACKET_END = re.compile(rb"</rdf:RDF>\s*</x:xmpmeta>(?P<padding>\s*)<\?xpacket end=")
_PDFUA_DESCRIPTION = re.compile(
    rb"<rdf:Description[^>]*xmlns:pdfuaid=\"" + re.escape(PDFUA_NAMESPACE) + rb"\"[^>]*>"
    rb".*?</rdf:Description>\s*",
    re.DOTALL,
)


def claims_pdfua(pdf: bytes) -> bool:
    """Whether the last XMP packet of ``pdf`` claims PDF/UA (``pdfuaid:part``)."""
    packet = _last_packet(pdf)
    return packet is not None and b"pdfuaid:part" in pdf[packet[0] : packet[1]]


def declare_pdfua_schema(pdf: bytes) -> bytes:
    """``pdf`` with the PDF/A extension schema for ``pdfuaid`` in its XMP, same length.

    Unchanged when the XMP claims no PDF/UA, already declares the schema, or has too little
    padding (then the file is left as LibreOffice wrote it).
    """
    packet = _last_packet(pdf)
    if packet is None:
        return pdf
    start, end = packet
    xmp = pdf[start:end]
    if b"pdfuaid:part" not in xmp or b"pdfaExtension:schemas" in xmp:
        return pdf
    found = _PACKET_END.search(xmp)
    if found is None or len(found.group("padding")) < len(_EXTENSION) + 2:
        return pdf
    cut = found.start()
    padding = found.group("padding")
    rest = xmp[cut : found.start("padding")]
    changed = (
        xmp[:cut] + _EXTENSION + rest + padding[len(_EXTENSION) :] + xmp[found.end("padding") :]
    )
    assert len(changed) == len(xmp)
    return pdf[:start] + changed + pdf[end:]


def without_pdfua_claim(xmp: bytes) -> bytes:
    """An XMP packet without its PDF/UA identification (and the schema declared for it), the
    removed bytes given back as padding so the packet keeps its length."""
    changed = _PDFUA_DESCRIPTION.sub(b"", xmp)
    extension = _EXTENSION.rstrip(b"\n")
    changed = changed.replace(extension + b"\n", b"").replace(extension, b"")
    found = _PACKET_END.search(changed)
    if found is None:
        return changed
    missing = len(xmp) - len(changed)
    at = found.start("padding")
    return changed[:at] + b" " * missing + changed[at:]


def _last_packet(pdf: bytes) -> tuple[int, int] | None:
    """Where the last XMP packet of ``pdf`` lies (LibreOffice writes one, uncompressed)."""
    start = pdf.rfind(b"<?xpacket begin=")
    if start < 0:
        return None
    end = pdf.find(b"<?xpacket end=", start)
    if end < 0:
        return None
    close = pdf.find(b"?>", end)
    return (start, close + 2) if close >= 0 else None
