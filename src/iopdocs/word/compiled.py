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

Two caches keep the compiled form: an LRU in memory, and a per-user folder on disk
(``iopdocs.word.diskcache``) so that a new process (a command-line call) skips Jinja's compile
and docxtpl's patching. An entry there is the marshalled state of a ``CompiledTemplate`` (Jinja's
code objects, the package's members), keyed by everything the compiled code depends on.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import marshal
import re
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from io import BytesIO
from typing import Any, NamedTuple

import jinja2

from iopdocs.version import __version__
from iopdocs.word import diskcache
from iopdocs.word.bodyxml import escape_text, finish_body, load_plan, plan_body
from iopdocs.word.coreprops import CoreWriter
from iopdocs.word.environment import environment_identity
from iopdocs.word.fixes import (
    CoreProperties,
    keep_facts_together,
    restore_column_widths,
)
from iopdocs.word.package import Parts, StoredMember, store_member

__all__ = ["CACHE_SIZE", "CompiledTemplate", "clear_cache", "compiled_template", "resolve_listings"]

# A region renders one or two templates in a session; a few more cover templates being edited.
CACHE_SIZE = 8

_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_DOCUMENT = "word/document.xml"
_CORE = "docProps/core.xml"
# The core properties docxtpl renders as Jinja templates, in its order (which fixes the order of
# the elements it creates in core.xml).
_TEMPLATED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class _UnsupportedError(Exception):
    """The template uses something only plain docxtpl renders correctly."""


# A named tuple, not a frozen dataclass: made at import in a fifth of the time (cold start).
class _RenderedPart(NamedTuple):
    """A header or footer: a compiled template and the encoding its XML declares."""

    name: str
    template: jinja2.Template
    encoding: str


