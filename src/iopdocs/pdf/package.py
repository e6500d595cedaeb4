"""Putting a signing package together with pypdf: appendices, bookmarks, the draft stamp and the
agreement attached as data.

A contract without appendices is finished by appending to the PDF LibreOffice wrote (an
incremental update, ``iopdocs.pdf.increment``): ``attach`` adds the file and a new catalog, and the
thousands of objects of the tagged document are neither parsed nor written again. Appendices are
pages of other documents, so a package with them is written whole (``assemble``).

The seams for later work: ``open_pdf`` (reading a PDF, where hostile input is to be refused),
``attach`` (an associated file as an update), ``stamp_pages`` (the draft stamp on pages of a
writer), ``assemble`` (joining documents).

LibreOffice writes the PDF/A parts (XMP metadata, output intent, tagging, fonts); this module only
adds what keeps them valid: pages of other PDFs, outline entries, a vector-drawn stamp (no font,
so nothing to embed) and, on PDF/A-3, an associated file. It never touches the XMP metadata or the
document information, so the two stay as LibreOffice made them, in agreement.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, IndirectObject, PdfObject, StreamObject

__all__ = [
    "Part",
    "appendix_page_label",
    "assemble",
    "attach",
    "label_pages",
    "open_pdf",
    "pdfa_part",
    "stamp_appended",
    "stamp_pages",
]

# "UTKAST" as strokes in a 0.6 × 1 cell per letter: drawn with lines and curves, so the stamp
# needs no font (PDF/A requires every font used for visible text to be embedded).
_LETTERS = {
    "U": "0 1 m 0 0.32 l 0 -0.06 0.6 -0.06 0.6 0.32 c 0.6 1 l",
    "T": "0 1 m 0.6 1 l 0.3 1 m 0.3 0 l",
    "K": "0 1 m 0 0 l 0.6 1 m 0 0.38 l 0.17 0.56 m 0.62 0 l",
    "A": "0 0 m 0.3 1 l 0.6 0 l 0.1 0.33 m 0.5 0.33 l",
    "S": "0.58 0.84 m 0.47 1.04 0.03 1.03 0.03 0.75 c 0.03 0.5 0.58 0.53 0.58 0.26 c "
    "0.58 -0.04 0.1 -0.04 0 0.16 c",
}
_ADVANCE = 0.92
_LETTER_WIDTH = 0.6


@dataclass(frozen=True)
class Part:
    """One document of the package: its PDF bytes and, for an appendix, its bookmark title."""

    pdf: bytes
    bookmark: str | None = None


def pdfa_part(reader: PdfReader) -> int | None:
    """The PDF/A part (1, 2 or 3) a PDF claims in its XMP metadata, or ``None``."""
    metadata = reader.root_object.get("/Metadata")
    if metadata is None:
        return None
    xmp = metadata.get_object().get_data().decode("utf-8", "replace")
    found = re.search(r"pdfaid:part(?:>|=\")\s*(\d)", xmp)
    return int(found.group(1)) if found else None


def open_pdf(data: bytes, *, strict: bool = False) -> PdfReader:
    """A reader of ``data``; objects are parsed only as they are looked at.

    ``strict`` refuses any flaw, and so skips pypdf's repair pass, which visits every object's
    offset (about 35 ms on the flagship contract): for a PDF LibreOffice has just written.
    """
    from pypdf import PdfReader

    return PdfReader(BytesIO(data), strict=strict)


def attach(
    pdf: bytes,
    name: str,
    data: bytes,
    description: str,
    *,
    mime: str = "application/json",
) -> bytes:
    """``pdf`` with ``data`` attached as its source (a PDF/A-3 associated file: ``/AFRelationship
    /Source``, listed in the catalog's ``/AF``), as an incremental update.

    A file of the same ``name`` already attached is replaced, never duplicated. A PDF that
    cannot take an incremental update written here (cross-reference streams, encryption) is
    rewritten whole.
    """
    from pypdf.errors import PyPdfError

    try:  # read strictly first: fast on a sound file, and anything else is read leniently
        return _attach_to(pdf, open_pdf(pdf, strict=True), name, data, description, mime)
    except PyPdfError:
        return _attach_to(pdf, open_pdf(pdf), name, data, description, mime)


def _attach_to(
    pdf: bytes, reader: PdfReader, name: str, data: bytes, description: str, mime: str
) -> bytes:
    from iopdocs.pdf.increment import Increment, is_appendable

    if not is_appendable(pdf, reader):
        from pypdf import PdfWriter

        writer = PdfWriter(clone_from=reader)
        writer.pdf_header = reader.pdf_header
        _attach(writer, name, data, description, mime)
        out = BytesIO()
        writer.write(out)
        return out.getvalue()

    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    update = Increment(pdf, reader)
    spec = update.add(_file_spec(update.add(_embedded_file(data, mime)), name, description))
    catalog = DictionaryObject(reader.root_object)  # a shallow copy: only its entries change
    old_names = catalog.get("/Names")
    names = (
        DictionaryObject(old_names.get_object()) if old_names is not None else DictionaryObject()
    )
    entries = _name_tree_entries(names.get("/EmbeddedFiles"))
    replaced = {_number(value) for key, value in entries if key == name}
    entries = [(key, value) for key, value in entries if key != name] + [(name, spec)]
    names[NameObject("/EmbeddedFiles")] = update.add(_name_tree(entries))
    catalog[NameObject("/Names")] = update.add(names)
    associated = catalog.get("/AF")
    kept = [
        ref
        for ref in (associated.get_object() if associated is not None else [])
        if _number(ref) not in replaced
    ]
    catalog[NameObject("/AF")] = ArrayObject([*kept, spec])
    update.replace(reader.trailer.raw_get("/Root"), catalog)
    return update.write()


def _number(value: object) -> int | None:
    """The object number of an indirect reference (``None`` for a direct object)."""
    from pypdf.generic import IndirectObject

    return value.idnum if isinstance(value, IndirectObject) else None


def _embedded_file(data: bytes, mime: str) -> StreamObject:
    """The embedded file stream: compressed, with its MIME type and the /Params PDF/A-3 asks
    for (modification date, size, checksum)."""
    import hashlib

    from pypdf.generic import (
        ByteStringObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    now = dt.datetime.now(dt.UTC)
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream.update(
        {
            NameObject("/Type"): NameObject("/EmbeddedFile"),
            NameObject("/Subtype"): NameObject("/" + mime),
            NameObject("/Params"): DictionaryObject(
                {
                    NameObject("/ModDate"): TextStringObject(f"D:{now:%Y%m%d%H%M%S}+00'00'"),
                    NameObject("/Size"): NumberObject(len(data)),
                    NameObject("/CheckSum"): ByteStringObject(
                        hashlib.md5(data, usedforsecurity=False).digest()
                    ),
                }
            ),
        }
    )
    return stream.flate_encode()


def _file_spec(file: IndirectObject, name: str, description: str) -> DictionaryObject:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(name),
            NameObject("/UF"): TextStringObject(name),
            NameObject("/Desc"): TextStringObject(description),
            NameObject("/AFRelationship"): NameObject("/Source"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): file, NameObject("/UF"): file}),
        }
    )


def _name_tree_entries(tree: object) -> list[tuple[str, PdfObject]]:
    """The (name, value) pairs of a name tree, its kids' included."""
    if tree is None:
        return []
    node = tree.get_object()  # type: ignore[attr-defined]
    pairs: list[tuple[str, PdfObject]] = []
    flat = node.get("/Names")
    if flat is not None:
        flat = flat.get_object()
        pairs += [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat) - 1, 2)]
    for kid in node.get("/Kids", []):
        pairs += _name_tree_entries(kid)
    return pairs


