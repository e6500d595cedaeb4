"""Provenance inside a .docx: the data a document was rendered from, stored the way Word stores it.

A rendered document gets two things, added to its finished bytes:

- a custom XML part (``customXml/itemN.xml`` with its ``itemPropsN.xml`` data-store properties,
  a relationship from the main document part and content types), whose root element in the
  ``urn:iopdocs:provenance:1`` namespace holds the agreement as JSON and, for a filled-in annual
  report, the report data as JSON. Word keeps such parts when a document is edited and saved;
- custom document properties (``docProps/custom.xml``, File › Properties › Custom in Word) named
  ``iopdocs.*``: the library version, the template's and the data's SHA-256 and what was
  rendered, so an archivist can see them without any tool.

This module also reads both back and reads a document's paragraph texts for ``verify``. lxml
errors are mapped to ``ProvenanceError`` here.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import uuid
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from iopdocs.errors import ProvenanceError
from iopdocs.i18n import N_, Message
from iopdocs.word.coreprops import NOT_XML, element_text

if TYPE_CHECKING:
    from iopdocs.word.package import Parts, Pieces

__all__ = [
    "PROVENANCE_NS",
    "DocxParagraph",
    "DocxProvenance",
    "docx_paragraphs",
    "docx_repeated_rows",
    "embed_provenance",
    "embed_provenance_parts",
    "read_docx_provenance",
]

PROVENANCE_NS = "urn:iopdocs:provenance:1"
"""The namespace of the custom XML part's root element; also its data-store schema reference."""

# The data-store item id is the same in every document, so tools can look the part up by it.
_ITEM_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, PROVENANCE_NS)).upper() + "}"

_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_CUSTOM_XML = f"{_DOC_RELS}/customXml"
_REL_CUSTOM_XML_PROPS = f"{_DOC_RELS}/customXmlProps"
_REL_CUSTOM_PROPERTIES = f"{_DOC_RELS}/custom-properties"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# The format id Word gives every user-defined property.
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_CUSTOM_XML_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_CUSTOM_PROPERTIES_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_REL_OFFICE_DOCUMENT = f"{_DOC_RELS}/officeDocument"
_PROPERTIES_PART = "docProps/custom.xml"
PROPERTY_PREFIX = "iopdocs."
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class DocxProvenance:
    """What a .docx carries: its data blobs by element name, and its ``iopdocs.*`` properties."""

    data: Mapping[str, bytes]
    """``"agreement"`` (always) and ``"report"`` (a filled-in annual report): JSON bytes."""
    properties: Mapping[str, str]
    """The custom properties named ``iopdocs.*``, without the prefix, as text."""


def embed_provenance(
    docx: bytes, data: Mapping[str, bytes], properties: Mapping[str, str | int]
) -> bytes:
    """``docx`` with ``data`` (name -> JSON bytes) in a custom XML part and ``properties`` added.

    ``properties`` are written as ``iopdocs.<name>`` custom properties; ones of that name already
    in the document (say, in a template made from a rendered document) are replaced, others kept.
    A provenance part already present is replaced too. Entry times are those of the input, so the
    output is as deterministic as the input.
    """
    from iopdocs.word.package import Parts

    entries = Parts(docx)
    embed_provenance_parts(entries, data, properties)
    return entries.to_bytes()


def embed_provenance_parts(
    entries: Parts, data: Mapping[str, bytes], properties: Mapping[str, str | int]
) -> None:
    """``embed_provenance`` on a package's parts, before they are written: rendering, watermark
    and provenance then cost one zip write."""
    item = _provenance_item(entries.names, entries.__getitem__) or _free_item(entries.names)
    props = item.replace("item", "itemProps")
    entries[f"customXml/{item}"] = _provenance_xml(data)
    entries[f"customXml/{props}"] = _item_props_xml()
    entries[f"customXml/_rels/{item}.rels"] = _relationships_xml(
        [("rId1", _REL_CUSTOM_XML_PROPS, props)]
    )
    main = _main_part(entries.__getitem__)
    folder, name = posixpath.split(main)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    entries[rels] = _add_relationship(
        entries[rels], _REL_CUSTOM_XML, posixpath.relpath(f"customXml/{item}", folder or ".")
    )
    entries["_rels/.rels"] = _add_relationship(
        entries["_rels/.rels"], _REL_CUSTOM_PROPERTIES, _PROPERTIES_PART
    )
    entries[_PROPERTIES_PART] = _custom_properties_xml(entries.get(_PROPERTIES_PART), properties)
    entries["[Content_Types].xml"] = _add_overrides(
        entries["[Content_Types].xml"],
        {
            f"/customXml/{props}": _CUSTOM_XML_PROPS_TYPE,
            f"/{_PROPERTIES_PART}": _CUSTOM_PROPERTIES_TYPE,
        },
    )