class CompiledTemplate:
    """One .docx template with its parts read, patched and compiled for one Jinja environment.

    Holds bytes and compiled templates only, never a document being rendered, so one instance
    serves any number of renders, from any thread. ``compile`` builds one from a template;
    ``from_payload`` restores one that ``payload`` saved.
    """

    def __init__(
        self,
        template: bytes,
        env: jinja2.Environment,
        codes: dict[str, Any],
        shell: bytes,
        body_index: int,
        core_xml: bytes,
        members: tuple[StoredMember | str, ...],
    ) -> None:
        def load(code: Any) -> jinja2.Template:
            return env.template_class.from_code(env, code, env.make_globals(None), None)

        self._template = template
        self._codes = codes
        self._helper_instance: Any = None
        self._body = load(codes["body"])
        self._parts = tuple(
            _RenderedPart(name, load(code), encoding) for name, code, encoding in codes["parts"]
        )
        # A property without Jinja tags is kept as its text (``_constant``).
        self._properties = tuple(
            (name, code if isinstance(code, str) else load(code))
            for name, code in codes["properties"]
        )
        self._plan = load_plan(codes.get("plan"))
        if self._plan is not None:
            # Values of a planned body land in text only: escaped for text (quotes as they are).
            self._body.root_render_func.__globals__["escape"] = escape_text
        self._shell = shell
        self._body_index = body_index
        self._core_xml = core_xml
        self._core = CoreWriter(core_xml)
        self._members = members

    @classmethod
    def compile(cls, template: bytes, env: jinja2.Environment) -> CompiledTemplate:
        """Read, patch and compile ``template`` (``_UnsupportedError`` if plain docxtpl must)."""
        from docx.opc.oxml import serialize_part_xml
        from docxtpl import DocxTemplate

        tpl = DocxTemplate(BytesIO(template))
        tpl.render_init()
        document = tpl.docx
        for part in document.part.package.parts:
            if part.content_type == _FOOTNOTES and b"{" in part.blob:
                raise _UnsupportedError("Jinja tags in footnotes")

        body_source = _mark_paragraphs(tpl.patch_xml(tpl.get_xml()))
        # The document element without its body, as bytes: each render parses its own copy, so
        # no lxml tree is shared between threads.
        root = document.element
        body_index = root.index(root.body)
        shell = copy.deepcopy(root)
        shell.remove(shell[body_index])
        shell_xml = serialize_part_xml(shell)
        plan = plan_body(env, body_source, shell_xml, body_index)
        body = _compile(env, body_source) if plan is None else _compile_unmarked(env, body_source)
        parts = []
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                compiled = _compile(env, _mark_paragraphs(tpl.patch_xml(xml)))
                encoding = tpl.get_headers_footers_encoding(xml)
                parts.append((part.partname.membername, compiled, encoding))
        names = [name for name, _, _ in parts]
        if len(set(names)) != len(names):
            raise _UnsupportedError("a header or footer part used by more than one section")

        core = document.core_properties  # created here if the template has none, as docxtpl does
        properties = [
            (name, source if _constant(env, source) else _compile(env, source))
            for name, source in ((name, getattr(core, name)) for name in _TEMPLATED_PROPERTIES)
        ]
        # Tag-free footnotes come out of docxtpl's rendering the same for every context.
        tpl.render_footnotes({}, env)

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
            core_xml = package.read(_CORE)
        codes = {
            "body": body,
            "parts": parts,
            "properties": properties,
            "plan": None if plan is None else plan.dump(),
        }
        return cls(
            template,
            env,
            codes,
            shell_xml,
            body_index,
            core_xml,
            tuple(members),
        )

    def payload(self) -> bytes:
        """This compiled template as bytes for the disk cache (marshal: code objects, bytes)."""
        members = [
            m if isinstance(m, str) else (m.name, m.compressed, m.crc, m.size)
            for m in self._members
        ]
        state = (self._codes, self._shell, self._body_index, self._core_xml, members)
        return marshal.dumps(state)

    @classmethod
    def from_payload(
        cls, payload: bytes, template: bytes, env: jinja2.Environment
    ) -> CompiledTemplate:
        """Restore what ``payload`` saved. Only ever called with bytes whose HMAC was checked:
        unmarshalling runs no code, but the code objects it returns are run by every render."""
        codes, shell, body_index, core_xml, members = marshal.loads(payload)
        return cls(
            template,
            env,
            codes,
            shell,
            body_index,
            core_xml,
            tuple(m if isinstance(m, str) else StoredMember(*m) for m in members),
        )

    @property
    def _helper(self) -> Any:
        """A DocxTemplate for docxtpl's stateless XML helpers, made when first needed: most
        renders need none, and a process started from the disk cache then never imports
        docxtpl."""
        if self._helper_instance is None:
            from docxtpl import DocxTemplate

            self._helper_instance = DocxTemplate(BytesIO(self._template))
        return self._helper_instance

    def render(
        self, context: Mapping[str, Any], *, properties: CoreProperties, timestamp: dt.date
    ) -> bytes:
        """The .docx bytes of this template rendered with ``context``.

        Jinja errors propagate as they are; ``render_docx`` maps them.
        """
        return self.render_parts(context, properties=properties, timestamp=timestamp).to_bytes()

    def render_parts(
        self, context: Mapping[str, Any], *, properties: CoreProperties, timestamp: dt.date
    ) -> Parts:
        """``render``, before the zip is written: the rendered parts not yet compressed, the
        others as stored, for steps that add or change parts before the one zip write."""

        context = dict(context)
        body = self._body.render(context)
        body_xml = self._finish(body, marked=self._plan is None)
        # Finished on the string where the template shows that is exact (iopdocs.word.bodyxml),
        # else parsed, fixed and serialised as docxtpl does.
        document = None if self._plan is None else finish_body(self._plan, body, body_xml)
        rendered = {_DOCUMENT: self._finish_tree(body_xml) if document is None else document}

        for part in self._parts:
            xml = self._finish(part.template.render(context)).encode(part.encoding)
            rendered[part.name] = _reserialized(xml)

        assignments = [
            (name, template if isinstance(template, str) else template.render(context))
            for name, template in self._properties
        ]
        rendered[_CORE] = self._core.write([*assignments, *properties.items()])

        members = [
            member if isinstance(member, StoredMember) else (member, rendered[member])
            for member in self._members
        ]
        return Parts.from_members(members, timestamp)

    def _finish_tree(self, body_xml: str) -> bytes:
        """The document part for a rendered body, through an lxml tree as docxtpl builds it."""
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.ns import nsmap
        from docx.oxml.parser import parse_xml

        body = _parse_body(body_xml)
        if _tables_need_fixing(body):
            body = self._helper.fix_tables(body_xml)
        if "docPr" in body_xml:
            # docxtpl numbers the drawings of the body afresh, from 1001.
            for number, drawing in enumerate(body.xpath("//wp:docPr", namespaces=nsmap), 1001):
                drawing.attrib["id"] = str(number)
        restore_column_widths(body)
        keep_facts_together(body)
        root = parse_xml(self._shell)
        root.insert(self._body_index, body)
        return bytes(serialize_part_xml(root))

    def _finish(self, xml: str, *, marked: bool = True) -> str:
        """What docxtpl does to a part's XML after Jinja (``render_xml_part``); ``marked``
        says the part was compiled with a line per paragraph (``_mark_paragraphs``)."""
        if marked:
            xml = xml.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")
        # docxtpl's escaped braces: a scan for a brace (one character: a fast search), then
        # for the pairs, not four copies.
        if ("{" in xml or "}" in xml) and ("{_" in xml or "_}" in xml):
            xml = (
                xml.replace("{_{", "{{")
                .replace("}_}", "}}")
                .replace("{_%", "{%")
                .replace("%_}", "%}")
            )
        if "\n" in xml or "\t" in xml or "\a" in xml or "\f" in xml:  # faster than a regex
            # Line breaks, tabs, paragraph and page breaks inside values become Word markup.
            xml = resolve_listings(xml, self._helper.resolve_listing)
        return xml