def _name_tree(entries: list[tuple[str, PdfObject]]) -> DictionaryObject:
    """A name tree of one node, its keys sorted as the standard requires."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    ordered = sorted(entries, key=lambda entry: _string_key(entry[0]))
    flat = ArrayObject()
    for key, value in ordered:
        flat += [TextStringObject(key), value]
    return DictionaryObject({NameObject("/Names"): flat})


def _string_key(text: str) -> bytes:
    """How a name tree orders its keys: by the bytes of the PDF string."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return b"\xfe\xff" + text.encode("utf-16-be")


def assemble(
    parts: Sequence[Part],
    *,
    draft: bool,
    stamp_from: int = 1,
    attachment: tuple[str, bytes, str] | None = None,
) -> bytes:
    """One PDF of ``parts`` in order, the first being the main document (kept whole: its
    metadata, output intent, structure and bookmarks).

    Every later part gets a top-level bookmark with its title. With ``draft``, the parts from
    index ``stamp_from`` on get the UTKAST stamp, drawn as a page artifact (a main document
    converted with Word's own watermark carries that instead: ``stamp_from=1``).
    ``attachment`` is ``(name, data, description)``: a JSON file attached as the document's
    source (a PDF/A-3 associated file).
    """

    if len(parts) == 1:
        # nothing to join: append to the document LibreOffice wrote (the stamp too)
        pdf = parts[0].pdf
        if draft and stamp_from == 0:
            stamped = stamp_appended(pdf)
            if stamped is None:
                return _rewritten(parts, draft=draft, attachment=attachment)
            pdf = stamped
        if attachment is None:
            return pdf
        return attach(pdf, *attachment)
    return _rewritten(parts, draft=draft, stamp_from=stamp_from, attachment=attachment)


