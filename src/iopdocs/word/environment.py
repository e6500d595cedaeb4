"""The Jinja environments Word templates are rendered in, with the filters a caller gives.

The defaults protect users: ``autoescape`` keeps ``&`` and ``<`` in names (docxtpl's recovering
XML parser would silently drop them), ``StrictUndefined`` turns a misspelt field into an error
instead of blank text, and ``finalize`` prints ``None`` as nothing rather than "None".
Templates from outside the package get the same defaults inside Jinja's sandbox.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
import string
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

from iopdocs.i18n import N_, Message, reason

__all__ = [
    "MAX_ITERATIONS",
    "MAX_OUTPUT",
    "MAX_SECONDS",
    "MAX_TEXT",
    "Filters",
    "environment_identity",
    "jinja_environment",
    "plain_text_sandbox",
    "refusal",
    "render_budget",
    "sandboxed_jinja_environment",
]

Filters = Mapping[str, Callable[..., Any]]

# What Jinja's own sandbox says when it refuses, worded for the catalog (our refusals are
# Messages already).
_JINJA_REFUSALS = (
    (
        re.compile(
            r"access to attribute (?P<name>'[^']*') of (?P<kind>'[^']*') object is unsafe\."
        ),
        N_("access to attribute {name} of {kind} object is unsafe."),
    ),
    (
        re.compile(r"(?P<what>.+) is not safely callable"),
        N_("{what} is not safely callable"),
    ),
)


def refusal(exc: BaseException) -> str:
    """Why a template was refused (``SecurityError``, or another Jinja error), as a ``Message``
    when it can be translated."""
    said = reason(exc)
    if isinstance(said, Message):
        return said
    for pattern, message in _JINJA_REFUSALS:
        match = pattern.fullmatch(said)
        if match:
            return Message(message, **match.groupdict())
    return said


def _finalize(value: Any) -> Any:
    return "" if value is None else value


class _Environment(Environment):
    """Looks keys up before attributes: ``agreement.values`` is the field, not ``dict.values``."""

    identity = ""
    """What the caller says sets this environment apart (its locale): part of the disk key."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja's own lookup written out after the keys (no call to it): a contract template
        # reads some eight hundred fields per document.
        if type(obj) is dict:
            value = obj.get(attribute, _ABSENT)
            if value is not _ABSENT:
                return value
        elif isinstance(obj, dict) and attribute in obj:  # a subclass: its own lookup
            return obj[attribute]
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)


_ABSENT = object()


def jinja_environment(filters: Filters, *, identity: str = "") -> Environment:
    """A Jinja environment with the safe defaults and ``filters``; ``identity`` names what sets
    it apart for the disk cache of compiled templates (say, the locale of the filters)."""
    env = _Environment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=False,
    )
    env.filters.update(filters)
    env.identity = identity
    return env


def environment_identity(env: Environment) -> str:
    """Everything about ``env`` that Jinja's compiled code depends on, as text: its class
    (sandboxed or not), its syntax and options, the names of its filters and tests (compiling
    checks them), and the identity its maker gave it."""

    def name(value: object) -> str:
        if callable(value):
            return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
        return repr(value)

    kind = type(env)
    options = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        name(env.autoescape),
        name(env.finalize),
        name(env.undefined),
        sorted(env.extensions),
        sorted(env.filters),
        sorted(env.tests),
    )
    return repr((f"{kind.__module__}.{kind.__qualname__}", options, getattr(env, "identity", "")))


# Limits on what a template from outside (or a clause library) may build: big enough for any
# contract, small enough that no template can exhaust the machine. Checked where values are made.
MAX_TEXT = 1_000_000
"""The longest text, list or mapping one expression, filter or call may build (characters or
items)."""
MAX_OUTPUT = 20_000_000
"""The most characters one render of a template part may produce (a contract: a few million)."""
MAX_ITERATIONS = 1_000_000
"""The most loop iterations one render may run, all loops together."""
MAX_SECONDS = 10.0
"""The wall-clock time one render of a template part may take."""
_MAX_SEQUENCE = MAX_TEXT
_MAX_POWER_BITS = 4096
_MAX_WIDTH_DIGITS = 6  # a field width of up to 999 999 in a format string
_PRINTED_TOO_MUCH = Message("the template printed more than {most} characters", most=MAX_OUTPUT)


