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
- ``renamed-field``: a field the agreement file format has renamed (``m.payment_day``, now
  ``m.pay_on_day``), named with its new name;
- ``empty-table``: a table made only of ``{%tr for %}`` rows (or a row made only of
  ``{%tc for %}`` cells) over a list that may be empty and not guarded by ``{%p if … %}``: it
  would be left with no rows (or cells), an invalid table;
- ``clauses-missing``: a contract template that places clauses from the clause library but
  none of one of its sections (``doc.clauses.conditions``): the standard wording of that
  section, protections included, would silently be left out. (A template that writes all its
  wording itself and places no clauses is its owner's choice.)

The Word-level checks are in ``iopdocs.word.tagchecks``; this module walks each tag's Jinja syntax
tree against the shapes of the documents' contexts (``iopdocs.authoring.shapes``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from iopdocs.authoring.shapes import (
    ANY,
    KINDS,
    Leaf,
    ListShape,
    Shape,
    context_shapes,
    from_value,
)
from iopdocs.errors import TemplateError
from iopdocs.i18n import Message
from iopdocs.model.migration import renamed_fields
from iopdocs.word.tagchecks import Tag, empty_tables, pairing, template_comments, word_checks
from iopdocs.word.tags import (
    TemplatePart,
    TemplateProblem,
    closest,
    did_you_mean,
    parse_leniently,
    tag_at,
    template_parts,
)

if TYPE_CHECKING:
    import jinja2
    from jinja2 import nodes

__all__ = ["KINDS", "TemplateProblem", "infer_kind", "lint_template", "template_names"]


# --- Walking the Jinja syntax tree ------------------------------------------------------------


@dataclass
class _Scope:
    shapes: dict[str, tuple[Shape, str]]  # name -> (shape, where it comes from)


@dataclass
class _Walker:
    env: jinja2.Environment
    part: TemplatePart
    top: dict[str, Shape]
    problems: list[TemplateProblem] = field(default_factory=list)
    loops: list[tuple[int, bool]] = field(default_factory=list)  # (line, list never empty)

    def problem(self, node: nodes.Node, code: str, message: str) -> None:
        tag, where = tag_at(self.part.source, node.lineno)
        said = Message("{tag}: {message}", tag=tag, message=message)
        self.problems.append(TemplateProblem(code, said, self.part.name, where))

    def walk(self, node: nodes.Node, scope: _Scope) -> None:
        from jinja2 import nodes

        if isinstance(node, nodes.For):
            shape = self.expr(node.iter, scope)
            self.loops.append((node.lineno, shape.non_empty))
            inner = dict(scope.shapes)
            each = Message("each of {items}", items=_path(node.iter))
            self.bind(node.target, shape.element(), each, inner)
            inner["loop"] = (ANY, "loop")
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
            self.bind(node.target, ANY, "set", scope.shapes)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope.shapes)
            for arg in getattr(node, "args", []):
                inner[arg.name] = (ANY, "argument")
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
        self, target: nodes.Node, shape: Shape, origin: str, into: dict[str, tuple[Shape, str]]
    ) -> None:
        from jinja2 import nodes

        if isinstance(target, nodes.Name):
            into[target.name] = (shape, origin)
        else:
            for name in target.find_all(nodes.Name):
                into[name.name] = (ANY, origin)

    def expr(self, node: nodes.Node, scope: _Scope) -> Shape:
        from jinja2 import nodes

        if isinstance(node, nodes.Name):
            if node.name in scope.shapes:
                return scope.shapes[node.name][0]
            if node.name in self.env.globals:
                return ANY
            known = sorted(scope.shapes) + sorted(self.env.globals)
            sees = ", ".join(sorted(self.top)) or Message("nothing")
            self.problem(
                node,
                "unknown-variable",
                Message(
                    "'{name}' is not a name this template sees (it sees {sees}){suggestion}",
                    name=node.name,
                    sees=sees,
                    suggestion=did_you_mean(node.name, known),
                ),
            )
            return ANY
        if isinstance(node, nodes.Getattr):
            return self.member(node, node.node, node.attr, scope)
        if isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.member(node, node.node, node.arg.value, scope)
            base = self.expr(node.node, scope)
            self.expr(node.arg, scope)
            return base.element() if isinstance(base, ListShape) else ANY
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        if isinstance(node, nodes.Test):
            self.expr(node.node, scope)
            self.arguments(node, scope)
            if node.name not in self.env.tests:
                self.problem(
                    node,
                    "unknown-test",
                    Message(
                        "there is no test '{name}'{suggestion}",
                        name=node.name,
                        suggestion=did_you_mean(node.name, self.env.tests),
                    ),
                )
            return Leaf(bool)
        if isinstance(node, nodes.Const):
            return Leaf(type(node.value)) if node.value is not None else ANY
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.walk(child, scope)
        return ANY

    def member(self, node: nodes.Node, base_node: nodes.Node, name: str, scope: _Scope) -> Shape:
        base = self.expr(base_node, scope)
        shape = base.attr(name)
        if shape is not None:
            return shape
        base_path = _path(base_node)
        origin: str = ""
        root = _root_name(base_node)
        if root in scope.shapes and root not in self.top:
            source = scope.shapes[root][1]
            origin = (
                Message(" ({source})", source=source)
                if base_path == root
                else Message(" ({root} is {source})", root=root, source=source)
            )
        renamed = renamed_fields().get(name)
        if renamed is not None and renamed.new in base.names():
            self.problem(
                node,
                "renamed-field",
                Message(
                    "{path}.{name} was renamed {new} in schema version {version}: write "
                    "{path}.{new}",
                    path=base_path,
                    name=name,
                    new=renamed.new,
                    version=renamed.to_version,
                ),
            )
            return ANY
        close = closest(name, base.names())
        suggestion = (
            Message("; did you mean {path}.{field}?", path=base_path, field=close) if close else ""
        )
        self.problem(
            node,
            "unknown-variable",
            Message(
                "{path}{origin} has no field '{name}'{suggestion}",
                path=base_path,
                origin=origin,
                name=name,
                suggestion=suggestion,
            ),
        )
        return ANY

    def filter(self, node: nodes.Filter, scope: _Scope) -> Shape:
        base = self.expr(node.node, scope) if node.node is not None else ANY
        self.arguments(node, scope)
        if node.name not in self.env.filters:
            self.problem(
                node,
                "unknown-filter",
                Message(
                    "there is no filter '{name}'{suggestion}",
                    name=node.name,
                    suggestion=did_you_mean(node.name, self.env.filters),
                ),
            )
            return ANY
        if node.name == "blocks":
            return from_value(self.env.filters["blocks"]("a\n\n- b"), "")
        if node.name in ("length", "count", "int", "wordcount"):
            return Leaf(int)
        if node.name in ("list", "sort", "reverse", "unique", "select", "reject"):
            return base if isinstance(base, ListShape) else ANY
        if node.name in ("selectattr", "rejectattr"):
            return ListShape(base.element()) if isinstance(base, ListShape) else ANY
        if node.name in ("first", "last", "random"):
            return base.element()
        if node.name in ("default", "d"):
            return base
        return ANY

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


