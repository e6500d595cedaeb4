"""Checking a Word template before anyone renders it.

``lint_template`` reads a .docx the way docxtpl will (the patched XML of the body, headers,
footers and footnotes, and the core properties docxtpl renders) and reports what would break or
silently lose text:

- ``syntax``: a Jinja tag that does not parse;
- ``unpaired-tag``: a block tag without its partner, or closed by a tag of another kind
  (``{%p if %}`` … ``{% endif %}``), or opened in one table or cell and closed in another;
- ``shared-container``: a ``{%p %}``, ``{%tr %}`` or ``{%tc %}`` tag sharing its paragraph, row
  or cell with other text, which docxtpl deletes along with the tag;
- ``tracked-change`` and ``comment``: revisions or comments left in the template;
- ``split-tag``: a tag running across a tracked change or hyperlink, which docxtpl's tag
  cleaning turns into broken XML;
- ``autocorrect``: Word's AutoCorrect inside a tag (``–`` for ``--``, ``…`` for ``...``);
- ``unknown-variable``, ``unknown-filter``, ``unknown-test``: names the data or the environment
  does not have, each with a "did you mean";
- ``empty-table``: a table made only of ``{%tr for %}`` rows (or a row made only of
  ``{%tc for %}`` cells) over a list that may be empty and not guarded by ``{%p if … %}``: it
  would be left with no rows (or cells), an invalid table;
- ``clauses-missing``: a contract template that places clauses from the clause library but
  none of one of its sections (``doc.clauses.conditions``): the standard wording of that
  section, protections included, would silently be left out. (A template that writes all its
  wording itself and places no clauses is its owner's choice.)

Variable paths are resolved through the model's fields for ``agreement`` and through the shape
of a real context (built from the packaged starter agreement) for ``doc`` and ``report``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import types
import typing
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

from iopdocs.errors import TemplateError

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes
    from lxml import etree

__all__ = [
    "KINDS",
    "TemplateProblem",
    "describe_syntax_error",
    "describe_undefined",
    "infer_kind",
    "lint_template",
    "template_names",
]

# The top-level names each kind of template is rendered with.
KINDS: dict[str, tuple[str, ...]] = {
    "contract": ("agreement", "doc"),
    "report": ("agreement", "report"),
    "review": ("agreement", "doc", "review"),
}

# Derived lists that are never empty, and the model rule that guarantees it.
_NEVER_EMPTY = {
    "doc.parties": "an agreement has at least two parties",
    "doc.public_parties": "an agreement has a public party",
    "doc.nonprofit_parties": "an agreement has a non-profit party",
    "doc.contacts": "every party has a contact",
    "doc.signatures": "every party has a signatory",
    "doc.contributions": "an agreement has at least one contribution",
    "report.contacts": "every reporting party has a contact",
    "report.signatures": "every reporting party has a signatory",
    "report.appendices": "the usual appendices stand in when none are given",
}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_SPECIAL = re.compile(r"^\{%-?\s*(p|tr|tc|r)\s+(\w+)(.*?)-?%\}$", re.DOTALL)
_PLAIN_BLOCK = re.compile(r"^\{%-?\s*(\w+)(.*?)-?%\}$", re.DOTALL)
_OPENERS = {"for", "if", "with", "macro", "call", "filter", "block", "autoescape"}
_MIDDLES = {"else": ("if", "for"), "elif": ("if",)}
_REVISIONS = {
    "ins": "a tracked insertion",
    "del": "a tracked deletion",
    "moveFrom": "a tracked move",
    "moveTo": "a tracked move",
    "rPrChange": "a tracked formatting change",
    "pPrChange": "a tracked formatting change",
    "tblPrChange": "a tracked formatting change",
    "trPrChange": "a tracked formatting change",
    "tcPrChange": "a tracked formatting change",
    "sectPrChange": "a tracked formatting change",
    "cellIns": "a tracked cell insertion",
    "cellDel": "a tracked cell deletion",
}
# Elements a tag may not cross: docxtpl's tag cleaning deletes their closing tags.
_BOUNDARIES = {"ins", "del", "moveFrom", "moveTo", "hyperlink", "fldSimple", "smartTag", "sdt"}
_AUTOCORRECT = {"–": "- or --", "—": "---", "…": "...", "„": '"'}
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"|‘[^’]*’|“[^”]*”")
_CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class TemplateProblem:
    """One problem in a template: a stable ``code``, the ``part`` of the .docx it is in
    (``word/document.xml``, ``word/header1.xml``, ``docProps/core.xml (title)``), the text
    ``where`` it is, and a ``message`` saying what is wrong and how to fix it."""

    code: str
    message: str
    part: str
    where: str = ""

    def __str__(self) -> str:
        near = f' (near "{self.where}")' if self.where else ""
        return f"{self.part}: {self.code}: {self.message}{near}"


# --- Reading the template as docxtpl does ---------------------------------------------------


@dataclass
class _Part:
    name: str
    root: etree._Element | None  # None for a core property
    source: str  # as docxtpl patches it, one tag per line


def _parts(data: bytes) -> list[_Part]:
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    if not zipfile.is_zipfile(BytesIO(data)):
        raise TemplateError("the template is not a Word document (.docx)")
    try:
        tpl = DocxTemplate(BytesIO(data))
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"the template is not a usable Word document: {exc}") from exc
    document = tpl.docx
    parts = [
        _Part("word/document.xml", document.element.body, _lines(tpl.patch_xml(tpl.get_xml())))
    ]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            xml = tpl.get_part_xml(part)
            parts.append(
                _Part(part.partname.lstrip("/"), parse_xml(part.blob), _lines(tpl.patch_xml(xml)))
            )
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES_TYPE:
            blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
            parts.append(
                _Part(part.partname.lstrip("/"), parse_xml(part.blob), _lines(tpl.patch_xml(blob)))
            )
    core = document.core_properties
    for name in _CORE_PROPERTIES:
        value = getattr(core, name) or ""
        if "{" in value:
            parts.append(_Part(f"docProps/core.xml ({name})", None, value))
    return parts


def _lines(xml: str) -> str:
    """One paragraph and one tag per line, so a Jinja line number points at a tag."""
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)
    return re.sub(r"(?=\{[{%#])", "\n", xml)


def _strip_xml(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


def _tag_at(source: str, lineno: int) -> tuple[str, str]:
    """The tag starting line ``lineno`` of ``source`` and the text of its paragraph."""
    lines = source.splitlines()
    index = min(max(lineno - 1, 0), len(lines) - 1) if lines else 0
    line = lines[index] if lines else ""
    match = _TAG.match(line)
    tag = match.group(0) if match else _strip_xml(line)[:80]
    start = index
    while start > 0 and not lines[start].startswith("<w:p"):
        if "</w:p>" in lines[start - 1]:
            break
        start -= 1
    end = index + 1
    while end < len(lines) and not lines[end].startswith("<w:p") and "</w:p>" not in lines[end - 1]:
        end += 1
    return tag, _shorten(_strip_xml("".join(lines[start:end])))


def _shorten(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- Shapes: what a name or path holds --------------------------------------------------------


class _Shape:
    """What a value in the context looks like, as far as a template can tell."""

    def attr(self, name: str) -> _Shape | None:
        return _ANY

    def names(self) -> list[str]:
        return []

    def element(self) -> _Shape:
        return _ANY

    non_empty = False


_ANY = _Shape()


@dataclass(eq=False)
class _Leaf(_Shape):
    kind: type

    def attr(self, name: str) -> _Shape | None:
        return _ANY if not name.startswith("_") and hasattr(self.kind, name) else None

    def names(self) -> list[str]:
        return [n for n in dir(self.kind) if not n.startswith("_")]

    def element(self) -> _Shape:
        return self if self.kind is str else _ANY


@dataclass(eq=False)
class _Record(_Shape):
    fields: dict[str, _Shape]

    def attr(self, name: str) -> _Shape | None:
        if name in self.fields:
            return self.fields[name]
        return _ANY if not name.startswith("_") and hasattr(dict, name) else None

    def names(self) -> list[str]:
        return list(self.fields)


@dataclass(eq=False)
class _List(_Shape):
    item: _Shape
    non_empty: bool = False

    def attr(self, name: str) -> _Shape | None:
        return _ANY if not name.startswith("_") and hasattr(list, name) else None

    def element(self) -> _Shape:
        return self.item


@dataclass(eq=False)
class _Map(_Shape):
    value: _Shape

    def attr(self, name: str) -> _Shape | None:
        return self.value


def _merge(a: _Shape, b: _Shape) -> _Shape:
    if a is _ANY:
        return b
    if b is _ANY:
        return a
    if isinstance(a, _Record) and isinstance(b, _Record):
        merged = dict(a.fields)
        for key, value in b.fields.items():
            merged[key] = _merge(merged[key], value) if key in merged else value
        return _Record(merged)
    if isinstance(a, _List) and isinstance(b, _List):
        return _List(_merge(a.item, b.item), a.non_empty and b.non_empty)
    if isinstance(a, _Leaf) and isinstance(b, _Leaf) and a.kind is b.kind:
        return a
    return _ANY


def _from_value(value: Any, path: str) -> _Shape:
    """The shape of a sample context value; ``path`` marks the lists known never to be empty."""
    if isinstance(value, Mapping):
        return _Record({str(k): _from_value(v, f"{path}.{k}") for k, v in value.items()})
    if isinstance(value, list | tuple):
        item: _Shape = _ANY
        for element in value:
            item = _merge(item, _from_value(element, path))
        return _List(item, path in _NEVER_EMPTY)
    if value is None:
        return _ANY
    return _Leaf(type(value))


@cache
def _from_type(annotation: Any) -> _Shape:
    """The shape of a model field's type: nested models, lists, Optional, dicts."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _from_type(args[0])
    if origin in (typing.Union, types.UnionType):
        shape: _Shape = _ANY
        for arg in args:
            if arg is not type(None):
                shape = _merge(shape, _from_type(arg))
        return shape
    if origin in (list, tuple, set, frozenset):
        return _List(_from_type(args[0]) if args else _ANY)
    if origin is dict:
        return _Map(_from_type(args[1]) if len(args) == 2 else _ANY)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields: dict[str, _Shape] = {}
        for name, info in annotation.model_fields.items():
            shape = _from_type(typing.cast(Any, info.annotation))
            if isinstance(shape, _List) and any(
                getattr(m, "min_length", 0) >= 1 for m in info.metadata
            ):
                shape = _List(shape.item, non_empty=True)
            fields[name] = shape
        for name, computed in annotation.model_computed_fields.items():
            fields[name] = _from_type(computed.return_type)
        return _Record(fields)
    if isinstance(annotation, type) and issubclass(
        annotation, str | int | Decimal | dt.date | Enum | bool
    ):
        return _Leaf(annotation)
    return _ANY


