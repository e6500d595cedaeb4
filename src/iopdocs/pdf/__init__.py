"""PDF for signing and archiving: LibreOffice conversion, PDF/A, appendices, the draft stamp and
the agreement data inside every PDF.

The pipeline: the Word document is rendered (``iopdocs.documents``), LibreOffice converts it and the
.docx appendices to PDF/A in one run (``convert``), and pypdf joins the parts, bookmarks each
appendix, stamps drafts and attaches the agreement as JSON (``package``). pypdf is imported on
first use.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, overload

from iopdocs._files import write_atomic
from iopdocs.errors import AppendixError
from iopdocs.i18n import Message, Plural, reason
from iopdocs.model import Agreement, Status
from iopdocs.pdf.convert import (
    INSTALL_COMMAND,
    SOFFICE_ENV,
    convert_many,
    convert_to_pdf,
    find_soffice,
    is_docx,
)

if TYPE_CHECKING:
    from iopdocs.model import AnnualReport
    from iopdocs.pdf.package import Part
    from iopdocs.pdf.warm import PdfConverter

__all__ = [
    "INSTALL_COMMAND",
    "SOFFICE_ENV",
    "NotPdfAWarning",
    "NotPdfUAWarning",
    "attach_agreement",
    "convert_many",
    "convert_to_pdf",
    "find_soffice",
    "finish_contract_pdf",
    "render_annual_report_pdf",
    "render_pdf",
]

PathLike = str | os.PathLike[str]

_ATTACHMENT_DESCRIPTION = "Avtalsdata (JSON) som dokumentet har skapats från"


class NotPdfAWarning(UserWarning):
    """An appendix PDF is not PDF/A, so the package that includes it is not strictly PDF/A."""


class NotPdfUAWarning(UserWarning):
    """A package's appendix pages are not tagged in it, so the package does not claim PDF/UA."""


@overload
def render_pdf(
    agreement: Agreement,
    path: None = None,
    *,
    appendices: Sequence[PathLike] = (),
    template: PathLike | bytes | None = None,
    locale: str = "sv_SE",
    embed_data: bool = True,
    timeout: float | None = None,
    converter: PdfConverter | None = None,
    clauses: PathLike | bytes | None = None,
) -> bytes: ...
@overload
def render_pdf(
    agreement: Agreement,
    path: PathLike,
    *,
    appendices: Sequence[PathLike] = (),
    template: PathLike | bytes | None = None,
    locale: str = "sv_SE",
    embed_data: bool = True,
    timeout: float | None = None,
    converter: PdfConverter | None = None,
    clauses: PathLike | bytes | None = None,
) -> Path: ...
def render_pdf(
    agreement: Agreement,
    path: PathLike | None = None,
    *,
    appendices: Sequence[PathLike] = (),
    template: PathLike | bytes | None = None,
    locale: str = "sv_SE",
    embed_data: bool = True,
    timeout: float | None = None,
    converter: PdfConverter | None = None,
    clauses: PathLike | bytes | None = None,
) -> bytes | Path:
    """The signing package of ``agreement`` as one PDF/A file.

    The package is the contract (with "Bilaga 1 – Utbetalningsplan" when the agreement has
    money), then ``appendices``: one file (PDF or .docx) for each entry of
    ``agreement.appendices``, in the same order, each bookmarked "Bilaga N – title". A draft
    carries UTKAST on every page, appendices included. With ``embed_data`` (the default) the
    agreement is attached as JSON (``iopdocs.provenance.AGREEMENT_ATTACHMENT``) and the file is
    PDF/A-3b; without, it is PDF/A-2b. ``clauses`` is a clause library of your own, as for
    ``render_contract``; the PDF does not carry it, so verify such a PDF with the same library.

    Returns the PDF's bytes, or writes them atomically to ``path`` and returns the path. Raises
    ``AppendixError`` when the files do not match the agreement's appendices or one is missing or
    neither PDF nor .docx, ``ConverterMissingError`` without LibreOffice and ``ConversionError``
    when conversion fails or exceeds ``timeout`` seconds. Warns ``NotPdfAWarning`` for an
    appendix PDF that is not PDF/A.

    ``converter`` (a ``PdfConverter``) is a LibreOffice already running: a second call then takes
    about the time LibreOffice needs to convert the document, not a start of LibreOffice as well.
    """
    from iopdocs.documents import render_contract
    from iopdocs.documents.context import appendix_titles

    files = [Path(f) for f in appendices]
    titles = [a.title for a in agreement.appendices]
    _check_appendices(files, titles)
    # The appendices the contract lists last are the user's: "Bilaga 2 – Budget", ….
    bookmarks = appendix_titles(agreement)[-len(files) :] if files else []
    from iopdocs.word.watermark import without_draft_watermark

    draft = agreement.metadata.status is Status.DRAFT
    contract = render_contract(agreement, template=template, locale=locale, clauses=clauses)
    if draft:  # the PDF's stamp is drawn as an artifact on every page, not Word's WordArt figure
        contract = without_draft_watermark(contract)
    parts = _convert_parts(
        contract,
        list(zip(files, bookmarks, strict=True)),
        embed_data,
        timeout,
        converter,
        draft=draft,
    )
    data = _assemble(
        parts, agreement, draft=draft, embed=embed_data, document=contract, stamp_from=0
    )
    if path is None:
        return data
    return write_atomic(path, data)