class _RefuseFiles(BaseLoader):
    """Answers every ``{% include %}``, ``{% import %}`` and ``{% extends %}`` with a refusal."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, None, None]:
        raise SecurityError(
            Message("a template may not read other files ('{name}')", name=template)
        )


class _Budget:
    """What one render has spent: its deadline, output characters and loop iterations."""

    __slots__ = ("deadline", "iterations", "output")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.output = 0
        self.iterations = 0


_SHARED_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "iopdocs_render_budget", default=None
)


@contextlib.contextmanager
def render_budget() -> Iterator[None]:
    """Within this block every sandboxed render shares one budget (``MAX_SECONDS``,
    ``MAX_OUTPUT``, ``MAX_ITERATIONS``): a document's template parts and clauses together,
    not each on its own. Outside one, each render of a template has its own."""
    if _SHARED_BUDGET.get() is not None:  # already inside one: the outer block counts
        yield
        return
    token = _SHARED_BUDGET.set(_Budget())
    try:
        yield
    finally:
        _SHARED_BUDGET.reset(token)


def _budget(context: Context) -> _Budget:
    shared = _SHARED_BUDGET.get()
    if shared is not None:
        return shared
    found: _Budget | None = getattr(context, "_iopdocs_budget", None)
    if found is None:
        found = _Budget()
        context._iopdocs_budget = found  # type: ignore[attr-defined]
    return found


def _in_time(context: Context) -> _Budget:
    budget = _budget(context)
    if time.monotonic() > budget.deadline:
        raise SecurityError(
            Message("the template took longer than {seconds:g} s to render", seconds=MAX_SECONDS)
        )
    return budget


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict | set | frozenset) else 0


def _bounded(value: Any, what: str) -> Any:
    if _size(value) > MAX_TEXT:
        raise SecurityError(
            Message(
                "{what} would build a value over {most} characters or items",
                what=what,
                most=MAX_TEXT,
            )
        )
    return value


@pass_context
def _bounded_finalize(context: Context, value: Any) -> Any:
    """Print ``None`` as nothing, and count what is printed against ``MAX_OUTPUT``."""
    if value is None:
        return ""
    budget = _in_time(context)
    budget.output += len(value) if isinstance(value, str) else 16
    if budget.output > MAX_OUTPUT:
        raise SecurityError(_PRINTED_TOO_MUCH)
    return value


@pass_context
def _loop(context: Context, iterable: Any, body: int = 0) -> Iterator[Any]:
    """Every ``{% for %}`` of a sandboxed template iterates through this: each iteration counts
    against ``MAX_ITERATIONS``, the text the body writes against ``MAX_OUTPUT``, and the
    render's deadline is checked."""
    budget = _in_time(context)
    for item in iterable:
        budget.iterations += 1
        budget.output += body
        if budget.iterations > MAX_ITERATIONS:
            raise SecurityError(
                Message("the template's loops ran more than {most} times", most=MAX_ITERATIONS)
            )
        if budget.output > MAX_OUTPUT:
            raise SecurityError(_PRINTED_TOO_MUCH)
        if budget.iterations % 256 == 0:
            _in_time(context)
        yield item


_LOOP_FILTER = "iopdocs_bounded_loop"
# The filters that build a value larger than their input from a number or a text argument;
# every other filter's result is at most a small multiple of its input, which is bounded.
_WIDENING_FILTERS = (
    "batch",
    "center",
    "format",
    "indent",
    "join",
    "replace",
    "slice",
    "tojson",
    "truncate",
    "wordwrap",
)
_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _wide_format(text: str, percent: bool) -> bool:
    """Whether a format string asks for a field width or precision too wide for a template."""
    if percent:
        return any(
            part == "*" or len(part) > _MAX_WIDTH_DIGITS
            for match in _PERCENT_FIELD.finditer(text)
            for part in match.groups()
            if part
        )
    try:
        fields = [spec for _, _, spec, _ in string.Formatter().parse(text) if spec]
    except ValueError:
        return False  # str.format raises its own error
    return any(
        "{" in spec or re.search(rf"\d{{{_MAX_WIDTH_DIGITS + 1},}}", spec) for spec in fields
    )