# --- Entry points -----------------------------------------------------------------------------


def _names_of(env: jinja2.Environment, parts: list[TemplatePart]) -> set[str]:
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
    from iopdocs.documents.environment import make_environment

    return _names_of(make_environment(), template_parts(template))


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

    from iopdocs.documents.environment import make_environment
    from iopdocs.documents.templates import load_template

    if kind is not None and kind not in KINDS:
        raise TemplateError(
            Message(
                "unknown template kind '{kind}'; choose one of {choices}",
                kind=kind,
                choices=", ".join(KINDS),
            )
        )
    data = load_template(template, "contract.docx")
    env = make_environment(locale)
    parts = template_parts(data)
    kind = kind or infer_kind(_names_of(env, parts)) or "contract"
    top = context_shapes(kind)
    comments = template_comments(data)
    problems: list[TemplateProblem] = []
    for part in parts:
        word: list[TemplateProblem] = []
        tags: list[Tag] = []
        if part.root is not None:
            word, tags = word_checks(part, comments)
        unpaired = pairing(part, tags)
        walker = _Walker(env, part, top)
        tree, errors = parse_leniently(env, part.source)
        for message, where in errors:
            # An unmatched or unclosed block is already named, with its kind, by the pairing.
            if not (unpaired and re.search(r"without a matching|is never closed", message)):
                problems.append(TemplateProblem("syntax", message, part.name, where))
        if tree is not None:
            walker.walk(tree, _Scope({k: (v, k) for k, v in top.items()}))
        problems += word + unpaired + walker.problems
        if part.root is not None:
            problems += empty_tables(part, tags, walker.loops)
    if kind == "contract":
        problems += _missing_clause_sections(parts)
    return problems


def _missing_clause_sections(parts: list[TemplatePart]) -> list[TemplateProblem]:
    """A problem for each section of the clause library the template never places."""
    from iopdocs.documents.clauses import SECTIONS, packaged_library

    source = "".join(part.source for part in parts)
    if "doc.clauses." not in source:
        return []
    used = {c.section for c in packaged_library().clauses}
    return [
        TemplateProblem(
            "clauses-missing",
            Message(
                "the template places no clauses of section '{section}'; add {opener} … {closer} "
                "where they belong",
                section=section,
                opener=f"{{%p for c in doc.clauses.{section} %}}",
                closer="{%p endfor %}",
            ),
            "word/document.xml",
        )
        for section in SECTIONS
        if section in used and not re.search(rf"doc\.clauses\.{section}\b", source)
    ]