@cache
def _context_shapes(kind: str) -> dict[str, _Shape]:
    """Every top-level name of ``kind`` and its shape."""
    from iopdocs.model import Agreement

    agreement = _from_type(Agreement)
    if kind == "contract":
        return {"agreement": agreement, "doc": _sample_shape("doc")}
    if kind == "review":
        return {"agreement": agreement, **_review_shapes()}
    return {"agreement": agreement, "report": _sample_shape("report")}


def _review_shapes() -> dict[str, _Shape]:
    """The review appendix's context, with a finding of every severity so no group is empty."""
    from iopdocs.render.formats import formats_for
    from iopdocs.render.review import review_context
    from iopdocs.reviewing import (
        CHECKS,
        DEFAULT_EUR_RATE,
        Finding,
        Severity,
        passed_checks,
        review_options,
    )

    agreement = _sample_agreement()
    findings = [
        Finding(
            code=CHECKS[0].code,
            severity=severity,
            title=CHECKS[0].title,
            path="purpose",
            message="Iakttagelse.",
            source=CHECKS[0].source,
            quote=quote,
        )
        for severity in Severity
        for quote in (None, "Citat.")
    ]
    context = review_context(
        agreement,
        findings,
        passed_checks(findings),
        review_options(agreement, eur_rate=DEFAULT_EUR_RATE, sgei=()),
        formats_for("sv_SE"),
    )
    return {name: _from_value(context[name], name) for name in ("doc", "review")}


