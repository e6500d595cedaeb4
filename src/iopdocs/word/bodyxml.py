"""A rendered body finished as a string: docxtpl's re-parse, without parsing.

After Jinja, docxtpl parses a rendered body with a recovering XML parser, evens out its tables'
grids where a ``{%tc%}`` loop or an emptied table needs it, and the document is serialised
again; iopdocs then restores the column widths and holds facts together (``iopdocs.word.fixes``)
on that tree. For a contract, that parse and serialisation was a third of the time.

``plan_body`` reads a compiled template's body source once and decides whether every rendering
of it is well-formed XML by construction: every Jinja value lands in text (never inside a tag),
every ``{% if %}``/``{% for %}`` branch opens and closes the same elements, and nothing inserts
markup unescaped (``|safe``, macros, call blocks, block assignments, ``break``). For such a
template ``finish_body`` gives the bytes the tree path gives, straight from the string:

- the body's start tag as lxml writes it inside the document (no repeated namespace declarations);
- an element that may render empty (its content is Jinja only) closed as ``<x/>``, as lxml
  writes it; the template's elements that may are listed once, at compile time;
- ``&#34;`` and ``&#39;`` (Jinja's escapes of quotes in text) as the characters, as lxml
  writes text; a carriage return as a line feed, as an XML parser reads it;
- the tables: docxtpl's test whether a grid needs evening out (if one does, the tree path does
  it), then each grid given its first row's cell widths;
- facts held together in each text run (``glued_text``; a fact never spans the ``&amp;``,
  ``&lt;`` or ``&gt;`` of escaped text, so the escaped text is glued as it stands).

Whatever this path does not reproduce gives ``None`` and the tree path renders it: a paragraph
or page break inside a value (docxtpl's ``resolve_listing`` may then cut through a hyperlink),
text boxes, drawings (docxtpl renumbers them), nested tables, characters XML forbids (the
recovering parser drops them), a template with many elements that may render empty.
tests/unit/test_body_xml.py holds both paths to the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from iopdocs.word.fixes import glued_text, xml_escaped

__all__ = ["BodyPlan", "escape_text", "finish_body", "load_plan", "plan_body"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MAX_EMPTIES = 32
"""The most distinct elements that may render empty a template may have for this path."""
# Filters and calls whose result is markup that Jinja inserts unescaped.
_MARKUP_FILTERS = frozenset({"safe", "urlize", "xmlattr"})
_MARKUP_CALLS = frozenset({"lipsum", "caller", "loop", "super", "self"})
_TAG = re.compile(r"<[^<>]*>")
_NAME = re.compile(r"</?([A-Za-z_][\w.:-]*)")
_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)")
_NAMESPACE = re.compile(r'\sxmlns(?::([\w.-]+))?="([^"]*)"')
# Characters XML 1.0 forbids (the recovering parser drops them; this path leaves them to it).
_FORBIDDEN = bytes(c for c in range(32) if c not in (9, 10, 13))
_FORBIDDEN_WIDE = ("\ufffe".encode(), "\uffff".encode())  # both start with b"\xef\xbf"


# A named tuple, not a frozen dataclass: made at import in a fifth of the time (cold start).
class BodyPlan(NamedTuple):
    """What ``finish_body`` needs of one template, found when it is compiled."""

    start_tag: str
    """The body's start tag as the rendered XML has it."""
    placed_tag: str
    """The same tag as lxml writes it inside the document element."""
    empties: tuple[tuple[str, str], ...]
    """Each element that may render empty, as ``<x a="1"></x>`` and as ``<x a="1"/>``."""
    head: bytes
    """The document part up to the body."""
    tail: bytes
    """The document part after the body."""

    def dump(self) -> tuple[str, str, tuple[tuple[str, str], ...], bytes, bytes]:
        """This plan as marshal can store it (in the compiled-template cache)."""
        return (self.start_tag, self.placed_tag, self.empties, self.head, self.tail)