def _rewritten(
    parts: Sequence[Part],
    *,
    draft: bool,
    stamp_from: int = 0,
    attachment: tuple[str, bytes, str] | None = None,
) -> bytes:
    """``assemble`` by pypdf's clone and full write: for joining parts, or a file that cannot
    take an incremental update."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    main = PdfReader(BytesIO(parts[0].pdf))
    writer = PdfWriter(clone_from=main)
    writer.pdf_header = main.pdf_header
    to_stamp: list[PageObject] = list(writer.pages) if draft and stamp_from == 0 else []
    to_label: list[tuple[PageObject, str]] = []
    main_pages = len(writer.pages)
    tagged = True
    for index, part in enumerate(parts[1:], start=1):
        reader = PdfReader(BytesIO(part.pdf))
        first = len(writer.pages)
        writer.append(reader, outline_item=part.bookmark, import_outline=False)
        appended = writer.pages[first:]
        to_label += [
            (page, appendix_page_label(part.bookmark, number, len(appended)))
            for number, page in enumerate(appended, start=1)
        ]
        for page in appended:
            # The appended pages' structure references point into their own document's
            # structure tree: ``graft`` carries it over and points them anew.
            if NameObject("/StructParents") in page:
                del page[NameObject("/StructParents")]
            if draft and index >= stamp_from:
                to_stamp.append(page)
        tagged = _graft(writer, reader, first, part.bookmark) and tagged
    stamp_pages(to_stamp)
    label_pages(to_label, writer.pages[:main_pages])
    if not tagged:
        _drop_pdfua_claim(writer)
    if attachment is not None:
        _attach(writer, *attachment)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _graft(writer: PdfWriter, reader: PdfReader, first: int, title: str | None) -> bool:
    """Carry a joined document's tags over (``iopdocs.pdf.structure``); whether it could."""
    from iopdocs.pdf.structure import graft, is_tagged

    return is_tagged(reader) and graft(writer, reader, first, title)


def _drop_pdfua_claim(writer: PdfWriter) -> None:
    """Joined pages without tags (a scan, an untagged PDF) leave the package without PDF/UA:
    its XMP loses ``pdfuaid``."""
    from iopdocs.pdf.xmp import without_pdfua_claim

    metadata = writer.root_object.get("/Metadata")
    if metadata is None:
        return
    stream = metadata.get_object()
    stream.set_data(without_pdfua_claim(stream.get_data()))


