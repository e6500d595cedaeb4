"""Word templates parsed and compiled once, then rendered many times.

For every document, plain docxtpl re-reads the whole package, patches and compiles the body,
headers, footers and core properties as Jinja templates, and re-serialises and re-compresses every
XML part, even styles that rendering never changes. ``CompiledTemplate`` does that work once per
template and Jinja environment: per document it only renders the compiled templates, applies what
docxtpl applies after Jinja (its line-break handling and its table fix-up re-parse), and writes the
zip, copying the unchanged parts as stored compressed bytes. The result is byte for byte what
``render_docx_plain`` writes; tests/unit/test_compiled.py holds both paths to that.

A template using something this path does not reproduce (Jinja tags in footnotes, a header part
shared by two sections) is rendered by plain docxtpl instead: ``compiled_template`` returns
``None`` for it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import jinja2

from iopdocs.word.fixes import CoreProperties, core_cp_prefix, restore_column_widths
from iopdocs.word.package import StoredMember, store_member, write_zip

__all__ = ["CACHE_SIZE", "CompiledTemplate", "clear_cache", "compiled_template"]

# A region renders one or two templates in a session; a few more cover templates being edited.
CACHE_SIZE = 8

_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
# The core properties docxtpl renders as Jinja templates, in its order (which fixes the order of
# the elements it creates in core.xml).
_TEMPLATED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_COMPRESS_LEVEL = 6  # normalize_zip's level: both paths give the same bytes


class _UnsupportedError(Exception):
    """The template uses something only plain docxtpl renders correctly."""


@dataclass(frozen=True, slots=True)
class _RenderedPart:
    """A header or footer: a compiled template and the encoding its XML declares."""

    name: str
    template: jinja2.Template
    encoding: str


class CompiledTemplate:
    """One .docx template with its parts read, patched and compiled for one Jinja environment.

    Holds bytes and compiled templates only, never a document being rendered, so one instance
    serves any number of renders, from any thread.
    """

    def __init__(self, template: bytes, env: jinja2.Environment) -> None:
        from docx.opc.oxml import serialize_part_xml
        from docxtpl import DocxTemplate

        tpl = DocxTemplate(BytesIO(template))
        tpl.render_init()
        document = tpl.docx
        for part in document.part.package.parts:
            if part.content_type == _FOOTNOTES and b"{" in part.blob:
                raise _UnsupportedError("Jinja tags in footnotes")

        self._helper = DocxTemplate(BytesIO(template))  # for docxtpl's stateless XML helpers
        self._body = _compile(env, _mark_paragraphs(tpl.patch_xml(tpl.get_xml())))
        parts = []
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                compiled = _compile(env, _mark_paragraphs(tpl.patch_xml(xml)))
                encoding = tpl.get_headers_footers_encoding(xml)
                parts.append(_RenderedPart(part.partname.membername, compiled, encoding))
        names = [p.name for p in parts]
        if len(set(names)) != len(names):
            raise _UnsupportedError("a header or footer part used by more than one section")
        self._parts = tuple(parts)

        core = document.core_properties  # created here if the template has none, as docxtpl does
        self._properties = tuple(
            (name, env.from_string(getattr(core, name))) for name in _TEMPLATED_PROPERTIES
        )
        # Tag-free footnotes come out of docxtpl's rendering the same for every context.
        tpl.render_footnotes({}, env)

        # The document element without its body, as bytes: each render parses its own copy, so
        # no lxml tree is shared between threads.
        root = document.element
        self._body_index = root.index(root.body)
        shell = copy.deepcopy(root)
        shell.remove(shell[self._body_index])
        self._shell = serialize_part_xml(shell)

        rendered = {_DOCUMENT, _CORE, *names}
        saved = BytesIO()
        document.save(saved)
        members: list[StoredMember | str] = []
        with zipfile.ZipFile(saved) as package:
            for info in package.infolist():
                if info.filename in rendered:
                    members.append(info.filename)
                else:
                    data = package.read(info.filename)
                    members.append(store_member(info.filename, data))
            self._core_xml = package.read(_CORE)
        self._members = tuple(members)

    def render(
        self, context: Mapping[str, Any], *, properties: CoreProperties, timestamp: dt.date
    ) -> bytes:
        """The .docx bytes of this template rendered with ``context``.

        Jinja errors propagate as they are; ``render_docx`` maps them.
        """
        from docx.opc.coreprops import CoreProperties as Core
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.ns import nsmap
        from docx.oxml.parser import parse_xml

        context = dict(context)
        body_xml = self._finish(self._body.render(context))
        body = _parse_body(body_xml)
        if _tables_need_fixing(body):
            body = self._helper.fix_tables(body_xml)
        if "docPr" in body_xml:
            # docxtpl numbers the drawings of the body afresh, from 1001.
            for number, drawing in enumerate(body.xpath("//wp:docPr", namespaces=nsmap), 1001):
                drawing.attrib["id"] = str(number)
        restore_column_widths(body)
        root = parse_xml(self._shell)
        root.insert(self._body_index, body)
        rendered = {_DOCUMENT: serialize_part_xml(root)}

        for part in self._parts:
            xml = self._finish(part.template.render(context)).encode(part.encoding)
            rendered[part.name] = serialize_part_xml(parse_xml(xml))

        element = parse_xml(self._core_xml)
        core = Core(element)
        for name, template in self._properties:
            setattr(core, name, template.render(context))
        with core_cp_prefix():
            for name, value in properties.items():
                setattr(core, name, value)
        rendered[_CORE] = serialize_part_xml(element)

        members = [
            member if isinstance(member, StoredMember) else store_member(member, rendered[member])
            for member in self._members
        ]
        return write_zip(members, timestamp)

    def _finish(self, xml: str) -> str:
        """What docxtpl does to a part's XML after Jinja (``render_xml_part``)."""
        xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        if any(char in xml for char in "\t\n\a\f"):
            # Line breaks, tabs, paragraph and page breaks inside values become Word markup.
            xml = self._helper.resolve_listing(xml)
        return xml