def _too_big_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """Why calling the str method ``obj`` with these arguments would build a huge value."""
    target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    self = getattr(target, "__self__", None)
    if not isinstance(self, str):
        return None
    name = getattr(target, "__name__", "")
    first = args[0] if args else next(iter(kwargs.values()), None)
    if name in ("center", "ljust", "rjust", "zfill") and isinstance(first, int):
        return name if first > MAX_TEXT else None
    if name == "expandtabs":
        size = first if isinstance(first, int) else 8
        return name if size * self.count("\t") + len(self) > MAX_TEXT else None
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        old, new = args[0], args[1]
        hits = self.count(old) if old else len(self) + 1
        return name if len(self) + hits * len(str(new)) > MAX_TEXT else None
    if name == "join" and isinstance(first, list | tuple):
        size = sum(len(x) for x in first if isinstance(x, str)) + len(self) * len(first)
        return name if size > MAX_TEXT else None
    if name == "translate" and isinstance(first, dict):
        widest = max((len(v) for v in first.values() if isinstance(v, str)), default=1)
        return name if len(self) * widest > MAX_TEXT else None
    if name in ("format", "format_map"):
        return name if _wide_format(self, percent=False) else None
    return None


def _checked_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its arguments checked (for the filters that make a value from a
    number: widths, counts) and its result bounded by ``MAX_TEXT``."""

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not isinstance(a, Context | EvalContext | Environment)]
        _check_filter_arguments(name, values, kwargs)
        return _bounded(function(*args, **kwargs), Message("the filter '{name}'", name=name))

    return checked


def _check_filter_arguments(name: str, values: list[Any], kwargs: dict[str, Any]) -> None:
    value = values[0] if values else None
    numbers = [v for v in [*values[1:], *kwargs.values()] if isinstance(v, int)]
    texts = [v for v in [*values[1:], *kwargs.values()] if isinstance(v, str)]
    refused = False
    if name in ("center", "batch", "slice", "wordwrap", "truncate", "indent", "tojson"):
        refused = any(n > MAX_TEXT for n in numbers)
    if name == "indent" and isinstance(value, str):
        width = max([*numbers, *(len(t) for t in texts), 0])
        refused = refused or width * (value.count("\n") + 1) + len(value) > MAX_TEXT
    if name == "slice":
        refused = refused or any(n > 10_000 for n in numbers)
    if name == "replace" and isinstance(value, str) and len(texts) >= 2:
        old, new = texts[0], texts[1]
        hits = value.count(old) if old else len(value) + 1
        refused = len(value) + hits * len(new) > MAX_TEXT
    if name == "join" and isinstance(value, list | tuple):
        size = sum(len(x) for x in value if isinstance(x, str))
        refused = size + len(value) * max([len(t) for t in texts] or [0]) > MAX_TEXT
    if name == "format" and isinstance(value, str):
        refused = _wide_format(value, percent=True)
    if name == "wordwrap" and isinstance(value, str) and texts:
        refused = refused or len(value) * (1 + max(len(t) for t in texts)) > MAX_TEXT
    if refused:
        raise SecurityError(
            Message(
                "the filter '{name}' would build a value over {most} characters",
                name=name,
                most=MAX_TEXT,
            )
        )


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
    if n * max > 100_000:
        raise SecurityError(Message("lipsum() is limited to 100 000 words in a template"))
    from jinja2.utils import generate_lorem_ipsum

    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class _BoundedCodeGenerator(CodeGenerator):
    """Writes ``~`` (string concatenation) through the environment, which bounds the result."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802
        self.write("environment.bounded_join(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _SandboxedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for templates from outside the package, with the keys-first lookup, and
    bounds on what a template builds (``MAX_TEXT``), prints (``MAX_OUTPUT``), loops
    (``MAX_ITERATIONS``) and how long it runs (``MAX_SECONDS``)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    identity = ""
    code_generator_class = _BoundedCodeGenerator

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _in_time(context)
        if operator == "**" and _too_big_power(left, right):
            raise SecurityError(
                Message(
                    "the power {left} ** {right} is too large for a template",
                    left=repr(left),
                    right=repr(right),
                )
            )
        if operator == "*" and _too_long_repeat(left, right):
            raise SecurityError(
                Message("repeating a text or list this many times is refused in templates")
            )
        if operator == "%" and isinstance(left, str) and _wide_format(left, percent=True):
            raise SecurityError(
                Message(
                    "a format width or precision over {most} (or *) is refused in templates",
                    most=10**_MAX_WIDTH_DIGITS - 1,
                )
            )
        if operator == "+" and _size(left) + _size(right) > MAX_TEXT:
            raise SecurityError(
                Message("joining these would build a value over {most} characters", most=MAX_TEXT)
            )
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _in_time(__context)
        refused = _too_big_call(__obj, args, kwargs)
        if refused is not None:
            raise SecurityError(
                Message(
                    "{call}() would build a value over {most} characters",
                    call=refused,
                    most=MAX_TEXT,
                )
            )
        try:
            result = super().call(__context, __obj, *args, **kwargs)
        except OverflowError as exc:  # range() beyond the sandbox's MAX_RANGE
            raise SecurityError(
                Message("a range over {most} items is refused in templates", most=MAX_RANGE)
            ) from exc
        except RecursionError as exc:  # a macro calling itself without end
            raise SecurityError(
                Message("the template's macros call each other too deeply")
            ) from exc
        return _bounded(result, Message("the call"))

    def bounded_join(self, context: Context, parts: tuple[Any, ...]) -> Any:
        """``a ~ b``: joined as Jinja joins them, refused beyond ``MAX_TEXT``."""
        joined = (markup_join if context.eval_ctx.autoescape else str_join)(parts)
        return _bounded(joined, Message("joining texts with ~"))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's tree with every ``{% for %}`` iterating through the loop guard."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            body = sum(
                len(data.data)
                for child in loop.body
                for data in [child, *child.find_all(nodes.TemplateData)]
                if isinstance(data, nodes.TemplateData)
            )
            loop.iter = nodes.Filter(
                loop.iter, _LOOP_FILTER, [nodes.Const(body)], [], None, None, lineno=loop.lineno
            )
        return tree