@overload
def render_annual_report_pdf(
    agreement: Agreement,
    year: int,
    *,
    party: str | None = None,
    path: None = None,
    report: AnnualReport | None = None,
    template: PathLike | bytes | None = None,
    locale: str = "sv_SE",
    embed_data: bool = True,
    timeout: float | None = None,
    converter: PdfConverter | None = None,
) -> bytes: ...
@overload
def render_annual_report_pdf(
    agreement: Agreement,
    year: int,
    *,
    party: str | None = None,
    path: PathLike,
    report: AnnualReport | None = None,
    template: PathLike | bytes | None = None,
    locale: str = "sv_SE",
    embed_data: bool = True,
    timeout: float | None = None,
    converter: PdfConverter | None = None,
) -> Path: ...
def render_annual_report_pdf(
    agreement: Agreement,
    year: int,
    *,
    party: str | None = None,
    path: PathLike | None = None,
    report: AnnualReport | None = None,
    template: PathLike | bytes | None = None,
    locale: str = "sv_SE",
    embed_data: bool = True,
    timeout: float | None = None,
    converter: PdfConverter | None = None,
) -> bytes | Path:
    """The annual report of ``year`` as PDF/A, like ``render_annual_report`` makes the .docx.

    The agreement is attached as JSON (PDF/A-3b) unless ``embed_data`` is false (PDF/A-2b). A
    report is not a contract, so it never carries the draft stamp. ``converter``: as for
    ``render_pdf``.
    """
    from iopdocs.documents import render_annual_report

    document = render_annual_report(
        agreement, year, party=party, report=report, template=template, locale=locale
    )
    parts = _convert_parts(document, [], embed_data, timeout, converter)
    data = _assemble(parts, agreement, draft=False, embed=embed_data, document=document)
    if path is None:
        return data
    return write_atomic(path, data)


def attach_agreement(pdf: bytes, agreement: Agreement, *, document: bytes | None = None) -> bytes:
    """``pdf`` (a contract converted to PDF/A-3 by ``convert_many(..., pdfa=3)``) with
    ``agreement`` attached as its source data, as ``render_pdf`` attaches it.

    For batch rendering: render the .docx files, convert them in one LibreOffice run, then
    finish each PDF with this. ``document`` is the .docx the PDF was converted from: given, the
    PDF also carries its record (template, hashes, page count) as ``render_pdf``'s do, so
    ``verify`` can tell a different template and pages appended later.
    """
    from iopdocs.pdf.package import Part

    return _assemble([Part(pdf)], agreement, draft=False, embed=True, document=document)