def _parse_body(xml: str) -> Any:
    """The body as docxtpl's ``fix_tables`` parses it (recovering, as docxtpl does)."""
    from lxml import etree

    return etree.fromstring(xml, etree.XMLParser(recover=True))


def _tables_need_fixing(body: Any) -> bool:
    """Whether docxtpl's ``fix_tables`` would change a table's grid: some row has more cells than
    the grid has columns (a ``{%tc%}`` loop), or no row spans them all (fewer cells, or no rows).
    The same test as its Python loops, in two XPath queries per table."""
    w = {"w": _W}
    for table in body.iter(f"{{{_W}}}tbl"):
        grid = table.find("w:tblGrid", w)
        if grid is None:
            return True  # let docxtpl deal with it as it always has
        columns = len(grid.findall("w:gridCol", w))
        wider = table.xpath("boolean(.//w:tr[count(w:tc) > $n])", namespaces=w, n=columns)
        spans = "count(w:tc) + sum(w:tc/w:tcPr/w:gridSpan/@w:val) - count(w:tc/w:tcPr/w:gridSpan)"
        full = table.xpath(f"boolean(.//w:tr[{spans} >= $n])", namespaces=w, n=columns)
        if wider or not full:
            return True
    return False


def _mark_paragraphs(xml: str) -> str:
    """One paragraph per source line, so a Jinja error's line number points at its paragraph."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _compile(env: jinja2.Environment, source: str) -> jinja2.Template:
    try:
        return env.from_string(source)
    except jinja2.TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        if lineno is not None:
            # The paragraphs around the error, as text, as docxtpl reports them.
            first = max(lineno - 4, 0)
            lines = source.splitlines()[first : first + 7]
            exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in lines]  # type: ignore[attr-defined]
        raise


_lock = threading.Lock()
_cache: OrderedDict[tuple[bytes, jinja2.Environment], CompiledTemplate | None] = OrderedDict()


def compiled_template(template: bytes, env: jinja2.Environment) -> CompiledTemplate | None:
    """The compiled form of ``template`` for ``env``, from a small LRU cache.

    ``None`` means the template needs plain docxtpl. The key is the template's SHA-256 and the
    environment object itself, so an edited template or another environment (another locale, a
    sandbox) is compiled afresh. Two threads missing the cache at once both compile; one result
    is kept.
    """
    key = (hashlib.sha256(template).digest(), env)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        compiled: CompiledTemplate | None = CompiledTemplate(template, env)
    except _UnsupportedError:
        compiled = None
    with _lock:
        _cache[key] = compiled
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


def clear_cache() -> None:
    """Forget every compiled template (they are rebuilt on the next render)."""
    with _lock:
        _cache.clear()
