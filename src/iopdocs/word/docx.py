"""The one place that drives docxtpl and python-docx.

Foreign errors (Jinja2, lxml, zipfile) are mapped to ``TemplateError`` here, with the original kept
as ``__cause__``. docxtpl is imported on first use, so ``import iopdocs`` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
from collections.abc import Iterator, Mapping
from io import BytesIO
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from iopdocs.errors import TemplateError, TemplateSandboxError, TemplateSyntaxError
from iopdocs.i18n import Message
from iopdocs.word.fixes import (
    CoreProperties,
    core_cp_prefix,
    keep_facts_together,
    restore_column_widths,
)
from iopdocs.word.package import Parts, compress_level, normalize_zip

__all__ = [
    "prepare_template",
    "render_docx",
    "render_docx_parts",
    "render_docx_plain",
]


def render_docx(
    template: bytes,
    context: Mapping[str, Any],
    env: jinja2.Environment,
    *,
    properties: CoreProperties,
    timestamp: dt.date,
) -> bytes:
    """Render ``template`` with ``context`` and return deterministic .docx bytes.

    The template is parsed and compiled once per Jinja environment and kept in a small cache
    (``iopdocs.word.compiled``), so a second document from it costs a fraction of the first.
    """
    return render_docx_parts(
        template, context, env, properties=properties, timestamp=timestamp
    ).to_bytes()


def render_docx_parts(
    template: bytes,
    context: Mapping[str, Any],
    env: jinja2.Environment,
    *,
    properties: CoreProperties,
    timestamp: dt.date,
) -> Parts:
    """``render_docx`` before its zip is written, so that a caller adding parts (a watermark,
    provenance) writes the package once; ``to_bytes()`` gives ``render_docx``'s bytes."""
    from iopdocs.word.compiled import compiled_template

    with _template_errors(template):
        compiled = compiled_template(template, env)
        if compiled is not None:
            return compiled.render_parts(context, properties=properties, timestamp=timestamp)
    plain = render_docx_plain(template, context, env, properties=properties, timestamp=timestamp)
    return Parts(plain)


def prepare_template(template: bytes, env: jinja2.Environment) -> None:
    """Parse and compile ``template`` now, as the first render would, and keep it cached.

    Raises ``TemplateSyntaxError`` or ``TemplateError`` for a template that cannot be used, so a
    batch can refuse it before rendering anything; in a process pool started by fork, every
    worker inherits the compiled template.
    """
    from iopdocs.word.compiled import compiled_template

    with _template_errors(template):
        compiled_template(template, env)


def render_docx_plain(
    template: bytes,
    context: Mapping[str, Any],
    env: jinja2.Environment,
    *,
    properties: CoreProperties,
    timestamp: dt.date,
) -> bytes:
    """``render_docx`` done by docxtpl itself, every step afresh: the reference the cached path
    must equal, and the path for templates that path cannot render."""
    from docxtpl import DocxTemplate

    with _template_errors(template):
        tpl = DocxTemplate(BytesIO(template))
        tpl.render(dict(context), env)

    restore_column_widths(tpl.docx.element.body)
    keep_facts_together(tpl.docx.element.body)
    core = tpl.docx.core_properties
    with core_cp_prefix():
        for name, value in properties.items():
            setattr(core, name, value)
    buffer = BytesIO()
    tpl.save(buffer)
    return normalize_zip(buffer.getvalue(), timestamp, compress_level)


@contextlib.contextmanager
def _template_errors(template: bytes) -> Iterator[None]:
    """Map the errors of Jinja and of a package that is not a usable .docx to ``TemplateError``,
    naming the offending tag, or the missing field, and the text around it."""
    # The describing helpers are imported only when there is something to describe.
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        from iopdocs.word.tags import describe_syntax_error

        message, around = describe_syntax_error(exc)
        lines = [line for line in getattr(exc, "docx_context", []) if line] or around
        raise TemplateSyntaxError(
            Message("template syntax error: {reason}", reason=message), context=lines
        ) from exc
    except SecurityError as exc:
        from iopdocs.word.environment import refusal

        raise TemplateSandboxError(
            Message("the template tried something refused: {reason}", reason=refusal(exc))
        ) from exc
    except jinja2.UndefinedError as exc:
        from iopdocs.word.tags import describe_undefined

        missing = describe_undefined(template, str(exc))
        raise TemplateError(
            Message("the template asks for something the data lacks: {missing}", missing=missing)
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(
            Message("the template could not be rendered: {reason}", reason=exc)
        ) from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(
            Message("the template is not a usable Word document: {reason}", reason=exc)
        ) from exc
    except (SyntaxError, RecursionError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise TemplateError(
            Message("the template's XML cannot be read: {reason}", reason=exc)
        ) from exc