def read_docx_provenance(docx: bytes) -> DocxProvenance | None:
    """The provenance a .docx carries, or ``None`` when it has no iopdocs custom XML part."""
    from lxml import etree

    entries = _open(docx)
    with entries:
        names = set(entries.namelist())
        item = _provenance_item(list(names), entries.read)
        if item is None:
            return None
        try:
            root = etree.fromstring(entries.read(f"customXml/{item}"))
            properties = (
                _read_properties(entries.read(_PROPERTIES_PART))
                if _PROPERTIES_PART in names
                else {}
            )
        except etree.XMLSyntaxError as exc:
            raise ProvenanceError(
                Message("the document's provenance is not valid XML: {reason}", reason=exc)
            ) from exc
    data = {
        etree.QName(child).localname: (child.text or "").encode("utf-8")
        for child in root
        if isinstance(child.tag, str)
    }
    if "agreement" not in data:
        raise ProvenanceError(Message("the document's provenance part holds no agreement"))
    return DocxProvenance(data=data, properties=properties)


@dataclass(frozen=True)
class DocxParagraph:
    """One paragraph's text and where it sits, for telling a reader which one changed."""

    text: str
    part: str
    """``body``, ``header``, ``footer``, ``footnotes`` or ``endnotes``."""
    number: int
    """1-based among the part's paragraphs that hold text (empty ones are not counted)."""
    section: str
    """The text of the nearest heading above it, or ``""``."""

    @property
    def where(self) -> str:
        """``body paragraph 41 (under 'Parter')``, in English as a ``str`` and in the language in
        use through ``Message.translated``."""
        alone, under = _PLACES.get(self.part, _PLACES["body"])
        if self.section:
            return Message(under, number=self.number, section=self.section)
        return Message(alone, number=self.number)


# Each part's phrase whole, so that a translation can inflect it.
_PLACES = {
    "body": (N_("body paragraph {number}"), N_("body paragraph {number} (under '{section}')")),
    "header": (
        N_("header paragraph {number}"),
        N_("header paragraph {number} (under '{section}')"),
    ),
    "footer": (
        N_("footer paragraph {number}"),
        N_("footer paragraph {number} (under '{section}')"),
    ),
    "footnotes": (
        N_("footnotes paragraph {number}"),
        N_("footnotes paragraph {number} (under '{section}')"),
    ),
    "endnotes": (
        N_("endnotes paragraph {number}"),
        N_("endnotes paragraph {number} (under '{section}')"),
    ),
}


def docx_paragraphs(docx: bytes) -> list[DocxParagraph]:
    """The non-empty paragraphs of a .docx in document order: body (table cells included),
    then headers, footers, footnotes and endnotes.

    Text is read from ``w:t`` directly, so tracked insertions count and tracked deletions do not;
    a tab reads as a tab and a line break as a newline.
    """
    from lxml import etree

    paragraphs: list[DocxParagraph] = []
    with _open(docx) as entries:
        names = entries.namelist()
        main = _main_part(entries.read)
        folder = re.escape(posixpath.dirname(main))
        parts = [("body", main)] + [
            (kind, name)
            for kind in ("header", "footer", "footnotes", "endnotes")
            for name in sorted(names, key=_natural)
            if re.fullmatch(rf"{folder}/{kind}\d*\.xml", name)
        ]
        for kind, name in parts:
            if name not in names:
                continue
            try:
                root = etree.fromstring(entries.read(name))
            except etree.XMLSyntaxError as exc:
                raise ProvenanceError(
                    Message(
                        "{part} in the document is not valid XML: {reason}", part=name, reason=exc
                    )
                ) from exc
            section = ""
            number = 0
            for p in root.iter(f"{{{_W}}}p"):
                if _in_fallback(p):
                    continue
                text = _paragraph_text(p)
                if _is_heading(p):
                    section = text.strip()
                if not text.strip():
                    continue
                number += 1
                paragraphs.append(DocxParagraph(text, kind, number, section))
    return paragraphs