@functools.lru_cache(maxsize=64)
def _reserialized(xml: bytes) -> bytes:
    """A rendered header or footer parsed and written again, as docxtpl does. Remembered (a
    bounded memo of a pure function): a footer, and the header of one region's or one
    template's contracts, is the same from one contract to the next."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    return bytes(serialize_part_xml(parse_xml(xml)))


_LISTING = "\t\n\a\f"


def _breaks(xml: str) -> list[int]:
    """Where ``xml`` holds a tab, line, paragraph or page break, in order (``str.find`` per
    character: a contract has a few, and a regex would walk every character to find them)."""
    found = []
    for char in _LISTING:
        at = xml.find(char)
        while at >= 0:
            found.append(at)
            at = xml.find(char, at + 1)
    return sorted(found)


def resolve_listings(xml: str, resolve: Callable[[str], str]) -> str:
    """docxtpl's ``resolve_listing`` applied only to the paragraphs that hold a tab, line, page or
    paragraph break: it works paragraph by paragraph, so the rest is left as it would leave it,
    and a contract's few such values no longer cost a pass over every paragraph."""
    if "txbxContent" in xml:
        return resolve(xml)  # paragraphs inside paragraphs (text boxes): as docxtpl does it
    out: list[str] = []
    done = 0
    for at in _breaks(xml):
        if at < done:
            continue  # in a paragraph already resolved
        start = max(xml.rfind("<w:p>", done, at), xml.rfind("<w:p ", done, at))
        if start < 0:
            continue  # between paragraphs: docxtpl leaves it too
        end = xml.find("</w:p>", start)
        if end < at:
            continue  # after the paragraph before it closed: between paragraphs
        end += len("</w:p>")
        out += [xml[done:start], resolve(xml[start:end])]
        done = end
    out.append(xml[done:])
    return "".join(out)


def _parse_body(xml: str) -> Any:
    """The body as docxtpl's ``fix_tables`` parses it (recovering, as docxtpl does)."""
    from lxml import etree

    return etree.fromstring(xml, etree.XMLParser(recover=True))


_TBL, _TR, _TC = f"{{{_W}}}tbl", f"{{{_W}}}tr", f"{{{_W}}}tc"
_GRID, _GRID_COL = f"{{{_W}}}tblGrid", f"{{{_W}}}gridCol"
_GRID_SPAN, _VAL = f"{{{_W}}}tcPr/{{{_W}}}gridSpan", f"{{{_W}}}val"


def _tables_need_fixing(body: Any) -> bool:
    """Whether docxtpl's ``fix_tables`` would change a table's grid: some row has more cells than
    the grid has columns (a ``{%tc%}`` loop), or no row spans them all (fewer cells, or no rows).
    The same test as its loops, stopping at the first table that needs it."""
    for table in body.iter(_TBL):
        grid = table.find(_GRID)
        if grid is None:
            return True  # let docxtpl deal with it as it always has
        columns = len(grid.findall(_GRID_COL))
        full = False
        for row in table.iter(_TR):
            cells = row.findall(_TC)
            if len(cells) > columns:
                return True
            if not full:
                try:
                    spans = [c.find(_GRID_SPAN) for c in cells]
                    total = sum(1 if s is None else int(s.get(_VAL)) for s in spans)
                except (TypeError, ValueError):
                    return True  # a span docxtpl itself would stumble on: its own path
                full = total >= columns
        if not full:
            return True
    return False