def _sample_agreement() -> Any:
    """The packaged starter agreement with the optional parts it leaves out filled in."""
    from importlib import resources

    import yaml

    from iopdocs.model import Agreement

    data = yaml.safe_load(resources.files("iopdocs").joinpath("starter.yaml").read_text("utf-8"))
    item = data["mission"]["items"][0]
    item["capacities"] = [{"quantity": 2, "unit": "kvällar", "per": "vecka"}]
    item["goals"] = ["Fler elever klarar skolan."]
    item["indicators"] = [{"name": "Antal deltagare", "target": 40, "unit": "elever"}]
    line = data["contributions"][-1]["money"][0]
    line["vat"] = "outside_scope"
    return Agreement.model_validate(data)


def _sample_shape(name: str) -> _Shape:
    from iopdocs.model import AnnualReport
    from iopdocs.render.context import contract_context
    from iopdocs.render.formats import formats_for
    from iopdocs.render.report import report_context, reporting_parties
    from iopdocs.schedule import payment_schedule, report_period

    agreement = _sample_agreement()
    formats = formats_for("sv_SE")
    schedule = payment_schedule(agreement)
    if name == "doc":
        return _from_value(contract_context(agreement, schedule, formats)["doc"], "doc")
    period = report_period(agreement, agreement.period.start.year)
    reporters = reporting_parties(agreement, None)
    filled = AnnualReport.model_validate(
        {
            "year": period.year,
            "summary": "Sammanfattning.",
            "meetings": [{"date": period.start, "note": "Möte"}],
            "signature": {"name": "N N", "title": "Ordförande", "date": period.end},
        }
    )
    shape: _Shape = _ANY
    for report in (None, filled):
        context = report_context(agreement, period, schedule, reporters, report, formats)
        shape = _merge(shape, _from_value(context["report"], "report"))
    return shape


# --- Walking the Jinja syntax tree ------------------------------------------------------------


@dataclass
class _Scope:
    shapes: dict[str, tuple[_Shape, str]]  # name -> (shape, where it comes from)