def stamp_appended(pdf: bytes) -> bytes | None:
    """``pdf`` with the UTKAST stamp over every page, as an incremental update: each page's
    contents gain a stream that draws the stamp (in an /Artifact, so a screen reader skips it)
    and its resources the stamp's translucency, and nothing else of the file is read or written
    again. ``None`` when the file cannot take such an update (see ``is_appendable``) or a page
    inherits its resources; ``stamp_pages`` on a rewritten file does it then.
    """
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    from iopdocs.pdf.increment import Increment, is_appendable

    try:
        reader = open_pdf(pdf, strict=True)
    except PyPdfError:
        return None
    if not is_appendable(pdf, reader):
        return None
    update = Increment(pdf, reader)
    state = update.add(_stamp_state())
    save = DecodedStreamObject()
    save.set_data(b"q\n")
    saved = update.add(save)  # the page's own drawing is bracketed, so the stamp starts afresh
    stamps: dict[tuple[float, float, float, float], IndirectObject] = {}
    for page in reader.pages:
        reference = page.indirect_reference
        if reference is None or "/Resources" not in page:
            return None
        box = page.cropbox
        key = (float(box.left), float(box.bottom), float(box.width), float(box.height))
        if key not in stamps:
            stream = DecodedStreamObject()
            stream.set_data(b"Q\n" + _stamp_content(*key).encode("ascii"))
            stamps[key] = update.add(stream)
        own = page["/Resources"].get_object()
        if not isinstance(own, DictionaryObject):
            return None
        resources = DictionaryObject(own)
        old_states = resources.get("/ExtGState")
        found = old_states.get_object() if old_states is not None else None
        states = (
            DictionaryObject(found) if isinstance(found, DictionaryObject) else DictionaryObject()
        )
        states[NameObject("/GSUtkast")] = state
        resources[NameObject("/ExtGState")] = states
        contents = page.get("/Contents")
        if contents is None:
            old: list[PdfObject] = []
        else:
            drawn = contents.get_object()
            old = list(drawn) if isinstance(drawn, ArrayObject) else [contents]
        changed = DictionaryObject(page)
        changed[NameObject("/Resources")] = update.add(resources)
        changed[NameObject("/Contents")] = ArrayObject([saved, *old, stamps[key]])
        update.replace(reference, changed)
    return update.write()


def stamp_pages(pages: Iterable[PageObject]) -> None:
    """Draw the UTKAST stamp over each of ``pages`` (of a writer), sized to its crop box."""
    cache: dict[tuple[float, float], PageObject] = {}
    for page in pages:
        _stamp(page, cache)


def _stamp(page: PageObject, cache: dict[tuple[float, float], PageObject]) -> None:
    box = page.cropbox
    key = (float(box.width), float(box.height))
    if key not in cache:
        cache[key] = _stamp_page(*key)
    stamp = cache[key]
    left, bottom = float(box.left), float(box.bottom)
    if left or bottom:
        from pypdf import Transformation

        page.merge_transformed_page(stamp, Transformation().translate(left, bottom), over=True)
    else:
        page.merge_page(stamp, over=True)


def _stamp_page(width: float, height: float) -> PageObject:
    """A transparent page of ``width`` × ``height`` with UTKAST drawn diagonally across it."""
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    page = PageObject.create_blank_page(width=width, height=height)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/ExtGState"): DictionaryObject({NameObject("/GSUtkast"): _stamp_state()})}
    )
    stream = DecodedStreamObject()
    stream.set_data(_stamp_content(0, 0, width, height).encode("ascii"))
    page[NameObject("/Contents")] = stream
    return page