def docx_repeated_rows(docx: bytes) -> list[str]:
    """The texts of table rows repeated at the top of every page (``w:tblHeader``), each row's
    cells joined by spaces: page furniture when a table runs over several pages."""
    from lxml import etree

    with _open(docx) as entries:
        try:
            root = etree.fromstring(entries.read(_main_part(entries.read)))
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise ProvenanceError(
                Message("the document's main part cannot be read: {reason}", reason=exc)
            ) from exc
    rows = []
    for row in root.iter(f"{{{_W}}}tr"):
        if row.find(f"{{{_W}}}trPr/{{{_W}}}tblHeader") is not None:
            texts = [_paragraph_text(p) for p in row.iter(f"{{{_W}}}p")]
            rows.append(" ".join(" ".join(texts).split()))
    return rows


def _main_part(read: Callable[[str], bytes]) -> str:
    """The main document part's name, as the package relationships give it."""
    try:
        rels = read("_rels/.rels")
    except KeyError as exc:
        raise ProvenanceError(
            Message("the document's package relationships are unreadable: {reason}", reason=exc)
        ) from exc
    return _main_part_of(rels)


@functools.lru_cache(maxsize=64)
def _main_part_of(rels: bytes) -> str:
    """``_main_part`` of the package relationships ``rels`` (the same bytes in every document
    of a template: remembered, bounded)."""
    from lxml import etree

    try:
        root = etree.fromstring(rels)
    except etree.XMLSyntaxError as exc:
        raise ProvenanceError(
            Message("the document's package relationships are unreadable: {reason}", reason=exc)
        ) from exc
    for rel in root.findall(f"{{{_PKG_RELS}}}Relationship"):
        if rel.get("Type") == _REL_OFFICE_DOCUMENT:
            return str(rel.get("Target")).lstrip("/")
    raise ProvenanceError(Message("the document has no main document part: not a Word document"))