@dataclass
class _Walker:
    env: jinja2.Environment
    part: _Part
    top: dict[str, _Shape]
    problems: list[TemplateProblem] = field(default_factory=list)
    loops: list[tuple[int, bool]] = field(default_factory=list)  # (line, list never empty)

    def problem(self, node: nodes.Node, code: str, message: str) -> None:
        tag, where = _tag_at(self.part.source, node.lineno)
        self.problems.append(TemplateProblem(code, f"{tag}: {message}", self.part.name, where))

    def walk(self, node: nodes.Node, scope: _Scope) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            shape = self.expr(node.iter, scope)
            self.loops.append((node.lineno, shape.non_empty))
            inner = dict(scope.shapes)
            self.bind(node.target, shape.element(), f"each of {_path(node.iter)}", inner)
            inner["loop"] = (_ANY, "loop")
            body = _Scope(inner)
            if node.test is not None:
                self.expr(node.test, body)
            for child in node.body:
                self.walk(child, body)
            for child in node.else_:
                self.walk(child, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.expr(node.node, scope)
            else:
                for child in node.body:
                    self.walk(child, scope)
            self.bind(node.target, _ANY, "set", scope.shapes)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope.shapes)
            for arg in getattr(node, "args", []):
                inner[arg.name] = (_ANY, "argument")
            for child in node.body:
                self.walk(child, _Scope(inner))
            return
        if isinstance(node, nodes.With):
            inner = dict(scope.shapes)
            for target, value in zip(node.targets, node.values, strict=False):
                self.bind(target, self.expr(value, scope), _path(value), inner)
            for child in node.body:
                self.walk(child, _Scope(inner))
            return
        if isinstance(node, nodes.Expr):
            self.expr(node, scope)
            return
        for child in node.iter_child_nodes():
            self.walk(child, scope)

    def bind(
        self, target: nodes.Node, shape: _Shape, origin: str, into: dict[str, tuple[_Shape, str]]
    ) -> None:
        from jinja2 import nodes

        if isinstance(target, nodes.Name):
            into[target.name] = (shape, origin)
        else:
            for name in target.find_all(nodes.Name):
                into[name.name] = (_ANY, origin)

    def expr(self, node: nodes.Node, scope: _Scope) -> _Shape:
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.name in scope.shapes:
                return scope.shapes[node.name][0]
            if node.name in self.env.globals:
                return _ANY
            known = sorted(scope.shapes) + sorted(self.env.globals)
            sees = ", ".join(sorted(self.top)) or "nothing"
            self.problem(
                node,
                "unknown-variable",
                f"'{node.name}' is not a name this template sees (it sees {sees})"
                + _did_you_mean(node.name, known),
            )
            return _ANY
        if isinstance(node, nodes.Getattr):
            return self.member(node, node.node, node.attr, scope)
        if isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.member(node, node.node, node.arg.value, scope)
            base = self.expr(node.node, scope)
            self.expr(node.arg, scope)
            return base.element() if isinstance(base, _List) else _ANY
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        if isinstance(node, nodes.Test):
            self.expr(node.node, scope)
            self.arguments(node, scope)
            if node.name not in self.env.tests:
                self.problem(
                    node,
                    "unknown-test",
                    f"there is no test '{node.name}'" + _did_you_mean(node.name, self.env.tests),
                )
            return _Leaf(bool)
        if isinstance(node, nodes.Const):
            return _Leaf(type(node.value)) if node.value is not None else _ANY
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.walk(child, scope)
        return _ANY

    def member(self, node: nodes.Node, base_node: nodes.Node, name: str, scope: _Scope) -> _Shape:
        base = self.expr(base_node, scope)
        shape = base.attr(name)
        if shape is not None:
            return shape
        base_path = _path(base_node)
        origin = ""
        root = _root_name(base_node)
        if root in scope.shapes and root not in self.top:
            source = scope.shapes[root][1]
            origin = f" ({source})" if base_path == root else f" ({root} is {source})"
        close = _closest(name, base.names())
        suggestion = f"; did you mean {base_path}.{close}?" if close else ""
        self.problem(
            node,
            "unknown-variable",
            f"{base_path}{origin} has no field '{name}'{suggestion}",
        )
        return _ANY

    def filter(self, node: nodes.Filter, scope: _Scope) -> _Shape:
        base = self.expr(node.node, scope) if node.node is not None else _ANY
        self.arguments(node, scope)
        if node.name not in self.env.filters:
            self.problem(
                node,
                "unknown-filter",
                f"there is no filter '{node.name}'" + _did_you_mean(node.name, self.env.filters),
            )
            return _ANY
        if node.name == "blocks":
            return _from_value(self.env.filters["blocks"]("a\n\n- b"), "")
        if node.name in ("length", "count", "int", "wordcount"):
            return _Leaf(int)
        if node.name in ("list", "sort", "reverse", "unique", "select", "reject"):
            return base if isinstance(base, _List) else _ANY
        if node.name in ("selectattr", "rejectattr"):
            return _List(base.element()) if isinstance(base, _List) else _ANY
        if node.name in ("first", "last", "random"):
            return base.element()
        if node.name in ("default", "d"):
            return base
        return _ANY

    def arguments(self, node: nodes.Filter | nodes.Test, scope: _Scope) -> None:
        for arg in node.args:
            self.expr(arg, scope)
        for kwarg in node.kwargs:
            self.expr(kwarg.value, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, scope)


def _root_name(node: nodes.Node) -> str:
    from jinja2 import nodes

    while isinstance(node, nodes.Getattr | nodes.Getitem):
        node = node.node
    return node.name if isinstance(node, nodes.Name) else ""


