"""The IOP documents: the contract, the annual report and the review appendix (granskningsunderlag).

Each is rendered from an agreement through its context (``context``, ``report``, ``review``) with
the Swedish formats, in a Word template, and carries the record of what it was made from. The
Word machinery is ``iopdocs.word``; this package holds the IOP knowledge. Jinja, babel and docxtpl
are imported when the first document is rendered, so importing this
package (and ``iopdocs``) stays cheap for callers that only validate.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar, overload

from iopdocs._files import input_clash, is_special_file, write_atomic
from iopdocs.documents.templates import (
    CONTRACT_TEMPLATE,
    REPORT_TEMPLATE,
    REVIEW_TEMPLATE,
    default_template,
    is_bundled,
    load_template,
    template_path,
)
from iopdocs.i18n import Message
from iopdocs.model import Agreement

if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal

    import jinja2

    from iopdocs.documents.clauses import ClauseLibrary
    from iopdocs.model import AnnualReport
    from iopdocs.reviewing import Finding
    from iopdocs.word.package import Parts

__all__ = [
    "render_annual_report",
    "render_contract",
    "render_redline",
    "render_review",
    "template_path",
]


_Params = ParamSpec("_Params")
_Result = TypeVar("_Result")


def _bounded(function: Callable[_Params, _Result]) -> Callable[_Params, _Result]:
    """One sandbox budget for a whole document (its template parts and its clauses together):
    ``iopdocs.word.environment.MAX_SECONDS`` of rendering, not that much per part."""

    @functools.wraps(function)
    def bounded(*args: _Params.args, **kwargs: _Params.kwargs) -> _Result:
        from iopdocs.word.environment import render_budget

        with render_budget():
            return function(*args, **kwargs)

    return bounded


@overload
def render_contract(
    agreement: Agreement,
    path: None = None,
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
    clauses: str | os.PathLike[str] | bytes | ClauseLibrary | None = None,
) -> bytes: ...
@overload
def render_contract(
    agreement: Agreement,
    path: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
    clauses: str | os.PathLike[str] | bytes | ClauseLibrary | None = None,
) -> Path: ...
@_bounded
def render_contract(
    agreement: Agreement,
    path: str | os.PathLike[str] | None = None,
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
    clauses: str | os.PathLike[str] | bytes | ClauseLibrary | None = None,
) -> bytes | Path:
    """Render the contract of ``agreement`` as a Word document.

    Returns the .docx bytes, or, when ``path`` is given, writes them there atomically and returns
    the path. ``template`` is a path to (or the bytes of) your own .docx template; the bundled
    contract template is used when it is ``None``. ``clauses`` is a clause library (a file, its
    bytes, or a loaded ``ClauseLibrary``) to take the standard wording from instead of the packaged
    one; it is checked first, and a ``ClauseError`` names the clause that cannot be used. The
    same agreement, template, clause library and iopdocs version always give byte-identical
    output.
    """
    from iopdocs.documents.clauses import load_library
    from iopdocs.documents.context import contract_context
    from iopdocs.documents.formats import formats_for
    from iopdocs.schedule import payment_schedule
    from iopdocs.word.docx import render_docx_parts

    source = load_template(template, CONTRACT_TEMPLATE)
    formats = formats_for(locale)
    library = load_library(clauses)
    context = contract_context(agreement, payment_schedule(agreement), formats, library)
    # Rendering, the watermark and the provenance parts change the package in memory; it is
    # zipped once, at the end.
    parts = render_docx_parts(
        source,
        context,
        template_environment(template, locale),
        properties=_core_properties(agreement),
        timestamp=agreement.document_date,
    )
    if context["doc"]["draft"]:
        _add_draft_watermark(parts)
    _add_provenance(
        parts, agreement, source, template, locale, document="contract", clauses=library.source
    )
    data = parts.to_bytes()
    if path is None:
        return data
    return _write(path, data, template, clauses)


def template_environment(
    template: str | os.PathLike[str] | bytes | None, locale: str = "sv_SE"
) -> jinja2.Environment:
    """The Jinja environment ``template`` renders in: the bundled templates in the plain one,
    any other template (bytes, or a file that is not bundled) in the sandbox."""
    from iopdocs.documents.environment import make_environment, make_sandboxed_environment

    if is_bundled(template):
        return make_environment(locale)
    return make_sandboxed_environment(locale)


def _add_draft_watermark(parts: Parts) -> None:
    """A draft contract carries UTKAST across every page, not only in its header line."""
    from iopdocs.word.watermark import add_draft_watermark_parts

    add_draft_watermark_parts(parts)


def _core_properties(agreement: Agreement) -> dict[str, object]:
    from iopdocs.version import __version__

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
@_bounded
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
    from iopdocs.documents.formats import formats_for
    from iopdocs.documents.report import report_context, reporting_parties
    from iopdocs.errors import ReportError
    from iopdocs.schedule import payment_schedule, report_period
    from iopdocs.word.docx import render_docx_parts

    period = report_period(agreement, year)
    reporters = reporting_parties(agreement, party)
    schedule = payment_schedule(agreement)
    if report is not None:
        if report.year != year:
            raise ReportError(
                Message("the report data is for {given}, not {year}", given=report.year, year=year)
            )
        if report.party not in (None, party):
            raise ReportError(
                Message(
                    "the report data is for party '{given}', not '{party}'",
                    given=report.party,
                    party=party,
                )
                if party is not None
                else Message(
                    "the report data is for party '{given}'; render it for that party alone "
                    "(party='{given}', or --party {given})",
                    given=report.party,
                )
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
    parts = render_docx_parts(
        source,
        context,
        template_environment(template, locale),
        properties=properties,
        timestamp=period.end,
    )
    _add_provenance(
        parts,
        agreement,
        source,
        template,
        locale,
        document="annual_report",
        year=year,
        party=party,
        report=report,
    )
    data = parts.to_bytes()
    if path is None:
        return data
    return _write(path, data, template)


@overload
def render_review(
    agreement: Agreement,
    path: None = None,
    *,
    findings: list[Finding] | None = None,
    eur_rate: Decimal | int | str | None = None,
    sgei: Iterable[str] = (),
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes: ...
@overload
def render_review(
    agreement: Agreement,
    path: str | os.PathLike[str],
    *,
    findings: list[Finding] | None = None,
    eur_rate: Decimal | int | str | None = None,
    sgei: Iterable[str] = (),
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> Path: ...
@_bounded
def render_review(
    agreement: Agreement,
    path: str | os.PathLike[str] | None = None,
    *,
    findings: list[Finding] | None = None,
    eur_rate: Decimal | int | str | None = None,
    sgei: Iterable[str] = (),
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes | Path:
    """Render the review appendix (Granskningsunderlag) of ``agreement`` as a Word document.

    The findings of ``iopdocs.review`` (run with ``eur_rate`` and ``sgei`` unless ``findings``
    are given) grouped by severity, each with its field, quoted text and source, then the checks
    that found nothing. Dated with the agreement's own date, so the same agreement gives the same
    bytes. Like a contract it carries the agreement, and the findings it lists, so ``extract``
    tells which draft was reviewed and ``verify`` whether the appendix was edited afterwards.
    Returns the bytes, or writes them atomically to ``path`` and returns the path.
    """
    from iopdocs.documents.formats import formats_for
    from iopdocs.documents.review import review_context
    from iopdocs.record import review_json
    from iopdocs.reviewing import DEFAULT_EUR_RATE, passed_checks, review, review_options
    from iopdocs.word.docx import render_docx_parts

    rate = DEFAULT_EUR_RATE if eur_rate is None else eur_rate
    options = review_options(agreement, eur_rate=rate, sgei=sgei)
    if findings is None:
        from iopdocs.documents.passages import contract_passages

        findings = review(
            agreement,
            eur_rate=options.eur_rate,
            sgei=options.sgei,
            passages=contract_passages(agreement, locale=locale),
        )
    source = load_template(template, REVIEW_TEMPLATE)
    context = review_context(
        agreement, findings, passed_checks(findings), options, formats_for(locale)
    )
    properties = _core_properties(agreement)
    properties["title"] = f"Granskningsunderlag: {agreement.metadata.title}"
    properties["content_status"] = "Granskningsunderlag"
    parts = render_docx_parts(
        source,
        context,
        template_environment(template, locale),
        properties=properties,
        timestamp=agreement.document_date,
    )
    _add_provenance(
        parts,
        agreement,
        source,
        template,
        locale,
        document="review",
        review=review_json(findings, options),
    )
    data = parts.to_bytes()
    if path is None:
        return data
    return _write(path, data, template)


@overload
def render_redline(
    old: Agreement,
    new: Agreement,
    path: None = None,
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes: ...
@overload
def render_redline(
    old: Agreement,
    new: Agreement,
    path: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> Path: ...
def render_redline(
    old: Agreement,
    new: Agreement,
    path: str | os.PathLike[str] | None = None,
    *,
    template: str | os.PathLike[str] | bytes | None = None,
    locale: str = "sv_SE",
) -> bytes | Path:
    """The contract of ``new`` with Word tracked changes against the contract of ``old``.

    Both contracts are rendered with ``render_contract`` (same ``template`` and ``locale``); the
    result is the new contract in which every difference is a tracked insertion or deletion
    (author "iopdocs", dated on the new agreement's document date), so Word and LibreOffice show
    them and can accept or reject each one. Accepting all gives the new contract's text,
    rejecting all the old one's. Returns the .docx bytes, or writes them atomically to ``path``.
    The same two agreements always give byte-identical output.
    """
    import zipfile

    from lxml import etree

    from iopdocs.errors import TemplateError
    from iopdocs.word.package import normalize_zip
    from iopdocs.word.redline import redline_docx

    before = render_contract(old, template=template, locale=locale)
    after = render_contract(new, template=template, locale=locale)
    moment = dt.datetime.combine(new.document_date, dt.time(0, 0))
    try:
        data = redline_docx(before, after, author="iopdocs", date=moment)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise TemplateError(
            Message("the two contracts could not be compared: {reason}", reason=exc)
        ) from exc
    data = normalize_zip(data, new.document_date)
    if path is None:
        return data
    return _write(path, data, template)


def _add_provenance(
    parts: Parts,
    agreement: Agreement,
    source: bytes,
    template: str | os.PathLike[str] | bytes | None,
    locale: str,
    *,
    document: str,
    year: int | None = None,
    party: str | None = None,
    report: AnnualReport | None = None,
    review: bytes | None = None,
    clauses: bytes | None = None,
) -> None:
    """``parts`` made to carry what they were rendered from (see ``iopdocs.provenance``)."""
    from iopdocs.record import provenance_record
    from iopdocs.word.customxml import embed_provenance_parts

    if template is None:
        name = default_template(document)
    elif isinstance(template, bytes):
        name = ""
    else:
        name = Path(template).name
    blobs, properties = provenance_record(
        agreement,
        document=document,
        template=name,
        template_bytes=source,
        locale=locale,
        year=year,
        party=party,
        report=report,
        review=review,
        clauses=clauses,
    )
    embed_provenance_parts(parts, blobs, properties)


def _write(path: str | os.PathLike[str], data: bytes, *inputs: object) -> Path:
    """Write ``data`` atomically to ``path``, refused with an ``OutputError`` when ``path`` is
    one of ``inputs`` (a template or clause library given as a path): writing would destroy it."""
    from iopdocs.errors import OutputError

    clash = input_clash(path, inputs)
    if clash is not None:
        raise OutputError(
            Message(
                "{path}: is the input {input}; choose another output file",
                path=os.fspath(path),
                input=clash,
            )
        )
    if is_special_file(path):
        raise OutputError(
            Message(
                "{path}: is a device, pipe or socket, not a file to write", path=os.fspath(path)
            )
        )
    return write_atomic(path, data)