def _open(docx: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(BytesIO(docx))
    except zipfile.BadZipFile as exc:
        raise ProvenanceError(Message("not a Word document (.docx): {reason}", reason=exc)) from exc


def _natural(name: str) -> tuple[int, str]:
    digits = re.findall(r"\d+", name)
    return (int(digits[-1]) if digits else 0, name)


# Fields whose result the application recomputes on every layout (page numbers): their shown
# text says nothing about the document's wording.
_VOLATILE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES")


def _paragraph_text(p: Any) -> str:
    """The paragraph's own text: nested paragraphs (text boxes) are read on their own, page and
    column breaks and the shown value of page-number fields are left out."""
    pieces: list[str] = []
    fields: list[list[str]] = []  # per open complex field: [instruction, state]
    tags = ("t", "tab", "br", "cr", "fldChar", "instrText")
    for node in p.iter(*(f"{{{_W}}}{tag}" for tag in tags)):
        if _owner(node) is not p or _in_fallback(node):
            continue
        local = node.tag.rsplit("}", 1)[1]
        if local == "fldChar":
            kind = node.get(f"{{{_W}}}fldCharType")
            if kind == "begin":
                fields.append(["", "instruction"])
            elif kind == "separate" and fields:
                fields[-1][1] = "result"
            elif kind == "end" and fields:
                fields.pop()
        elif local == "instrText":
            if fields:
                fields[-1][0] += node.text or ""
        elif _volatile(node, fields):
            continue
        elif local == "t":
            pieces.append(node.text or "")
        elif local == "tab":
            if node.getparent().tag == f"{{{_W}}}r":  # not a tab stop in w:pPr/w:tabs
                pieces.append("\t")
        elif node.get(f"{{{_W}}}type") not in ("page", "column"):
            pieces.append("\n")
    return "".join(pieces)


def _volatile(node: Any, fields: list[list[str]]) -> bool:
    """The node shows the value of a page-number field (complex or simple)."""
    instructions = [instruction for instruction, state in fields if state == "result"]
    instructions += [
        s.get(f"{{{_W}}}instr") or "" for s in node.iterancestors(f"{{{_W}}}fldSimple")
    ]
    return any(
        (instruction.split() or [""])[0].upper() in _VOLATILE_FIELDS for instruction in instructions
    )


def _owner(node: Any) -> Any:
    parent = node.getparent()
    while parent is not None and parent.tag != f"{{{_W}}}p":
        parent = parent.getparent()
    return parent


def _in_fallback(node: Any) -> bool:
    """Word writes a text box twice (mc:Choice and mc:Fallback); read it once."""
    return any(a.tag == f"{{{_MC}}}Fallback" for a in node.iterancestors())


def _is_heading(p: Any) -> bool:
    style = p.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
    name = (style.get(f"{{{_W}}}val") or "") if style is not None else ""
    return "heading" in name.lower() or "rubrik" in name.lower() or name == "Title"


def _provenance_item(names: list[str], read: Callable[[str], bytes]) -> str | None:
    """The name (``itemN.xml``) of the custom XML part whose root is in our namespace."""
    for name in sorted(names, key=_natural):
        match = re.fullmatch(r"customXml/(item\d+\.xml)", name)
        if match and PROVENANCE_NS.encode() in read(name)[:400]:
            return match.group(1)
    return None


def _free_item(names: list[str]) -> str:
    used = {
        int(m.group(1))
        for name in names
        if (m := re.fullmatch(r"customXml/item(?:Props)?(\d+)\.xml", name))
    }
    return f"item{max(used, default=0) + 1}.xml"


SHARED_BLOBS = frozenset({"clauses"})
"""The data blobs that are the same bytes in many documents (a contract's clause library): the
provenance part keeps each as a piece of its own, deflated once per process (``Pieces``)."""

_PROVENANCE_START = f'<provenance xmlns="{PROVENANCE_NS}">'.encode()


def _provenance_xml(data: Mapping[str, bytes]) -> Pieces:
    """The provenance part for ``data``: each blob an element with its media type, SHA-256 and
    text, as lxml writes it (``_provenance_xml_tree``, which a property test holds it to),
    written from strings; a blob in ``SHARED_BLOBS`` is a shared piece of its own, and its
    element is written once per process (a bounded memo)."""
    from iopdocs.word.package import Pieces

    pieces = [_XML_DECLARATION + _PROVENANCE_START]
    shared = []
    for name, blob in data.items():
        alone = name in SHARED_BLOBS
        element = _shared_element(name, blob) if alone else _blob_element(name, blob)
        if element is None:  # what lxml refuses or writes otherwise: lxml's way, and its error
            return Pieces((_provenance_xml_tree(data),))
        if alone:
            shared.append(len(pieces))
            pieces += [element, b""]
        else:
            pieces[-1] += element
    pieces[-1] += b"</provenance>"
    return Pieces(tuple(pieces), frozenset(shared))


def _blob_element(name: str, blob: bytes) -> bytes | None:
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text or NOT_XML.search(text) or not name.isidentifier() or not name.isascii():
        return None
    text = element_text(text)
    digest = hashlib.sha256(blob).hexdigest()
    return f'<{name} mediaType="application/json" sha256="{digest}">{text}</{name}>'.encode()


_shared_element = functools.lru_cache(maxsize=16)(_blob_element)
"""``_blob_element`` remembered (bounded): a shared blob recurs in document after document."""


def _provenance_xml_tree(data: Mapping[str, bytes]) -> bytes:
    """The provenance part built by lxml: the reference ``_provenance_xml`` writes."""
    from lxml import etree

    root = etree.Element(f"{{{PROVENANCE_NS}}}provenance", nsmap={None: PROVENANCE_NS})
    for name, blob in data.items():
        element = etree.SubElement(root, f"{{{PROVENANCE_NS}}}{name}")
        element.set("mediaType", "application/json")
        element.set("sha256", hashlib.sha256(blob).hexdigest())
        element.text = blob.decode("utf-8")
    return _XML_DECLARATION + bytes(etree.tostring(root, encoding="UTF-8"))


def _item_props_xml() -> bytes:
    return (
        _XML_DECLARATION
        + (
            f'<ds:datastoreItem ds:itemID="{_ITEM_ID}" xmlns:ds="{_DS}">'
            f'<ds:schemaRefs><ds:schemaRef ds:uri="{PROVENANCE_NS}"/></ds:schemaRefs>'
            "</ds:datastoreItem>"
        ).encode()
    )


def _relationships_xml(relationships: list[tuple[str, str, str]]) -> bytes:
    rows = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'
        for rid, kind, target in relationships
    )
    return _XML_DECLARATION + f'<Relationships xmlns="{_PKG_RELS}">{rows}</Relationships>'.encode()


