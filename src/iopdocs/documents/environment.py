"""The Jinja environments of the IOP documents: the safe defaults with the Swedish filters.

One environment per locale and kind, built once: the compiled-template cache is keyed by the
environment object, so reusing it keeps compiled templates warm.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment

from iopdocs.documents.formats import formats_for
from iopdocs.word.environment import (
    jinja_environment,
    plain_text_sandbox,
    sandboxed_jinja_environment,
)

__all__ = ["make_clause_environment", "make_environment", "make_sandboxed_environment"]


@cache
def make_environment(locale: str = "sv_SE") -> Environment:
    """A Jinja environment with the safe defaults and the filters of ``locale``."""
    return jinja_environment(formats_for(locale).filters(), identity=f"iopdocs {locale}")


@cache
def make_sandboxed_environment(locale: str = "sv_SE") -> Environment:
    """``make_environment`` inside Jinja's immutable sandbox, for templates from outside the
    package (see ``iopdocs.word.environment.sandboxed_jinja_environment``)."""
    return sandboxed_jinja_environment(
        formats_for(locale).filters(), identity=f"iopdocs {locale} sandboxed"
    )


@cache
def make_clause_environment(locale: str = "sv_SE") -> Environment:
    """The sandbox the texts of a clause library render in, with the filters of ``locale``: plain
    text out, escaped once by the Word template (see ``plain_text_sandbox``)."""
    return plain_text_sandbox(formats_for(locale).filters())