def _path(node: nodes.Node) -> str:
    from jinja2 import nodes

    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        if isinstance(node.arg.value, str):
            return f"{_path(node.node)}.{node.arg.value}"
        return f"{_path(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_path(node.node)}|{node.name}"
    return "the value"


def _closest(name: str, candidates: Any) -> str | None:
    options = [str(c) for c in candidates]
    folded = [c for c in options if c.lower() == name.lower()]
    close = folded or difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(name: str, candidates: Any) -> str:
    close = _closest(name, candidates)
    return f"; did you mean '{close}'?" if close else ""


# --- The Word-level checks --------------------------------------------------------------------


@dataclass
class _Tag:
    text: str  # the tag as the author sees it, smart quotes and all
    paragraph: etree._Element
    special: str  # "p", "tr", "tc", "r" or ""
    keyword: str  # for, if, endfor, … or "" for a printed value
    index: int  # the paragraph's position in the part, from 1


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _paragraph_text(paragraph: etree._Element) -> tuple[str, list[tuple[Any, ...]]]:
    """The paragraph's visible text, and for each character the boundary elements around it.

    The keys hold the elements themselves: lxml keeps one proxy per element only while it is
    referenced, so an ``id()`` could be reused by another element.
    """
    text = ""
    keys: list[tuple[Any, ...]] = []
    for t in paragraph.iter(f"{_W}t"):
        key = []
        node = t.getparent()
        while node is not None and node is not paragraph:
            if _local(node) in _BOUNDARIES:
                key.append(node)
            node = node.getparent()
        text += t.text or ""
        keys += [tuple(key)] * len(t.text or "")
    return text, keys


def _ancestor(element: etree._Element, local: str) -> etree._Element | None:
    node = element.getparent()
    while node is not None and _local(node) != local:
        node = node.getparent()
    return node


def _text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_W}t"))


def _word_checks(part: _Part, comments: dict[str, str]) -> tuple[list[TemplateProblem], list[_Tag]]:
    """Revisions, comments, split tags, AutoCorrect, special tags and their containers."""
    problems: list[TemplateProblem] = []
    tags: list[_Tag] = []
    root = part.root
    assert root is not None
    seen_revisions: set[tuple[int, str]] = set()

    def report(code: str, message: str, where: str) -> None:
        problems.append(
            TemplateProblem(code, message, part.name, _shorten(" ".join(where.split())))
        )

    for index, paragraph in enumerate(root.iter(f"{_W}p"), start=1):
        text, keys = _paragraph_text(paragraph)
        for element in paragraph.iter():
            local = _local(element)
            if local in _REVISIONS and (index, _REVISIONS[local]) not in seen_revisions:
                seen_revisions.add((index, _REVISIONS[local]))
                author = element.get(f"{_W}author")
                by = f" by {author}" if author else ""
                report(
                    "tracked-change",
                    f"paragraph {index} holds {_REVISIONS[local]}{by}: accept or reject every "
                    "change (Review > Accept all) and turn Track Changes off before using the "
                    "template",
                    text,
                )
            elif local == "commentReference":
                said = comments.get(element.get(f"{_W}id") or "", "")
                report(
                    "comment",
                    f"paragraph {index} has a comment"
                    + (f' ("{_shorten(said, 60)}")' if said else "")
                    + ": delete comments before using the template",
                    text,
                )
        for match in _TAG.finditer(text):
            raw = match.group(0)
            span = keys[match.start() : match.end()]
            if len(set(span)) > 1:
                report(
                    "split-tag",
                    f"paragraph {index}: the tag {raw} runs across a tracked change or hyperlink, "
                    "which docxtpl cannot clean; accept the changes and retype the tag in one go",
                    text,
                )
            damaged = [c for c in _AUTOCORRECT if c in _STRING.sub("", raw)]
            if damaged:
                report(
                    "autocorrect",
                    f"paragraph {index}: Word's AutoCorrect changed the tag {raw} ("
                    + ", ".join(f"'{c}' was '{_AUTOCORRECT[c]}'" for c in damaged)
                    + "); retype it with AutoCorrect off",
                    text,
                )
            special = _SPECIAL.match(raw)
            plain = _PLAIN_BLOCK.match(raw) if raw.startswith("{%") else None
            if special:
                tags.append(_Tag(raw, paragraph, special.group(1), special.group(2), index))
            elif plain:
                tags.append(_Tag(raw, paragraph, "", plain.group(1), index))
        for tag in [t for t in tags if t.paragraph is paragraph and t.special]:
            container = {
                "p": paragraph,
                "tr": _ancestor(paragraph, "tr"),
                "tc": _ancestor(paragraph, "tc"),
            }
            if tag.special == "r":
                continue
            holder = container[tag.special]
            what = {"p": "paragraph", "tr": "table row", "tc": "table cell"}[tag.special]
            if holder is None:
                report(
                    "shared-container",
                    f"paragraph {index}: {tag.text} is not inside a {what}",
                    text,
                )
                continue
            rest = _text_of(holder).replace(tag.text, "", 1).strip()
            if rest:
                report(
                    "shared-container",
                    f"paragraph {index}: {tag.text} shares its {what} with other text, which "
                    f"docxtpl deletes together with the tag; put the tag alone in its own {what}",
                    rest,
                )
    return problems, tags