def plan_body(env: Any, source: str, shell: bytes, body_index: int) -> BodyPlan | None:
    """The plan for the body ``source`` (docxtpl's patched XML, as compiled) placed at
    ``body_index`` in ``shell`` (the document element without its body), or ``None`` when
    some rendering of it might not be well-formed XML, or might need what only the tree path
    does."""
    from jinja2 import TemplateSyntaxError

    source = source.replace("\n<w:p>", "<w:p>").replace("\n<w:p ", "<w:p ")  # as _finish does
    first = _TAG.match(source)
    if first is None or not source.endswith("</w:body>"):
        return None
    start_tag = first.group()
    declared = dict(_NAMESPACE.findall(start_tag))
    if declared.get("w") != _W or list(declared.values()).count(_W) != 1:
        return None  # the main namespace under another prefix: the string tests would miss it
    if "xmlns" in source[len(start_tag) :] or "docPr" in source or "txbxContent" in source:
        return None
    try:
        tree = env.parse(source)
    except TemplateSyntaxError:
        return None
    scanner = _Scanner()
    if not _unescaped_markup_free(tree) or not scanner.walk(tree.body) or scanner.stack:
        return None
    if len(scanner.empties) > _MAX_EMPTIES:
        return None
    # docxtpl's listing step opens text runs of this kind, which a value's break can leave empty.
    scanner.empties.add(('<w:t xml:space="preserve">', "w:t"))
    head, tail, placed = _shell_around_body(shell, body_index, start_tag)
    empties = tuple(sorted((f"{tag}</{name}>", f"{tag[:-1]}/>") for tag, name in scanner.empties))
    return BodyPlan(start_tag, placed, empties, head, tail)


def load_plan(saved: Any) -> BodyPlan | None:
    """A plan that ``BodyPlan.dump`` saved (``None`` stays ``None``)."""
    if saved is None:
        return None
    start_tag, placed_tag, empties, head, tail = saved
    return BodyPlan(start_tag, placed_tag, tuple(tuple(e) for e in empties), head, tail)


def escape_text(value: Any) -> str:
    """What Jinja's autoescape writes for a value, for a body with a plan: there every value
    lands in text and straight in the output (no block assignment, macro or call block captures
    one), so ``markupsafe.escape`` is needed for its text only. The same text but for quotes,
    written as themselves (as lxml writes text, and as ``finish_body`` would write them), and as
    a plain string rather than ``Markup``: the output is joined into one string anyway. A value
    with ``__html__`` is taken as it says, as markupsafe takes it; anything else is ``str``-ed,
    so an undefined value raises as before."""
    if type(value) is str:
        text: str = value
    elif hasattr(value, "__html__"):
        return str(value.__html__())
    else:
        text = str(value)
    return xml_escaped(text)


def finish_body(plan: BodyPlan, rendered: str, xml: str) -> bytes | None:
    """The document part for the body Jinja ``rendered``, ``xml`` after docxtpl's listing step
    (``_finish``), or ``None`` when the tree path must finish it."""
    if "\a" in rendered or "\f" in rendered or not xml.startswith(plan.start_tag):
        return None  # a paragraph or page break in a value may cut through a hyperlink
    # Each test first looks for one character: Python finds one character in a long text
    # several times faster than two.
    if "&" in xml and _ENTITY.search(xml):
        return None
    if "#" in xml and "&#" in xml:
        xml = xml.replace("&#34;", '"').replace("&#39;", "'")
        if "&#" in xml:
            return None  # a character reference the tree path would write as the character
    if "\r" in xml:
        xml = xml.replace("\r\n", "\n").replace("\r", "\n")
    for empty, closed in plan.empties:
        if empty in xml:
            xml = xml.replace(empty, closed)
    tables = _fixed_tables(xml)
    if tables is None:
        return None
    xml = _glued(tables)
    try:
        body = xml.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the tree path refuses it as it always has
        return None
    if len(body.translate(None, _FORBIDDEN)) != len(body):  # one pass over the bytes
        return None
    if b"\xef\xbf" in body and any(wide in body for wide in _FORBIDDEN_WIDE):
        return None
    # The start tag as lxml places it, then the rest of the body: joined once, not copied.
    after = memoryview(body)[len(plan.start_tag.encode("utf-8")) :]
    return b"".join((plan.head, plan.placed_tag.encode("utf-8"), after, plan.tail))


# --- Compile time: is every rendering well-formed? -----------------------------------------------


def _unescaped_markup_free(tree: Any) -> bool:
    """No construct of ``tree`` inserts markup unescaped."""
    from jinja2 import nodes

    unsafe = (nodes.MarkSafe, nodes.MarkSafeIfAutoescape)
    if any(True for _ in tree.find_all(unsafe)):
        return False
    if any(f.name in _MARKUP_FILTERS for f in tree.find_all(nodes.Filter)):
        return False
    for call in tree.find_all(nodes.Call):
        target = call.node
        while isinstance(target, nodes.Getattr):
            target = target.node
        if isinstance(target, nodes.Name) and target.name in _MARKUP_CALLS:
            return False
    return True