def _too_big_power(base: Any, exponent: Any) -> bool:
    if not (isinstance(base, int) and isinstance(exponent, int)):
        return False
    return exponent > 0 and abs(base) > 1 and exponent * abs(base).bit_length() > _MAX_POWER_BITS


def _too_long_repeat(left: Any, right: Any) -> bool:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return len(sequence) * count > _MAX_SEQUENCE
    return False


def _bound_sandbox(env: _SandboxedEnvironment, filters: Filters) -> None:
    """Give a sandbox its bounded filters, globals and output."""
    env.filters.update(filters)
    for name in _WIDENING_FILTERS:
        env.filters[name] = _checked_filter(name, env.filters[name])
    env.filters[_LOOP_FILTER] = _loop
    env.globals["lipsum"] = _lipsum
    env.finalize = _bounded_finalize


def sandboxed_jinja_environment(filters: Filters, *, identity: str = "") -> Environment:
    """The environment for templates from outside the package: ``jinja_environment``'s defaults
    and ``filters`` inside Jinja's immutable sandbox.

    Such a template may print and test the data it is given, but it cannot reach Python
    internals (attributes starting with ``_``), change the data (``list.append``), read files
    (``{% include %}``) or build huge values; each attempt is a ``SecurityError``.
    """
    env = _SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=False,
        loader=_RefuseFiles(),
    )
    _bound_sandbox(env, filters)
    env.identity = identity
    return env


def plain_text_sandbox(filters: Filters) -> Environment:
    """The sandbox for snippets of plain text rendered before they reach a Word template: the
    sandbox's limits, ``StrictUndefined`` and ``finalize``, but no escaping (the Word template
    escapes the finished text once). Line breaks are kept as written: a line holding only a tag
    leaves an empty line, and a tag at the end of a line never glues the next line's first word
    to it."""
    env = _SandboxedEnvironment(
        autoescape=False,
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=False,
        lstrip_blocks=True,
        loader=_RefuseFiles(),
    )
    _bound_sandbox(env, filters)
    return env