def _pairing(part: _Part, tags: list[_Tag]) -> list[TemplateProblem]:
    """Every block tag closed by a partner of the same kind, in the same table or cell."""
    problems: list[TemplateProblem] = []
    stack: list[_Tag] = []

    def report(message: str, tag: _Tag) -> None:
        where = _shorten(" ".join(_text_of(tag.paragraph).split()))
        problems.append(TemplateProblem("unpaired-tag", message, part.name, where))

    def spelled(keyword: str, special: str) -> str:
        return "{%" + (f"{special} " if special else " ") + keyword + " %}"

    for tag in tags:
        keyword = tag.keyword
        opener = keyword in _OPENERS or (keyword == "set" and "=" not in tag.text)
        if opener:
            stack.append(tag)
        elif keyword in _MIDDLES or keyword.startswith("end"):
            wanted = _MIDDLES.get(keyword, (keyword[3:],))
            if not stack or stack[-1].keyword not in wanted:
                expected = (
                    f"; {spelled('end' + stack[-1].keyword, stack[-1].special)} for "
                    f"{stack[-1].text} (paragraph {stack[-1].index}) is expected first"
                    if stack
                    else ""
                )
                report(
                    f"paragraph {tag.index}: {tag.text} has no matching "
                    f"{spelled(wanted[0], tag.special)}{expected}",
                    tag,
                )
                continue
            top = stack[-1]
            if top.special != tag.special:
                report(
                    f"paragraph {tag.index}: {tag.text} belongs to {top.text} (paragraph "
                    f"{top.index}) but is of another kind; write "
                    f"{spelled(keyword, top.special)}",
                    tag,
                )
            elif top.special in ("tr", "tc", "p") and not _same_place(top, tag):
                place = {"tr": "table", "tc": "table row", "p": "table cell or text box"}
                report(
                    f"paragraph {tag.index}: {tag.text} is not in the same {place[top.special]} "
                    f"as {top.text} (paragraph {top.index})",
                    tag,
                )
            if keyword.startswith("end"):
                stack.pop()
    for tag in stack:
        end = "end" + tag.keyword
        report(
            f"paragraph {tag.index}: {tag.text} is never closed; add "
            + (
                f"a paragraph holding only {spelled(end, tag.special)}"
                if tag.special == "p"
                else spelled(end, tag.special)
            ),
            tag,
        )
    return problems


def _same_place(a: _Tag, b: _Tag) -> bool:
    if a.special == "tr":
        return _ancestor(a.paragraph, "tbl") is _ancestor(b.paragraph, "tbl")
    if a.special == "tc":
        return _ancestor(a.paragraph, "tr") is _ancestor(b.paragraph, "tr")
    return a.paragraph.getparent() is b.paragraph.getparent()


def _empty_tables(
    part: _Part, tags: list[_Tag], loops: list[tuple[int, bool]]
) -> list[TemplateProblem]:
    """Tables whose every row hangs on a loop over a list that may be empty, unguarded."""
    fors = [t for t in tags if t.keyword == "for"]
    if len(fors) != len(loops):
        return []  # the template did not parse as a whole; its other problems come first
    never_empty = {id(t): safe for t, (_, safe) in zip(fors, sorted(loops), strict=True)}
    by_paragraph: dict[int, list[_Tag]] = {}
    for tag in tags:
        by_paragraph.setdefault(id(tag.paragraph), []).append(tag)
    problems = []
    root = part.root
    assert root is not None
    open_blocks: list[_Tag] = []
    tables: list[tuple[Any, list[_Tag]]] = []  # each table with the blocks open around it
    for element in root.iter(f"{_W}p", f"{_W}tbl"):
        if _local(element) == "tbl":
            tables.append((element, list(open_blocks)))
            continue
        for tag in by_paragraph.get(id(element), []):
            if tag.special != "p":
                continue
            if tag.keyword in _OPENERS:
                open_blocks.append(tag)
            elif tag.keyword.startswith("end") and open_blocks:
                open_blocks.pop()
    for table, around in tables:
        if any(g.keyword == "if" for g in around):
            continue  # a {%p if %} around the table removes it whole

        rows = table.findall(f"{_W}tr")
        culprit = _may_vanish([_special(table, r, "tr", by_paragraph) for r in rows], never_empty)
        what = "row of this table"
        if culprit is None:
            for row in rows:
                cells = row.findall(f"{_W}tc")
                units = [_special(table, c, "tc", by_paragraph) for c in cells]
                culprit = _may_vanish(units, never_empty)
                if culprit is not None:
                    what = "cell of a row of this table"
                    break
        if culprit is not None:
            problems.append(
                TemplateProblem(
                    "empty-table",
                    f"paragraph {culprit.index}: every {what} comes from {culprit.text}, which "
                    "may give nothing and leave an invalid table (Word reports the document as "
                    "damaged); put a paragraph {%p if … %} before the table and {%p endif %} "
                    "after it",
                    part.name,
                    _shorten(" ".join(_text_of(table).split())),
                )
            )
    return problems