class _Scanner:
    """Follows the elements the static XML of a template opens and closes, through its Jinja
    branches and loops. A branch may close elements opened before it and open others of the
    same names (``{% if x %}</w:t></w:r><w:r><w:t>{% endif %}``): what counts is that after
    it the same names are open, whichever way it went. Elements that may render empty are
    collected generously: closing one that has content anyway changes nothing."""

    def __init__(self) -> None:
        # Per open element: its possible start tags, its name, the branch depth it belongs to,
        # and whether it surely has content (static text or an element at that depth).
        self.stack: list[list[Any]] = []
        self.depth = 0
        self.empties: set[tuple[str, str]] = set()

    def walk(self, body: list[Any]) -> bool:
        from jinja2 import nodes

        for node in body:
            if isinstance(node, nodes.Output):
                data = [c.data for c in node.nodes if isinstance(c, nodes.TemplateData)]
                if not all(self.feed(d) for d in data):
                    return False
            elif isinstance(node, nodes.If):
                branches = [node.body, *(b.body for b in node.elif_), node.else_]
                if not all(self.branch(b) for b in branches):
                    return False
            elif isinstance(node, nodes.For):
                if node.recursive or not (self.branch(node.body) and self.branch(node.else_)):
                    return False
            elif isinstance(node, nodes.With | nodes.Scope):
                if not self.walk(node.body):
                    return False
            elif not isinstance(node, nodes.Assign | nodes.ExprStmt):
                return False  # macros, blocks, includes, break and continue, block assignments
        return True

    def branch(self, body: list[Any]) -> bool:
        """A branch's static XML leaves elements of the same names open as before it."""
        before = list(self.stack)
        content = [entry[3] for entry in before]
        self.depth += 1
        ok = self.walk(body)
        self.depth -= 1
        if not ok or [e[1] for e in self.stack] != [e[1] for e in before]:
            return False
        for number, (entry, was) in enumerate(zip(self.stack, before, strict=True)):
            if entry is was:
                entry[3] = content[number]
            else:  # closed and opened again inside the branch: either may be open now
                self.stack[number] = [was[0] | entry[0], was[1], was[2], False]
        return True

    def feed(self, data: str) -> bool:
        """Static XML: whole tags and text only."""
        at = 0
        for match in _TAG.finditer(data):
            if not self.text(data[at : match.start()]):
                return False
            if not self.tag(match.group()):
                return False
            at = match.end()
        return self.text(data[at:])

    def text(self, text: str) -> bool:
        if not text:
            return True
        if "<" in text or "]]>" in text or _ENTITY.search(text):
            return False
        self.content()
        return True

    def content(self) -> None:
        if self.stack and self.stack[-1][2] == self.depth:
            self.stack[-1][3] = True

    def tag(self, tag: str) -> bool:
        if tag.startswith(("<!", "<?")):
            return False
        name = _NAME.match(tag)
        if name is None:
            return False
        if tag.startswith("</"):
            if not self.stack or self.stack[-1][1] != name.group(1):
                return False
            starts, element, _, has_content = self.stack.pop()
            if not has_content:
                self.empties.update((start, element) for start in starts)
            self.content()
            return True
        self.content()
        if not tag.endswith("/>"):
            self.stack.append([{tag}, name.group(1), self.depth, False])
        return True


def _shell_around_body(shell: bytes, body_index: int, start_tag: str) -> tuple[bytes, bytes, str]:
    """The serialised document before and after its body, and the body's start tag as lxml
    writes it there (its namespace declarations already made by the document element)."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    marker = "iopdocs-body-marker"
    body = parse_xml(f"{start_tag}{marker}</w:body>".encode())
    root = parse_xml(shell)
    root.insert(body_index, body)
    whole = serialize_part_xml(root)
    at = whole.index(marker.encode())
    begin = whole.rindex(b"<w:body", 0, at)
    end = at + len(marker) + len(b"</w:body>")
    return whole[:begin], whole[end:], whole[begin:at].decode("utf-8")


# --- Render time: the fix-ups on the string ------------------------------------------------------

_GRID_COL = re.compile(r"<w:gridCol\b[^>]*>")
_ROW = re.compile(r"<w:tr[ >/]")
_CELL = re.compile(r"<w:tc[ >/]")
_ROW_OR_CELL = re.compile(r"<w:t([rc])[ >/]")
_SPAN = re.compile(r'<w:gridSpan w:val="([^"]*)"')
_CELL_WIDTH = re.compile(r"<w:tcW\b[^>]*>")
_ATTRIBUTE = re.compile(r'\s([\w:.-]+)="([^"]*)"')
_WIDTH_VALUE = re.compile(r'\sw:w="([^"]*)"')


def _fixed_tables(xml: str) -> str | None:
    """``xml`` with each table's grid given its first row's cell widths; ``None`` when a table
    is nested in another or docxtpl's table fix-up would change a grid."""
    out: list[str] = []
    done = 0
    while True:
        start = _table_start(xml, done)
        if start < 0:
            break
        end = xml.find("</w:tbl>", start)
        if end < 0 or 0 <= _table_start(xml, start + 1) < end:
            return None  # a table inside a table
        end += len("</w:tbl>")
        fixed = _fixed_table(xml[start:end])
        if fixed is None:
            return None
        out += [xml[done:start], fixed]
        done = end
    out.append(xml[done:])
    return "".join(out)


