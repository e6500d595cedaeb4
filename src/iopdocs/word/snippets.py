"""Snippets of plain text with Jinja tags, rendered before they reach a Word template.

A clause library's texts and conditions are such snippets. Each is compiled once per environment
and text (a contract renders every clause of a library), and Jinja's errors become
``TemplateError`` here, so the caller can name the snippet that failed. Nothing here knows what a
snippet is for.

Compiling a library's texts costs a new process about 80 ms, so ``preload`` compiles a whole set
of snippets at once and keeps their code in the per-user disk cache of compiled templates
(``iopdocs.word.diskcache``: HMAC-checked entries, keyed here by every snippet's text, the
environment's identity and the versions of iopdocs, Jinja and Python); the next process reads
it back in a few milliseconds.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from iopdocs.errors import TemplateError, TemplateSyntaxError
from iopdocs.i18n import Message

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.nodes import Node

__all__ = [
    "check_syntax",
    "clear_cache",
    "evaluate",
    "is_compiled",
    "joint_source",
    "preload",
    "read_fields",
    "render_joint",
    "render_text",
]

CACHE_SIZE = 2048
"""Compiled snippets kept per process: a library holds a few hundred, overrides add their own."""
_SUFFIX = ".snippets"
"""The disk cache's entries of compiled snippets."""


def check_syntax(env: Environment, source: str) -> Node:
    """The syntax tree of ``source``; ``TemplateSyntaxError`` with Jinja's message and line."""
    from jinja2 import TemplateSyntaxError as JinjaSyntaxError

    try:
        return env.parse(source)
    except JinjaSyntaxError as exc:
        raise TemplateSyntaxError(
            Message("broken tag: {reason} (line {line})", reason=exc.message, line=exc.lineno)
        ) from exc


def read_fields(env: Environment, source: str) -> tuple[tuple[str, ...], ...]:
    """Every dotted name (``agreement.period.start``) a snippet reads, in order, once each."""
    return _read_fields(env, source)


def render_text(env: Environment, source: str, context: Mapping[str, Any]) -> str:
    """``source`` rendered with ``context``; ``TemplateError`` saying why it cannot be."""
    from jinja2 import TemplateError as JinjaError

    try:
        return str(_compiled_text(env, source).render(**context))
    except JinjaError as exc:
        from iopdocs.word.environment import refusal

        raise TemplateError(Message("{reason}", reason=refusal(exc))) from exc


# --- Many snippets in one render ---------------------------------------------------------------
#
# Rendering a snippet costs Jinja a new context (some 50 µs) however short the snippet; a clause
# library renders fifty per contract. ``joint_source`` puts a set of snippets into one template,
# each in a scope of its own (``{% with %}``: what one sets, the next never sees), switched on
# by a list it is given and separated by a NUL character, so ``render_joint`` renders all of
# them at the cost of one. A snippet that could behave differently inside it (one defining
# macros or blocks, one starting or ending in blanks, which ``lstrip_blocks`` treats by where
# the line starts) makes the set unjoinable; a render that fails, or whose output holds a NUL
# of its own, gives ``None``, and the caller renders each snippet alone, with its own error.

JOINT_SWITCH = "__iopdocs_on"
_SEPARATOR = "\x00"
_NOT_JOINABLE = re.compile(
    r"\{%[-+]?\s*(?:end)?(?:macro|call|block|extends|import|include|from|with|raw)\b"
    r"|__iopdocs|\x00"
)
_NEWLINE = re.compile(r"\r\n|\r|\n")


def joint_source(texts: Sequence[str]) -> str | None:
    """One template rendering each of ``texts`` where ``JOINT_SWITCH[i]`` is true, or ``None``
    when some text could render differently inside it than alone."""
    return _joint_source(tuple(texts))


@lru_cache(maxsize=16)
def _joint_source(texts: tuple[str, ...]) -> str | None:
    pieces = []
    for number, text in enumerate(texts):
        # What Jinja's lexer does to a template alone: newlines as "\n", one trailing dropped.
        lines = _NEWLINE.split(text)
        if lines[-1] == "":
            lines.pop()
        body = "\n".join(lines)
        if _NOT_JOINABLE.search(body) or body[:1] in (" ", "\t") or body[-1:] in (" ", "\t"):
            return None
        pieces.append(
            f"{{% if {JOINT_SWITCH}[{number}] %}}{{% with %}}{body}{{% endwith %}}{{% endif %}}"
        )
    return _SEPARATOR.join(pieces)


def render_joint(
    env: Environment, source: str, on: Sequence[bool], context: Mapping[str, Any]
) -> list[str] | None:
    """Each text of ``source`` (a ``joint_source``) rendered where ``on`` says, ``""`` for the
    others; ``None`` when any of them fails, or a value holds the separator."""
    if (env, source) in _unjoinable:
        return None
    try:
        template = _compiled_text(env, source)
    except Exception:  # a text that does not compile: each is rendered alone
        with _lock:
            _unjoinable[(env, source)] = None
            while len(_unjoinable) > 16:
                _unjoinable.popitem(last=False)
        return None
    try:
        output = str(template.render(**context, **{JOINT_SWITCH: list(on)}))
    except Exception:  # each snippet is then rendered alone, and its error named
        return None
    pieces = output.split(_SEPARATOR)
    return pieces if len(pieces) == len(on) else None