def _mark_paragraphs(xml: str) -> str:
    """One paragraph per source line, so a Jinja error's line number points at its paragraph."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _constant(env: jinja2.Environment, source: str) -> bool:
    """Whether Jinja renders ``source`` as itself whatever the context: no tag can start in it
    (the environment's tags all start with a brace, and it has no line statements or comments),
    and it holds no line ending Jinja would rewrite or strip. docxtpl renders such a core
    property (most templates' properties are plain text) with a new context every time."""
    starts = (env.block_start_string, env.variable_start_string, env.comment_start_string)
    return (
        all(start.startswith("{") for start in starts)
        and env.line_statement_prefix is None
        and env.line_comment_prefix is None
        and "{" not in source
        and "\r" not in source
        and not source.endswith("\n")
    )


def _compile_unmarked(env: jinja2.Environment, marked: str) -> Any:
    """The code of a body source without the line breaks ``_mark_paragraphs`` put before its
    paragraphs: docxtpl removes them from the output again, a planned body (values in text
    only, ``iopdocs.word.bodyxml``) renders the same without them, and each render then saves
    two passes over the body. An error is raised by the marked source, so that its line number
    points at a paragraph."""
    try:
        return env.compile(marked.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p "))
    except jinja2.TemplateError:
        return _compile(env, marked)


def _compile(env: jinja2.Environment, source: str) -> Any:
    """Jinja's code object for ``source`` (what ``env.from_string`` would load)."""
    try:
        return env.compile(source)
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
    digest = _digest(template)
    key = (digest, env)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    compiled = _from_disk(digest, template, env)
    if compiled is None:
        try:
            compiled = CompiledTemplate.compile(template, env)
        except _UnsupportedError:
            pass  # None: rendered by plain docxtpl (rare, and not worth a disk entry)
        else:
            diskcache.write_entry(disk_key(digest, env), compiled.payload())
    with _lock:
        _cache[key] = compiled
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


@functools.lru_cache(maxsize=CACHE_SIZE)
def _digest(template: bytes) -> bytes:
    """The SHA-256 of ``template``, remembered for the few templates of a session: a template
    is usually the same bytes object contract after contract, whose hash Python keeps, so the
    lookup costs nothing and the digest is computed once."""
    return hashlib.sha256(template).digest()


def disk_key(digest: bytes, env: jinja2.Environment) -> str:
    """The disk cache's key: everything the compiled form depends on. The template's SHA-256,
    this library's version and this module's own source (so a changed compile step in a
    checkout never meets entries of the old one), the versions of Jinja (its code generator),
    docxtpl and python-docx (the patched XML) and Python (the bytecode), and the environment's
    identity (its class, sandboxed or not, its options and locale)."""
    import importlib.util

    parts = [
        digest.hex(),
        __version__,
        _source_digest(),
        jinja2.__version__,
        _package_version("docxtpl"),
        _package_version("docx"),
        importlib.util.MAGIC_NUMBER.hex(),
        environment_identity(env),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _source_digest() -> str:
    """The SHA-256 of this module's source and of the modules whose work an entry keeps: the
    body's plan (``bodyxml``) and the stored members' compression (``package``)."""
    from iopdocs.word import bodyxml, package

    digest = hashlib.sha256()
    try:
        for path in (__file__, bodyxml.__file__, package.__file__):
            with open(path, "rb") as source:
                digest.update(source.read())
    except OSError:  # run from a zip or without sources: the version has to do
        return "?"
    return digest.hexdigest()


def _package_version(name: str) -> str:
    """A package's ``__version__`` line read from its source, without importing it (importing
    docxtpl is what a process started from the disk cache saves; importlib.metadata is slow)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        return "?"
    try:
        with open(spec.origin, encoding="utf-8") as source:
            match = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)", source.read(), re.MULTILINE)
    except OSError:
        return "?"
    return match.group(1) if match else spec.origin


def _from_disk(digest: bytes, template: bytes, env: jinja2.Environment) -> CompiledTemplate | None:
    payload = diskcache.read_entry(disk_key(digest, env))
    if payload is None:
        return None
    try:
        return CompiledTemplate.from_payload(payload, template, env)
    except (ValueError, TypeError, EOFError, KeyError):
        return None  # a payload this code cannot read: compiled afresh and written again


def clear_cache() -> None:
    """Forget every compiled template and snippet (they are rebuilt on the next render)."""
    from iopdocs.word import snippets

    with _lock:
        _cache.clear()
    snippets.clear_cache()