def finish_contract_pdf(
    pdf: bytes, agreement: Agreement, *, document: bytes | None = None, embed_data: bool = True
) -> bytes:
    """A contract converted by ``convert_many`` finished as ``render_pdf`` finishes it: a draft
    stamped UTKAST on every page (convert its .docx without Word's watermark, see
    ``iopdocs.word.watermark.without_draft_watermark``), and with ``embed_data`` the agreement
    attached (PDF/A-3b) with the record of ``document``, the .docx it was converted from.

    For batch rendering, as ``attach_agreement`` but for drafts too.
    """
    from iopdocs.pdf.package import Part

    draft = agreement.metadata.status is Status.DRAFT
    return _assemble(
        [Part(pdf)], agreement, draft=draft, embed=embed_data, document=document, stamp_from=0
    )


def _check_appendices(files: list[Path], titles: list[str]) -> None:
    if len(files) != len(titles):
        raise AppendixError(
            Message(
                "the agreement lists {listed} but {given}; list each appendix under 'appendices' "
                "in the agreement and give one file per entry, in the same order",
                listed=Plural(
                    "{count} appendix ({titles})",
                    "{count} appendices ({titles})",
                    count=len(titles),
                    titles=", ".join(titles) if titles else Message("none"),
                ),
                given=Plural(
                    "{count} file was given", "{count} files were given", count=len(files)
                ),
            )
        )
    from iopdocs._files import MAX_DOCUMENT_FILE

    for file, title in zip(files, titles, strict=True):
        if not file.is_file():
            raise AppendixError(
                Message("{file}: the appendix '{title}' does not exist", file=file, title=title)
            )
        if file.stat().st_size > MAX_DOCUMENT_FILE:
            raise AppendixError(
                Message(
                    "{file}: the appendix '{title}' is larger than the limit of {mib} MiB",
                    file=file,
                    title=title,
                    mib=MAX_DOCUMENT_FILE // (1024 * 1024),
                )
            )
        if _is_encrypted_pdf(file):
            raise AppendixError(
                Message(
                    "{file}: the appendix '{title}' is an encrypted PDF; PDF/A forbids "
                    "encryption, so give it unprotected",
                    file=file,
                    title=title,
                )
            )
        if not (_is_pdf(file) or is_docx(file)):
            raise AppendixError(
                Message(
                    "{file}: the appendix '{title}' is neither a PDF nor a .docx",
                    file=file,
                    title=title,
                )
            )
        if is_docx(file):
            _check_docx_appendix(file, title)


def _check_docx_appendix(file: Path, title: str) -> None:
    """A .docx appendix is bounded like any .docx from outside before LibreOffice opens it."""
    import zipfile

    from iopdocs.errors import LimitError
    from iopdocs.word.package import check_package

    try:
        check_package(file.read_bytes(), f"{file}")
    except (LimitError, zipfile.BadZipFile) as exc:
        raise AppendixError(
            Message(
                "{file}: the appendix '{title}' cannot be used: {reason}",
                file=file,
                title=title,
                reason=reason(exc),
            )
        ) from exc


