"""Rendering agreements into Word documents: the only package that knows Jinja and docxtpl.

Jinja, babel and docxtpl are imported when the first document is rendered, so importing this
package (and ``iopdocs``) stays cheap for callers that only validate.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import overload

from iopdocs._files import write_atomic
from iopdocs.model import Agreement
from iopdocs.render.templates import CONTRACT_TEMPLATE, load_template, template_path

__all__ = ["render_contract", "template_path"]


@overload
def render_contract(
    agreement: Agreement,
    path: None = None,
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes: ...
@overload
def render_contract(
    agreement: Agreement,
    path: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> Path: ...
def render_contract(
    agreement: Agreement,
    path: str | os.PathLike[str] | None = None,
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes | Path:
    """Render the contract of ``agreement`` as a Word document.

    Returns the .docx bytes, or, when ``path`` is given, writes them there atomically and returns
    the path. ``template`` is a path to (or the bytes of) your own .docx template; the bundled
    contract template is used when it is ``None``. The same agreement, template and iopdocs version
    always give byte-identical output.
    """
    from iopdocs.render.context import contract_context
    from iopdocs.render.docx import render_docx
    from iopdocs.render.environment import make_environment
    from iopdocs.render.formats import formats_for

    source = load_template(template, CONTRACT_TEMPLATE)
    formats = formats_for(locale)
    context = contract_context(agreement, formats)
    data = render_docx(
        source,
        context,
        make_environment(locale),
        properties=_core_properties(agreement),
        timestamp=agreement.document_date,
    )
    if path is None:
        return data
    return write_atomic(path, data)


def _core_properties(agreement: Agreement) -> dict[str, object]:
    from iopdocs import __version__

    meta = agreement.metadata
    moment = dt.datetime.combine(agreement.document_date, dt.time(0, 0))
    public = agreement.public_parties[0]
    return {
        "title": meta.title,
        "subject": meta.subject or "",
        "author": public.name,
        "language": meta.language,
        "identifier": meta.case_number or "",
        "keywords": "IOP; idéburet offentligt partnerskap",
        "comments": f"Skapad med iopdocs {__version__}",
        "content_status": "Utkast" if meta.status == "draft" else "Slutlig",
        "last_modified_by": "iopdocs",
        "revision": 1,
        "created": moment,
        "modified": moment,
    }
