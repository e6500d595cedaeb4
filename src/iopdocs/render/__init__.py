"""Rendering agreements into Word documents: the only package that knows Jinja and docxtpl.

Jinja, babel and docxtpl are imported when the first document is rendered, so importing this
package (and ``iopdocs``) stays cheap for callers that only validate.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, overload

from iopdocs._files import write_atomic
from iopdocs.model import Agreement
from iopdocs.render.templates import (
    CONTRACT_TEMPLATE,
    REPORT_TEMPLATE,
    load_template,
    template_path,
)

if TYPE_CHECKING:
    from iopdocs.model import AnnualReport

__all__ = ["render_annual_report", "render_contract", "template_path"]


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
    from iopdocs.schedule import payment_schedule

    source = load_template(template, CONTRACT_TEMPLATE)
    formats = formats_for(locale)
    context = contract_context(agreement, payment_schedule(agreement), formats)
    data = render_docx(
        source,
        context,
        make_environment(locale),
        properties=_core_properties(agreement),
        timestamp=agreement.document_date,
    )
    if context["doc"]["draft"]:
        data = _with_draft_watermark(data, agreement.document_date)
    if path is None:
        return data
    return write_atomic(path, data)


def _with_draft_watermark(data: bytes, timestamp: dt.date) -> bytes:
    """A draft contract carries UTKAST across every page, not only in its header line."""
    from iopdocs.render.docx import normalize_zip
    from iopdocs.render.watermark import add_draft_watermark

    return normalize_zip(add_draft_watermark(data), timestamp)


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


@overload
def render_annual_report(
    agreement: Agreement,
    year: int,
    *,
    party: str | None = None,
    path: None = None,
    report: AnnualReport | None = None,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes: ...
@overload
def render_annual_report(
    agreement: Agreement,
    year: int,
    *,
    party: str | None = None,
    path: str | os.PathLike[str],
    report: AnnualReport | None = None,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> Path: ...
def render_annual_report(
    agreement: Agreement,
    year: int,
    *,
    party: str | None = None,
    path: str | os.PathLike[str] | None = None,
    report: AnnualReport | None = None,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes | Path:
    """Render the annual report (årsberättelse) for ``year`` as a Word document.

    The report covers the part of the agreement period inside ``year`` and is prefilled from the
    agreement: facts, mission items with goals and indicators, required meetings, the money due by
    the payment schedule. ``party`` is the short name of the reporting party (all reporting
    parties jointly when ``None``). Without ``report`` the result is a skeleton with fields to fill
    in; with a filled-in ``AnnualReport`` it is the complete report. Returns the bytes, or writes
    them atomically to ``path`` and returns the path.

    Raises ``ReportError`` for a year outside the agreement period or a party that does not report,
    and ``ValidationError`` when ``report`` names mission items, indicators or money lines the
    agreement does not have.
    """
    from iopdocs.errors import ReportError
    from iopdocs.render.docx import render_docx
    from iopdocs.render.environment import make_environment
    from iopdocs.render.formats import formats_for
    from iopdocs.render.report import report_context, reporting_parties
    from iopdocs.schedule import payment_schedule, report_period

    period = report_period(agreement, year)
    reporters = reporting_parties(agreement, party)
    schedule = payment_schedule(agreement)
    if report is not None:
        if report.year != year:
            raise ReportError(f"the report data is for {report.year}, not {year}")
        if report.party not in (None, party):
            raise ReportError(
                f"the report data is for party '{report.party}', not '{party or 'all'}'"
            )
        report.check_against(
            mission_items={
                i.title: [x.name for x in i.indicators] for i in agreement.mission.items
            },
            line_names=list(schedule.by_line),
            period=(period.start, period.end),
        )
    source = load_template(template, REPORT_TEMPLATE)
    formats = formats_for(locale)
    context = report_context(agreement, period, schedule, reporters, report, formats)
    properties = _core_properties(agreement)
    properties["title"] = f"Årsberättelse {year}: {agreement.metadata.title}"
    properties["content_status"] = "Ifylld" if report is not None else "Mall"
    data = render_docx(
        source, context, make_environment(locale), properties=properties, timestamp=period.end
    )
    if path is None:
        return data
    return write_atomic(path, data)
