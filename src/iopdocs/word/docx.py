"""The one place that drives docxtpl and python-docx.

Foreign errors (Jinja2, lxml, zipfile) are mapped to ``TemplateError`` here, with the original kept
as ``__cause__``. docxtpl is imported on first use, so ``import iopdocs`` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import zipfile
from collections.abc import Iterator, Mapping
from io import BytesIO
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from iopdocs.errors import TemplateError, TemplateSandboxError, TemplateSyntaxError

__all__ = [
    "CoreProperties",
    "normalize_zip",
    "prepare_template",
    "render_docx",
    "render_docx_plain",
]

CoreProperties = Mapping[str, Any]

# python-docx's namespace for the cp: prefix of docProps/core.xml. docxcompose (imported by
# docxtpl) rebinds "cp" globally to the custom-properties namespace, which makes python-docx write
# keywords, revision etc. into the wrong namespace; see _core_cp_prefix.
_CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


# The rebinding below changes a global: two threads setting core properties at once would
# otherwise restore each other's binding too early.
_CORE_NS_LOCK = threading.RLock()


@contextlib.contextmanager
def _core_cp_prefix() -> Iterator[None]:
    from docx.oxml import ns

    with _CORE_NS_LOCK:
        old = ns.nsmap["cp"]
        ns.nsmap["cp"] = _CORE_NS
        try:
            yield
        finally:
            ns.nsmap["cp"] = old


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
    (``iopdocs.render.compiled``), so a second document from it costs a fraction of the first.
    """
    from iopdocs.render.compiled import compiled_template

    with _template_errors(template):
        compiled = compiled_template(template, env)
        if compiled is not None:
            return compiled.render(context, properties=properties, timestamp=timestamp)
    return render_docx_plain(template, context, env, properties=properties, timestamp=timestamp)


def prepare_template(template: bytes, env: jinja2.Environment) -> None:
    """Parse and compile ``template`` now, as the first render would, and keep it cached.

    Raises ``TemplateSyntaxError`` or ``TemplateError`` for a template that cannot be used, so a
    batch can refuse it before rendering anything; in a process pool started by fork, every
    worker inherits the compiled template.
    """
    from iopdocs.render.compiled import compiled_template

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

    _restore_column_widths(tpl.docx.element.body)
    core = tpl.docx.core_properties
    with _core_cp_prefix():
        for name, value in properties.items():
            setattr(core, name, value)
    buffer = BytesIO()
    tpl.save(buffer)
    return normalize_zip(buffer.getvalue(), timestamp)


@contextlib.contextmanager
def _template_errors(template: bytes) -> Iterator[None]:
    """Map the errors of Jinja and of a package that is not a usable .docx to ``TemplateError``,
    naming the offending tag, or the missing field, and the text around it."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        from iopdocs.render.lint import describe_syntax_error

        message, around = describe_syntax_error(exc)
        lines = [line for line in getattr(exc, "docx_context", []) if line] or around
        raise TemplateSyntaxError(f"template syntax error: {message}", context=lines) from exc
    except SecurityError as exc:
        raise TemplateSandboxError(f"the template tried something refused: {exc}") from exc
    except jinja2.UndefinedError as exc:
        from iopdocs.render.lint import describe_undefined

        missing = describe_undefined(template, str(exc))
        raise TemplateError(f"the template asks for something the data lacks: {missing}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"the template could not be rendered: {exc}") from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"the template is not a usable Word document: {exc}") from exc


def _restore_column_widths(body: Any) -> None:
    """Give each table's grid the widths of its first row's cells.

    docxtpl's table fix-up evens out every table's grid columns, which LibreOffice then follows;
    the template's cell widths say what the author meant.
    """
    from docx.oxml.ns import qn

    for table in body.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        row = table.find(qn("w:tr"))
        if grid is None or row is None:
            continue
        columns = grid.findall(qn("w:gridCol"))
        widths = [cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}") for cell in row.findall(qn("w:tc"))]
        if len(widths) != len(columns) or any(
            w is None or w.get(qn("w:type")) != "dxa" for w in widths
        ):
            continue
        for column, width in zip(columns, widths, strict=True):
            column.set(qn("w:w"), width.get(qn("w:w")))


def normalize_zip(data: bytes, timestamp: dt.date) -> bytes:
    """Rewrite a .docx with fixed entry times and attributes, so equal content gives equal bytes."""
    date_time = (max(timestamp.year, 1980), timestamp.month, timestamp.day, 0, 0, 0)
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()
