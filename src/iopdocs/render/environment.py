"""The Jinja environment every template is rendered in.

The defaults protect users: ``autoescape`` keeps ``&`` and ``<`` in names (docxtpl's recovering
XML parser would silently drop them), ``StrictUndefined`` turns a misspelt field into an error
instead of blank text, and ``finalize`` prints ``None`` as nothing rather than "None".
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, StrictUndefined

from iopdocs.render.formats import formats_for

__all__ = ["make_environment"]


def _finalize(value: Any) -> Any:
    return "" if value is None else value


class _Environment(Environment):
    """Looks keys up before attributes: ``agreement.values`` is the field, not ``dict.values``."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


@cache
def make_environment(locale: str = "sv_SE") -> Environment:
    """A Jinja environment with the safe defaults and the filters of ``locale``."""
    env = _Environment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=False,
    )
    env.filters.update(formats_for(locale).filters())
    return env