def _special(
    table: Any, unit: Any, special: str, by_paragraph: dict[int, list[_Tag]]
) -> list[_Tag]:
    """The ``special`` tags in a row or cell of ``table`` (not of a table nested in it)."""
    return [
        t
        for p in unit.iter(f"{_W}p")
        for t in by_paragraph.get(id(p), [])
        if t.special == special and _ancestor(p, "tbl") is table
    ]


def _may_vanish(units: list[list[_Tag]], never_empty: dict[int, bool]) -> _Tag | None:
    """The block tag that can leave ``units`` (rows, or a row's cells) with none at all.

    ``units`` gives each row or cell's control tags; a unit without any is content. Content
    is certain when every block around it is a loop over a list that is never empty.
    """
    active: list[_Tag] = []
    blocks: list[_Tag] = []
    for unit in units:
        if unit:
            tag = unit[0]
            if tag.keyword in ("for", "if"):
                active.append(tag)
                blocks.append(tag)
            elif tag.keyword.startswith("end") and active:
                active.pop()
            continue
        if all(t.keyword == "for" and never_empty.get(id(t), False) for t in active):
            return None
    uncertain = [t for t in blocks if not (t.keyword == "for" and never_empty.get(id(t), False))]
    return uncertain[0] if uncertain else None


def _comments(data: bytes) -> dict[str, str]:
    from lxml import etree

    with zipfile.ZipFile(BytesIO(data)) as archive:
        try:
            root = etree.fromstring(archive.read("word/comments.xml"))
        except KeyError:
            return {}
    return {
        c.get(f"{_W}id") or "": " ".join(_text_of(c).split()) for c in root.iter(f"{_W}comment")
    }


# --- Entry points -----------------------------------------------------------------------------


def _names_of(env: jinja2.Environment, parts: list[_Part]) -> set[str]:
    from jinja2 import TemplateSyntaxError, meta

    names: set[str] = set()
    for part in parts:
        try:
            names |= meta.find_undeclared_variables(env.parse(part.source))
        except TemplateSyntaxError:
            continue
    return names - set(env.globals)


def template_names(template: bytes) -> set[str]:
    """The top-level names a template's tags use (``{"agreement", "doc"}``)."""
    from iopdocs.render.environment import make_environment

    return _names_of(make_environment(), _parts(template))


def infer_kind(names: set[str] | tuple[str, ...]) -> str | None:
    """The kind of template whose names best cover ``names``; ``None`` when none fits."""
    fitting = [k for k, known in KINDS.items() if set(names) <= set(known)]
    if fitting:
        return fitting[0]
    best = max(KINDS, key=lambda k: len(set(names) & set(KINDS[k])))
    return best if set(names) & (set(KINDS[best]) - {"agreement"}) else None


def lint_template(
    template: str | os.PathLike[str] | bytes, kind: str | None = None, *, locale: str = "sv_SE"
) -> list[TemplateProblem]:
    """Every problem in ``template`` (a path or the .docx bytes); an empty list means clean.

    ``kind`` is ``"contract"`` or ``"report"``, the context the template will be rendered with;
    by default it is inferred from the names the template uses. Raises ``TemplateError`` when
    the file cannot be read or is not a Word document.
    """

    from iopdocs.render.environment import make_environment
    from iopdocs.render.templates import load_template

    if kind is not None and kind not in KINDS:
        raise TemplateError(f"unknown template kind {kind!r}; choose one of {', '.join(KINDS)}")
    data = load_template(template, "contract.docx")
    env = make_environment(locale)
    parts = _parts(data)
    kind = kind or infer_kind(_names_of(env, parts)) or "contract"
    top = _context_shapes(kind)
    comments = _comments(data)
    problems: list[TemplateProblem] = []
    for part in parts:
        word: list[TemplateProblem] = []
        tags: list[_Tag] = []
        if part.root is not None:
            word, tags = _word_checks(part, comments)
        pairing = _pairing(part, tags)
        walker = _Walker(env, part, top)
        tree, errors = _parse_leniently(env, part.source)
        for message, where in errors:
            # An unmatched or unclosed block is already named, with its kind, by the pairing.
            if not (pairing and re.search(r"without a matching|is never closed", message)):
                problems.append(TemplateProblem("syntax", message, part.name, where))
        if tree is not None:
            walker.walk(tree, _Scope({k: (v, k) for k, v in top.items()}))
        problems += word + pairing + walker.problems
        if part.root is not None:
            problems += _empty_tables(part, tags, walker.loops)
    if kind == "contract":
        problems += _missing_clause_sections(parts)
    return problems