def is_compiled(env: Environment, source: str) -> bool:
    """Whether ``source`` is compiled for ``env`` in this process (preloaded or rendered)."""
    return _cached((env, "text", source)) is not None


def evaluate(env: Environment, expression: str, context: Mapping[str, Any]) -> Any:
    """The value of one expression; an undefined name is an error, not a silent ``None``."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import Undefined

    try:
        value = _compiled_expression(env, expression)(**context)
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
    except JinjaError as exc:
        from iopdocs.word.environment import refusal

        raise TemplateError(Message("{reason}", reason=refusal(exc))) from exc
    return value


def preload(env: Environment, texts: Sequence[str], expressions: Sequence[str] = ()) -> None:
    """Have ``texts`` (snippets) and ``expressions`` compiled for ``env`` before they render,
    read from the disk cache when a process compiled the same set before, else compiled now and
    stored there. Only a speed-up: without a usable cache folder it does nothing, and a snippet
    that does not compile is left to fail, with its own message, when it is rendered."""
    from iopdocs.word import diskcache

    with _lock:
        if (env, tuple(texts), tuple(expressions)) in _preloaded:
            return
    if diskcache.cache_folder() is None:
        return
    import marshal

    key = _bundle_key(env, texts, expressions)
    payload = diskcache.read_entry(key, _SUFFIX)
    codes: tuple[list[Any], list[Any]] | None = None
    if payload is not None:
        try:
            text_codes, expression_codes = marshal.loads(payload)
            if len(text_codes) == len(texts) and len(expression_codes) == len(expressions):
                codes = (text_codes, expression_codes)
        except (ValueError, TypeError, EOFError):
            codes = None  # unreadable: compiled afresh and written again
    if codes is None:
        from jinja2 import TemplateError as JinjaError

        try:
            codes = (
                [env.compile(text) for text in texts],
                [env.compile(_expression_node(env, e)) for e in expressions],
            )
        except JinjaError:
            return
        diskcache.write_entry(key, marshal.dumps(codes), _SUFFIX)
    from jinja2.environment import TemplateExpression

    loaded = [((env, "text", t), _load(env, c)) for t, c in zip(texts, codes[0], strict=True)]
    loaded += [
        ((env, "expression", e), TemplateExpression(_load(env, c), False))
        for e, c in zip(expressions, codes[1], strict=True)
    ]
    with _lock:
        for name, compiled in loaded:
            _remember(name, compiled)
        _preloaded[(env, tuple(texts), tuple(expressions))] = None
        while len(_preloaded) > 16:
            _preloaded.popitem(last=False)


_lock = threading.Lock()
_compiled: OrderedDict[tuple[Environment, str, str], Any] = OrderedDict()
_preloaded: OrderedDict[tuple[Environment, tuple[str, ...], tuple[str, ...]], None] = OrderedDict()
_unjoinable: OrderedDict[tuple[Environment, str], None] = OrderedDict()


def clear_cache() -> None:
    """Forget every compiled snippet and preloaded set (what a new process starts with)."""
    with _lock:
        _compiled.clear()
        _preloaded.clear()
        _unjoinable.clear()


def _remember(name: tuple[Environment, str, str], compiled: Any) -> None:
    _compiled[name] = compiled
    _compiled.move_to_end(name)
    while len(_compiled) > CACHE_SIZE:
        _compiled.popitem(last=False)


def _cached(name: tuple[Environment, str, str]) -> Any:
    with _lock:
        compiled = _compiled.get(name)
        if compiled is not None:
            _compiled.move_to_end(name)
        return compiled


def _compiled_text(env: Environment, source: str) -> Any:
    name = (env, "text", source)
    compiled = _cached(name)
    if compiled is None:
        compiled = env.from_string(source)
        with _lock:
            _remember(name, compiled)
    return compiled


def _compiled_expression(env: Environment, expression: str) -> Any:
    name = (env, "expression", expression)
    compiled = _cached(name)
    if compiled is None:
        compiled = env.compile_expression(expression, undefined_to_none=False)
        with _lock:
            _remember(name, compiled)
    return compiled


def _expression_node(env: Environment, expression: str) -> Any:
    """The template ``env.compile_expression`` compiles for ``expression``, as a syntax tree
    (so its code can be kept): ``result = EXPRESSION``."""
    from jinja2 import TemplateSyntaxError as JinjaSyntaxError
    from jinja2 import nodes
    from jinja2.parser import Parser

    parser = Parser(env, expression, state="variable")
    node = parser.parse_expression()
    if not parser.stream.eos:
        raise JinjaSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
    node.set_environment(env)
    return nodes.Template([nodes.Assign(nodes.Name("result", "store"), node, lineno=1)], lineno=1)


def _load(env: Environment, code: Any) -> Any:
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _bundle_key(env: Environment, texts: Sequence[str], expressions: Sequence[str]) -> str:
    """Everything a bundle's code depends on: each snippet, the environment's identity, and
    the versions of iopdocs, Jinja (its code generator) and Python (the bytecode)."""
    import hashlib
    import importlib.util

    import jinja2

    from iopdocs.version import __version__
    from iopdocs.word.environment import environment_identity

    digest = hashlib.sha256()
    for part in (
        "iopdocs snippets v1",
        __version__,
        jinja2.__version__,
        importlib.util.MAGIC_NUMBER.hex(),
        environment_identity(env),
        str(len(texts)),
        *texts,
        str(len(expressions)),
        *expressions,
    ):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


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
