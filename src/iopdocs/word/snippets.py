"""Snippets of plain text with Jinja tags, rendered before they reach a Word template.

A clause library's texts and conditions are such snippets. Each is compiled once per environment
and text (a contract renders every clause of a library), and Jinja's errors become
``TemplateError`` here, so the caller can name the snippet that failed. Nothing here knows what a
snippet is for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from iopdocs.errors import TemplateError, TemplateSyntaxError

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.nodes import Node

__all__ = ["check_syntax", "evaluate", "read_fields", "render_text"]


def check_syntax(env: Environment, source: str) -> Node:
    """The syntax tree of ``source``; ``TemplateSyntaxError`` with Jinja's message and line."""
    from jinja2 import TemplateSyntaxError as JinjaSyntaxError

    try:
        return env.parse(source)
    except JinjaSyntaxError as exc:
        raise TemplateSyntaxError(f"broken tag: {exc.message} (line {exc.lineno})") from exc


def read_fields(env: Environment, source: str) -> tuple[tuple[str, ...], ...]:
    """Every dotted name (``agreement.period.start``) a snippet reads, in order, once each."""
    return _read_fields(env, source)


def render_text(env: Environment, source: str, context: Mapping[str, Any]) -> str:
    """``source`` rendered with ``context``; ``TemplateError`` saying why it cannot be."""
    from jinja2 import TemplateError as JinjaError

    try:
        return str(_compiled_text(env, source).render(**context))
    except JinjaError as exc:
        raise TemplateError(str(exc)) from exc


def evaluate(env: Environment, expression: str, context: Mapping[str, Any]) -> Any:
    """The value of one expression; an undefined name is an error, not a silent ``None``."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import Undefined

    try:
        value = _compiled_expression(env, expression)(**context)
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
    except JinjaError as exc:
        raise TemplateError(str(exc)) from exc
    return value


# Bounded: a library holds a few hundred snippets, and overrides bring texts of their own.
@lru_cache(maxsize=2048)
def _compiled_text(env: Environment, source: str) -> Any:
    return env.from_string(source)


@lru_cache(maxsize=2048)
def _compiled_expression(env: Environment, expression: str) -> Any:
    return env.compile_expression(expression, undefined_to_none=False)


@lru_cache(maxsize=2048)
def _read_fields(env: Environment, source: str) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(_paths(check_syntax(env, source))))


def _paths(node: Node) -> Iterator[tuple[str, ...]]:
    from jinja2 import nodes

    def chain(n: Node) -> tuple[str, ...] | None:
        if isinstance(n, nodes.Name):
            return (n.name,)
        if isinstance(n, nodes.Getattr):
            head = chain(n.node)
            return None if head is None else (*head, n.attr)
        return None

    found = chain(node)
    if found is not None and len(found) > 1:
        yield found
        return
    for child in node.iter_child_nodes():
        yield from _paths(child)