# The relationships and content types a template brings are the same bytes in every document
# rendered from it, so what the provenance adds to them is remembered (pure functions, bounded).
@functools.lru_cache(maxsize=64)
def _add_relationship(xml: bytes, kind: str, target: str) -> bytes:
    """``xml`` (a .rels part) with a relationship of ``kind`` to ``target``, unless it has one."""
    from lxml import etree

    root = etree.fromstring(xml)
    existing = root.findall(f"{{{_PKG_RELS}}}Relationship")
    if any(r.get("Type") == kind and r.get("Target").lstrip("/") == target for r in existing):
        return xml
    ids = {r.get("Id") for r in existing}
    number = 1
    while f"rId{number}" in ids:
        number += 1
    etree.SubElement(
        root, f"{{{_PKG_RELS}}}Relationship", Id=f"rId{number}", Type=kind, Target=target
    )
    return _XML_DECLARATION + bytes(etree.tostring(root, encoding="UTF-8"))


def _add_overrides(xml: bytes, overrides: Mapping[str, str]) -> bytes:
    return _add_override_items(xml, tuple(overrides.items()))


@functools.lru_cache(maxsize=64)
def _add_override_items(xml: bytes, overrides: tuple[tuple[str, str], ...]) -> bytes:
    from lxml import etree

    root = etree.fromstring(xml)
    present = {o.get("PartName") for o in root.findall(f"{{{_CONTENT_TYPES}}}Override")}
    for part, content_type in overrides:
        if part not in present:
            etree.SubElement(
                root, f"{{{_CONTENT_TYPES}}}Override", PartName=part, ContentType=content_type
            )
    return _XML_DECLARATION + bytes(etree.tostring(root, encoding="UTF-8"))


_PROPERTY_NAME = re.compile(r"[A-Za-z0-9_.]+")
_CUSTOM_START = f'<Properties xmlns="{_CUSTOM}" xmlns:vt="{_VT}">'


def _custom_properties_xml(existing: bytes | None, properties: Mapping[str, str | int]) -> bytes:
    """docProps/custom.xml with ``properties`` as ``iopdocs.*``, keeping the others there.

    A document without custom properties of its own (every bundled template) gets them written
    from strings, as lxml writes them (``_custom_properties_tree``; a property test holds the
    two together); anything else is lxml's."""
    if existing is not None or not properties:
        return _custom_properties_tree(existing, properties)
    rows = []
    for pid, (name, value) in enumerate(properties.items(), start=2):
        kind = "i4" if isinstance(value, int) else "lpwstr"
        text = str(value)
        if not text or not _PROPERTY_NAME.fullmatch(name) or NOT_XML.search(text):
            return _custom_properties_tree(existing, properties)
        text = element_text(text)
        rows.append(
            f'<property fmtid="{_FMTID}" name="{PROPERTY_PREFIX}{name}" pid="{pid}">'
            f"<vt:{kind}>{text}</vt:{kind}></property>"
        )
    return _XML_DECLARATION + f"{_CUSTOM_START}{''.join(rows)}</Properties>".encode()


def _custom_properties_tree(existing: bytes | None, properties: Mapping[str, str | int]) -> bytes:
    """``_custom_properties_xml`` built by lxml."""
    from lxml import etree

    if existing is None:
        root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    else:
        root = etree.fromstring(existing)
        for prop in root.findall(f"{{{_CUSTOM}}}property"):
            if (prop.get("name") or "").startswith(PROPERTY_PREFIX):
                root.remove(prop)
    for name, value in properties.items():
        prop = etree.SubElement(
            root, f"{{{_CUSTOM}}}property", fmtid=_FMTID, name=PROPERTY_PREFIX + name
        )
        kind = "i4" if isinstance(value, int) else "lpwstr"
        etree.SubElement(prop, f"{{{_VT}}}{kind}").text = str(value)
    # Word numbers user-defined properties from 2 (0 and 1 are reserved).
    for pid, prop in enumerate(root.findall(f"{{{_CUSTOM}}}property"), start=2):
        prop.set("pid", str(pid))
    return _XML_DECLARATION + bytes(etree.tostring(root, encoding="UTF-8"))


def _read_properties(xml: bytes) -> dict[str, str]:
    from lxml import etree

    root = etree.fromstring(xml)
    found: dict[str, str] = {}
    for prop in root.findall(f"{{{_CUSTOM}}}property"):
        name = prop.get("name") or ""
        if name.startswith(PROPERTY_PREFIX) and len(prop):
            found[name.removeprefix(PROPERTY_PREFIX)] = prop[0].text or ""
    return found