def _stamp_state() -> DictionaryObject:
    """The stamp's graphics state: translucent ink."""
    from pypdf.generic import DictionaryObject, FloatObject, NameObject

    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/CA"): FloatObject(0.3),
            NameObject("/ca"): FloatObject(0.3),
        }
    )


def _stamp_content(left: float, bottom: float, width: float, height: float) -> str:
    """The operators that draw UTKAST diagonally across the box at ``left``, ``bottom``, marked
    as a watermark artifact."""
    word = "UTKAST"
    span = _ADVANCE * (len(word) - 1) + _LETTER_WIDTH
    angle = math.atan2(height, width)
    scale = 0.62 * math.hypot(width, height) / span
    cos, sin = math.cos(angle), math.sin(angle)
    # One path stroked once: where strokes cross, the translucent ink is not laid twice.
    letters = " ".join(_shifted(_LETTERS[c], i * _ADVANCE) for i, c in enumerate(word)) + " S"
    return (
        "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q /GSUtkast gs "
        f"1 0 0 1 {left + width / 2:.2f} {bottom + height / 2:.2f} cm "
        f"{cos:.5f} {sin:.5f} {-sin:.5f} {cos:.5f} 0 0 cm "
        f"{scale:.3f} 0 0 {scale:.3f} {-scale * span / 2:.2f} {-scale / 2:.2f} cm "
        f"0.75 0 0 RG 0.16 w 1 J 1 j {letters} Q EMC"
    )


def _shifted(path: str, dx: float) -> str:
    """``path`` (operands and m/l/c operators) moved ``dx`` to the right."""
    out: list[str] = []
    operands: list[str] = []
    for token in path.split():
        if token in ("m", "l", "c"):
            xs = [f"{float(v) + dx:.2f}" if i % 2 == 0 else v for i, v in enumerate(operands)]
            out += [*xs, token]
            operands = []
        else:
            operands.append(token)
    return " ".join(out)