def _table_start(xml: str, at: int) -> int:
    """Where the next ``<w:tbl>`` (or ``<w:tbl …>``) starts at or after ``at``; -1 if none."""
    while True:
        at = xml.find("<w:tbl", at)
        if at < 0 or xml[at + 6 : at + 7] in (">", " "):
            return at
        at += 6  # <w:tblGrid>, <w:tblPr>, …


def _fixed_table(table: str) -> str | None:
    if "<w:sdt" in table or "<w:customXml" in table:
        return None  # rows or cells inside content controls: docxtpl counts direct children only
    grid_start = table.find("<w:tblGrid>")
    grid_end = table.find("</w:tblGrid>")
    if grid_start < 0 or grid_end < grid_start:
        return None
    columns = list(_GRID_COL.finditer(table, grid_start, grid_end))
    if "<w:gridSpan" in table:
        full = _spans_grid(table, len(columns))
        if full is None:
            return None
    else:  # the cells of each row, counted at once: "rccrcc" is two rows of two cells
        cells = [len(row) for row in "".join(_ROW_OR_CELL.findall(table)).split("r")[1:]]
        if any(count > len(columns) for count in cells):
            return None  # a {%tc%} loop widened the table: docxtpl's fix-up
        full = any(count >= len(columns) for count in cells)
    if not full:
        return None  # no row spans the grid (or no rows at all): docxtpl's fix-up
    first = _ROW.search(table)
    assert first is not None  # a full row is a row
    second = _ROW.search(table, first.end())
    widths = _first_row_widths(table[first.start() : second.start() if second else None])
    if not columns or widths is None or len(widths) != len(columns):
        return table
    pieces = [table[: columns[0].start()]]
    for number, (column, width) in enumerate(zip(columns, widths, strict=True)):
        tag = column.group()
        value = _WIDTH_VALUE.search(tag)
        if value is None:
            return None  # a column without a width: lxml would add the attribute at its end
        pieces.append(tag[: value.start(1)] + width + tag[value.end(1) :])
        following = columns[number + 1].start() if number + 1 < len(columns) else None
        pieces.append(table[column.end() : following])
    return "".join(pieces)


def _spans_grid(table: str, columns: int) -> bool | None:
    """Whether some row's cells (with their spans) fill the grid; ``None`` when a row has more
    cells than the grid has columns, or a span is not a number (docxtpl's fix-up then)."""
    full = False
    for row in _rows(table):
        cells = row.count("<w:tc>") + row.count("<w:tc ") + row.count("<w:tc/>")
        if cells > columns:
            return None
        spans = _SPAN.findall(row)
        if not all(s.isdigit() for s in spans):
            return None
        full = full or cells + sum(int(s) for s in spans) - len(spans) >= columns
    return full


def _rows(table: str) -> Iterator[str]:
    starts = [m.start() for m in _ROW.finditer(table)]
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(table)
        yield table[start:end]


def _first_row_widths(row: str) -> list[str] | None:
    """The dxa widths of the row's cells, or ``None`` when a cell has none (then the grid is
    left as it is, as ``restore_column_widths`` leaves it)."""
    starts = [m.start() for m in _CELL.finditer(row)]
    widths = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(row)
        cell = row[start:end]
        properties = cell.find("<w:tcPr>")
        if properties < 0 or cell.startswith("<w:tc/>"):
            return None
        found = _CELL_WIDTH.search(cell, properties, cell.find("</w:tcPr>", properties))
        if found is None:
            return None
        attributes = dict(_ATTRIBUTE.findall(found.group()))
        if attributes.get("w:type") != "dxa" or "w:w" not in attributes:
            return None
        widths.append(attributes["w:w"])
    return widths


def _glued(xml: str) -> str:
    """Facts held together in every text run of ``xml``. A run's text is what follows the last
    ``>`` before its ``</w:t>`` (text holds ``>`` only as ``&gt;``)."""
    parts = xml.split("</w:t>")
    changed = False
    for number in range(len(parts) - 1):
        part = parts[number]
        at = part.rfind(">") + 1
        text = part[at:]
        if text:
            glued = glued_text(text)
            if glued is not text and glued != text:
                parts[number] = part[:at] + glued
                changed = True
    return "</w:t>".join(parts) if changed else xml