def _is_encrypted_pdf(path: Path) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF-"):
                return False
        return PdfReader(path).is_encrypted
    except (OSError, PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        return False


def _is_pdf(path: Path) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF-"):
                return False
        return len(PdfReader(path).pages) > 0
    except (OSError, PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        return False


def _convert_parts(
    document: bytes,
    appendices: list[tuple[Path, str]],
    embed_data: bool,
    timeout: float | None,
    converter: PdfConverter | None = None,
    *,
    draft: bool = False,
) -> list[Part]:
    """The document and its appendices as PDFs, every .docx converted in one LibreOffice run."""
    from pypdf import PdfReader

    from iopdocs.pdf.package import Part, pdfa_part

    level = 3 if embed_data else 2
    with tempfile.TemporaryDirectory(prefix="iopdocs-package-") as folder:
        work = Path(folder)
        (work / "out").mkdir()
        sources = [work / "document.docx"]
        sources[0].write_bytes(document)
        for number, (file, _) in enumerate(appendices, start=1):
            if is_docx(file):
                from iopdocs.word.watermark import without_draft_watermark

                copy = work / f"appendix-{number}.docx"
                data = file.read_bytes()
                # A draft's appendices get the stamp as a page artifact, like the contract, not
                # also a draft watermark of Word's (which LibreOffice exports as a figure).
                copy.write_bytes(without_draft_watermark(data) if draft else data)
                sources.append(copy)
        converted = {
            p.stem: p.read_bytes()
            for p in convert_many(
                sources, work / "out", pdfa=level, timeout=timeout, converter=converter
            )
        }
    parts = [Part(converted["document"])]
    for number, (file, title) in enumerate(appendices, start=1):
        if is_docx(file):
            pdf = converted[f"appendix-{number}"]
        else:
            pdf = file.read_bytes()
            if pdfa_part(PdfReader(file)) is None:
                warnings.warn(
                    Message(
                        "{file}: the appendix '{title}' is not PDF/A, so the package is not "
                        "strictly PDF/A either; an archive may refuse it (convert the appendix "
                        "to PDF/A, or give its .docx)",
                        file=file,
                        title=title,
                    ),
                    NotPdfAWarning,
                    stacklevel=3,
                )
        parts.append(Part(pdf, title))
    return parts


def _assemble(
    parts: list[Part],
    agreement: Agreement,
    *,
    draft: bool,
    embed: bool,
    document: bytes | None = None,
    stamp_from: int = 1,
) -> bytes:
    from iopdocs.pdf.package import assemble, attach
    from iopdocs.record import AGREEMENT_ATTACHMENT, RECORD_ATTACHMENT, agreement_json

    attachment = (
        (AGREEMENT_ATTACHMENT, agreement_json(agreement), _ATTACHMENT_DESCRIPTION)
        if embed
        else None
    )
    if len(parts) > 1:
        _warn_untagged(parts)
    data = assemble(parts, draft=draft, attachment=attachment, stamp_from=stamp_from)
    if not embed or document is None:
        return data
    return attach(data, RECORD_ATTACHMENT, _record(document, parts), _RECORD_DESCRIPTION)


_RECORD_DESCRIPTION = "Hur dokumentet skapades: mall, kontrollsummor och sidantal (JSON)"


def _record(document: bytes, parts: list[Part]) -> bytes:
    """The record a PDF carries beside its data: the properties of the .docx it was converted
    from (iopdocs version, template and its SHA-256, data SHA-256, locale, kind) and its page
    counts, so ``verify`` can say the template differs and find pages appended afterwards."""
    import json

    from iopdocs.word.customxml import read_docx_provenance

    found = read_docx_provenance(document)
    record: dict[str, str | int] = dict(found.properties) if found is not None else {}
    counts = [_page_count(part.pdf) for part in parts]
    record["pages"] = counts[0]
    record["totalPages"] = sum(counts)
    return (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _page_count(pdf: bytes) -> int:
    """The pages of ``pdf``, read strictly first: that skips pypdf's repair pass over every
    object of a sound file (some 40 ms of a warm ``render_pdf`` of the flagship); anything a
    strict reader refuses is read leniently, as before."""
    from pypdf import PdfReader

    from iopdocs.pdf.package import open_pdf

    try:
        return len(open_pdf(pdf, strict=True).pages)
    except Exception:  # a flaw strict reading refuses, whatever pypdf raises for it
        return len(PdfReader(BytesIO(pdf)).pages)


def _warn_untagged(parts: list[Part]) -> None:
    """Name the pages of a package that a screen reader cannot follow: those of an appendix PDF
    without tags (a scan). A .docx appendix is tagged by LibreOffice, and its tags are joined."""
    from pypdf import PdfReader

    from iopdocs.pdf.structure import is_tagged

    first = len(PdfReader(BytesIO(parts[0].pdf)).pages) + 1
    ranges = []
    for part in parts[1:]:
        reader = PdfReader(BytesIO(part.pdf))
        count = len(reader.pages)
        if not is_tagged(reader):
            pages = f"{first}" if count == 1 else f"{first}–{first + count - 1}"
            ranges.append(f"{pages} ({part.bookmark})")
        first += count
    if not ranges:
        return
    warnings.warn(
        Message(
            "an appendix has untagged pages, so the package is PDF/A but does not claim PDF/UA: "
            "pages {pages}",
            pages=", ".join(ranges),
        ),
        NotPdfUAWarning,
        stacklevel=4,
    )