def _attach(
    writer: PdfWriter, name: str, data: bytes, description: str, mime: str = "application/json"
) -> None:
    """Embed ``data`` as the document's source file: /AFRelationship /Source, listed in the
    catalog's /AF, as PDF/A-3 requires of an associated file."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    for existing in list(writer.attachment_list):
        if existing.name == name:  # attaching again replaces, never duplicates
            existing.delete()
    embedded = writer.add_attachment(name, data)
    embedded.subtype = NameObject("/" + mime)  # written as /application#2Fjson
    embedded.associated_file_relationship = NameObject("/Source")
    embedded.description = TextStringObject(description)
    embedded.modification_date = dt.datetime.now(dt.UTC).replace(microsecond=0)
    spec = embedded.pdf_object
    spec[NameObject("/UF")] = TextStringObject(name)
    reference = spec.indirect_reference
    writer.root_object[NameObject("/AF")] = ArrayObject([reference])


# --- Page labels of the appendices -------------------------------------------------------------
#
# The contract numbers its own pages ("Sida 3 av 8", a field Word and LibreOffice fill in); each
# appended page gets "Bilaga 2, sida 1 av 3" at the foot, centred where the contract has its page
# number. The label is set in the contract's own text font, which LibreOffice embedded as a
# subset: PDF/A requires every font to be embedded, and the subset has every letter and digit the
# label needs (the contract prints "Bilaga" and "Sida x av y" itself). It is marked as a
# pagination artifact, so a screen reader skips it as it skips the contract's own page numbers.

_LABEL_SIZE = 9.0
_LABEL_BASELINE = 1.2 * 72 / 2.54  # the contract's footer distance: 1.2 cm above the page's foot
_LABEL_GREY = 0.25


def appendix_page_label(bookmark: str | None, page: int, pages: int) -> str:
    """``"Bilaga 2, sida 1 av 3"``: the appendix's number from its bookmark ("Bilaga 2 – Budget"),
    the page within it and its number of pages."""
    found = re.match(r"Bilaga (\d+)", bookmark or "")
    name = f"Bilaga {found.group(1)}" if found else (bookmark or "Bilaga")
    return f"{name}, sida {page} av {pages}"


@dataclass(frozen=True)
class _LabelFont:
    reference: IndirectObject
    codes: dict[str, bytes]
    widths: dict[bytes, float]

    def encode(self, text: str) -> bytes | None:
        if any(char not in self.codes for char in text):
            return None
        return b"".join(self.codes[char] for char in text)

    def width(self, code: bytes) -> float:
        return sum(self.widths.get(code[i : i + 1], 500.0) for i in range(len(code)))


def label_pages(labels: Sequence[tuple[PageObject, str]], main_pages: Sequence[PageObject]) -> None:
    """Write each label at the foot of its page (of a writer), in the text font of
    ``main_pages`` (the contract's pages in the same writer). A label the font cannot write
    (a character the subset lacks) is left out."""
    if not labels:
        return
    font = _label_font(main_pages)
    if font is None:
        return
    for page, text in labels:
        code = font.encode(text)
        if code is not None:
            _label(page, font, code)


def _label_font(pages: Sequence[PageObject]) -> _LabelFont | None:
    """The main document's regular text font with the most characters, read from its pages."""
    best: _LabelFont | None = None
    for page in reversed(pages):
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for reference in fonts.get_object().values():
            font = reference.get_object()
            base = str(font.get("/BaseFont", ""))
            if re.search(r"(?i)bold|italic|oblique|symbol", base) or "/ToUnicode" not in font:
                continue
            codes = _to_unicode(font["/ToUnicode"].get_object().get_data())
            if best is None or len(codes) > len(best.codes):
                first = int(font.get("/FirstChar", 0))
                widths = {
                    bytes([first + i]): float(w)
                    for i, w in enumerate(font.get("/Widths", []))
                    if first + i < 256
                }
                best = _LabelFont(reference, codes, widths)
        if best is not None:
            return best
    return best


def _to_unicode(cmap: bytes) -> dict[str, bytes]:
    """The one-character entries of a ToUnicode CMap: character → code."""
    text = cmap.decode("latin-1")
    codes: dict[str, bytes] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            char = bytes.fromhex(target).decode("utf-16-be", "replace")
            if len(char) == 1:
                codes.setdefault(char, bytes.fromhex(code))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start, size = int(target, 16), len(low) // 2
            for offset in range(int(high, 16) - int(low, 16) + 1):
                codes.setdefault(chr(start + offset), (int(low, 16) + offset).to_bytes(size))
    return codes


def _label(page: PageObject, font: _LabelFont, code: bytes) -> None:
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    box = page.cropbox
    width = font.width(code) * _LABEL_SIZE / 1000
    x = float(box.left) + (float(box.width) - width) / 2
    y = float(box.bottom) + _LABEL_BASELINE
    content = (
        b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC q "
        + f"{_LABEL_GREY} {_LABEL_GREY} {_LABEL_GREY} rg BT /FIopLabel {_LABEL_SIZE} Tf "
        f"{x:.2f} {y:.2f} Td <".encode("ascii")
        + code.hex().encode("ascii")
        + b"> Tj ET Q EMC"
    )
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    fonts[NameObject("/FIopLabel")] = font.reference
    resources[NameObject("/Font")] = fonts
    page[NameObject("/Resources")] = resources
    stream = ContentStream(None, None)
    stream.set_data(content)
    page.merge_page(_content_page(page, stream), over=True)


def _content_page(page: PageObject, stream: object) -> PageObject:
    """A page of ``page``'s size holding only ``stream``, with ``page``'s fonts, to merge."""
    from pypdf import PageObject as Page
    from pypdf.generic import NameObject

    blank = Page.create_blank_page(
        width=float(page.mediabox.width), height=float(page.mediabox.height)
    )
    blank[NameObject("/Resources")] = page["/Resources"]
    blank[NameObject("/Contents")] = stream
    return blank
