"""The Jinja environments Word templates are rendered in, with the filters a caller gives.

The defaults protect users: ``autoescape`` keeps ``&`` and ``<`` in names (docxtpl's recovering
XML parser would silently drop them), ``StrictUndefined`` turns a misspelt field into an error
instead of blank text, and ``finalize`` prints ``None`` as nothing rather than "None".
Templates from outside the package get the same defaults inside Jinja's sandbox.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = [
    "Filters",
    "environment_identity",
    "jinja_environment",
    "plain_text_sandbox",
    "sandboxed_jinja_environment",
]

Filters = Mapping[str, Callable[..., Any]]


def _finalize(value: Any) -> Any:
    return "" if value is None else value


class _Environment(Environment):
    """Looks keys up before attributes: ``agreement.values`` is the field, not ``dict.values``."""

    identity = ""
    """What the caller says sets this environment apart (its locale): part of the disk key."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


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


# Limits on what one expression of an outside template may build: big enough for any contract,
# small enough that ``'x' * 10**9`` or ``9**9**9`` cannot exhaust the machine.
_MAX_SEQUENCE = 1_000_000
_MAX_POWER_BITS = 4096


class _RefuseFiles(BaseLoader):
    """Answers every ``{% include %}``, ``{% import %}`` and ``{% extends %}`` with a refusal."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, None, None]:
        raise SecurityError(f"a template may not read other files ({template!r})")


class _SandboxedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for templates from outside the package, with the keys-first lookup."""

    intercepted_binops = frozenset({"*", "**"})
    identity = ""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _too_big_power(left, right):
            raise SecurityError(f"the power {left!r} ** {right!r} is too large for a template")
        if operator == "*" and _too_long_repeat(left, right):
            raise SecurityError("repeating a text or list this many times is refused in templates")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        try:
            return super().call(__context, __obj, *args, **kwargs)
        except OverflowError as exc:  # range() beyond the sandbox's MAX_RANGE
            raise SecurityError(str(exc)) from exc


def _too_big_power(base: Any, exponent: Any) -> bool:
    if not (isinstance(base, int) and isinstance(exponent, int)):
        return False
    return exponent > 0 and abs(base) > 1 and exponent * abs(base).bit_length() > _MAX_POWER_BITS


def _too_long_repeat(left: Any, right: Any) -> bool:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return len(sequence) * count > _MAX_SEQUENCE
    return False


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
    env.filters.update(filters)
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
    env.filters.update(filters)
    return env