def _missing_clause_sections(parts: list[_Part]) -> list[TemplateProblem]:
    """A problem for each section of the clause library the template never places."""
    from iopdocs.documents.clauses import SECTIONS, packaged_library

    source = "".join(part.source for part in parts)
    if "doc.clauses." not in source:
        return []
    used = {c.section for c in packaged_library().clauses}
    return [
        TemplateProblem(
            "clauses-missing",
            f"the template places no clauses of section '{section}'; add "
            f"{{%p for c in doc.clauses.{section} %}} … {{%p endfor %}} where they belong",
            "word/document.xml",
        )
        for section in SECTIONS
        if section in used and not re.search(rf"doc\.clauses\.{section}\b", source)
    ]


def _parse_leniently(
    env: jinja2.Environment, source: str
) -> tuple[nodes.Template | None, list[tuple[str, str]]]:
    """The syntax tree of ``source`` and every syntax error, explained.

    After each error the offending tag is blanked (or the missing end tag appended) and the
    source parsed again, so one broken tag does not hide the problems of all the others.
    Blanking keeps the line numbers, so every explanation points at the right tag.
    """
    from jinja2 import TemplateSyntaxError

    errors: list[tuple[str, str]] = []
    for _ in range(50):
        try:
            return env.parse(source), errors
        except TemplateSyntaxError as exc:
            errors.append(_explain(source, exc))
            repaired = _repair(source, exc)
            if repaired == source:
                break
            source = repaired
    return None, errors


def _repair(source: str, exc: jinja2.TemplateSyntaxError) -> str:
    message = exc.message or ""
    missing = [str(t) for t in re.findall(r"'(\w+)'", message) if t.startswith("end")]
    if message.startswith("Unexpected end of template") and missing:
        return source + "{% " + missing[0] + " %}"
    lines = source.split("\n")
    index = (exc.lineno or 0) - 1
    if not 0 <= index < len(lines):
        return source
    tag = _TAG.match(lines[index])
    if tag is None:
        return source
    lines[index] = lines[index][tag.end() :]
    return "\n".join(lines)


def _explain(source: str, exc: jinja2.TemplateSyntaxError) -> tuple[str, str]:
    """A syntax error named by its tag: the unknown or unmatched tag, or the unclosed one."""
    tag, where = _tag_at(source, exc.lineno)
    unknown = re.match(r"Encountered unknown tag '(\w+)'", exc.message or "")
    if unknown:
        name = unknown.group(1)
        if name.startswith("end") or name in _MIDDLES:
            partner = _MIDDLES.get(name, (name[3:],))[0]
            return f"{tag} without a matching {{% {partner} %}}", where
        known = ["if", "for", "else", "elif", "endif", "endfor", "set", "with", "endwith"]
        return f"{tag}: unknown tag '{name}'" + _did_you_mean(name, known), where
    if (exc.message or "").startswith("Unexpected end of template"):
        opener = _unclosed(source)
        if opener is not None:
            tag, where = _tag_at(source, opener)
            keyword = _PLAIN_BLOCK.match(tag)
            end = f"{{% end{keyword.group(1)} %}}" if keyword else "its end tag"
            return f"{tag} is never closed: add {end}", where
    message = re.sub(r" at \d+$", "", exc.message or "syntax error")
    bad = re.match(r"unexpected char '(.)'", message)
    if bad and bad.group(1) in _AUTOCORRECT:
        message += f" (Word's AutoCorrect wrote it for {_AUTOCORRECT[bad.group(1)]!r}; retype it)"
    return f"{message} in {tag}", where


def _unclosed(source: str) -> int | None:
    stack: list[int] = []
    for number, line in enumerate(source.splitlines(), start=1):
        tag = _TAG.match(line)
        match = _PLAIN_BLOCK.match(tag.group(0)) if tag else None
        if match is None:
            continue
        keyword = match.group(1)
        if keyword in _OPENERS or (keyword == "set" and "=" not in line.split("%}")[0]):
            stack.append(number)
        elif keyword.startswith("end") and stack:
            stack.pop()
    return stack[-1] if stack else None


def describe_syntax_error(exc: jinja2.TemplateSyntaxError) -> tuple[str, list[str]]:
    """The message and surrounding text for a syntax error docxtpl raised while compiling."""
    from jinja2 import Environment, TemplateSyntaxError

    source = exc.source or ""
    lines = _lines(source)
    try:
        Environment().parse(lines)
    except TemplateSyntaxError as again:
        message, where = _explain(lines, again)
        return message, [where] if where else []
    return exc.message or str(exc), []


def describe_undefined(template: bytes, message: str) -> str:
    """The undefined-value message with the tags that ask for the missing name."""
    match = re.search(r"has no attribute '([^']+)'|^'([^']+)' is undefined", message)
    if match is None:
        return message
    name = match.group(1) or match.group(2)
    try:
        parts = _parts(template)
    except TemplateError:
        return message
    found: dict[str, str] = {}  # tag -> the dotted path in it that ends in the name
    for part in parts:
        for tag in _TAG.findall(part.source):
            path = re.search(rf"[\w.]*\b{re.escape(name)}\b", _STRING.sub("", tag))
            if path:
                found.setdefault(tag, path.group(0))
    if not found:
        return message
    tags = list(found)[:3]
    return f"{found[tags[0]]} is not in the data ({message}), asked for in {', '.join(tags)}"
